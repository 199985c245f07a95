using VectLite.Records;
using VectLite.Vectors;

namespace VectLite.Indexing.MultiVector;

/// <summary>
/// One multi-vector space of a collection: each row's token vectors (for reads and exact MaxSim) and an HNSW graph over
/// every token vector, which finds the rows worth scoring for a query without scanning every record.
/// </summary>
/// <remarks>
/// <para>Tokens are numbered in the order they are stored, a row's tokens consecutively; a token arena holds their
/// vectors and <see cref="RowOf"/> maps each to its row. A search finds each query token's nearest stored tokens in the
/// graph, takes their rows as the candidates, and scores those exactly (ColBERT's "candidate generation, then MaxSim"
/// plan); rows stored since the graph was last brought up to date (<see cref="IndexedRows"/>) are candidates too.</para>
/// <para>Storing a row (<see cref="Add"/>) does not touch the graph: <see cref="IndexPending"/> inserts the new tokens
/// when the state publishes its rows (in parallel for a large batch), and not at all while a checkpoint is loaded and
/// its log replayed, so an open either loads the saved graph (<see cref="SetGraph"/>) or builds it once, in parallel. A
/// payload or expiry update re-points the row's tokens at the new row (<see cref="Repoint"/>) instead of adding nodes.
/// A checkpoint renumbers the graph for the compacted rows (<see cref="RemapInto"/>) rather than inserting every token
/// again, and saves it beside the dense graphs.</para>
/// <para>Deleted and replaced rows keep their tokens in the graph until a checkpoint builds a fresh state (then they are
/// dead nodes: followed, never returned); the search's row filter rejects them.</para>
/// <para>Thread safety: one writer (stores, re-points, graph inserts); readers search the graph and read rows below
/// their snapshot.</para>
/// </remarks>
internal sealed class MultiVectorIndex : IDisposable
{
    private readonly ChunkedList<float[][]?> _tokensOfRow = new();
    private readonly ChunkedList<int> _firstTokenOfRow = new();
    private readonly ChunkedList<int> _rowOfToken = new();
    private readonly VectorArena _arena;
    private readonly HnswParameters _parameters;
    private HnswGraph _graph;
    private int _tokenCount;
    private int _indexedTokens;
    private int _indexedRows;
    private string _graphOrigin = "built";

    public MultiVectorIndex(MultiVectorSpec spec, HnswParameters parameters)
    {
        Spec = spec;
        _parameters = parameters;
        _arena = new VectorArena(spec.Dimension);
        _graph = new HnswGraph(_arena, spec.Metric, parameters);
    }

    public MultiVectorSpec Spec { get; }

    /// <summary>The graph over the tokens of the rows below <see cref="IndexedRows"/> (nodes' rows are token numbers).</summary>
    public HnswGraph Graph => Volatile.Read(ref _graph);

    /// <summary>The token vectors, by token number (the graph's arena).</summary>
    public VectorArena Arena => _arena;

    /// <summary>Rows whose tokens are all in <see cref="Graph"/>; a search scans the rows from here on exactly.</summary>
    public int IndexedRows => Volatile.Read(ref _indexedRows);

    /// <summary>How the graph came to be: built, loaded or remapped.</summary>
    public string GraphOrigin => Volatile.Read(ref _graphOrigin);

    /// <summary>Tokens stored so far (writer side).</summary>
    public int TokenCount => _tokenCount;

    /// <summary>The token vectors of <paramref name="row"/>, or null when it has none in this space.</summary>
    public float[][]? Tokens(int row) => row < _tokensOfRow.Capacity ? _tokensOfRow[row] : null;

    /// <summary>The row a token belongs to (the newest row of its record that shares it).</summary>
    public int RowOf(int token) => Volatile.Read(ref _rowOfToken[token]);

    /// <summary>Bytes held by the token vectors and the graph.</summary>
    public long MemoryBytes => _arena.MemoryBytes + Graph.MemoryBytes;

    /// <summary>Makes room for rows below <paramref name="rows"/>. Writer only.</summary>
    public void EnsureCapacity(int rows)
    {
        _tokensOfRow.EnsureCapacity(rows);
        _firstTokenOfRow.EnsureCapacity(rows);
    }

    /// <summary>
    /// Stores a new row's tokens (null: none) under the next token numbers; <see cref="IndexPending"/> puts them in the
    /// graph. Writer only, before the row is published.
    /// </summary>
    public void Add(int row, float[][]? tokens)
    {
        _tokensOfRow[row] = tokens;
        _firstTokenOfRow[row] = _tokenCount;
        if (tokens is null)
        {
            return;
        }
        int end = _tokenCount + tokens.Length;
        if (end > _arena.Capacity)
        {
            _arena.EnsureCapacity(Math.Max(end, _arena.Capacity * 2));
        }
        _rowOfToken.EnsureCapacity(end);
        foreach (float[] token in tokens)
        {
            int id = _tokenCount++;
            _arena.Write(id, token);
            _rowOfToken[id] = row;
        }
    }

    /// <summary>
    /// A payload or expiry update wrote <paramref name="row"/> with <paramref name="previous"/>'s tokens: the row shares
    /// them, and the tokens' nodes name it from now on (a reader on an older snapshot maps it back to the version it
    /// sees, <see cref="CollectionState.VersionIn"/>). The graph gains no node. Writer only, before the row is published.
    /// </summary>
    public void Repoint(int previous, int row)
    {
        float[][]? tokens = _tokensOfRow[previous];
        _tokensOfRow[row] = tokens;
        int first = _firstTokenOfRow[previous];
        _firstTokenOfRow[row] = first;
        if (tokens is null)
        {
            return;
        }
        for (int token = first; token < first + tokens.Length; token++)
        {
            Volatile.Write(ref _rowOfToken[token], row);
        }
    }

    /// <summary>
    /// Inserts the tokens stored since the last call into the graph (on up to <paramref name="threads"/> threads when
    /// there are at least <paramref name="parallelThreshold"/>), then marks the rows below <paramref name="rows"/>
    /// indexed. Writer only, before those rows are published.
    /// </summary>
    public void IndexPending(int rows, int threads, int parallelThreshold)
    {
        int from = _indexedTokens, to = _tokenCount;
        if (from < to)
        {
            HnswGraph graph = _graph;
            if (to - from >= parallelThreshold)
            {
                int[] tokens = new int[to - from];
                for (int i = 0; i < tokens.Length; i++)
                {
                    tokens[i] = from + i;
                }
                graph.AddMany(tokens, threads);
            }
            else
            {
                for (int token = from; token < to; token++)
                {
                    graph.Add(token);
                }
            }
            _indexedTokens = to;
        }
        Volatile.Write(ref _indexedRows, rows);
    }

    /// <summary>
    /// Installs a graph that holds every token stored so far (loaded from a checkpoint, or renumbered by
    /// <see cref="RemapInto"/>), for the rows below <paramref name="rows"/>. Writer only, before publishing.
    /// </summary>
    public void SetGraph(HnswGraph graph, int rows, string origin)
    {
        Volatile.Write(ref _graph, graph);
        _indexedTokens = _tokenCount;
        Volatile.Write(ref _graphOrigin, origin);
        Volatile.Write(ref _indexedRows, rows);
    }

    /// <summary>
    /// Forgets the graph (a checkpoint failed after renumbering it, so it takes no more inserts): the next
    /// <see cref="IndexPending"/> builds a new one from every token; until then searches scan every row exactly.
    /// </summary>
    public void ResetGraph()
    {
        Volatile.Write(ref _indexedRows, 0);
        _indexedTokens = 0;
        Volatile.Write(ref _graph, new HnswGraph(_arena, Spec.Metric, _parameters));
        Volatile.Write(ref _graphOrigin, "built");
    }

    /// <summary>
    /// Gives <paramref name="fresh"/> (the same space in a compacted state, its rows already copied with
    /// <see cref="Add"/>) this graph renumbered for its tokens: the links are kept, the tokens of rows that
    /// <paramref name="oldRowToNewRow"/> drops (-1) become dead nodes, and it covers <paramref name="freshRows"/> rows. Returns
    /// false when <paramref name="rebuildPercent"/> or more of it would be dead: then it is not installed and
    /// <paramref name="fresh"/> builds its graph anew at its first publish. This graph takes no more inserts afterwards (<see cref="HnswGraph.Remap"/>).
    /// Writer only.
    /// </summary>
    public bool RemapInto(MultiVectorIndex fresh, int[] oldRowToNewRow, int freshRows, int rebuildPercent)
    {
        if (_indexedTokens != _tokenCount)
        {
            return false; // indexing was off (a bulk load): the graph misses tokens, so the fresh state builds its own
        }
        var oldTokenToNew = new int[_tokenCount];
        for (int token = 0; token < oldTokenToNew.Length; token++)
        {
            int row = _rowOfToken[token];
            int newRow = (uint)row < (uint)oldRowToNewRow.Length ? oldRowToNewRow[row] : -1;
            oldTokenToNew[token] = newRow < 0 ? -1 : fresh._firstTokenOfRow[newRow] + (token - _firstTokenOfRow[row]);
        }
        HnswGraph renumbered = _graph.Remap(oldTokenToNew, fresh._arena);
        if (rebuildPercent < 100 && renumbered.DeadCount * 100L >= rebuildPercent * (long)Math.Max(1, renumbered.Count))
        {
            return false;
        }
        fresh.SetGraph(renumbered, freshRows, "remapped");
        return true;
    }

    public void Dispose() => _arena.Dispose();
}
