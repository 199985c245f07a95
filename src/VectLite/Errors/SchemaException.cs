namespace VectLite;

/// <summary>A schema or index definition is invalid, or conflicts with what the collection already has.</summary>
public sealed class SchemaException : VectLiteException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public SchemaException(string message)
        : base(VectLiteErrorCode.InvalidSchema, message)
    {
    }
}
