using System.Diagnostics;
using System.Text.Json;
using VectLite.Filtering;
using VectLite.Indexing;
using VectLite.Indexing.MultiVector;
using VectLite.Indexing.Sparse;
using VectLite.Quantization;
using VectLite.Search;
using VectLite.Storage;
using VectLite.Text;
using VectLite.Vectors;

namespace VectLite.Records;

/// <summary>
/// The in-memory contents of one collection: per-row metadata, vector arenas, deletion marks, the key map and the
/// payload indexes. One writer applies logged operations; many readers read through a <see cref="Snapshot"/>.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Rows are append-only. An upsert, payload update or expiry change appends a new row and marks the key's
/// previous row deleted at the batch's LSN; a delete only marks. A row's data never changes after it is published.</item>
/// <item>A reader with snapshot (lsn, rowCount) sees row r iff r &lt; rowCount and DeletedAt[r] &gt; lsn (and it has not
/// expired). The writer's marks for a batch carry that batch's LSN, so a reader on an older snapshot keeps seeing the
/// rows the batch replaced until the new snapshot is published: every read sees one consistent state.</item>
/// <item>The key map points at a key's newest row; a reader whose snapshot predates it walks
/// <see cref="PreviousRow"/> back to the row it may see.</item>
/// <item>A checkpoint builds a fresh state from the live rows (renumbered, no tombstones) and swaps it in; the old one
/// is freed when its last reader releases it (reference counted, since the arenas hold native memory).</item>
/// </list>
/// </remarks>
internal sealed partial class CollectionState
{
    /// <summary>The deletion mark of a live row.</summary>
    public const long Live = long.MaxValue;

    private readonly ChunkedList<RowMeta> _rows = new();
    private readonly HnswGraph?[] _graphs;
    private readonly string[] _graphOrigins;
    private readonly HnswParameters _hnswParameters;
    /// <summary>Each row's deletion mark: the LSN of the batch that deleted or replaced it, or <see cref="Live"/> (the
    /// default, held by no chunk until a row in it is marked).</summary>
    private readonly SparseColumn<long> _deletedAt = new(Live);

    /// <summary>Each row's expiry in UTC ticks, 0 for never (the default, held by no chunk until a row in it expires).</summary>
    private readonly SparseColumn<long> _expiresAt = new(0);

    /// <summary>Each row's interned namespace (<see cref="NamespaceTable"/>); 0, the default namespace, is held by no chunk.</summary>
    private readonly SparseColumn<int> _namespaceOf = new(0);

    /// <summary>
    /// Each row's previous row and "shares vectors" flag (<see cref="EncodePrevious"/>): -1 (no previous row, the default,
    /// held by no chunk) for a key's first row, and for every row a load or a compaction writes.
    /// </summary>
    private readonly SparseColumn<int> _previous = new(NoPrevious);

    /// <summary>The <see cref="_previous"/> value of a row that replaced nothing.</summary>
    private const int NoPrevious = -1;

    /// <summary>Per named vector, its quantized codes, or null (no quantization, or not trained yet).</summary>
    private readonly QuantizedCodes?[] _codes;

    /// <summary>Per named vector, what its searches measured they cost (the planner prices its paths with it).</summary>
    private SearchCostModel[] _costModels;

    /// <summary>Per named vector, the codec a compaction carried over, used when the codes are first encoded here.</summary>
    private readonly VectorCodec?[] _carriedCodecs;

    /// <summary>Per named vector, each row's graph node + 1 (0: none), for re-pointing a node at a payload update's row.</summary>
    private readonly ChunkedList<int>[] _nodeOfRow;
    private PayloadIndexSet _indexes;

    /// <summary>The text indexes, replaced whole (copy on write) when one is created or dropped.</summary>
    private TextIndex[] _textIndexes = [];

    /// <summary>
    /// Per namespace id, its rows (every version, live or not) in ascending order; replaced when a namespace is added.
    /// The default namespace's list stays empty while it is the only namespace (<see cref="_defaultRowsListed"/> false):
    /// it would hold every row, 4 bytes each, and nothing reads it then (see <see cref="NamespaceRows"/>).
    /// </summary>
    private PostingList[] _namespaceRows = [new PostingList()];

    /// <summary>Whether the default namespace's rows are listed in <see cref="_namespaceRows"/>: from the moment a second namespace is interned.</summary>
    private bool _defaultRowsListed;
    private CollectionSchema _schema;
    private Snapshot _published;
    private int _refCount = 1;
    private int _rowCount;
    private int _indexedUpTo;
    private bool _anyExpiring;

    public CollectionState(CollectionSchema schema, IReadOnlyList<(string Field, PayloadIndexKind Kind)> indexDefinitions, long lsn,
        IReadOnlyList<TextIndexDefinition>? textIndexes = null)
    {
        _textIndexes = textIndexes is null ? [] : [.. textIndexes.Select(d => new TextIndex(d, "built"))];
        _keys = new RowKeyTable(_rows, _namespaceOf);
        _schema = schema;
        Arenas = new VectorArena[schema.Vectors.Count];
        _vectorSegments = new Storage.VectorSegment[Arenas.Length][];
        Array.Fill(_vectorSegments, []);
        for (int i = 0; i < Arenas.Length; i++)
        {
            VectorSpec spec = schema.Vectors[i];
            // On disk, small chunks: the RAM tail (rows since the last checkpoint, and the chunk the file ends in) stays small.
            Arenas[i] = spec.VectorsInRam ? new VectorArena(spec.Dimension) : new VectorArena(spec.Dimension, VectorArena.DiskRowsPerChunk(spec.Dimension));
        }
        _indexes = new PayloadIndexSet();
        foreach ((string field, PayloadIndexKind kind) in indexDefinitions)
        {
            _indexes.Define(field, kind);
        }
        _published = new Snapshot(lsn, 0, false);
        _graphs = new HnswGraph?[Arenas.Length];
        _nodeOfRow = new ChunkedList<int>[Arenas.Length];
        for (int i = 0; i < _nodeOfRow.Length; i++)
        {
            _nodeOfRow[i] = new ChunkedList<int>();
        }
        _graphOrigins = new string[Arenas.Length];
        Array.Fill(_graphOrigins, "none");
        Sparse = new SparseVectorIndex[schema.SparseVectors.Count];
        for (int i = 0; i < Sparse.Length; i++)
        {
            Sparse[i] = new SparseVectorIndex(schema.SparseVectors[i]);
        }
        _codes = new QuantizedCodes?[Arenas.Length];
        _costModels = new SearchCostModel[Arenas.Length];
        for (int i = 0; i < _costModels.Length; i++)
        {
            _costModels[i] = new SearchCostModel();
        }
        _carriedCodecs = new VectorCodec?[Arenas.Length];
        HnswOptions h = schema.Hnsw;
        _hnswParameters = new HnswParameters(h.M, h.EfConstruction, h.EfSearch);
        Multi = new MultiVectorIndex[schema.MultiVectors.Count];
        for (int i = 0; i < Multi.Length; i++)
        {
            Multi[i] = new MultiVectorIndex(schema.MultiVectors[i], _hnswParameters);
        }
    }

    /// <summary>
    /// Whether <see cref="Publish"/> brings the HNSW graphs up to date. Off while a checkpoint is loaded and the log
    /// replayed, and during a bulk load, so the graphs are built or extended once, in parallel, at the end
    /// (<see cref="IndexPendingRows"/>).
    /// </summary>
    public bool IndexingEnabled { get; set; } = true;

    /// <summary>The HNSW graph of a named vector, or null while the collection is below
    /// <see cref="HnswOptions.MinIndexedVectors"/> (searches then scan).</summary>
    public HnswGraph? Graph(int ordinal) => Volatile.Read(ref _graphs[ordinal]);

    /// <summary>What the searches of a named vector measured they cost (<see cref="SearchCostModel"/>); one per vector for the collection's life.</summary>
    public SearchCostModel CostModel(int ordinal) => _costModels[ordinal];

    /// <summary>
    /// Takes over <paramref name="old"/>'s cost models (a compacted successor of the same schema): the costs are the
    /// collection's, not one state's, and a checkpoint must not send the planner back to its defaults.
    /// </summary>
    public void CarryCostModelsFrom(CollectionState old) => _costModels = old._costModels;

    /// <summary>The quantized codes of a named vector, or null when it is not quantized or not trained yet (searches then walk on float32).</summary>
    public QuantizedCodes? Codes(int ordinal) => Volatile.Read(ref _codes[ordinal]);

    /// <summary>Whether any named vector's codes have drifted from their training (a checkpoint then retrains them).</summary>
    public bool CodesDrifted
    {
        get
        {
            foreach (QuantizedCodes? codes in _codes)
            {
                if (codes is { Drifted: true })
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Installs codes loaded from a checkpoint (covering every loaded row). Writer only, before publishing.</summary>
    public void SetCodes(int ordinal, QuantizedCodes codes) => Volatile.Write(ref _codes[ordinal], codes);

    /// <summary>
    /// Carries the codecs of <paramref name="old"/> over to this compacted successor, except those that drifted, which
    /// are retrained from this state's rows when it indexes. Writer only, before this state is published.
    /// </summary>
    public void CarryCodecsFrom(CollectionState old)
    {
        for (int o = 0; o < _codes.Length; o++)
        {
            if (old.Codes(o) is { Drifted: false } codes)
            {
                _carriedCodecs[o] = codes.Codec;
            }
        }
    }

    /// <summary>How the graph of a named vector came to be: none, built, loaded or remapped.</summary>
    public string GraphOrigin(int ordinal) => Volatile.Read(ref _graphOrigins[ordinal]);

    /// <summary>The HNSW parameters the graphs are built with.</summary>
    public HnswParameters HnswParameters => _hnswParameters;

    /// <summary>
    /// The schema. The writer may replace it (<see cref="Collection.UpdateOptions"/>) with one that differs only in
    /// runtime HNSW settings; the structure (vectors, M, ef_construction) that the arenas and graphs were built for never
    /// changes. Readers see the old or the new schema whole.
    /// </summary>
    public CollectionSchema Schema
    {
        get => Volatile.Read(ref _schema);
        set
        {
            Debug.Assert(SchemaDifferences.Structural(_schema, value).Count == 0, "only runtime settings may change on a live collection");
            Volatile.Write(ref _schema, value);
        }
    }

    /// <summary>One arena per named vector, by schema ordinal.</summary>
    public VectorArena[] Arenas { get; }

    /// <summary>
    /// The grace periods of vector memory a checkpoint swapped out of a live arena (RAM rows moved to a mapped file, an
    /// older file's mapping): a reader enters an epoch for as long as it reads vectors (the engine's read lease), and
    /// what was retired is freed once every reader that could have seen it has left.
    /// </summary>
    public ReaderEpochs Epochs { get; } = new();

    /// <summary>
    /// After a checkpoint committed a new generation, marks the files this (replaced) state's arenas still map as
    /// obsolete: each is deleted when its mapping closes, once the last reader of this state lets go.
    /// </summary>
    public void MarkVectorFilesObsolete()
    {
        foreach (VectorArena arena in Arenas)
        {
            arena.MarkMappingObsolete();
        }
    }

    /// <summary>
    /// Moves the rows of named vector <paramref name="ordinal"/> that <paramref name="file"/> holds (the checkpoint just
    /// written from this state) out of RAM: the arena reads them from the mapping from now on, and the RAM (and the
    /// previous mapping) is freed once the readers that may still use it are gone; an obsolete mapped file is deleted
    /// then. Writer only (under the writer lock).
    /// </summary>
    public void AttachVectorFile(int ordinal, MappedVectorFile file) => AttachVectorFiles(ordinal, [file]);

    /// <summary>
    /// As <see cref="AttachVectorFile"/>, for the files that together hold the vector's first rows (a checkpoint's
    /// segments, in row order).
    /// </summary>
    public void AttachVectorFiles(int ordinal, IReadOnlyList<MappedVectorFile> files)
    {
        if (Arenas[ordinal].AttachFiles(files) is { } retired)
        {
            Epochs.Retire(retired);
        }
    }

    /// <summary>
    /// Per named vector, the checkpoint files that hold this state's first rows bit for bit (the segments of the
    /// checkpoint it was loaded from or last wrote), so the next checkpoint writes only the rows after them. Empty for a
    /// new or compacted state (its rows are numbered anew: the next checkpoint writes them all). Writer only.
    /// </summary>
    public Storage.VectorSegment[] VectorSegments(int ordinal) => _vectorSegments[ordinal];

    /// <summary>Records the checkpoint files that hold vector <paramref name="ordinal"/>'s first rows (see <see cref="VectorSegments"/>). Writer only.</summary>
    public void SetVectorSegments(int ordinal, Storage.VectorSegment[] segments) => _vectorSegments[ordinal] = segments;

    private readonly Storage.VectorSegment[][] _vectorSegments;

    /// <summary>One store and inverted index per sparse vector space, by schema ordinal.</summary>
    public SparseVectorIndex[] Sparse { get; }

    /// <summary>One token store and token graph per multi-vector space, by schema ordinal.</summary>
    public MultiVectorIndex[] Multi { get; }

    /// <summary>Each key's newest row (deleted or not): what <see cref="FindVisibleRow"/> and <see cref="FindLiveRow"/> start from.</summary>
    private readonly RowKeyTable _keys;

    public NamespaceTable Namespaces { get; } = new();

    /// <summary>The keys in id order per namespace, for scrolling; built by readers on first use (see <see cref="OrderedKeyIndex"/>).</summary>
    public OrderedKeyIndex OrderedKeys { get; } = new();

    public PayloadIndexSet Indexes => Volatile.Read(ref _indexes);

    /// <summary>
    /// The row sets of namespaces that searches repeat, keyed by the namespace's row list (<see cref="NamespaceRows"/>, one
    /// object per namespace for the life of this state): a row's namespace never changes and rows are only added, so a set
    /// built for a row limit stays right; a compaction renumbers the rows into a new state, with a new cache.
    /// </summary>
    public RowSetCache NamespaceSets { get; } = new();

    /// <summary>The text indexes (see <see cref="TextIndex"/>), in creation order.</summary>
    public TextIndex[] TextIndexes => Volatile.Read(ref _textIndexes);

    /// <summary>The text index named <paramref name="name"/>, or null.</summary>
    public TextIndex? FindTextIndex(string name) => Array.Find(TextIndexes, t => string.Equals(t.Definition.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Empties the text index set before a checkpoint's rows are loaded, so loading them analyzes nothing; the loader
    /// then installs the indexes read from their files (<see cref="SetTextIndexes"/>). Writer only, before publishing.
    /// </summary>
    public TextIndexDefinition[] SuspendTextIndexes()
    {
        TextIndexDefinition[] definitions = [.. _textIndexes.Select(t => t.Definition)];
        _textIndexes = [];
        return definitions;
    }

    /// <summary>Installs text indexes that cover every row written so far (loaded from files). Writer only.</summary>
    public void SetTextIndexes(TextIndex[] indexes) => Volatile.Write(ref _textIndexes, indexes);

    public Snapshot Published => Volatile.Read(ref _published);

    /// <summary>
    /// The rows ever written in namespace <paramref name="namespaceId"/>, ascending, live or not (readers check
    /// visibility): what a search scoped to a small tenant turns into a row set instead of testing every row.
    /// </summary>
    /// <remarks>
    /// Only while <see cref="Namespaces"/> holds more than one namespace: before that every row is in the default one,
    /// whose list is not kept (a reader that read a count of 1 needs no list; one that read more reads the list, which
    /// was filled before the second name was published).
    /// </remarks>
    public PostingList NamespaceRows(int namespaceId)
    {
        PostingList[] lists = Volatile.Read(ref _namespaceRows);
        return (uint)namespaceId < (uint)lists.Length ? lists[namespaceId] : EmptyRows;
    }

    private static readonly PostingList EmptyRows = new();

    /// <summary>Rows written so far, published or not (writer side).</summary>
    public int RowCount => _rowCount;

    /// <summary>Whether any row was written with an expiry time (writer side; only a checkpoint resets it).</summary>
    public bool AnyExpiring => _anyExpiring;

    /// <summary>Rows not marked deleted (writer side; expired rows still count until a checkpoint removes them).</summary>
    public int LiveRows { get; private set; }

    // ---- reader side ----

    public ref readonly RowMeta Row(int row) => ref _rows[row];

    /// <summary>The interned namespace of <paramref name="row"/> (<see cref="Namespaces"/>; 0 is the default namespace).</summary>
    public int NamespaceOf(int row) => _namespaceOf[row];

    /// <summary>
    /// The row this row's key had before it was written (deleted or replaced), or -1. Readers on an older snapshot walk
    /// this chain back to the version they can see.
    /// </summary>
    public int PreviousRow(int row)
    {
        int value = _previous[row];
        return value >= NoPrevious ? value : -value - 2;
    }

    /// <summary>
    /// True when <paramref name="row"/> was written by a payload or expiry update: its vectors are
    /// <see cref="PreviousRow"/>'s, and the graph node of that row was pointed at this one instead of a node being added.
    /// </summary>
    public bool SharesVectorsWithPrevious(int row) => _previous[row] < NoPrevious;

    /// <summary>
    /// Packs a previous row and the "shares vectors" flag into one int: the row (or -1 for none) when the row has its own
    /// vectors, <c>-(previous + 2)</c> (at most -2) when it shares <paramref name="previous"/>'s, which it then always has.
    /// </summary>
    private static int EncodePrevious(int previous, bool sharesVectors)
    {
        Debug.Assert(!sharesVectors || previous >= 0, "a row that shares vectors shares them with a previous row");
        return sharesVectors ? -previous - 2 : previous;
    }

    public long DeletedAt(int row) => _deletedAt[row];

    /// <summary>UTC ticks after which <paramref name="row"/> is invisible; 0 for never.</summary>
    public long ExpiresAtTicks(int row) => _expiresAt[row];

    /// <summary>When <paramref name="row"/> expires, or null for never.</summary>
    public DateTimeOffset? ExpiresAt(int row) => _expiresAt[row] is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Whether <paramref name="row"/> (below the snapshot's row count) is visible in <paramref name="snapshot"/> at time <paramref name="nowTicks"/>.</summary>
    public bool IsVisible(int row, Snapshot snapshot, long nowTicks)
    {
        if (snapshot.AnyDeleted && _deletedAt[row] <= snapshot.Lsn)
        {
            return false;
        }
        if (!snapshot.AnyExpiring)
        {
            return true;
        }
        long expires = _expiresAt[row];
        return expires == 0 || expires > nowTicks;
    }

    /// <summary>
    /// The version of <paramref name="row"/>'s record that <paramref name="snapshot"/> sees through the same graph node:
    /// the row itself when the snapshot covers it, else the row it re-pointed the node from (a payload or expiry
    /// update newer than the snapshot keeps the node and the vectors), or -1 when the row is a newer record or vector.
    /// </summary>
    public int VersionIn(int row, Snapshot snapshot)
    {
        while ((uint)row >= (uint)snapshot.RowCount)
        {
            if (row < 0)
            {
                return -1;
            }
            if (!SharesVectorsWithPrevious(row))
            {
                return -1;
            }
            row = PreviousRow(row);
        }
        return row;
    }

    /// <summary>The row holding <paramref name="key"/> in <paramref name="snapshot"/>, or -1 if the key is absent, deleted or expired there.</summary>
    public int FindVisibleRow(RecordKey key, Snapshot snapshot, long nowTicks)
    {
        int row = _keys.Find(key);
        if (row < 0)
        {
            return -1;
        }
        while (row >= snapshot.RowCount)
        {
            row = PreviousRow(row);
            if (row < 0)
            {
                return -1;
            }
        }
        return IsVisible(row, snapshot, nowTicks) ? row : -1;
    }

    /// <summary>Memory held by component (reader side: reads what the writer published, never blocks it).</summary>
    public MemoryStats MeasureMemory(Snapshot snapshot)
    {
        long vectors = 0, graphs = 0;
        long codes = 0, mapped = 0;
        for (int o = 0; o < Arenas.Length; o++)
        {
            vectors += Arenas[o].MemoryBytes;
            mapped += Arenas[o].MappedBytes;
            graphs += Graph(o)?.MemoryBytes ?? 0;
            codes += Codes(o)?.MemoryBytes ?? 0;
        }
        graphs += ValueGraphMemoryBytes;
        long payloads = 0;
        for (int row = 0; row < snapshot.RowCount; row++)
        {
            JsonElement payload = _rows[row].Payload;
            if (payload.ValueKind != JsonValueKind.Undefined)
            {
                payloads += System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(payload).Length;
            }
        }
        long rows = ((long)_rows.Capacity * System.Runtime.CompilerServices.Unsafe.SizeOf<RowMeta>())
            + _deletedAt.MemoryBytes + _expiresAt.MemoryBytes + _namespaceOf.MemoryBytes + _previous.MemoryBytes
            + _keys.MemoryBytes + OrderedKeys.MemoryBytes;
        foreach (ChunkedList<int> nodeOfRow in _nodeOfRow)
        {
            rows += (long)nodeOfRow.Capacity * sizeof(int);
        }
        foreach (PostingList namespaceRows in Volatile.Read(ref _namespaceRows))
        {
            rows += namespaceRows.MemoryBytes;
        }
        long sparse = 0;
        foreach (SparseVectorIndex index in Sparse)
        {
            sparse += index.MemoryBytes;
        }
        foreach (MultiVectorIndex index in Multi)
        {
            sparse += index.MemoryBytes;
        }
        return new MemoryStats(vectors, graphs, payloads, rows, Indexes.MemoryBytes + sparse) { Codes = codes, VectorsMapped = mapped };
    }

    /// <summary>Takes a reference for a reader; false if the state was already retired and freed (take the new one).</summary>
    public bool TryAcquire()
    {
        int count = Volatile.Read(ref _refCount);
        while (count > 0)
        {
            int seen = Interlocked.CompareExchange(ref _refCount, count + 1, count);
            if (seen == count)
            {
                return true;
            }
            count = seen;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one frees the arenas' native memory.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            Epochs.FreeAll(); // no reader is left: what waited for one goes too
            foreach (VectorArena arena in Arenas)
            {
                arena.Dispose();
            }
            foreach (MultiVectorIndex index in Multi)
            {
                index.Dispose();
            }
        }
    }

    // ---- writer side ----

    /// <summary>The row currently holding <paramref name="key"/> and not deleted (expired rows count: expiry is a read-time rule), or -1.</summary>
    public int FindLiveRow(RecordKey key) => _keys.Find(key) is var row and >= 0 && _deletedAt[row] == Live ? row : -1;

    /// <summary>Applies one logged operation as part of batch <paramref name="lsn"/>. Operations were validated before they were logged.</summary>
    public void Apply(WalOperation op, long lsn)
    {
        switch (op.Type)
        {
            case WalOperationType.Upsert:
            {
                StoredRecord record = op.Record!;
                var key = new RecordKey(InternNamespace(record.Namespace), record.Id);
                int previous = _keys.Find(key);
                int row = AppendRow(key, previous, record.ExpiresAtTicks, record.Payload, record.Vectors, -1, record.Sparse, record.Multi);
                Replace(key, previous, row, lsn);
                break;
            }
            case WalOperationType.Delete:
            {
                int row = FindLiveRow(new RecordKey(InternNamespace(op.Namespace), op.Id));
                if (row >= 0)
                {
                    MarkDeleted(row, lsn);
                }
                break;
            }
            case WalOperationType.SetPayload:
            case WalOperationType.SetExpiry:
            {
                var key = new RecordKey(InternNamespace(op.Namespace), op.Id);
                int previous = FindLiveRow(key);
                if (previous < 0)
                {
                    break; // the writer logs these only for live keys; nothing to do if replay disagrees
                }
                ref readonly RowMeta old = ref _rows[previous];
                bool isPayload = op.Type == WalOperationType.SetPayload;
                int row = AppendRow(key, previous,
                    isPayload ? _expiresAt[previous] : op.ExpiresAtTicks,
                    isPayload ? op.Payload?.Element ?? default : old.Payload,
                    vectors: null, copyVectorsFrom: previous);
                RepointNodes(previous, row);
                Replace(key, previous, row, lsn);
                break;
            }
            case WalOperationType.CreatePayloadIndex:
            case WalOperationType.DropPayloadIndex:
                RebuildIndexes(op);
                break;
            case WalOperationType.CreateTextIndex:
                CreateTextIndex(op.TextIndex!);
                break;
            case WalOperationType.DropTextIndex:
                Volatile.Write(ref _textIndexes, Array.FindAll(_textIndexes, t => !string.Equals(t.Definition.Name, op.Field, StringComparison.Ordinal)));
                break;
            default:
                throw new InvalidOperationException($"Unknown WAL operation {op.Type}.");
        }
    }

    /// <summary>
    /// Makes everything applied so far visible to readers as batch <paramref name="lsn"/>. With immediate indexing the
    /// graphs are brought up to date first; with deferred indexing (<see cref="IsDeferred"/>) the background indexer
    /// does it later, and the snapshot says which rows it has reached (<see cref="Snapshot.IndexedRows"/>).
    /// </summary>
    public void Publish(long lsn)
    {
        bool deferred = IsDeferred;
        if (IndexingEnabled)
        {
            if (!deferred)
            {
                IndexPendingRows();
            }
            IndexPendingTokens(); // token graphs are brought up to date at publish in either mode
        }
        // A compare-and-swap, not a plain write: the indexer raises IndexedRows of the published snapshot from its own
        // thread, and a plain write here could put back a lower value it had already replaced.
        while (true)
        {
            Snapshot old = Volatile.Read(ref _published);
            int indexed = deferred ? Volatile.Read(ref _indexedUpTo) : _rowCount;
            var snapshot = new Snapshot(lsn, _rowCount, _anyExpiring, LiveRows != _rowCount) { IndexedRows = Math.Min(indexed, _rowCount) };
            if (Interlocked.CompareExchange(ref _published, snapshot, old) == old)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Brings every multi-vector space's token graph up to date with the rows written since the last call (in parallel
    /// for a large batch). Writer only, before the rows are published.
    /// </summary>
    public void IndexPendingTokens()
    {
        HnswOptions options = Schema.Hnsw;
        int threads = options.MaxInsertThreads > 0 ? options.MaxInsertThreads : Environment.ProcessorCount;
        foreach (MultiVectorIndex index in Multi)
        {
            index.IndexPending(_rowCount, threads, options.ParallelInsertThreshold);
        }
    }

    /// <summary>
    /// Brings every graph up to date with the rows written since the last call: inserts the new live rows (in
    /// parallel for a large batch), or, once the collection reaches <see cref="HnswOptions.MinIndexedVectors"/>,
    /// builds a graph that does not exist yet from all live rows. Writer only, before the rows are published.
    /// </summary>
    public void IndexPendingRows()
    {
        lock (_indexLock) // a background indexer of a collection just switched from deferred may be finishing a pass
        {
            IndexRows(_rowCount, deadAtOrBefore: Live - 1);
        }
    }

    /// <summary>
    /// Brings every graph up to row <paramref name="upTo"/>: inserts the rows from <see cref="_indexedUpTo"/> on that
    /// are live (deletion mark above <paramref name="deadAtOrBefore"/>) and not held yet, or builds a missing graph from
    /// all such rows below <paramref name="upTo"/>; then moves <see cref="_indexedUpTo"/> there. Called with
    /// <see cref="_indexLock"/> held, by the writer (immediate) or the background indexer (deferred).
    /// </summary>
    private void IndexRows(int upTo, long deadAtOrBefore)
    {
        if (Arenas.Length == 0)
        {
            Volatile.Write(ref _indexedUpTo, upTo);
            return;
        }
        EncodePendingCodes(upTo); // before the graphs: a search that reaches a new node finds its code
        HnswOptions options = Schema.Hnsw;
        int threads = options.MaxInsertThreads > 0 ? options.MaxInsertThreads : Environment.ProcessorCount;
        for (int o = 0; o < Arenas.Length; o++)
        {
            HnswGraph? graph = _graphs[o];
            int from = _indexedUpTo;
            if (graph is not null && from >= upTo)
            {
                continue;
            }
            if (graph is null)
            {
                if (LiveRows < options.MinIndexedVectors)
                {
                    continue;
                }
                graph = new HnswGraph(Arenas[o], Schema.Vectors[o].Metric, _hnswParameters);
                from = 0;
                Volatile.Write(ref _graphOrigins[o], "built");
            }
            // BuildOnCodes: link on the decoded codes (GraphBuildVectors says why); without codes yet, on float32.
            graph.BuildVectors = options.BuildOnCodes ? DecodedCodeVectors.For(_codes[o]) : null;
            int[] rows = LiveRowsBetween(from, upTo, o, graph, deadAtOrBefore);
            int nodesBefore = graph.Count;
            if (rows.Length >= options.ParallelInsertThreshold)
            {
                graph.AddMany(rows, threads);
            }
            else
            {
                foreach (int row in rows)
                {
                    graph.Add(row);
                }
            }
            RecordNodes(o, graph, nodesBefore);
            Volatile.Write(ref _graphs[o], graph); // a new graph becomes visible complete
        }
        Volatile.Write(ref _indexedUpTo, upTo); // after the inserts: a reader that sees the mark finds the rows in the graphs
    }

    /// <summary>
    /// Brings each quantized vector's codes up to the rows written: encodes the new rows with the trained codec, or
    /// trains the codec first once <see cref="QuantizationOptions.MinTrainingVectors"/> live vectors exist (with a codec
    /// a compaction carried over, no training is needed). Deleted rows are encoded too: the graph may still hold them.
    /// </summary>
    private void EncodePendingCodes(int upTo)
    {
        for (int o = 0; o < Arenas.Length; o++)
        {
            QuantizationOptions quantization = Schema.Vectors[o].Quantization;
            if (quantization.Kind == QuantizationKind.None)
            {
                continue;
            }
            QuantizedCodes? codes = _codes[o];
            if (codes is null)
            {
                VectorCodec? codec = _carriedCodecs[o];
                string origin = "carried";
                if (codec is null)
                {
                    if (LiveRows < QuantizationOptions.MinTrainingVectors && quantization.Kind != QuantizationKind.Float16)
                    {
                        continue; // searches walk on float32 until then; stats say so (float16 needs no training)
                    }
                    codec = VectorCodec.Train(quantization, Schema.Vectors[o].Metric, Arenas[o], TrainingSample(upTo));
                    origin = _retrainedHere ? "retrained" : "trained";
                    TrainingsForTests++;
                }
                codes = new QuantizedCodes(codec, origin);
                codes.EncodeUpTo(Arenas[o], upTo, countDrift: origin == "carried");
                Volatile.Write(ref _codes[o], codes);
                continue;
            }
            codes.EncodeUpTo(Arenas[o], upTo, countDrift: true);
        }
    }

    /// <summary>How many codecs this state trained: tests prove that a reopen loads codes instead of training them.</summary>
    internal int TrainingsForTests { get; private set; }

    /// <summary>True for a state compacted from one whose codes drifted: its training is a retraining.</summary>
    private bool _retrainedHere;

    /// <summary>Marks this compacted successor's trainings as retrainings (stats: "retrained").</summary>
    public void MarkRetraining() => _retrainedHere = true;

    /// <summary>Up to <see cref="QuantizationOptions.MaxTrainingSample"/> live rows, evenly spread over the rows below <paramref name="upTo"/>.</summary>
    private List<int> TrainingSample(int upTo)
    {
        var live = new List<int>(Math.Min(LiveRows, QuantizationOptions.MaxTrainingSample));
        double stride = Math.Max(1.0, LiveRows / (double)QuantizationOptions.MaxTrainingSample);
        double next = 0;
        int seen = 0;
        for (int row = 0; row < upTo && live.Count < QuantizationOptions.MaxTrainingSample; row++)
        {
            if (_deletedAt[row] != Live)
            {
                continue;
            }
            if (seen++ >= next)
            {
                live.Add(row);
                next += stride;
            }
        }
        return live;
    }

    /// <summary>
    /// Installs a graph loaded from a checkpoint or remapped from the previous state, for a state whose rows below
    /// <paramref name="indexedRows"/> are all live. The graph may hold only a prefix of them (a checkpoint taken while
    /// the deferred indexer was behind): indexing resumes at the first row it does not hold, so the rows missing from
    /// the graph are queued again (the smallest such row over every graph installed).
    /// </summary>
    public void SetGraph(int ordinal, HnswGraph graph, int indexedRows, string origin)
    {
        RecordNodes(ordinal, graph, 0);
        int covered = 0;
        while (covered < indexedRows && HoldsRow(ordinal, graph, covered))
        {
            covered++;
        }
        Volatile.Write(ref _graphOrigins[ordinal], origin);
        Volatile.Write(ref _graphs[ordinal], graph);
        _indexedUpTo = _anyGraphSet ? Math.Min(_indexedUpTo, covered) : covered;
        _anyGraphSet = true;
    }

    /// <summary>Whether <see cref="SetGraph"/> has installed a graph yet (its first call sets the mark, later ones lower it).</summary>
    private bool _anyGraphSet;

    /// <summary>Forgets every graph: the next <see cref="IndexPendingRows"/> rebuilds them from the live rows.</summary>
    public void DropGraphs()
    {
        for (int o = 0; o < _graphs.Length; o++)
        {
            Volatile.Write(ref _graphs[o], null);
            Volatile.Write(ref _graphOrigins[o], "none");
        }
        Volatile.Write(ref _indexedUpTo, 0);
        _anyGraphSet = false;
        foreach (MultiVectorIndex index in Multi)
        {
            index.ResetGraph();
        }
    }

    /// <summary>
    /// The rows in [from, to) not deleted at or before <paramref name="deadAtOrBefore"/> that <paramref name="graph"/>
    /// does not hold yet (a re-pointed node holds its row).
    /// </summary>
    private int[] LiveRowsBetween(int from, int to, int ordinal, HnswGraph graph, long deadAtOrBefore)
    {
        var rows = new List<int>(Math.Max(0, to - from));
        for (int row = from; row < to; row++)
        {
            if (_deletedAt[row] > deadAtOrBefore && !HoldsRow(ordinal, graph, row))
            {
                rows.Add(row);
            }
        }
        return [.. rows];
    }

    /// <summary>Whether <paramref name="graph"/> has a node for <paramref name="row"/> (checked on the node, so a stale entry left by a dropped graph never counts).</summary>
    private bool HoldsRow(int ordinal, HnswGraph graph, int row)
    {
        int node = _nodeOfRow[ordinal][row] - 1;
        return node >= 0 && node < graph.Count && graph.GetRow(node) == row;
    }

    /// <summary>Notes the row of each node from <paramref name="fromNode"/> on, so a payload update can find its node.</summary>
    private void RecordNodes(int ordinal, HnswGraph graph, int fromNode)
    {
        ChunkedList<int> nodeOfRow = _nodeOfRow[ordinal];
        int count = graph.Count;
        for (int node = fromNode; node < count; node++)
        {
            int row = graph.GetRow(node);
            if (row >= 0 && row < nodeOfRow.Capacity)
            {
                nodeOfRow[row] = node + 1;
            }
        }
    }

    /// <summary>
    /// A payload or expiry update wrote <paramref name="row"/> with <paramref name="previous"/>'s vectors: points each
    /// graph's node of <paramref name="previous"/> at it, so the graph does not grow a node per update.
    /// </summary>
    private void RepointNodes(int previous, int row)
    {
        for (int o = 0; o < _graphs.Length; o++)
        {
            if (_graphs[o] is { } graph && HoldsRow(o, graph, previous))
            {
                int node = _nodeOfRow[o][previous] - 1;
                graph.Repoint(node, row);
                _nodeOfRow[o][row] = node + 1;
            }
        }
    }

    /// <summary>Copies a live row of another state into this one (used by checkpoints to build the compacted state).</summary>
    public int CopyRowFrom(CollectionState source, int sourceRow)
    {
        ref readonly RowMeta meta = ref source._rows[sourceRow];
        var key = new RecordKey(InternNamespace(source.Namespaces.NameOf(source.NamespaceOf(sourceRow))), meta.Id);
        int row = _rowCount;
        EnsureCapacity(row + 1);
        for (int i = 0; i < Arenas.Length; i++)
        {
            // A row the arena maps is in place already: a compaction wrote it to its scratch file (and it is read-only).
            if (!Arenas[i].IsMappedRow(row))
            {
                Arenas[i].Write(row, source.Arenas[i].Get(sourceRow));
            }
        }
        for (int i = 0; i < Sparse.Length; i++)
        {
            Sparse[i].Add(row, source.Sparse[i].Vector(sourceRow));
        }
        for (int i = 0; i < Multi.Length; i++)
        {
            Multi[i].Add(row, source.Multi[i].Tokens(sourceRow));
        }
        FinishRow(row, key, -1, source.ExpiresAtTicks(sourceRow), meta.Payload);
        _keys.Set(key, row);
        return row;
    }

    /// <summary>Adds a row read from a checkpoint file: vectors are filled in by the loader with <see cref="VectorArena.Write"/>.</summary>
    public void AppendLoadedRow(RecordId id, string @namespace, long expiresAtTicks, byte[]? payload, SparseVector?[] sparse, float[][]?[] multi)
    {
        var key = new RecordKey(InternNamespace(@namespace), id);
        int row = _rowCount;
        EnsureCapacity(row + 1);
        for (int i = 0; i < Sparse.Length; i++)
        {
            Sparse[i].Add(row, i < sparse.Length ? sparse[i] : null);
        }
        for (int i = 0; i < Multi.Length; i++)
        {
            Multi[i].Add(row, i < multi.Length ? multi[i] : null);
        }
        FinishRow(row, key, -1, expiresAtTicks, ParsePayload(payload));
        _keys.Set(key, row);
    }

    private int AppendRow(RecordKey key, int previous, long expiresAtTicks, JsonElement payload, ReadOnlyMemory<float>[]? vectors, int copyVectorsFrom, SparseVector?[]? sparse = null, float[][]?[]? multi = null)
    {
        int row = _rowCount;
        EnsureCapacity(row + 1);
        for (int i = 0; i < Sparse.Length; i++)
        {
            // A payload or expiry update keeps the sparse vectors too (the same immutable objects, indexed for the new row).
            Sparse[i].Add(row, vectors is null ? Sparse[i].Vector(copyVectorsFrom) : sparse is not null && i < sparse.Length ? sparse[i] : null);
        }
        for (int i = 0; i < Multi.Length; i++)
        {
            if (vectors is null)
            {
                Multi[i].Repoint(copyVectorsFrom, row); // a payload or expiry update: the same tokens, no new graph nodes
            }
            else
            {
                Multi[i].Add(row, multi is not null && i < multi.Length ? multi[i] : null);
            }
        }
        for (int i = 0; i < Arenas.Length; i++)
        {
            if (vectors is not null)
            {
                Arenas[i].Write(row, vectors[i].Span); // a staged vector is there already (the arena skips the copy)
            }
            else
            {
                Arenas[i].Write(row, Arenas[i].Get(copyVectorsFrom));
            }
        }
        FinishRow(row, key, previous, expiresAtTicks, payload, sharesVectorsWithPrevious: vectors is null);
        return row;
    }

    private void FinishRow(int row, RecordKey key, int previous, long expiresAtTicks, JsonElement payload, bool sharesVectorsWithPrevious = false)
    {
        _expiresAt.Set(row, expiresAtTicks);
        _namespaceOf.Set(row, key.NamespaceId);
        _previous.Set(row, EncodePrevious(previous, sharesVectorsWithPrevious));
        _rows[row] = new RowMeta { Id = key.Id, Payload = payload };
        _indexes.Add(row, payload);
        foreach (TextIndex text in _textIndexes)
        {
            text.Add(row, payload, expiresAtTicks != 0);
        }
        if (key.NamespaceId >= _namespaceRows.Length)
        {
            var grown = new PostingList[key.NamespaceId + 1];
            _namespaceRows.CopyTo(grown, 0);
            for (int i = _namespaceRows.Length; i < grown.Length; i++)
            {
                grown[i] = new PostingList();
            }
            Volatile.Write(ref _namespaceRows, grown);
        }
        if (_defaultRowsListed)
        {
            _namespaceRows[key.NamespaceId].Add(row);
        }
        _anyExpiring |= expiresAtTicks != 0;
        _rowCount = row + 1;
        LiveRows++;
    }

    /// <summary>
    /// The id of namespace <paramref name="name"/>, interned if new. The first namespace besides the default lists the
    /// default namespace's rows first (every row so far: there was no other namespace), then publishes the name, so a
    /// reader that sees two namespaces finds the list filled (<see cref="NamespaceRows"/>).
    /// </summary>
    private int InternNamespace(string name)
    {
        int id = Namespaces.Find(name);
        if (id >= 0)
        {
            return id;
        }
        if (!_defaultRowsListed)
        {
            var all = new PostingList();
            for (int row = 0; row < _rowCount; row++)
            {
                all.Add(row);
            }
            PostingList[] lists = [.. _namespaceRows];
            lists[0] = all;
            Volatile.Write(ref _namespaceRows, lists); // before the name: a reader that sees it sees the list
            _defaultRowsListed = true;
        }
        return Namespaces.Intern(name);
    }

    private void Replace(RecordKey key, int previous, int row, long lsn)
    {
        if (previous >= 0 && _deletedAt[previous] == Live)
        {
            MarkDeleted(previous, lsn);
        }
        _keys.Set(key, row); // after the row is complete: a reader that finds it can read all of it
    }

    private void MarkDeleted(int row, long lsn)
    {
        foreach (TextIndex text in _textIndexes)
        {
            text.Remove(row, _rows[row].Payload); // before the mark: the statistics count live rows only
        }
        foreach (SparseVectorIndex index in Sparse)
        {
            index.RowDeleted(row);
        }
        _deletedAt.Set(row, lsn);
        LiveRows--;
    }

    /// <summary>
    /// Copies <paramref name="vector"/> into row <paramref name="row"/> of named vector <paramref name="ordinal"/>'s arena
    /// ahead of the apply that appends that row, and returns the row's memory (a staged vector, see
    /// CollectionEngine.StagedVectors): the apply then copies nothing. Call <see cref="ReserveStagedRows"/> first. Writer
    /// only, for rows at or past <see cref="RowCount"/> (no reader looks there); several threads may stage different rows.
    /// </summary>
    public ReadOnlyMemory<float> StageVector(int ordinal, int row, ReadOnlySpan<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, _rowCount);
        VectorArena arena = Arenas[ordinal];
        arena.Write(row, vector);
        return arena.RowMemory(row);
    }

    /// <summary>Grows every per-row store to hold <paramref name="rows"/> rows, for vectors staged ahead of their apply (<see cref="StageVector"/>). Writer only.</summary>
    public void ReserveStagedRows(int rows) => EnsureCapacity(rows);

    /// <summary>
    /// Sizes every per-row store and the key map for <paramref name="rows"/> rows of distinct keys at once, before a load
    /// or a compaction appends them: one key table instead of a doubling series of them. Writer only, before publishing.
    /// </summary>
    public void ReserveRows(int rows)
    {
        EnsureCapacity(rows);
        _keys.Reserve(rows);
    }

    /// <summary>Grows every per-row store to hold <paramref name="rows"/> rows. Each grows in its own chunk size
    /// (the arenas' chunks hold fewer rows for large dimensions), so each is checked on its own.</summary>
    private void EnsureCapacity(int rows)
    {
        if (rows > _rows.Capacity)
        {
            // No doubling: the row lists grow a chunk of 4,096 rows at a time, so asking for what is needed costs one
            // allocation per chunk, and a collection just past a power of two does not hold twice its rows' metadata.
            int target = rows;
            _rows.EnsureCapacity(target);
            _deletedAt.EnsureCapacity(target);
            _expiresAt.EnsureCapacity(target);
            _namespaceOf.EnsureCapacity(target);
            _previous.EnsureCapacity(target);
            foreach (ChunkedList<int> nodeOfRow in _nodeOfRow)
            {
                nodeOfRow.EnsureCapacity(target);
            }
            foreach (SparseVectorIndex index in Sparse)
            {
                index.EnsureCapacity(target);
            }
            foreach (MultiVectorIndex index in Multi)
            {
                index.EnsureCapacity(target);
            }
        }
        foreach (VectorArena arena in Arenas)
        {
            if (rows > arena.Capacity)
            {
                // Doubles the RAM part only: a mapped arena's capacity is mostly the file's, which needs no RAM.
                int ram = arena.Capacity - arena.MappedRows;
                arena.EnsureCapacity((int)Math.Min(int.MaxValue, Math.Max(rows, (long)arena.Capacity + Math.Max(ram, arena.RowsPerChunk))));
            }
        }
    }

    /// <summary>
    /// A new index set replaces the old one whole, so a reader never sees an index that is still being filled. Every
    /// row goes in, deleted ones too: a reader on an older snapshot may still see those, and candidates are a superset.
    /// </summary>
    private void RebuildIndexes(WalOperation op)
    {
        var rebuilt = new PayloadIndexSet();
        foreach ((string field, PayloadIndexKind kind) in _indexes.Definitions)
        {
            if (op.Type == WalOperationType.DropPayloadIndex && string.Equals(field, op.Field, StringComparison.Ordinal))
            {
                continue;
            }
            rebuilt.Define(field, kind);
        }
        if (op.Type == WalOperationType.CreatePayloadIndex)
        {
            rebuilt.Define(op.Field!, op.IndexKind);
        }
        for (int row = 0; row < _rowCount; row++)
        {
            rebuilt.Add(row, _rows[row].Payload);
        }
        Volatile.Write(ref _indexes, rebuilt);
    }

    /// <summary>
    /// Builds a new text index over every row (deleted ones too, as the payload indexes do: a reader on an older snapshot
    /// may still see them) and takes the deleted ones out of its statistics; replaces an index of the same name.
    /// </summary>
    private void CreateTextIndex(TextIndexDefinition definition)
    {
        var index = new TextIndex(definition, "built");
        for (int row = 0; row < _rowCount; row++)
        {
            ref readonly RowMeta meta = ref _rows[row];
            index.Add(row, meta.Payload, _expiresAt[row] != 0);
            if (_deletedAt[row] != Live)
            {
                index.Remove(row, meta.Payload);
            }
        }
        TextIndex[] others = Array.FindAll(_textIndexes, t => !string.Equals(t.Definition.Name, definition.Name, StringComparison.Ordinal));
        Volatile.Write(ref _textIndexes, [.. others, index]);
    }

    /// <exception cref="FormatException">The bytes are not one JSON object.</exception>
    private static JsonElement ParsePayload(byte[]? utf8) => utf8 is null ? default : PayloadJson.Parse(utf8);
}
