namespace VectLite.VectorData;

/// <summary>Names the connector reports about itself.</summary>
internal static class VectLiteConstants
{
    /// <summary>The value of <c>VectorStoreSystemName</c> in metadata and exceptions (the OpenTelemetry "db.system.name").</summary>
    public const string VectorStoreSystemName = "vectlite";
}
