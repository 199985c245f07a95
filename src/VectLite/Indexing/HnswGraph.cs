using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Vectors;

namespace VectLite.Indexing;

/// <summary>
/// A hierarchical navigable small world graph (HNSW, Malkov and Yashunin) over the rows of one named
/// vector: approximate k-nearest-neighbour search in about log(n) distance computations per level.
/// </summary>
/// <remarks>
/// <para>How it works:</para>
/// <list type="number">
/// <item><description>
/// Nodes are dense ids in insertion order. Each node stands for one row of the engine's
/// <see cref="VectorArena"/>: the graph keeps the node-to-row map and reads vectors from the arena through
/// it, so it holds no copy of any vector. A checkpoint renumbers rows; <see cref="Remap"/> then derives a
/// graph with the same links and a translated map (rows that are gone become permanently dead nodes).
/// </description></item>
/// <item><description>
/// Each node gets a level from a hash of the seed and its row: <c>floor(-ln(u) / ln(M))</c>, so about one
/// node in M reaches level 1, one in M^2 level 2, and so on. Links live in an <see cref="HnswLinkStore"/>:
/// fixed-size level-0 blocks (up to 2M neighbours) and upper levels apart (up to M).
/// </description></item>
/// <item><description>
/// A search starts at the entry point (a node of the highest level), walks greedily down the upper levels
/// to the closest node it finds, then runs a best-first search on level 0 with a candidate list of ef
/// nodes. A filter decides which rows may be results; rejected and deleted nodes are still expanded, so
/// they keep the graph connected (hnswlib's isIdAllowed). Dead nodes (row -1) have no vector: they are
/// expanded with the score of the node that led to them and are never results.
/// </description></item>
/// <item><description>
/// An insert searches the same way with ef_construction on every level of the new node, top down, and on
/// each picks M neighbours with hnswlib's heuristic (a candidate is kept only if it is closer to the new
/// node than to every neighbour already kept, which spreads links across directions). Then, bottom up, it
/// links to them and adds the reverse link to each; a neighbour whose list is full re-selects its list
/// with the same heuristic. Bottom up, so a node is reachable on a level only once its lower lists exist.
/// </description></item>
/// <item><description>
/// Inserts run in parallel with each other and with searches. A short growth lock hands out node ids,
/// grows the chunked arrays and guards the entry point; a per-node spin lock guards each list update.
/// Readers take no lock: lists are updated so a lock-free reader only ever sees valid node ids.
/// </description></item>
/// <item><description>
/// Search speed is memory speed: a vector is dozens of cache lines, rarely cached. The layer search
/// gathers a node's unvisited neighbours, prefetches their vectors (each whole vector two places ahead
/// of the one being scored) and, for L2 and L1, abandons a distance as soon as its partial sum shows it
/// cannot beat the worst result kept, which is exact (see <c>SearchLayer</c>).
/// </description></item>
/// </list>
/// <para>
/// Files: this one holds the state and views; <c>.Insert</c> the inserts and neighbour selection;
/// <c>.Search</c> the searches; <c>.Remap</c> the checkpoint renumbering; <c>.Persistence</c> save and
/// load (layout in <see cref="HnswFileFormat"/>).
/// </para>
/// <para>
/// Scores are <see cref="IVectorScorer"/> scores: higher is better. The metric is chosen once per call
/// and every loop below is generic over a struct scorer and a struct filter, so the distance kernel and
/// the filter inline with no virtual call.
/// </para>
/// <para>
/// Thread safety: <see cref="Add"/> and <see cref="AddMany"/> may run on many threads at once, beside any
/// number of <see cref="Search{TFilter}(ReadOnlySpan{float}, int, int, ref TFilter, VectLite.Search.TopKHeap)"/> calls; a search sees the nodes whose insert had begun before it
/// started (those still being linked only partly). <see cref="Remap"/> and <see cref="Save(Stream, ulong)"/> need no concurrent insert (the
/// engine's writer lock); searches may continue during both, and on the old graph after a remap. The rows
/// an insert names must already be written to the arena.
/// </para>
/// </remarks>
internal sealed partial class HnswGraph
{
    /// <summary>The entry value of an empty graph: no entry node, level -1.</summary>
    private const long NoEntry = unchecked((long)0xFFFF_FFFF_FFFF_FFFF);

    private readonly HnswParameters _parameters;
    private readonly Metric _metric;
    private readonly int _dimension;
    private readonly HnswLinkStore _links;
    private readonly HnswContextPool _contexts;
    private readonly double _levelMultiplier;

    /// <summary>Guards node id assignment, growth and the entry point.</summary>
    private readonly Lock _growLock = new();

    private readonly VectorArena _arena;

    /// <summary>Node -> row, chunked like the link store; -1 marks a dead node.</summary>
    private int[][] _rows = [];

    /// <summary>The published node count: nodes below it are initialised and may be linked.</summary>
    private int _count;

    /// <summary>The entry node (low 32 bits) and the maximum level (high 32 bits), swapped as one value.</summary>
    private long _entry = NoEntry;

    private int _deadCount;

    /// <summary>1 once <see cref="Remap"/> has derived a successor; inserts then fail.</summary>
    private int _superseded;

    private int _lastInsertThreads;

    /// <summary>Creates an empty graph over the rows of <paramref name="arena"/>.</summary>
    /// <param name="arena">The vectors; the graph reads them and never writes or disposes them.</param>
    /// <param name="metric">The metric. Cosine graphs score the stored vectors as they are (any length) against unit queries.</param>
    /// <param name="parameters">The build and search parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="arena"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <paramref name="metric"/> is not defined.</exception>
    internal HnswGraph(VectorArena arena, Metric metric, HnswParameters parameters)
        : this(arena, metric, parameters, new HnswLinkStore(parameters.M), new HnswContextPool())
    {
    }

    private HnswGraph(VectorArena arena, Metric metric, HnswParameters parameters, HnswLinkStore links, HnswContextPool contexts)
    {
        ArgumentNullException.ThrowIfNull(arena);
        parameters.Validate();
        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        }

        _arena = arena;
        _metric = metric;
        _parameters = parameters;
        _dimension = arena.Dimension;
        _links = links;
        _contexts = contexts;
        _levelMultiplier = 1.0 / Math.Log(parameters.M);
    }

    /// <summary>The number of components of every vector.</summary>
    internal int Dimension => _dimension;

    /// <summary>The metric the graph was built for.</summary>
    internal Metric Metric => _metric;

    /// <summary>The parameters the graph was built with.</summary>
    internal HnswParameters Parameters => _parameters;

    /// <summary>The arena the graph reads vectors from.</summary>
    internal VectorArena Arena => _arena;

    /// <summary>The number of nodes, dead ones included.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>The number of nodes whose row is gone (mapped to -1 by <see cref="Remap"/>).</summary>
    internal int DeadCount => Volatile.Read(ref _deadCount);

    /// <summary>The highest level of any node reachable from the entry point, or -1 when the graph is empty.</summary>
    internal int MaxLevel => (int)(Volatile.Read(ref _entry) >> 32);

    /// <summary>The entry node, or -1 when the graph is empty.</summary>
    internal int EntryNode => (int)Volatile.Read(ref _entry);

    /// <summary>True once <see cref="Remap"/> has derived a successor: the graph is read-only from then on.</summary>
    internal bool IsSuperseded => Volatile.Read(ref _superseded) != 0;

    /// <summary>
    /// Threads the last insert call used: 1 for <see cref="Add"/>, the workers <see cref="AddMany"/> started (the
    /// calling thread included), 0 before any insert. A statistic, so tests can see the parallelism settings obeyed
    /// without timing anything.
    /// </summary>
    internal int LastInsertThreads => Volatile.Read(ref _lastInsertThreads);

    /// <summary>
    /// The bytes the graph holds: links (level 0 and upper levels), levels, the node-to-row map and the
    /// directories, counted by allocated chunk. Vectors are in the arena and not counted. A graph and the
    /// graphs <see cref="Remap"/> derives from it share their links; each reports them.
    /// </summary>
    internal long MemoryBytes =>
        _links.MemoryBytes + ((long)Volatile.Read(ref _rows).Length * ((HnswLinkStore.NodesPerChunk * sizeof(int)) + IntPtr.Size));

    /// <summary>Returns node <paramref name="node"/>'s row, or -1 when the node is dead.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not below <see cref="Count"/>.</exception>
    internal int GetRow(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, Count);
        return Volatile.Read(ref _rows)[node >> HnswLinkStore.NodeChunkShift][node & HnswLinkStore.NodeChunkMask];
    }

    /// <summary>
    /// Points node <paramref name="node"/> at <paramref name="row"/>, a newer row of the same record holding the same
    /// vectors (a payload or expiry update), instead of inserting the row as a new node. Writer only, with no insert
    /// running; a search in progress scores the node the same either way, and maps the row to the version its
    /// snapshot sees (<see cref="Records.CollectionState.VersionIn"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not below <see cref="Count"/>, or <paramref name="row"/> is negative.</exception>
    internal void Repoint(int node, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        Volatile.Write(ref Volatile.Read(ref _rows)[node >> HnswLinkStore.NodeChunkShift][node & HnswLinkStore.NodeChunkMask], row);
    }

    /// <summary>Returns node <paramref name="node"/>'s level.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not below <see cref="Count"/>.</exception>
    internal int GetLevel(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, Count);
        return _links.GetLevel(node);
    }

    /// <summary>Copies node <paramref name="node"/>'s neighbours on <paramref name="level"/> into a new array: for tests and diagnostics.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not below <see cref="Count"/>, or <paramref name="level"/> is above its level.</exception>
    internal int[] GetNeighbors(int node, int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, GetLevel(node));
        ref int list = ref _links.GetView().List(node, level);
        int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref list, 1), count).ToArray();
    }

    /// <summary>Returns the level of a new node for <paramref name="row"/>: a hash of the seed and the row, geometrically distributed.</summary>
    internal static int LevelFor(ulong seed, int row, double multiplier)
    {
        // SplitMix64 of the seed and the row: a fixed function, so a rebuild gives each row the same level
        // whatever order parallel inserts take.
        ulong z = seed + ((ulong)(uint)row * 0x9E37_79B9_7F4A_7C15UL) + 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        z ^= z >> 31;

        // u in (0, 1]: the top 53 bits, plus one so the logarithm is finite.
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        double level = -Math.Log(u) * multiplier;
        return level >= HnswLinkStore.MaxLevel ? HnswLinkStore.MaxLevel : (int)level;
    }

    private static long PackEntry(int node, int level) => ((long)level << 32) | (uint)node;

    /// <summary>Returns a reader's snapshot of the graph: node limit, link and row directories, arena addresses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GraphView GetView()
    {
        // The count first (an acquire): everything published before it is then visible, including the
        // directories and arena chunks that cover every node below it.
        int limit = Volatile.Read(ref _count);
        return new GraphView(limit, _links.GetView(), Volatile.Read(ref _rows), _arena.GetRowAddresses(), _dimension);
    }

    [DoesNotReturn]
    private static void ThrowQueryLength(int actual, int dimension) =>
        throw new ArgumentException($"The query has {actual} components; the graph's vectors have dimension {dimension}.", "query");

    /// <summary>
    /// A snapshot of everything a search reads: the nodes below <see cref="Limit"/>, their links, rows
    /// and vector addresses, looked up without bounds checks.
    /// </summary>
    private readonly unsafe struct GraphView
    {
        internal readonly int Limit;
        internal readonly HnswLinkStore.LinkView Links;
        internal readonly int Dimension;
        private readonly int[][] _rows;
        private readonly VectorArena.RowAddresses _vectors;

        internal GraphView(int limit, HnswLinkStore.LinkView links, int[][] rows, VectorArena.RowAddresses vectors, int dimension)
        {
            Limit = limit;
            Links = links;
            _rows = rows;
            _vectors = vectors;
            Dimension = dimension;
        }

        /// <summary>Returns node <paramref name="node"/>'s row (-1 if dead); the node must be below <see cref="Limit"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Row(int node)
        {
            Debug.Assert((uint)node < (uint)Limit, "Nodes at or beyond the limit are skipped before their row is read.");
            int[] chunk = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rows), node >> HnswLinkStore.NodeChunkShift);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), node & HnswLinkStore.NodeChunkMask);
        }

        /// <summary>Returns the address of row <paramref name="row"/>'s vector; the row must be a live node's row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal float* Vector(int row) => _vectors.Address(row);

        /// <summary>Returns row <paramref name="row"/>'s vector as a span.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ReadOnlySpan<float> VectorSpan(int row) => new(_vectors.Address(row), Dimension);
    }
}
