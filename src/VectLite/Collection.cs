using System.Text.Json.Nodes;
using VectLite.Verification;

namespace VectLite;

/// <summary>
/// A named set of records sharing one schema: the handle through which an application writes, reads and searches.
/// Obtained from <see cref="Database.CreateCollection"/> or <see cref="Database.GetCollection"/>; cheap to keep.
/// </summary>
/// <remarks>
/// <para>A facade: it checks that its <see cref="Database"/> handle is still open (and, for a read-only handle, refuses
/// writes) and routes each call to the collection the open database holds, which every handle of this process on
/// the database shares. Writes through one handle are visible through the others at once.</para>
/// <para>Thread safety: all members are safe to call from many threads. Writes are serialised by a writer lock; reads
/// (get, count, scroll, search) never wait for a writer and each sees one consistent state: the one published by the
/// last write batch completed before the read began.</para>
/// </remarks>
public sealed partial class Collection
{
    /// <summary>The longest namespace name, in characters.</summary>
    public const int MaxNamespaceLength = CollectionEngine.MaxNamespaceLength;

    /// <summary>The largest <see cref="SearchOptions.TopK"/> plus <see cref="SearchOptions.Offset"/>.</summary>
    public const int MaxSearchResults = CollectionEngine.MaxSearchResults;

    private readonly Database _database;

    internal Collection(Database database, CollectionEngine engine)
    {
        _database = database;
        Engine = engine;
    }

    /// <summary>The collection's name.</summary>
    public string Name => Engine.Name;

    /// <inheritdoc cref="CollectionEngine.Schema"/>
    public CollectionSchema Schema => Engine.Schema;

    /// <summary>The database handle this collection was obtained from.</summary>
    public Database Database => _database;

    /// <summary>
    /// Runs a hybrid query: several retrievers (dense searches on any named vectors, each with its own limit and
    /// filter) over one snapshot, fused into one ranking (reciprocal rank, distribution-based or linear), optionally
    /// diversified by maximal marginal relevance and cut at a score threshold. See <see cref="HybridQuery"/>.
    /// </summary>
    /// <returns>The hits with their fused scores, and what each stage did (<see cref="QueryResult.Stages"/>).</returns>
    /// <exception cref="ArgumentException">The query has no prefetch, too many, or an option out of range (named).</exception>
    /// <exception cref="DimensionMismatchException">A prefetch's vector has the wrong length for its named vector.</exception>
    /// <exception cref="InvalidVectorException">A prefetch's vector holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="SchemaException">A vector name is missing where the collection has several, or unknown.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between stages.</exception>
    public QueryResult Query(HybridQuery query, CancellationToken cancellationToken = default) => Usable().Query(query, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.SearchSparse"/>
    public IReadOnlyList<SearchHit> SearchSparse(string vectorName, SparseVector query, SearchOptions? options = null) =>
        Usable().SearchSparse(vectorName, query, options);

    /// <inheritdoc cref="CollectionEngine.SearchMultiVector"/>
    public IReadOnlyList<SearchHit> SearchMultiVector(string vectorName, IReadOnlyList<ReadOnlyMemory<float>> query, SearchOptions? options = null) =>
        Usable().SearchMultiVector(vectorName, query, options);

    /// <summary>The shared collection this handle routes to.</summary>
    internal CollectionEngine Engine { get; }

    /// <inheritdoc cref="CollectionEngine.Upsert"/>
    public void Upsert(Record record) => Writable("upsert records").Upsert(record);

    /// <inheritdoc cref="CollectionEngine.UpsertMany(IEnumerable{Record})"/>
    public int UpsertMany(IEnumerable<Record> records) => Writable("upsert records").UpsertMany(records);

    /// <inheritdoc cref="CollectionEngine.UpsertBulk"/>
    public long UpsertBulk(IEnumerable<Record> records, int batchSize = 10_000, CancellationToken cancellationToken = default) =>
        Writable("upsert records").UpsertBulk(records, batchSize, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.Delete"/>
    public bool Delete(RecordId id, string? @namespace = null) => Writable("delete records").Delete(id, @namespace);

    /// <inheritdoc cref="CollectionEngine.DeleteMany"/>
    public int DeleteMany(IEnumerable<RecordId> ids, string? @namespace = null) => Writable("delete records").DeleteMany(ids, @namespace);

    /// <inheritdoc cref="CollectionEngine.DeleteByFilter"/>
    public int DeleteByFilter(Filter filter, string? @namespace = null, CancellationToken cancellationToken = default) =>
        Writable("delete records").DeleteByFilter(filter, @namespace, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.DeleteByFilterInAllNamespaces"/>
    public int DeleteByFilterInAllNamespaces(Filter filter, CancellationToken cancellationToken = default) =>
        Writable("delete records").DeleteByFilterInAllNamespaces(filter, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.UpdatePayload"/>
    public bool UpdatePayload(RecordId id, JsonObject patch, string? @namespace = null) => Writable("update a payload").UpdatePayload(id, patch, @namespace);

    /// <inheritdoc cref="CollectionEngine.SetTimeToLive"/>
    public bool SetTimeToLive(RecordId id, TimeSpan timeToLive, string? @namespace = null) => Writable("set an expiry").SetTimeToLive(id, timeToLive, @namespace);

    /// <inheritdoc cref="CollectionEngine.SetExpiry"/>
    public bool SetExpiry(RecordId id, DateTimeOffset? expiresAt, string? @namespace = null) => Writable("set an expiry").SetExpiry(id, expiresAt, @namespace);

    /// <inheritdoc cref="CollectionEngine.ClearExpiry"/>
    public bool ClearExpiry(RecordId id, string? @namespace = null) => Writable("set an expiry").ClearExpiry(id, @namespace);

    /// <inheritdoc cref="CollectionEngine.CreatePayloadIndex"/>
    public void CreatePayloadIndex(string field, PayloadIndexKind kind) => Writable("create a payload index").CreatePayloadIndex(field, kind);

    /// <inheritdoc cref="CollectionEngine.DropPayloadIndex"/>
    public bool DropPayloadIndex(string field) => Writable("drop a payload index").DropPayloadIndex(field);

    /// <inheritdoc cref="CollectionEngine.CreateTextIndex"/>
    public void CreateTextIndex(string name, TextIndexOptions options) => Writable("create a text index").CreateTextIndex(name, options);

    /// <inheritdoc cref="CollectionEngine.DropTextIndex"/>
    public bool DropTextIndex(string name) => Writable("drop a text index").DropTextIndex(name);

    /// <inheritdoc cref="CollectionEngine.TextIndexes"/>
    public IReadOnlyDictionary<string, TextIndexOptions> TextIndexes => Usable().TextIndexes;

    /// <inheritdoc cref="CollectionEngine.SearchText"/>
    public IReadOnlyList<SearchHit> SearchText(string index, string query, TextSearchOptions? options = null) => Usable().SearchText(index, query, options);

    /// <inheritdoc cref="CollectionEngine.Flush"/>
    public void Flush() => Usable().Flush();

    /// <inheritdoc cref="CollectionEngine.Compact"/>
    public void Compact(CancellationToken cancellationToken = default) => Writable("compact").Compact(cancellationToken);

    /// <inheritdoc cref="CollectionEngine.WaitForIndexing"/>
    public void WaitForIndexing(CancellationToken cancellationToken = default) => Usable().WaitForIndexing(cancellationToken);

    /// <inheritdoc cref="CollectionEngine.Get"/>
    public Record? Get(RecordId id, string? @namespace = null) => Usable().Get(id, @namespace);

    /// <inheritdoc cref="CollectionEngine.GetMany"/>
    public IReadOnlyList<Record> GetMany(IEnumerable<RecordId> ids, string? @namespace = null, bool includeVectors = true, bool includePayload = true) =>
        Usable().GetMany(ids, @namespace, includeVectors, includePayload);

    /// <inheritdoc cref="CollectionEngine.Count"/>
    public long Count(Filter? filter = null, string? @namespace = null) => Usable().Count(filter, @namespace);

    /// <inheritdoc cref="CollectionEngine.CountAllNamespaces"/>
    public long CountAllNamespaces(Filter? filter = null) => Usable().CountAllNamespaces(filter);

    /// <inheritdoc cref="CollectionEngine.Scroll"/>
    public ScrollPage Scroll(ScrollOptions? options = null) => Usable().Scroll(options);

    /// <inheritdoc cref="CollectionEngine.GetStats"/>
    public CollectionStats GetStats() => Usable().GetStats();

    /// <inheritdoc cref="CollectionEngine.Search(ReadOnlySpan{float}, SearchOptions?)"/>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, SearchOptions? options = null) => Usable().Search(query, options);

    /// <inheritdoc cref="CollectionEngine.Search(ReadOnlySpan{float}, SearchOptions?)"/>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    public IReadOnlyList<SearchHit> Search(float[] query, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Usable().Search(query, options);
    }

    /// <inheritdoc cref="CollectionEngine.Search(ReadOnlySpan{float}, SearchOptions?)"/>
    public IReadOnlyList<SearchHit> Search(ReadOnlyMemory<float> query, SearchOptions? options = null) => Usable().Search(query.Span, options);

    /// <inheritdoc cref="CollectionEngine.Search(ReadOnlySpan{float}, Span{ScoredId}, SearchOptions?)"/>
    public int Search(ReadOnlySpan<float> query, Span<ScoredId> destination, SearchOptions? options = null) => Usable().Search(query, destination, options);

    /// <inheritdoc cref="CollectionEngine.SearchById"/>
    public IReadOnlyList<SearchHit> SearchById(RecordId id, SearchOptions? options = null) => Usable().SearchById(id, options);

    /// <inheritdoc cref="CollectionEngine.SearchBatch"/>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchBatch(IReadOnlyList<ReadOnlyMemory<float>> queries, SearchOptions? options = null, CancellationToken cancellationToken = default) =>
        Usable().SearchBatch(queries, options, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.SearchBatch"/>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchBatch(IReadOnlyList<float[]> queries, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var memories = new ReadOnlyMemory<float>[queries.Count];
        for (int i = 0; i < memories.Length; i++)
        {
            memories[i] = queries[i] ?? throw new ArgumentException($"{nameof(queries)}[{i}] is null.", nameof(queries));
        }
        return Usable().SearchBatch(memories, options, cancellationToken);
    }

    /// <inheritdoc cref="CollectionEngine.UpdateOptions"/>
    public void UpdateOptions(HnswOptions options, CancellationToken cancellationToken = default) =>
        Writable("update options").UpdateOptions(options, cancellationToken);

    /// <inheritdoc cref="CollectionEngine.Verify"/>
    public CollectionVerifyReport Verify(CancellationToken cancellationToken = default) => Usable().Verify(cancellationToken);

    /// <summary>"name (schema)".</summary>
    public override string ToString() => Engine.ToString();

    /// <summary>Test hook, see <see cref="CollectionEngine.BatchLoggedForTests"/>.</summary>
    internal Action<long>? BatchLoggedForTests
    {
        get => Engine.BatchLoggedForTests;
        set => Engine.BatchLoggedForTests = value;
    }

    /// <summary>Test hook, see <see cref="CollectionEngine.ApplyingOperationForTests"/>.</summary>
    internal Action<long>? ApplyingOperationForTests
    {
        get => Engine.ApplyingOperationForTests;
        set => Engine.ApplyingOperationForTests = value;
    }

    /// <summary>Test hook, see <see cref="CollectionEngine.BatchQueryStartingForTests"/>.</summary>
    internal Action<int>? BatchQueryStartingForTests
    {
        get => Engine.BatchQueryStartingForTests;
        set => Engine.BatchQueryStartingForTests = value;
    }

    /// <summary>Test hook, see <see cref="CollectionEngine.CheckpointWritingForTests"/>.</summary>
    internal Action? CheckpointWritingForTests
    {
        get => Engine.CheckpointWritingForTests;
        set => Engine.CheckpointWritingForTests = value;
    }

    /// <summary>The shared collection, once this handle's database handle is known to be open.</summary>
    private CollectionEngine Usable()
    {
        ObjectDisposedException.ThrowIf(_database.IsDisposed, this);
        return Engine;
    }

    /// <summary>As <see cref="Usable"/>, refusing the write through a read-only handle (which may be a view of a writer).</summary>
    private CollectionEngine Writable(string operation)
    {
        CollectionEngine engine = Usable();
        return _database.IsReadOnly ? throw new ReadOnlyDatabaseException(operation) : engine;
    }
}
