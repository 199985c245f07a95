using Microsoft.Extensions.VectorData;

namespace VectLite.VectorData;

/// <summary>Options for <see cref="VectLiteCollection{TKey, TRecord}"/> and <see cref="VectLiteDynamicCollection"/>.</summary>
public sealed class VectLiteCollectionOptions : VectorStoreCollectionOptions
{
    /// <summary>Creates options with every setting at its default.</summary>
    public VectLiteCollectionOptions()
    {
    }

    /// <summary>Creates a copy of <paramref name="source"/> (the default options when null).</summary>
    public VectLiteCollectionOptions(VectLiteCollectionOptions? source)
        : base(source)
    {
        DatabaseOptions = source?.DatabaseOptions;
    }

    /// <summary>
    /// How a collection constructed from a path opens its database directory; null for the engine's defaults. Ignored
    /// when the collection is given an open <see cref="Database"/> or comes from a <see cref="VectLiteVectorStore"/>.
    /// When this process already has the directory open, the open database is shared and only
    /// <see cref="DatabaseOptions.ReadOnly"/> applies (a read-only view that refuses writes); see <see cref="Database.Open"/>.
    /// </summary>
    public DatabaseOptions? DatabaseOptions { get; set; }
}
