using System.Diagnostics.CodeAnalysis;
using VectLite.Vectors;

namespace VectLite.Indexing.ValueGraphs;

/// <summary>
/// The value graphs of one keyword-indexed payload field for one named vector: for each value that at least
/// <see cref="MinRows"/> rows hold, an HNSW graph over those rows alone (Qdrant's payload-based subgraphs, kept as
/// separate graphs). A filter that keeps only rows with some of these values walks their graphs, where every node is a
/// candidate and the values' rows are linked to each other, however far the query is from them.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> On the collection's graph a filter that avoids the query's neighbourhood (the five Fashion-MNIST
/// classes farthest from the query's) leaves its rows reachable only through long walks over rejected nodes, and a walk
/// over the passing nodes alone loses its way between the islands they form (measured recall plateau near 0.93); so the
/// search fell back to the exact scan of every passing row. A value's own graph has no islands.</para>
/// <para><b>Coverage.</b> Every row below <see cref="CoveredRows"/> that held a value with a graph, and was live when the
/// builder passed it, is in that value's graph. Rows are never rewritten in place (an update writes a new row), so the
/// rows at or above the mark are exactly what changed since: the search scans them exactly. A row deleted or replaced
/// later stays in its graph as a node the row test rejects (still followed for navigation), until a checkpoint's
/// compaction renumbers the rows and marks it dead.</para>
/// <para><b>Thread safety.</b> One builder inserts (under the state's value-graph lock); any number of searches read at
/// the same time. The value-to-graph map is replaced whole when a graph is added, never changed in place.</para>
/// </remarks>
internal sealed class ValueGraphField
{
    /// <summary>
    /// A value gets a graph once this many rows hold it: below it the exact scan of its rows costs less than a walk (a
    /// walk at ef 40 computes about 400 distances, each about 2.4 times a scanned row's cost on 784-d vectors).
    /// </summary>
    public const int MinRows = 2_048;

    /// <summary>
    /// The field name of the namespace graphs: one graph per namespace (tenant), over its rows, for searches scoped to a
    /// small namespace. Not a payload path: a payload path never starts with '$' (that marks an operator).
    /// </summary>
    public const string Namespaces = "$namespaces";

    private Dictionary<string, HnswGraph> _graphs = new(StringComparer.Ordinal);
    private int _coveredRows;

    /// <summary>
    /// Builder only (under its lock): the graphs being built for values that hold <see cref="MinRows"/> rows but have no
    /// graph (a graph dropped for its dead nodes, <see cref="Remap"/>), each with the row its build has reached. Not
    /// searched until published whole (<see cref="Add"/>).
    /// </summary>
    private readonly Dictionary<string, (HnswGraph? Graph, int Progress)> _pending = new(StringComparer.Ordinal);

    /// <summary>The lowest <see cref="_pending"/> progress, or <see cref="int.MaxValue"/>; for readers of <see cref="WaitingFrom"/>.</summary>
    private int _pendingFrom = int.MaxValue;

    private volatile int _pendingCount;

    /// <summary>How the graphs came to be: "built", "loaded" (from a checkpoint) or "remapped" (over a compaction).</summary>
    public string Origin { get; private init; } = "built";

    /// <summary>Values whose graph is being built again (any thread).</summary>
    public int Rebuilding => _pendingCount;

    /// <summary>Set when values may lack their graph (a remap dropped some, or a loaded file): the builder looks for them on its next pass.</summary>
    private volatile bool _checkValues;

    /// <summary>Set when a remap dropped graphs (or builds in progress): until the builder's next pass has looked, waiters count every row as waiting.</summary>
    private volatile bool _lostGraphs;

    /// <summary>Creates the (empty) value graphs of <paramref name="field"/> for the named vector <paramref name="ordinal"/>.</summary>
    public ValueGraphField(int ordinal, string field, int coveredRows = 0)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfNegative(coveredRows);
        Ordinal = ordinal;
        Field = field;
        _coveredRows = coveredRows;
    }

    /// <summary>The named vector's ordinal in the schema.</summary>
    public int Ordinal { get; }

    /// <summary>The keyword-indexed payload field (its path text), or <see cref="Namespaces"/>.</summary>
    public string Field { get; }

    /// <summary>The rows below this mark are in the graphs (see the remarks); raised by the builder after its inserts.</summary>
    public int CoveredRows => Volatile.Read(ref _coveredRows);

    /// <summary>
    /// The lowest row some graph of this field still lacks: the mark, or the progress of a graph being rebuilt when lower
    /// (0 when the builder has yet to look for values a compaction took the graph of). Rows from here on wait for the builder.
    /// </summary>
    public int WaitingFrom => _lostGraphs ? 0 : Math.Min(CoveredRows, Volatile.Read(ref _pendingFrom));

    /// <summary>Builder only: whether the next pass must look at every value even without new rows (graphs being rebuilt, or values to check).</summary>
    internal bool HasWorkBelowMark => _checkValues || _pending.Count > 0;

    /// <summary>Builder only: clears the request to look for values without a graph, once a pass has looked at every value (and recorded the builds it started).</summary>
    internal void TakeCheckValues()
    {
        _checkValues = false;
        _lostGraphs = false;
    }

    /// <summary>Builder only: the graph being built for <paramref name="value"/> and the row it reached (null, 0: none yet).</summary>
    internal (HnswGraph? Graph, int Progress) Pending(string value) => _pending.GetValueOrDefault(value);

    /// <summary>Builder only: records a graph being built and the row it reached (null: forget it, the value shrank below <see cref="MinRows"/> or was published).</summary>
    internal void SetPending(string value, HnswGraph? graph, int progress)
    {
        if (graph is null)
        {
            _pending.Remove(value);
        }
        else
        {
            _pending[value] = (graph, progress);
        }
        Volatile.Write(ref _pendingFrom, _pending.Count == 0 ? int.MaxValue : _pending.Values.Min(p => p.Progress));
        _pendingCount = _pending.Count;
    }

    /// <summary>The values that have a graph.</summary>
    public int GraphCount => Volatile.Read(ref _graphs).Count;

    /// <summary>Memory held by the graphs' links and node tables.</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = 0;
            foreach (HnswGraph graph in Volatile.Read(ref _graphs).Values)
            {
                bytes += graph.MemoryBytes;
            }
            return bytes;
        }
    }

    /// <summary>Each value that has a graph, with its graph (a snapshot: a graph added later is not listed).</summary>
    public IReadOnlyDictionary<string, HnswGraph> Graphs => Volatile.Read(ref _graphs);

    /// <summary>The graph of <paramref name="value"/>, when it has one.</summary>
    public bool TryGet(string value, [NotNullWhen(true)] out HnswGraph? graph) => Volatile.Read(ref _graphs).TryGetValue(value, out graph);

    /// <summary>Builder only: raises the coverage mark once every row below it is inserted.</summary>
    internal void SetCovered(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, _coveredRows);
        Volatile.Write(ref _coveredRows, rows);
    }

    /// <summary>Builder only: publishes a value's new graph, complete up to the mark the builder raises next.</summary>
    internal void Add(string value, HnswGraph graph)
    {
        var copy = new Dictionary<string, HnswGraph>(Volatile.Read(ref _graphs), StringComparer.Ordinal) { [value] = graph };
        Volatile.Write(ref _graphs, copy);
    }

    /// <summary>
    /// Value graphs read from a checkpoint (<see cref="ValueGraphFile"/>): <paramref name="graphs"/> hold every row below
    /// <paramref name="coveredRows"/> of their values, as the builder left them when the checkpoint was taken.
    /// </summary>
    internal static ValueGraphField Loaded(int ordinal, string field, int coveredRows, Dictionary<string, HnswGraph> graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        // A value whose graph was being built at the checkpoint is looked for again.
        return new ValueGraphField(ordinal, field, coveredRows) { _graphs = graphs, _checkValues = true, Origin = "loaded" };
    }

    /// <summary>
    /// A copy of these value graphs as they are now, for a checkpoint to save while the builder goes on inserting into
    /// these (<see cref="HnswGraph.Freeze"/> per graph, the mark as it is). Call with the builder's lock held: no insert
    /// may run during the copy.
    /// </summary>
    internal ValueGraphField Freeze()
    {
        var graphs = new Dictionary<string, HnswGraph>(StringComparer.Ordinal);
        foreach ((string value, HnswGraph graph) in Volatile.Read(ref _graphs))
        {
            graphs[value] = graph.Freeze();
        }
        return Loaded(Ordinal, Field, CoveredRows, graphs);
    }

    /// <summary>
    /// The value graphs of a compacted collection: each graph renumbered through <paramref name="oldRowToNewRow"/>
    /// (<see cref="HnswGraph.Remap"/>: the rows gone become dead nodes, still followed, never results) and the mark moved
    /// to the number of surviving rows below it (compaction keeps the rows' order). A graph whose dead nodes reach
    /// <paramref name="rebuildPercent"/> of it (<see cref="HnswOptions.TombstoneRebuildPercent"/>, as for the collection's
    /// graph) is dropped instead: the builder builds the value's graph again, <see cref="MinRows"/>-sized steps per pass
    /// (so a checkpoint never waits for a whole build), and searches of that value scan until it is published. Graphs
    /// being built are started again. This object's graphs take no more inserts.
    /// </summary>
    internal ValueGraphField Remap(int[] oldRowToNewRow, VectorArena newArena, int rebuildPercent = 100)
    {
        ArgumentNullException.ThrowIfNull(oldRowToNewRow);
        int covered = Math.Min(CoveredRows, oldRowToNewRow.Length);
        int kept = 0;
        for (int row = 0; row < covered; row++)
        {
            if (oldRowToNewRow[row] >= 0)
            {
                kept++;
            }
        }
        var remapped = new ValueGraphField(Ordinal, Field, kept) { Origin = "remapped" };
        var graphs = new Dictionary<string, HnswGraph>(StringComparer.Ordinal);
        foreach ((string value, HnswGraph graph) in Volatile.Read(ref _graphs))
        {
            HnswGraph renumbered = graph.Remap(oldRowToNewRow, newArena);
            if (rebuildPercent < 100 && renumbered.DeadCount * 100L >= rebuildPercent * (long)Math.Max(1, renumbered.Count))
            {
                remapped._checkValues = remapped._lostGraphs = true; // the builder finds the value without a graph and builds it again
                continue;
            }
            graphs[value] = renumbered;
        }
        remapped._graphs = graphs;
        if (_pending.Count > 0 || _checkValues)
        {
            remapped._checkValues = remapped._lostGraphs = true; // builds in progress start again in the new numbering
        }
        return remapped;
    }
}
