using Microsoft.Extensions.AI;

namespace VectLite.VectorData;

/// <summary>Options for <see cref="VectLiteVectorStore"/>.</summary>
public sealed class VectLiteVectorStoreOptions
{
    /// <summary>Creates options with every setting at its default.</summary>
    public VectLiteVectorStoreOptions()
    {
    }

    /// <summary>Creates a copy of <paramref name="source"/> (the default options when null).</summary>
    public VectLiteVectorStoreOptions(VectLiteVectorStoreOptions? source)
    {
        DatabaseOptions = source?.DatabaseOptions;
        EmbeddingGenerator = source?.EmbeddingGenerator;
    }

    /// <summary>
    /// How the store opens its database directory (read-only, WAL sync mode, lock timeout); null for the engine's
    /// defaults. Ignored when the store is given an already open <see cref="Database"/>. When this process already has
    /// the directory open, the open database is shared and only <see cref="DatabaseOptions.ReadOnly"/> applies (a
    /// read-only view that refuses writes); see <see cref="Database.Open"/>.
    /// </summary>
    public DatabaseOptions? DatabaseOptions { get; set; }

    /// <summary>
    /// The embedding generator for vector properties that name none themselves (nor their collection); it turns
    /// string (or other) property values and search inputs into vectors.
    /// </summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }
}
