using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

/// <summary>
/// An MEVD collection stored in a VectLite collection: records of <typeparamref name="TRecord"/> keyed by
/// <typeparamref name="TKey"/> (int, long, string or Guid), their data properties in the engine's JSON payload and
/// their vector properties as the engine's named vectors.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="int"/> or <see cref="long"/> (non-negative; numeric record ids), <see cref="string"/>, or <see cref="Guid"/> (string ids in "D" form).</typeparam>
/// <typeparam name="TRecord">The record type, annotated with the MEVD attributes or described by a definition.</typeparam>
/// <remarks>
/// <para>Filters and top-k run inside the engine (payload indexes for data properties marked <c>IsIndexed</c>, exact
/// or HNSW search as the engine decides). Scores follow the distance function's direction (see
/// <see cref="VectLiteDistanceMapping"/>); the default distance function is cosine similarity.</para>
/// <para>Engine errors surface as <see cref="VectorStoreException"/> with the engine's exception inside; operating on a
/// collection that does not exist yet (before <see cref="EnsureCollectionExistsAsync"/>) is one of them.</para>
/// <para>Vectors read back exactly as written, bit for bit, for every distance function (cosine vectors are not
/// normalised).</para>
/// <para>Thread safety: all members are safe to call from many threads. The engine is embedded: upserts use its
/// <see cref="Collection.UpsertManyAsync"/> (on the thread pool when the sync mode fsyncs), searches its
/// <see cref="Collection.SearchAsync"/> and filtered gets its <see cref="Collection.ScrollAllAsync"/> (CPU work, on the
/// calling thread); the other calls are quick and complete on the calling thread.</para>
/// </remarks>
// Not sealed: VectLiteDynamicCollection is this collection with dynamic (dictionary) mapping, as in the other connectors.
public partial class VectLiteCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private const string DynamicCodeMessage = "Mapping a CLR record type uses reflection and is not compatible with NativeAOT; use VectLiteDynamicCollection for dictionary records.";
    private const string UnreferencedCodeMessage = "Mapping a CLR record type uses reflection and is not compatible with trimming; use VectLiteDynamicCollection for dictionary records.";

    /// <summary>
    /// MEVD has no namespaces: its records live in the engine's default namespace, and every read, delete and search
    /// names it ("" and null both mean it in every engine call; it is spelled out here so the scope is plain to see).
    /// Records an engine caller writes to other namespaces of the same collection are never seen or touched.
    /// </summary>
    private const string DefaultNamespace = "";

    private readonly Database _database;
    private readonly bool _ownsDatabase;
    private readonly CollectionModel _model;
    private readonly CollectionSchema _schema;
    private readonly VectLiteRecordMapper<TRecord> _mapper;
    private readonly VectorStoreCollectionMetadata _metadata;

    /// <summary>Creates a collection handle in an open database, which the caller keeps owning.</summary>
    /// <param name="database">The database holding the collection.</param>
    /// <param name="name">The collection name (VectLite rule: 1-64 letters, digits, '_', '-', '.').</param>
    /// <param name="options">The record definition and embedding generator; null for attribute mapping and no generator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="NotSupportedException">The record model uses something VectLite cannot store (the message names it).</exception>
    /// <exception cref="InvalidOperationException">The record model is invalid (no key, an unsupported vector type without a generator, ...).</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public VectLiteCollection(Database database, string name, VectLiteCollectionOptions? options = null)
        : this(database ?? throw new ArgumentNullException(nameof(database)), path: null, name, BuildModel, options)
    {
    }

    /// <summary>
    /// Creates a collection handle that opens a <see cref="Database"/> handle on directory <paramref name="path"/>
    /// (creating the database if needed) and disposes it when disposed. Every handle of this process on the same
    /// directory (stores, collections, <see cref="Database.Open"/>) shares one open database.
    /// </summary>
    /// <param name="path">The database directory.</param>
    /// <param name="name">The collection name (VectLite rule: 1-64 letters, digits, '_', '-', '.').</param>
    /// <param name="options">The record definition, embedding generator and database options.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="NotSupportedException">The record model uses something VectLite cannot store (the message names it).</exception>
    /// <exception cref="VectorStoreException">The database could not be opened (locked by another process, damaged, ...).</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public VectLiteCollection(string path, string name, VectLiteCollectionOptions? options = null)
        : this(database: null, path ?? throw new ArgumentNullException(nameof(path)), name, BuildModel, options)
    {
    }

    /// <summary>The shared constructor: exactly one of <paramref name="database"/> and <paramref name="path"/> is set.</summary>
    internal VectLiteCollection(Database? database, string? path, string name, Func<VectLiteCollectionOptions, CollectionModel> modelFactory, VectLiteCollectionOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (database is null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
        }
        options ??= new VectLiteCollectionOptions();

        Name = name;
        _model = modelFactory(options);
        _schema = BuildSchema(_model);
        _mapper = new VectLiteRecordMapper<TRecord>(_model);

        // Open the database last, so that a model error leaves nothing open.
        if (database is null)
        {
            database = VectLiteErrors.Run(path, name, "Open", () => Database.Open(path!, options.DatabaseOptions));
            _ownsDatabase = true;
        }
        _database = database;
        _metadata = new VectorStoreCollectionMetadata
        {
            VectorStoreSystemName = VectLiteConstants.VectorStoreSystemName,
            VectorStoreName = database.Path,
            CollectionName = name,
        };
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(VectLiteErrors.Run(_database.Path, Name, "CollectionExists", () => _database.CollectionExists(Name)));
    }

    /// <summary>
    /// Creates the collection with one named vector per vector property (dimension and metric from the model), or
    /// with no vectors for a model without vector properties, a payload index for every data property marked
    /// <c>IsIndexed</c>, and a full-text index for every string property marked <c>IsFullTextIndexed</c> (used by
    /// <see cref="HybridSearchAsync"/>). Does nothing to an existing collection with the same vectors.
    /// </summary>
    /// <exception cref="VectorStoreException">The collection exists with other vectors, the name breaks VectLite's naming rule, or the database is read-only.</exception>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        VectLiteErrors.Run(_database.Path, Name, "EnsureCollectionExists", () =>
        {
            Collection collection = _database.GetOrCreateCollection(Name, _schema);
            if (_database.IsReadOnly)
            {
                return;
            }
            foreach (DataPropertyModel property in _model.DataProperties)
            {
                if (property.IsIndexed)
                {
                    collection.CreatePayloadIndex(property.StorageName, VectLitePayloadCodec.IndexKindFor(property.Type));
                }
                if (property.IsFullTextIndexed)
                {
                    // The engine text index hybrid search runs its keywords against (English analyzer, BM25 defaults).
                    collection.CreateTextIndex(TextIndexName(property), new TextIndexOptions { Fields = [property.StorageName] });
                }
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        VectLiteErrors.Run(_database.Path, Name, "EnsureCollectionDeleted", () => _database.DropCollection(Name));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Returns <see cref="VectorStoreCollectionMetadata"/>, the VectLite <see cref="Database"/>, the engine
    /// <see cref="Collection"/> (null while it does not exist), or this object, for those types and no service key.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(VectorStoreCollectionMetadata))
        {
            return _metadata;
        }
        if (serviceType == typeof(Database))
        {
            return _database;
        }
        if (serviceType == typeof(Collection))
        {
            return _database.TryGetCollection(Name, out Collection? collection) ? collection : null;
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Disposes the database handle when this collection opened it from a path (the database closes with the last handle on it).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsDatabase)
        {
            _database.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Runs <paramref name="action"/> on the engine collection, turning engine errors into <see cref="VectorStoreException"/>.</summary>
    private T Run<T>(string operation, Func<Collection, T> action) =>
        VectLiteErrors.Run(_database.Path, Name, operation, () =>
        {
            if (!_database.TryGetCollection(Name, out Collection? collection))
            {
                throw VectLiteErrors.Wrap(_database.Path, Name, operation,
                    $"The collection '{Name}' does not exist in the VectLite database at '{_database.Path}'; call EnsureCollectionExistsAsync first.");
            }
            return action(collection);
        });

    /// <summary>As <see cref="Run{T}"/>, for the engine's asynchronous calls.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<Collection, Task<T>> action)
    {
        Collection collection = Run(operation, static c => c);
        try
        {
            return await action(collection).ConfigureAwait(false);
        }
        catch (VectLiteException ex)
        {
            throw VectLiteErrors.Wrap(_database.Path, Name, operation, ex.Message, ex);
        }
    }

    /// <summary>When a vector property is embedded from another type, its vector cannot be put back on the record.</summary>
    private bool CheckIncludeVectors(bool includeVectors) =>
        includeVectors && _model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : includeVectors;

    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    private static CollectionModel BuildModel(VectLiteCollectionOptions options) =>
        typeof(TRecord) == typeof(Dictionary<string, object?>)
            ? throw new NotSupportedException(VectorDataStrings.NonDynamicCollectionWithDictionaryNotSupported(typeof(VectLiteDynamicCollection)))
            : new VectLiteModelBuilder().Build(typeof(TRecord), typeof(TKey), options.Definition, options.EmbeddingGenerator);

    private static CollectionSchema BuildSchema(CollectionModel model)
    {
        var schema = new CollectionSchema();
        foreach (VectorPropertyModel vector in model.VectorProperties)
        {
            schema = schema.AddVector(vector.StorageName, vector.Dimensions, VectLiteDistanceMapping.ToMetric(vector.DistanceFunction, vector.ModelName));
        }
        return schema;
    }
}
