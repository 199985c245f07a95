using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>Reads the record with this id in this namespace, with its vectors and payload. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.</summary>
    /// <returns>The record, or null if there is none (or it was deleted or has expired).</returns>
    public Record? Get(RecordId id, string? @namespace = null)
    {
        IReadOnlyList<Record> found = GetMany([id], @namespace);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// Reads the records with these ids in one namespace, in the order asked, leaving out ids that have no visible
    /// record there. <paramref name="namespace"/> null (the default) and "" both mean the default namespace, as in every call.
    /// </summary>
    public IReadOnlyList<Record> GetMany(IEnumerable<RecordId> ids, string? @namespace = null, bool includeVectors = true, bool includePayload = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        string ns = NormalizeNamespace(@namespace);
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            int nsId = state.Namespaces.Find(ns);
            var records = new List<Record>();
            if (nsId < 0)
            {
                return records;
            }
            foreach (RecordId id in ids)
            {
                int row = state.FindVisibleRow(new RecordKey(nsId, id), snapshot, now);
                if (row >= 0)
                {
                    records.Add(ToRecord(state, row, includeVectors, includePayload));
                }
            }
            return records;
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// Counts the visible records of one namespace, optionally only those matching <paramref name="filter"/>.
    /// <paramref name="namespace"/> null (the default) and "" mean the default namespace, as in every call; records in
    /// other namespaces are not counted (<see cref="CountAllNamespaces"/> counts them all).
    /// </summary>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    public long Count(Filter? filter = null, string? @namespace = null) =>
        CountIn(NamespaceScope.One(NormalizeNamespace(@namespace)), filter);

    /// <summary>
    /// Counts the visible records of every namespace, optionally only those matching <paramref name="filter"/>.
    /// <see cref="GetStats"/> gives the count per namespace.
    /// </summary>
    public long CountAllNamespaces(Filter? filter = null) => CountIn(NamespaceScope.All, filter);

    private long CountIn(NamespaceScope scope, Filter? filter)
    {
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            long count = 0;
            foreach (int _ in MatchingRows(state, state.Published, DateTime.UtcNow.Ticks, scope, filter, CancellationToken.None))
            {
                count++;
            }
            return count;
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// Lists records a page at a time, ordered by namespace and then id. Pass each page's
    /// <see cref="ScrollPage.NextCursor"/> to get the next; records written between pages appear if they sort after the cursor.
    /// </summary>
    /// <remarks>
    /// Lists one namespace: <see cref="ScrollOptions.Namespace"/>, where null (the default) and "" mean the default
    /// namespace, as in every call. <see cref="ScrollOptions.AllNamespaces"/> lists all of them, namespace by namespace.
    /// A cursor carries its scope and is refused by a scroll of another scope.
    /// <para>Cost: a page seeks to its cursor in an id-ordered index (built on the first
    /// scroll of the collection's current state) and reads on until it has <see cref="ScrollOptions.Limit"/> records:
    /// O(limit log n) plus the records it passes over (deleted, expired, or failing the filter), so an export is linear in n.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The cursor is not one this method returned, or was returned by a scroll of
    /// another scope; or <see cref="ScrollOptions.AllNamespaces"/> is set together with a non-null <see cref="ScrollOptions.Namespace"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The limit is outside 1 to 10,000.</exception>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    public ScrollPage Scroll(ScrollOptions? options = null)
    {
        options ??= new ScrollOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Limit, 10_000);
        NamespaceScope scope = ScopeOf(options.Namespace, options.AllNamespaces, nameof(ScrollOptions));
        (string Namespace, RecordId Id)? after = options.Cursor is null ? null : DecodeCursor(options.Cursor, scope);
        if (options.StartAt is not null && (options.Cursor is not null || scope.IsAll))
        {
            throw new ArgumentException("ScrollOptions.StartAt starts a scroll of one namespace at an id; it cannot be combined with a Cursor or with AllNamespaces.", nameof(options));
        }
        RecordId? startAt = options.StartAt;

        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            List<int> rows;
            if (options.Filter is not null
                && state.Indexes.TryGetCandidates(options.Filter, snapshot.RowCount, out int[] candidates)
                && candidates.Length <= Math.Max(SelectiveScrollRows, snapshot.RowCount / 16))
            {
                // A selective filter the payload indexes answer: the few rows it leaves, sorted, beat walking every key
                // in id order past records that do not match (O(candidates log limit) a page).
                rows = ScrollCandidates(state, snapshot, now, scope, options, after, startAt, candidates);
            }
            else
            {
                rows = ScrollInIdOrder(state, snapshot, now, scope, options, after, startAt);
            }

            bool more = rows.Count > options.Limit;
            int count = Math.Min(rows.Count, options.Limit);
            var records = new List<Record>(count);
            for (int i = 0; i < count; i++)
            {
                records.Add(ToRecord(state, rows[i], options.IncludeVectors, options.IncludePayload));
            }
            string? next = more ? EncodeCursor(scope, records[^1].Namespace ?? "", records[^1].Id) : null;
            return new ScrollPage(records, next);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>A filter whose index candidates are at most this many (or a 16th of the rows) scrolls by candidates.</summary>
    private const int SelectiveScrollRows = 1024;

    /// <summary>
    /// The first <c>Limit + 1</c> visible rows after the cursor (or from <paramref name="startAt"/>) among
    /// <paramref name="candidates"/>, in scroll order (namespace name, ordinal; then id): the order
    /// <see cref="ScrollInIdOrder"/> gives, so a scroll may switch between the two from page to page.
    /// </summary>
    private static List<int> ScrollCandidates(CollectionState state, Snapshot snapshot, long now, NamespaceScope scope, ScrollOptions options,
        (string Namespace, RecordId Id)? after, RecordId? startAt, int[] candidates)
    {
        var rows = new List<int>();
        if (!scope.TryResolve(state.Namespaces, out int nsId))
        {
            return rows;
        }
        var test = new VisibleRowFilter(state, snapshot, now, nsId, options.Filter);
        var best = new PriorityQueue<int, (string, RecordId)>(options.Limit + 1, ScrollOrder.Descending);
        foreach (int row in candidates)
        {
            if (!test.Accept(row))
            {
                continue;
            }
            ref readonly RowMeta meta = ref state.Row(row);
            (string, RecordId) key = (state.Namespaces.NameOf(state.NamespaceOf(row)), meta.Id);
            if ((after is { } a && ScrollOrder.Ascending.Compare(key, a) <= 0) || (startAt is { } first && meta.Id.CompareTo(first) < 0))
            {
                continue;
            }
            if (best.Count <= options.Limit)
            {
                best.Enqueue(row, key);
            }
            else if (best.TryPeek(out _, out var largest) && ScrollOrder.Ascending.Compare(key, largest) < 0)
            {
                best.EnqueueDequeue(row, key);
            }
        }
        var ordered = new int[best.Count];
        for (int i = ordered.Length - 1; i >= 0; i--)
        {
            ordered[i] = best.Dequeue();
        }
        rows.AddRange(ordered);
        return rows;
    }

    /// <summary>
    /// The first <c>Limit + 1</c> visible, matching rows after the cursor in id order, from the ordered key index: a page
    /// seeks to its cursor and reads on, O(limit log n) plus the keys it passes over.
    /// </summary>
    private static List<int> ScrollInIdOrder(CollectionState state, Snapshot snapshot, long now, NamespaceScope scope, ScrollOptions options,
        (string Namespace, RecordId Id)? after, RecordId? startAt)
    {
        OrderedKeyIndex.Coverage keys = state.OrderedKeys.Cover(state, snapshot.RowCount);
        var rows = new List<int>(Math.Min(options.Limit + 1, 1024));
        foreach ((int namespaceId, RecordId? resumeAfter) in ScrollNamespaces(state.Namespaces, keys, scope, after))
        {
            // Seek to the cursor in id order and read on until the page is full (one more to know whether a next
            // page exists): O(limit log n) for a page, plus the keys passed over (deleted, expired, filtered out).
            var ids = startAt is { } first
                ? new IdRunMerge(keys.Runs(namespaceId), first, inclusive: true) // one namespace, no cursor: checked above
                : new IdRunMerge(keys.Runs(namespaceId), resumeAfter);
            while (rows.Count <= options.Limit && ids.TryNext(out RecordId id))
            {
                int row = state.FindVisibleRow(new RecordKey(namespaceId, id), snapshot, now);
                if (row >= 0 && (options.Filter is null || options.Filter.Matches(state.Row(row).Payload)))
                {
                    rows.Add(row);
                }
            }
            if (rows.Count > options.Limit)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>
    /// The namespaces a scroll page reads, in scroll order (one, or every one holding keys by ordinal name), each with the
    /// id to resume after: the cursor's id in the cursor's namespace, none (from the start) in the namespaces after it.
    /// </summary>
    private static IEnumerable<(int NamespaceId, RecordId? After)> ScrollNamespaces(NamespaceTable table, OrderedKeyIndex.Coverage keys, NamespaceScope scope, (string Namespace, RecordId Id)? after)
    {
        if (!scope.IsAll)
        {
            int id = table.Find(scope.Name);
            if (id >= 0)
            {
                yield return (id, after?.Id);
            }
            yield break;
        }
        foreach ((string name, int id) in keys.NamespacesFrom(after?.Namespace))
        {
            yield return (id, after is { } a && string.Equals(name, a.Namespace, StringComparison.Ordinal) ? a.Id : (RecordId?)null);
        }
    }

    /// <summary>The collection's counters: records per namespace, rows awaiting a checkpoint, bytes on disk, log state.</summary>
    public CollectionStats GetStats()
    {
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            // The snapshot first: every namespace its rows use is interned by then, so the table is at least that long.
            Snapshot snapshot = state.Published;
            var perNamespace = new long[state.Namespaces.Count];
            long total = 0;
            foreach (int row in MatchingRows(state, snapshot, DateTime.UtcNow.Ticks, NamespaceScope.All, null, CancellationToken.None))
            {
                perNamespace[state.NamespaceOf(row)]++;
                total++;
            }
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; i < perNamespace.Length; i++)
            {
                if (perNamespace[i] > 0)
                {
                    counts[state.Namespaces.NameOf(i)] = perNamespace[i];
                }
            }

            long bytesOnDisk = 0;
            foreach (string file in _inMemory ? [] : System.IO.Directory.EnumerateFiles(Directory))
            {
                try
                {
                    bytesOnDisk += new FileInfo(file).Length;
                }
                catch (FileNotFoundException)
                {
                    // removed by a checkpoint while we listed
                }
            }
            long walBytes;
            try
            {
                walBytes = _inMemory ? 0 : new FileInfo(Path.Combine(Directory, WalFileName)).Length;
            }
            catch (FileNotFoundException)
            {
                walBytes = 0;
            }

            return new CollectionStats
            {
                Name = Name,
                RecordCount = total,
                NamespaceCounts = counts,
                StoredRows = snapshot.RowCount,
                DeletedRows = snapshot.RowCount - total,
                BytesOnDisk = bytesOnDisk,
                WalBytes = walBytes,
                WalBatchesSinceCheckpoint = Interlocked.Read(ref _walBatches),
                Lsn = snapshot.Lsn,
                CheckpointGeneration = Interlocked.Read(ref _generation),
                Memory = state.MeasureMemory(snapshot),
                CheckpointsWritten = Interlocked.Read(ref _checkpointsWritten),
                LastCheckpoint = _lastCheckpoint,
                LastCheckpointError = _lastCheckpointError,
                CheckpointRunning = Volatile.Read(ref _autoCheckpointQueued) != 0,
                TornTailBytesDropped = _tornBytes,
                TornTailReason = _tornReason,
                PayloadIndexes = state.Indexes.Definitions.ToArray(),
                IndexingLag = state.IndexingLag,
                VectorIndexes = [.. state.Schema.Vectors.Select((v, o) => (state.Graph(o) is { } g
                    ? new VectorIndexStats(v.Name, true, g.Count, g.DeadCount + CountTombstones(state, g, snapshot), g.MemoryBytes, state.GraphOrigin(o)) { LastInsertThreads = g.LastInsertThreads }
                    : new VectorIndexStats(v.Name, false, 0, 0, 0, "none")) with
                {
                    Quantization = Quantization.QuantizationStats.Describe(v.Quantization, state.Codes(o), total),
                    CodeBytes = state.Codes(o)?.MemoryBytes ?? 0,
                    VectorsInRam = v.VectorsInRam || _inMemory,
                    VectorBytes = state.Arenas[o].MemoryBytes,
                    MappedVectorBytes = state.Arenas[o].MappedBytes,
                })],
                MultiVectorIndexes = [.. state.Multi.Select(m => TokenGraphStats(m, snapshot))],
                ValueGraphs = [.. state.ValueGraphFields.Select(f => ValueGraphStats(state, f, snapshot))],
            };
        }
        finally
        {
            lease.Release();
        }
    }

    private static ValueGraphStats ValueGraphStats(CollectionState state, Indexing.ValueGraphs.ValueGraphField field, Snapshot snapshot)
    {
        IReadOnlyDictionary<string, Indexing.HnswGraph> graphs = field.Graphs;
        return new ValueGraphStats(state.Schema.Vectors[field.Ordinal].Name, field.Field, graphs.Count, graphs.Values.Sum(g => (long)g.Count),
            graphs.Values.Sum(g => (long)g.DeadCount), field.MemoryBytes, field.Origin)
        {
            Rebuilding = field.Rebuilding,
            WaitingRows = Math.Max(0, snapshot.RowCount - field.WaitingFrom),
        };
    }

    private static VectorIndexStats TokenGraphStats(Indexing.MultiVector.MultiVectorIndex index, Snapshot snapshot)
    {
        Indexing.HnswGraph graph = index.Graph; // before IndexedRows, as a search reads them
        return new VectorIndexStats(index.Spec.Name, index.IndexedRows >= snapshot.RowCount, graph.Count, graph.DeadCount, graph.MemoryBytes, index.GraphOrigin);
    }

    /// <summary>Live graph nodes whose rows have since been deleted or replaced (they stay until a checkpoint).</summary>
    private static int CountTombstones(CollectionState state, Indexing.HnswGraph graph, Snapshot snapshot)
    {
        int tombstones = 0;
        int count = graph.Count;
        for (int node = 0; node < count; node++)
        {
            int row = graph.GetRow(node);
            if (row >= 0 && row < snapshot.RowCount && state.DeletedAt(row) <= snapshot.Lsn)
            {
                tombstones++;
            }
        }
        return tombstones;
    }

    /// <summary>
    /// The visible rows in a scope (one namespace, or all) matching a filter (null: all), in row order. Uses the payload
    /// indexes to narrow the rows when they can answer the filter, and checks every candidate in full.
    /// </summary>
    private static IEnumerable<int> MatchingRows(CollectionState state, Snapshot snapshot, long nowTicks, NamespaceScope scope, Filter? filter, CancellationToken cancellationToken)
    {
        if (!scope.TryResolve(state.Namespaces, out int nsId))
        {
            yield break;
        }
        var test = new VisibleRowFilter(state, snapshot, nowTicks, nsId, filter);
        if (filter is not null && state.Indexes.TryGetCandidates(filter, snapshot.RowCount, out int[] candidates))
        {
            foreach (int row in candidates)
            {
                if (test.Accept(row))
                {
                    yield return row;
                }
            }
            yield break;
        }
        for (int row = 0; row < snapshot.RowCount; row++)
        {
            if ((row & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (test.Accept(row))
            {
                yield return row;
            }
        }
    }

    private static Record ToRecord(CollectionState state, int row, bool includeVectors, bool includePayload)
    {
        ref readonly RowMeta meta = ref state.Row(row);
        var record = new Record(meta.Id)
        {
            Namespace = state.Namespaces.NameOf(state.NamespaceOf(row)),
            ExpiresAt = state.ExpiresAt(row),
            Payload = includePayload ? PayloadJson.ToObject(meta.Payload) : null,
        };
        if (includeVectors)
        {
            for (int i = 0; i < state.Arenas.Length; i++)
            {
                record.Vectors[state.Schema.Vectors[i].Name] = state.Arenas[i].Get(row).ToArray();
            }
            if (state.Arenas.Length == 1)
            {
                record.Vector = record.Vectors[state.Schema.Vectors[0].Name];
            }
            for (int i = 0; i < state.Sparse.Length; i++)
            {
                if (state.Sparse[i].Vector(row) is { } sparse)
                {
                    record.SparseVectors[state.Schema.SparseVectors[i].Name] = sparse; // immutable: shared, not copied
                }
            }
            for (int i = 0; i < state.Multi.Length; i++)
            {
                if (state.Multi[i].Tokens(row) is { } tokens)
                {
                    record.MultiVectors[state.Schema.MultiVectors[i].Name] = [.. tokens.Select(t => new ReadOnlyMemory<float>(t.ToArray()))];
                }
            }
        }
        return record;
    }

    /// <summary>A row's sparse vectors by space name, or null when it has none.</summary>
    private static Dictionary<string, SparseVector>? SparseVectorsOf(CollectionState state, int row)
    {
        Dictionary<string, SparseVector>? vectors = null;
        for (int i = 0; i < state.Sparse.Length; i++)
        {
            if (state.Sparse[i].Vector(row) is { } sparse)
            {
                (vectors ??= new(StringComparer.Ordinal))[state.Schema.SparseVectors[i].Name] = sparse;
            }
        }
        return vectors;
    }

    /// <summary>
    /// The scope tag a cursor starts with, so a cursor is refused by a scroll of another scope instead of silently
    /// resuming somewhere else (an all-namespaces cursor holds a position in every namespace's order).
    /// </summary>
    private const byte OneNamespaceCursor = 1, AllNamespacesCursor = 2;

    /// <summary>The scope a search or scroll asked for. Both a namespace and all namespaces is an error, raised before any work.</summary>
    private static NamespaceScope ScopeOf(string? @namespace, bool allNamespaces, string optionsType)
    {
        if (!allNamespaces)
        {
            return NamespaceScope.One(NormalizeNamespace(@namespace));
        }
        if (@namespace is not null)
        {
            throw new ArgumentException(
                $"{optionsType}.Namespace ('{@namespace}') and {optionsType}.AllNamespaces are both set, but one call covers one namespace or all of them: " +
                $"leave Namespace null to span every namespace, or AllNamespaces false to stay in '{@namespace}'.", "options");
        }
        return NamespaceScope.All;
    }

    private static string EncodeCursor(NamespaceScope scope, string @namespace, RecordId id)
    {
        var buffer = new BinaryBuffer(64);
        buffer.WriteByte(scope.IsAll ? AllNamespacesCursor : OneNamespaceCursor);
        StoredRecord.WriteKey(buffer, id, @namespace);
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>The longest cursor <see cref="EncodeCursor"/> can make: a 1,024-byte id and a 256-character namespace.</summary>
    private const int MaxCursorLength = 4096;

    /// <summary>The key a cursor resumes after.</summary>
    /// <exception cref="ArgumentException">The cursor is not one Scroll returned, or a scroll of another scope returned it.</exception>
    private static (string, RecordId) DecodeCursor(string cursor, NamespaceScope scope)
    {
        if (cursor.Length > MaxCursorLength)
        {
            throw new ArgumentException($"A scroll cursor of {cursor.Length} characters is not one Scroll returned (they have at most {MaxCursorLength}).", nameof(cursor));
        }
        byte tag;
        string ns;
        RecordId id;
        try
        {
            var reader = new BinaryCursor(Base64Url.DecodeFromChars(cursor));
            tag = reader.ReadByte();
            if (tag is not (OneNamespaceCursor or AllNamespacesCursor))
            {
                throw new FormatException($"unknown scope tag {tag}");
            }
            (id, ns) = StoredRecord.ReadKey(ref reader);
            if (reader.Remaining != 0)
            {
                throw new FormatException($"{reader.Remaining} bytes follow the key");
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidRecordException)
        {
            throw new ArgumentException($"'{cursor}' is not a scroll cursor returned by Scroll.", nameof(cursor), ex);
        }
        if (tag == AllNamespacesCursor && !scope.IsAll)
        {
            throw new ArgumentException($"The cursor continues a scroll of all namespaces; this scroll covers {scope}. Set ScrollOptions.AllNamespaces (and no Namespace) to continue it.", nameof(cursor));
        }
        if (tag == OneNamespaceCursor && (scope.IsAll || !string.Equals(ns, scope.Name, StringComparison.Ordinal)))
        {
            string from = ns.Length == 0 ? "the default namespace" : $"namespace '{ns}'";
            throw new ArgumentException($"The cursor continues a scroll of {from}; this scroll covers {scope}. Scroll the same namespace to continue it.", nameof(cursor));
        }
        return (ns, id);
    }
}
