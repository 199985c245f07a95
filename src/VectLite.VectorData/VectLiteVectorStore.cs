using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

/// <summary>
/// An MEVD vector store backed by one VectLite database (a directory): each MEVD collection is a VectLite collection
/// in it.
/// </summary>
/// <example>
/// <code>
/// using var store = new VectLiteVectorStore("data/vectors");
/// var hotels = store.GetCollection&lt;int, Hotel&gt;("hotels");
/// await hotels.EnsureCollectionExistsAsync();
/// await hotels.UpsertAsync(new Hotel { Id = 1, Name = "Grand", Embedding = vector });
/// await foreach (var hit in hotels.SearchAsync(query, top: 3, new() { Filter = h =&gt; h.Rating &gt;= 4 })) { ... }
/// </code>
/// </example>
/// <remarks>
/// A store constructed from a path opens its own <see cref="Database"/> handle and disposes it when disposed; the
/// engine behind it is shared with every other handle of this process on that directory (other stores, collections,
/// the application's own <see cref="Database.Open"/>), and closes with the last of them. Collections obtained from the
/// store use the store's handle and must not be used after the store is disposed. A store constructed from an open
/// <see cref="Database"/> leaves it to its owner. Thread safety: all members are safe to call from many threads.
/// </remarks>
public sealed class VectLiteVectorStore : VectorStore
{
    private readonly Database _database;
    private readonly bool _ownsDatabase;
    private readonly IEmbeddingGenerator? _embeddingGenerator;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Opens (or creates) the VectLite database in directory <paramref name="path"/>.</summary>
    /// <param name="path">The database directory; created if it does not exist.</param>
    /// <param name="options">Database options and the default embedding generator.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="VectorStoreException">The database could not be opened (locked by another process, damaged, ...).</exception>
    public VectLiteVectorStore(string path, VectLiteVectorStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _database = VectLiteErrors.Run(path, null, "Open", () => Database.Open(path, options?.DatabaseOptions));
        _ownsDatabase = true;
        _embeddingGenerator = options?.EmbeddingGenerator;
        _metadata = CreateMetadata(_database);
    }

    /// <summary>Uses an open database; the caller keeps owning it (disposing the store does not close it).</summary>
    /// <param name="database">The database.</param>
    /// <param name="options">The default embedding generator (<see cref="VectLiteVectorStoreOptions.DatabaseOptions"/> is ignored).</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is null.</exception>
    public VectLiteVectorStore(Database database, VectLiteVectorStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _embeddingGenerator = options?.EmbeddingGenerator;
        _metadata = CreateMetadata(database);
    }

    /// <inheritdoc/>
    [RequiresDynamicCode("Mapping a CLR record type is not compatible with NativeAOT; call GetDynamicCollection() for dictionary records.")]
    [RequiresUnreferencedCode("Mapping a CLR record type is not compatible with trimming; call GetDynamicCollection() for dictionary records.")]
    public override VectLiteCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null) =>
        typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new ArgumentException(VectorDataStrings.GetCollectionWithDictionaryNotSupported)
            : new VectLiteCollection<TKey, TRecord>(_database, name, CollectionOptions(definition));

    /// <inheritdoc/>
    public override VectLiteDynamicCollection GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new VectLiteDynamicCollection(_database, name, CollectionOptions(definition));
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return VectLiteErrors.Run(_database.Path, null, "ListCollectionNames", _database.ListCollections).ToAsyncEnumerable();
    }

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(VectLiteErrors.Run(_database.Path, name, "CollectionExists", () => _database.CollectionExists(name)));
    }

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        VectLiteErrors.Run(_database.Path, name, "EnsureCollectionDeleted", () => _database.DropCollection(name));
        return Task.CompletedTask;
    }

    /// <summary>Returns <see cref="VectorStoreMetadata"/>, the VectLite <see cref="Database"/>, or this object, for those types and no service key.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType == typeof(Database) ? _database
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Disposes the database handle when this store opened it (the database closes with the last handle on it).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsDatabase)
        {
            _database.Dispose();
        }
        base.Dispose(disposing);
    }

    private VectLiteCollectionOptions CollectionOptions(VectorStoreCollectionDefinition? definition) =>
        new() { Definition = definition, EmbeddingGenerator = _embeddingGenerator };

    private static VectorStoreMetadata CreateMetadata(Database database) => new()
    {
        VectorStoreSystemName = VectLiteConstants.VectorStoreSystemName,
        VectorStoreName = database.Path,
    };
}
