using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Filtering;
using VectLite.Records;
using VectLite.Storage;
using VectLite.Vectors;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>The longest namespace name, in characters.</summary>
    public const int MaxNamespaceLength = 256;

    /// <summary>Inserts the record, or replaces the record with the same id in the same namespace.</summary>
    /// <exception cref="DimensionMismatchException">A vector has the wrong number of components.</exception>
    /// <exception cref="InvalidVectorException">A vector holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="InvalidRecordException">A vector is missing or unknown, the payload cannot be stored, or the expiry is invalid.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    public void Upsert(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        UpsertMany([record]);
    }

    /// <summary>
    /// Inserts or replaces the records as one atomic batch: after a crash all of them are there or none. Within the
    /// batch, the last record with a given id (and namespace) wins. Every record is validated before anything is written.
    /// </summary>
    /// <returns>The number of records written.</returns>
    /// <exception cref="DimensionMismatchException">A vector has the wrong number of components.</exception>
    /// <exception cref="InvalidVectorException">A vector holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="InvalidRecordException">A vector is missing or unknown, the payload cannot be stored, or the expiry is invalid.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    public int UpsertMany(IEnumerable<Record> records) => UpsertMany(records, CancellationToken.None);

    /// <summary>As <see cref="UpsertMany(IEnumerable{Record})"/>; cancellable until the batch is logged (while records are validated).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the batch was logged: nothing was written.</exception>
    public int UpsertMany(IEnumerable<Record> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        CollectionSchema schema = Volatile.Read(ref _state).Schema;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<WalOperation> operations;
        int threads = PrepareThreads(schema, records, out IReadOnlyList<Record> list);
        bool stage = StagesVectors(schema, list);
        if (threads > 1)
        {
            operations = PrepareInParallel(schema, list, now, threads, copyVectors: !stage, cancellationToken);
        }
        else
        {
            operations = new List<WalOperation>(records.TryGetNonEnumeratedCount(out int n) ? n : 16);
            foreach (Record record in records)
            {
                if ((operations.Count & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                ArgumentNullException.ThrowIfNull(record, nameof(records));
                operations.Add(WalOperation.Upsert(Prepare(schema, record, now, copyVectors: !stage)));
            }
        }
        if (operations.Count == 0)
        {
            return 0;
        }
        lock (_writeLock)
        {
            ThrowIfNotWritable("upsert records");
            if (stage)
            {
                StageVectors(operations, threads, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested(); // the last point before the log: after it, the batch is acknowledged
            Commit(operations);
        }
        return operations.Count;
    }

    /// <summary>
    /// Loads many records fast: writes them in atomic batches of <paramref name="batchSize"/> and builds (or extends)
    /// the HNSW indexes once at the end, on all cores, instead of record by record.
    /// </summary>
    /// <remarks>
    /// Each batch is atomic on its own, not the whole load: after a crash, the batches committed before it are there.
    /// Other writers wait until the load ends. Readers see every committed batch at once; until the index is
    /// extended at the end, graph searches may miss the records loaded so far (exact searches and filters do not).
    /// </remarks>
    /// <returns>The number of records written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public long UpsertBulk(IEnumerable<Record> records, int batchSize = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        lock (_writeLock)
        {
            ThrowIfNotWritable("upsert records");
            CollectionState state = _state;
            CollectionSchema schema = state.Schema;
            long written = 0;
            state.IndexingEnabled = false;
            try
            {
                var operations = new List<WalOperation>(batchSize);
                foreach (Record record in records)
                {
                    ArgumentNullException.ThrowIfNull(record, nameof(records));
                    // Each record's vectors are staged into the row it will take as soon as it is validated (the writer
                    // lock is held throughout), before the enumeration moves on: a producer that reuses one array for
                    // every record it yields still has each record's values copied.
                    StoredRecord prepared = Prepare(schema, record, DateTimeOffset.UtcNow, copyVectors: false);
                    int row = state.RowCount + operations.Count;
                    state.ReserveStagedRows(row + 1);
                    StageRecord(state, schema, prepared, row);
                    operations.Add(WalOperation.Upsert(prepared));
                    if (operations.Count == batchSize)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Commit(operations);
                        written += operations.Count;
                        operations.Clear();
                    }
                }
                if (operations.Count > 0)
                {
                    Commit(operations);
                    written += operations.Count;
                }
            }
            finally
            {
                state.IndexingEnabled = true;
                if (_fault is null)
                {
                    state.Publish(_lsn); // builds or extends the graphs once, in parallel (deferred: the indexer does)
                    NotifyIndexer(state);
                    ScheduleCheckpointIfDue();
                }
            }
            return written;
        }
    }

    /// <summary>Deletes the record with this id in this namespace. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>True if a visible record was deleted.</returns>
    public bool Delete(RecordId id, string? @namespace = null) => DeleteMany([id], @namespace) == 1;

    /// <summary>Deletes the records with these ids in one namespace, in one atomic batch. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>How many visible records were deleted.</returns>
    public int DeleteMany(IEnumerable<RecordId> ids, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        string ns = NormalizeNamespace(@namespace);
        lock (_writeLock)
        {
            ThrowIfNotWritable("delete records");
            CollectionState state = _state;
            int nsId = state.Namespaces.Find(ns);
            long now = DateTime.UtcNow.Ticks;
            var operations = new List<WalOperation>();
            var seen = new HashSet<RecordId>();
            int visible = 0;
            foreach (RecordId id in ids)
            {
                if (nsId < 0 || !seen.Add(id))
                {
                    continue;
                }
                var key = new RecordKey(nsId, id);
                if (state.FindLiveRow(key) >= 0)
                {
                    operations.Add(WalOperation.Delete(id, ns));
                    if (state.FindVisibleRow(key, state.Published, now) >= 0)
                    {
                        visible++;
                    }
                }
            }
            if (operations.Count > 0)
            {
                Commit(operations);
            }
            return visible;
        }
    }

    /// <summary>
    /// Deletes, in one atomic batch, every visible record of one namespace that matches <paramref name="filter"/>.
    /// <paramref name="namespace"/> null (the default) and "" mean the default namespace, as in every call: records in
    /// other namespaces are never deleted (<see cref="DeleteByFilterInAllNamespaces"/> deletes across all of them).
    /// </summary>
    /// <returns>How many records were deleted.</returns>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while matching; nothing was deleted.</exception>
    public int DeleteByFilter(Filter filter, string? @namespace = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return DeleteMatching(NamespaceScope.One(NormalizeNamespace(@namespace)), filter, cancellationToken);
    }

    /// <summary>
    /// Deletes, in one atomic batch, every visible record matching <paramref name="filter"/> in every namespace of the
    /// collection: every tenant's records. To delete in one namespace, use <see cref="DeleteByFilter"/>.
    /// </summary>
    /// <returns>How many records were deleted.</returns>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while matching; nothing was deleted.</exception>
    public int DeleteByFilterInAllNamespaces(Filter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return DeleteMatching(NamespaceScope.All, filter, cancellationToken);
    }

    private int DeleteMatching(NamespaceScope scope, Filter filter, CancellationToken cancellationToken)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable("delete records");
            CollectionState state = _state;
            var operations = new List<WalOperation>();
            foreach (int row in MatchingRows(state, state.Published, DateTime.UtcNow.Ticks, scope, filter, cancellationToken))
            {
                ref readonly RowMeta meta = ref state.Row(row);
                operations.Add(WalOperation.Delete(meta.Id, state.Namespaces.NameOf(state.NamespaceOf(row))));
            }
            if (operations.Count > 0)
            {
                Commit(operations);
            }
            return operations.Count;
        }
    }

    /// <summary>
    /// Applies a JSON merge patch (RFC 7386) to the record's payload: keys in <paramref name="patch"/> replace those in
    /// the payload, nested objects merge, and a key set to null is removed. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.
    /// </summary>
    /// <returns>False if no visible record has this id.</returns>
    public bool UpdatePayload(RecordId id, JsonObject patch, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        string ns = NormalizeNamespace(@namespace);
        lock (_writeLock)
        {
            ThrowIfNotWritable("update a payload");
            CollectionState state = _state;
            int row = FindRowForUpdate(state, id, ns);
            if (row < 0)
            {
                return false;
            }
            JsonElement current = state.Row(row).Payload;
            JsonObject merged = PayloadJson.ToObject(current) ?? [];
            JsonMergePatch.Apply(merged, patch);
            Commit([WalOperation.SetPayload(id, ns, PayloadJson.Encode(merged, $"record {id}"))]);
            return true;
        }
    }

    /// <summary>Makes the record with this id in this namespace expire <paramref name="timeToLive"/> from now. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>False if no visible record has this id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The time is not positive.</exception>
    public bool SetTimeToLive(RecordId id, TimeSpan timeToLive, string? @namespace = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return SetExpiry(id, new DateTimeOffset(ExpiryTicks(DateTimeOffset.UtcNow, timeToLive), TimeSpan.Zero), @namespace);
    }

    /// <summary>Sets when the record with this id in this namespace expires; null clears the expiry. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>False if no visible record has this id.</returns>
    public bool SetExpiry(RecordId id, DateTimeOffset? expiresAt, string? @namespace = null)
    {
        string ns = NormalizeNamespace(@namespace);
        lock (_writeLock)
        {
            ThrowIfNotWritable("set an expiry");
            CollectionState state = _state;
            if (FindRowForUpdate(state, id, ns) < 0)
            {
                return false;
            }
            Commit([WalOperation.SetExpiry(id, ns, expiresAt is null ? 0 : Math.Max(1, expiresAt.Value.UtcTicks))]);
            return true;
        }
    }

    /// <summary>Removes the expiry of the record with this id in this namespace. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>False if no visible record has this id.</returns>
    public bool ClearExpiry(RecordId id, string? @namespace = null) => SetExpiry(id, null, @namespace);

    /// <summary>
    /// Defines a payload index on a field (a dot path such as <c>meta.author</c>), fills it from the existing records,
    /// and keeps it current on every write. Filters use it instead of scanning payloads. Idempotent for the same kind.
    /// </summary>
    /// <exception cref="SchemaException">The field already has an index of another kind.</exception>
    public void CreatePayloadIndex(string field, PayloadIndexKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        lock (_writeLock)
        {
            ThrowIfNotWritable("create a payload index");
            foreach ((string existing, PayloadIndexKind existingKind) in _state.Indexes.Definitions)
            {
                if (string.Equals(existing, field, StringComparison.Ordinal))
                {
                    if (existingKind == kind)
                    {
                        return;
                    }
                    throw new SchemaException($"Field '{field}' already has a {existingKind} index; drop it before creating a {kind} index.");
                }
            }
            new PayloadIndexSet().Define(field, kind); // validates the path before it is logged
            Commit([WalOperation.CreatePayloadIndex(field, kind)]);
        }
    }

    /// <summary>Removes the payload index on <paramref name="field"/>.</summary>
    /// <returns>False if the field had no index.</returns>
    public bool DropPayloadIndex(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        lock (_writeLock)
        {
            ThrowIfNotWritable("drop a payload index");
            foreach ((string existing, _) in _state.Indexes.Definitions)
            {
                if (string.Equals(existing, field, StringComparison.Ordinal))
                {
                    Commit([WalOperation.DropPayloadIndex(field)]);
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Forces everything written so far to stable storage, whatever the sync mode.</summary>
    public void Flush()
    {
        ThrowIfUnusable();
        SyncWal();
    }

    /// <summary>Logs a validated batch, applies it and publishes it. The writer lock is held.</summary>
    /// <remarks>
    /// Everything that can reject the batch runs before the append: validation, encoding, the size limit. An append that
    /// fails leaves the log as it was (the storage layer cuts a partial frame away) and the LSN unused. Once the batch is
    /// in the log it is acknowledged there, so its LSN is taken at once; if applying it in memory still fails (running
    /// out of memory, a defect), this handle no longer matches the log: it faults and refuses further writes, and a
    /// reopen replays the batch whole.
    /// </remarks>
    /// <param name="operations">The batch.</param>
    /// <param name="syncMode">The sync mode for this batch; the database's when null.</param>
    private void Commit(List<WalOperation> operations, SyncMode? syncMode = null)
    {
        CheckTextFields(operations);
        WaitForIndexerRoom(_state); // before the log: a wait that fails leaves the batch unwritten
        long lsn = _lsn + 1;
        try
        {
            if (WalBatchCodec.SizeHint(operations) >= WalWriter.SeparateHeaderBytes)
            {
                // A large batch (a bulk load's is hundreds of megabytes) is streamed into the log in pieces, not encoded
                // whole first: see IBatchSink.
                if (_wal is not null)
                {
                    _wal.AppendStreamed(lsn, sink => WalBatchCodec.Encode(operations, _batchBuffer, sink), syncMode ?? _database.SyncMode);
                    _walBatches++;
                }
                else
                {
                    // In memory nothing is logged, but a batch the log would refuse is refused here too.
                    WalWriter.ThrowIfOverLimit(WalBatchCodec.Encode(operations, _batchBuffer, DiscardingSink.Instance));
                }
            }
            else
            {
                WalBatchCodec.Encode(operations, _batchBuffer);
                if (_wal is not null)
                {
                    _wal.Append(lsn, _batchBuffer.WrittenSpan, syncMode ?? _database.SyncMode);
                    _walBatches++;
                }
                else
                {
                    WalWriter.ThrowIfOverLimit(_batchBuffer.Length);
                }
            }
        }
        finally
        {
            _batchBuffer.Release(MaxKeptBatchBuffer); // a bulk load's buffer goes back to the shared pool, not kept by this collection
        }
        _lsn = lsn;
        try
        {
            BatchLoggedForTests?.Invoke(lsn);
            CollectionState state = _state;
            foreach (WalOperation op in operations)
            {
                ApplyingOperationForTests?.Invoke(lsn);
                state.Apply(op, lsn);
            }
            state.Publish(lsn);
            NotifyIndexer(state);
        }
        catch (Exception ex)
        {
            _fault = ex;
            Log.CollectionFaulted(_database.Logger, Name, lsn, ex);
            throw new CollectionFaultedException(Name, ex);
        }
        ScheduleCheckpointIfDue();
    }

    /// <summary>Takes a batch's pieces and keeps nothing: an in-memory collection's large batch is encoded only to learn its length.</summary>
    private sealed class DiscardingSink : IBatchSink
    {
        public static readonly DiscardingSink Instance = new();

        public void Write(ReadOnlySpan<byte> bytes)
        {
        }
    }

    /// <summary>Test hook: runs after a batch is logged and before it is applied, to simulate a failure there.</summary>
    internal Action<long>? BatchLoggedForTests { get; set; }

    /// <summary>
    /// Test hook: runs before each operation of a batch is applied (with the batch's LSN), so a test can pause the
    /// writer halfway through a batch and check that readers see none of it until it is published whole. A null
    /// check per operation when unset.
    /// </summary>
    internal Action<long>? ApplyingOperationForTests { get; set; }

    /// <summary>The row an update applies to: live and not expired (an expired record is gone as far as callers can tell).</summary>
    private static int FindRowForUpdate(CollectionState state, RecordId id, string ns)
    {
        int nsId = state.Namespaces.Find(ns);
        return nsId < 0 ? -1 : state.FindVisibleRow(new RecordKey(nsId, id), state.Published, DateTime.UtcNow.Ticks);
    }

    /// <summary>
    /// Validates a record against the schema and turns it into what the log stores. <paramref name="copyVectors"/> false
    /// keeps the caller's dense vectors (validated, not copied) for <see cref="StageVectors"/> to copy into their rows.
    /// </summary>
    private static StoredRecord Prepare(CollectionSchema schema, Record record, DateTimeOffset now, bool copyVectors = true)
    {
        string ns = NormalizeNamespace(record.Namespace);

        long expires = 0;
        if (record.TimeToLive is { } ttl)
        {
            if (record.ExpiresAt is not null)
            {
                throw new InvalidRecordException($"Record {record.Id} sets both ExpiresAt and TimeToLive; set one.");
            }
            if (ttl <= TimeSpan.Zero)
            {
                throw new InvalidRecordException($"Record {record.Id} has a TimeToLive of {ttl}; it must be positive.");
            }
            expires = ExpiryTicks(now, ttl);
        }
        else if (record.ExpiresAt is { } at)
        {
            expires = Math.Max(1, at.UtcTicks);
        }

        var vectors = new ReadOnlyMemory<float>[schema.Vectors.Count];
        if (record.Vector is not null)
        {
            if (schema.Vectors.Count != 1)
            {
                throw new InvalidRecordException(schema.Vectors.Count == 0
                    ? $"Record {record.Id} has a vector, but the collection stores no vectors (metadata only)."
                    : $"Record {record.Id} sets Vector, but the collection has {schema.Vectors.Count} named vectors ({string.Join(", ", schema.Vectors.Select(v => v.Name))}); set them by name in Vectors.");
            }
            if (record.HasNamedVectors)
            {
                throw new InvalidRecordException($"Record {record.Id} sets both Vector and Vectors; use one.");
            }
            vectors[0] = copyVectors ? PrepareVector(schema.Vectors[0], record.Vector.Value.Span) : Validated(schema.Vectors[0], record.Vector.Value);
        }
        else
        {
            foreach (string name in record.HasNamedVectors ? record.Vectors.Keys : Enumerable.Empty<string>())
            {
                if (schema.FindVector(name) < 0)
                {
                    throw new InvalidRecordException($"Record {record.Id} has a vector named '{name}', which the schema does not declare (it has: {schema}).");
                }
            }
            for (int i = 0; i < vectors.Length; i++)
            {
                VectorSpec spec = schema.Vectors[i];
                if (!record.HasNamedVectors || !record.Vectors.TryGetValue(spec.Name, out ReadOnlyMemory<float> vector))
                {
                    throw new InvalidRecordException($"Record {record.Id} lacks vector '{spec.Name}'; every record must carry every named vector of the schema.");
                }
                vectors[i] = copyVectors ? PrepareVector(spec, vector.Span) : Validated(spec, vector);
            }
        }

        SparseVector?[] sparse = PrepareSparse(schema, record);
        float[][]?[] multi = PrepareMulti(schema, record);
        return new StoredRecord(record.Id, ns, expires, record.Payload is null ? null : PayloadJson.Encode(record.Payload, $"record {record.Id}"), vectors, sparse, multi);
    }

    /// <summary>The record's multi-vectors by space ordinal (null where it has none), each token validated and copied.</summary>
    private static float[][]?[] PrepareMulti(CollectionSchema schema, Record record)
    {
        var multi = new float[][]?[schema.MultiVectors.Count];
        if (!record.HasMultiVectors)
        {
            return multi;
        }
        foreach ((string name, ReadOnlyMemory<float>[] tokens) in record.MultiVectors)
        {
            int ordinal = schema.FindMultiVector(name);
            if (ordinal < 0)
            {
                throw new InvalidRecordException($"Record {record.Id} has a multi-vector named '{name}', which the schema does not declare (it has: {schema}).");
            }
            multi[ordinal] = PrepareTokens(schema.MultiVectors[ordinal], tokens);
        }
        return multi;
    }

    /// <summary>Checks a matrix of token vectors for its space (1 to <see cref="MultiVectorSpec.MaxTokens"/> tokens, each a valid vector of the dimension) and copies it.</summary>
    /// <exception cref="InvalidVectorException">No tokens, too many, or a token holds NaN or infinity (or is all zeros under cosine).</exception>
    /// <exception cref="DimensionMismatchException">A token has the wrong length.</exception>
    internal static float[][] PrepareTokens(MultiVectorSpec spec, IReadOnlyList<ReadOnlyMemory<float>> tokens)
    {
        if (tokens is null || tokens.Count == 0 || tokens.Count > MultiVectorSpec.MaxTokens)
        {
            throw new InvalidVectorException(spec.Name, $"has {tokens?.Count ?? 0} token vectors; a multi-vector holds 1 to {MultiVectorSpec.MaxTokens}");
        }
        var token = new VectorSpec(spec.Name, spec.Dimension, spec.Metric);
        var copy = new float[tokens.Count][];
        for (int t = 0; t < copy.Length; t++)
        {
            try
            {
                copy[t] = PrepareVector(token, tokens[t].Span);
            }
            catch (InvalidVectorException ex)
            {
                throw new InvalidVectorException(spec.Name, $"token {t}: {ex.Message}");
            }
        }
        return copy;
    }

    /// <summary>The record's sparse vectors by space ordinal (null where it has none), each validated.</summary>
    private static SparseVector?[] PrepareSparse(CollectionSchema schema, Record record)
    {
        var sparse = new SparseVector?[schema.SparseVectors.Count];
        if (!record.HasSparseVectors)
        {
            return sparse;
        }
        foreach ((string name, SparseVector vector) in record.SparseVectors)
        {
            int ordinal = schema.FindSparseVector(name);
            if (ordinal < 0)
            {
                throw new InvalidRecordException($"Record {record.Id} has a sparse vector named '{name}', which the schema does not declare (it has: {schema}).");
            }
            if (vector is null)
            {
                throw new InvalidRecordException($"Record {record.Id} has a null sparse vector '{name}'; leave the space out instead.");
            }
            ValidateSparseVector(schema.SparseVectors[ordinal], vector);
            sparse[ordinal] = vector; // immutable: stored as it is, no copy needed
        }
        return sparse;
    }

    /// <summary>
    /// Checks a sparse vector for its space: at most <see cref="SparseVectorSpec.MaxEntries"/> entries, every weight
    /// finite, no index twice (a dot product with a repeated index has no single meaning).
    /// </summary>
    /// <exception cref="InvalidVectorException">The vector breaks one of these rules; the message names the entry.</exception>
    internal static void ValidateSparseVector(SparseVectorSpec spec, SparseVector vector)
    {
        if (vector.Count > SparseVectorSpec.MaxEntries)
        {
            throw new InvalidVectorException(spec.Name, $"has {vector.Count} entries, more than the limit of {SparseVectorSpec.MaxEntries}");
        }
        float[] values = vector.ValueArray;
        uint[] indices = vector.IndexArray;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new InvalidVectorException(spec.Name, $"has a non-finite weight ({values[i]}) at entry {i} (index {indices[i]})");
            }
        }
        if (indices.Length < 2)
        {
            return;
        }
        bool ascending = true;
        for (int i = 1; i < indices.Length && ascending; i++)
        {
            ascending = indices[i] > indices[i - 1];
        }
        if (ascending)
        {
            return; // the usual case: sorted and therefore distinct, checked in one pass
        }
        uint[] sorted = (uint[])indices.Clone();
        Array.Sort(sorted);
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                int first = Array.IndexOf(indices, sorted[i]);
                int second = Array.IndexOf(indices, sorted[i], first + 1);
                throw new InvalidVectorException(spec.Name, $"has index {sorted[i]} twice (entries {first} and {second}); each index may appear once");
            }
        }
    }

    /// <summary>
    /// Checks dimension, finiteness and (for cosine) direction; returns a copy the caller may keep, holding the
    /// caller's values unchanged: what is written is what is read, bit for bit, for every metric.
    /// </summary>
    internal static float[] PrepareVector(VectorSpec spec, ReadOnlySpan<float> vector)
    {
        // Not zeroed first (a bulk load copies hundreds of megabytes here): every element is overwritten at once.
        float[] copy = GC.AllocateUninitializedArray<float>(vector.Length);
        vector.CopyTo(copy);
        ValidateVector(spec, copy);
        return copy;
    }

    /// <summary>Validates the caller's <paramref name="vector"/> for <paramref name="spec"/> and returns it, not copied (to be staged).</summary>
    private static ReadOnlyMemory<float> Validated(VectorSpec spec, ReadOnlyMemory<float> vector)
    {
        ValidateVector(spec, vector.Span);
        return vector;
    }

    /// <summary>
    /// The largest squared Euclidean norm a vector may have under L2, dot and L1: with two such vectors the squared
    /// distance is at most 4 x this = float.MaxValue / 2, so no score overflows to infinity. Cosine vectors need no
    /// bound: a cosine score divides by the norm, computed in double precision when single precision cannot hold it.
    /// </summary>
    internal const float MaxSquaredNorm = float.MaxValue / 8;

    /// <summary>Validates <paramref name="vector"/> for <paramref name="spec"/>; it is not changed.</summary>
    internal static void ValidateVector(VectorSpec spec, ReadOnlySpan<float> vector)
    {
        if (vector.Length != spec.Dimension)
        {
            throw new DimensionMismatchException(spec.Name, spec.Dimension, vector.Length);
        }
        if (!VectorKernels.AllFinite(vector))
        {
            int at = 0;
            while (at < vector.Length && float.IsFinite(vector[at]))
            {
                at++;
            }
            throw new InvalidVectorException(spec.Name, $"has a non-finite component ({vector[at]}) at index {at}");
        }
        if (spec.Metric == Metric.Cosine)
        {
            if (!VectorKernels.HasNonZero(vector))
            {
                throw new InvalidVectorException(spec.Name, "is all zeros, which has no direction under the cosine metric");
            }
        }
        else if (!(VectorKernels.SumOfSquares(vector) <= MaxSquaredNorm))
        {
            throw new InvalidVectorException(spec.Name,
                $"has a Euclidean norm above {MathF.Sqrt(MaxSquaredNorm):G3}, where {spec.Metric} distances and scores overflow single precision");
        }
    }

    /// <summary>
    /// <paramref name="now"/> + <paramref name="ttl"/> in UTC ticks, clamped to the last representable instant: a
    /// time to live too long for the calendar (<see cref="TimeSpan.MaxValue"/>) means "effectively never".
    /// </summary>
    internal static long ExpiryTicks(DateTimeOffset now, TimeSpan ttl) =>
        ttl.Ticks >= DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks ? DateTimeOffset.MaxValue.UtcTicks : now.UtcTicks + ttl.Ticks;

    internal static string NormalizeNamespace(string? @namespace)
    {
        if (string.IsNullOrEmpty(@namespace))
        {
            return "";
        }
        if (@namespace.Length > MaxNamespaceLength)
        {
            throw new InvalidNameException("namespace", @namespace[..32] + "...", $"it has {@namespace.Length} characters, more than the limit of {MaxNamespaceLength}");
        }
        if (UnicodeText.Problem(@namespace) is { } problem)
        {
            throw new InvalidNameException("namespace", @namespace, problem);
        }
        return @namespace;
    }
}
