using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

/// <summary>
/// A VectLite collection whose records are <c>Dictionary&lt;string, object?&gt;</c> keyed by property name, described by
/// a <see cref="VectorStoreCollectionDefinition"/> instead of a CLR type. Needs no reflection over record types, so
/// it suits NativeAOT and trimmed applications.
/// </summary>
/// <remarks>
/// Keys are <see cref="object"/> at the API but must be of the key property's type from the definition (int, long,
/// string or Guid); property values must be of their declared types. Everything else is as in
/// <see cref="VectLiteCollection{TKey, TRecord}"/>.
/// </remarks>
#pragma warning disable CA1711 // "Collection" is the MEVD naming convention for these types
public sealed class VectLiteDynamicCollection : VectLiteCollection<object, Dictionary<string, object?>>
#pragma warning restore CA1711
{
    /// <summary>Creates a dynamic collection handle in an open database, which the caller keeps owning.</summary>
    /// <param name="database">The database holding the collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">Options; <see cref="VectorStoreCollectionOptions.Definition"/> is required.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, or the options have no definition.</exception>
    /// <exception cref="NotSupportedException">The definition uses something VectLite cannot store.</exception>
    public VectLiteDynamicCollection(Database database, string name, VectLiteCollectionOptions options)
        : base(database ?? throw new ArgumentNullException(nameof(database)), path: null, name, BuildModel, options ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>
    /// Creates a dynamic collection handle that opens the database in directory <paramref name="path"/> and closes it
    /// when disposed (sharing it with the other users of that directory in this process).
    /// </summary>
    /// <param name="path">The database directory.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">Options; <see cref="VectorStoreCollectionOptions.Definition"/> is required.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The path or name is empty, or the options have no definition.</exception>
    /// <exception cref="NotSupportedException">The definition uses something VectLite cannot store.</exception>
    /// <exception cref="VectorStoreException">The database could not be opened.</exception>
    public VectLiteDynamicCollection(string path, string name, VectLiteCollectionOptions options)
        : base(database: null, path ?? throw new ArgumentNullException(nameof(path)), name, BuildModel, options ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    private static CollectionModel BuildModel(VectLiteCollectionOptions options) =>
        new VectLiteModelBuilder().BuildDynamic(
            options.Definition ?? throw new ArgumentException("A dynamic collection needs a record definition (VectLiteCollectionOptions.Definition).", nameof(options)),
            options.EmbeddingGenerator);
}
