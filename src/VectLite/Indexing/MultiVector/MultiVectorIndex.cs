using VectLite.Records;
using VectLite.Vectors;

namespace VectLite.Indexing.MultiVector;

/// <summary>
/// One multi-vector space of a collection: each row's token vectors (for reads and exact MaxSim) and an HNSW graph over
/// every token vector, which finds the rows worth scoring for a query without scanning every record.
/// </summary>
/// <remarks>
/// <para>Tokens are numbered in the order they are added; a token arena holds their vectors and <see cref="RowOf"/> maps
/// each to its row. A search finds each query token's nearest stored tokens in the graph, takes their rows as the
/// candidates, and scores those exactly (ColBERT's "candidate generation, then MaxSim" plan).</para>
/// <para>Deleted and replaced rows keep their tokens in the graph until a checkpoint builds a fresh state; the search's
/// row filter rejects them. Not persisted: opening inserts every token again (an HNSW build over the tokens), the price
/// of not adding a file format in this first version.</para>
/// <para>Thread safety: one writer (appends, graph inserts under the graph's own per-node locks); readers search the graph
/// and read rows below their snapshot.</para>
/// </remarks>
internal sealed class MultiVectorIndex : IDisposable
{
    private readonly ChunkedList<float[][]?> _tokensOfRow = new();
    private readonly ChunkedList<int> _rowOfToken = new();
    private readonly VectorArena _arena;
    private int _tokenCount;

    public MultiVectorIndex(MultiVectorSpec spec, HnswParameters parameters)
    {
        Spec = spec;
        _arena = new VectorArena(spec.Dimension);
        Graph = new HnswGraph(_arena, spec.Metric, parameters);
    }

    public MultiVectorSpec Spec { get; }

    /// <summary>The graph over every token vector added (nodes' rows are token numbers).</summary>
    public HnswGraph Graph { get; }

    /// <summary>Tokens added so far (writer side).</summary>
    public int TokenCount => _tokenCount;

    /// <summary>The token vectors of <paramref name="row"/>, or null when it has none in this space.</summary>
    public float[][]? Tokens(int row) => row < _tokensOfRow.Capacity ? _tokensOfRow[row] : null;

    /// <summary>The row a token belongs to.</summary>
    public int RowOf(int token) => _rowOfToken[token];

    /// <summary>Bytes held by the token vectors and the graph.</summary>
    public long MemoryBytes => _arena.MemoryBytes + Graph.MemoryBytes;

    /// <summary>Makes room for rows below <paramref name="rows"/>. Writer only.</summary>
    public void EnsureCapacity(int rows) => _tokensOfRow.EnsureCapacity(rows);

    /// <summary>Sets a new row's tokens (null: none) and inserts them into the graph. Writer only, before the row is published.</summary>
    public void Add(int row, float[][]? tokens)
    {
        _tokensOfRow[row] = tokens;
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
            _rowOfToken[id] = row; // before the node exists: a reader that meets the node can map it
            Graph.Add(id);
        }
    }

    public void Dispose() => _arena.Dispose();
}
