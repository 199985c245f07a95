namespace VectLite;

/// <summary>
/// One retriever of a <see cref="HybridQuery"/>: a dense nearest-neighbour search on one named vector (the constructor),
/// a sparse dot-product search on one sparse vector space (<see cref="Sparse"/>), a late-interaction (MaxSim) search on
/// one multi-vector space (<see cref="MultiVector"/>), or a BM25 full-text search on one text index (<see cref="Text"/>).
/// </summary>
/// <param name="vector">The query vector; its length is the named vector's dimension.</param>
public sealed class Prefetch(ReadOnlyMemory<float> vector)
{
    /// <summary>The query vector (empty for a sparse, multi-vector or full-text prefetch).</summary>
    public ReadOnlyMemory<float> Vector { get; } = vector;

    /// <summary>The sparse query of a prefetch made by <see cref="Sparse"/>; null for a dense prefetch.</summary>
    public SparseVector? SparseQuery { get; private init; }

    /// <summary>
    /// A sparse retriever: the records whose vector in sparse space <paramref name="vectorName"/> has the largest dot
    /// product with <paramref name="query"/> (as <see cref="Collection.SearchSparse"/>, IDF modifier included).
    /// </summary>
    /// <param name="vectorName">The sparse vector space to search.</param>
    /// <param name="query">The query; checked like a stored sparse vector when the query runs.</param>
    /// <param name="limit">How many candidates it contributes (1 to 10,000).</param>
    /// <param name="filter">Its own filter, applied together with <see cref="HybridQuery.Filter"/>; null for none.</param>
    /// <param name="weight">Its weight in the fusion (positive and finite; checked when the query runs).</param>
    /// <exception cref="ArgumentNullException"><paramref name="vectorName"/> or <paramref name="query"/> is null.</exception>
    public static Prefetch Sparse(string vectorName, SparseVector query, int limit = 50, Filter? filter = null, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(vectorName);
        ArgumentNullException.ThrowIfNull(query);
        return new Prefetch(ReadOnlyMemory<float>.Empty) { VectorName = vectorName, SparseQuery = query, Limit = limit, Filter = filter, Weight = weight };
    }

    /// <summary>The query's token vectors of a prefetch made by <see cref="MultiVector"/>; null otherwise.</summary>
    public IReadOnlyList<ReadOnlyMemory<float>>? MultiVectorQuery { get; private init; }

    /// <summary>
    /// A late-interaction retriever: the records whose token vectors in multi-vector space <paramref name="vectorName"/>
    /// best match <paramref name="query"/>'s tokens by MaxSim (as <see cref="Collection.SearchMultiVector"/>: candidates
    /// through the token graph, then exact MaxSim; <see cref="Ef"/> and <see cref="Exact"/> apply).
    /// </summary>
    /// <param name="vectorName">The multi-vector space to search.</param>
    /// <param name="query">The query's token vectors; checked like a stored matrix when the query runs.</param>
    /// <param name="limit">How many candidates it contributes (1 to 10,000).</param>
    /// <param name="filter">Its own filter, applied together with <see cref="HybridQuery.Filter"/>; null for none.</param>
    /// <param name="weight">Its weight in the fusion (positive and finite; checked when the query runs).</param>
    /// <exception cref="ArgumentNullException"><paramref name="vectorName"/> or <paramref name="query"/> is null.</exception>
    public static Prefetch MultiVector(string vectorName, IReadOnlyList<ReadOnlyMemory<float>> query, int limit = 50, Filter? filter = null, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(vectorName);
        ArgumentNullException.ThrowIfNull(query);
        return new Prefetch(ReadOnlyMemory<float>.Empty) { VectorName = vectorName, MultiVectorQuery = query, Limit = limit, Filter = filter, Weight = weight };
    }

    /// <summary>Which named vector to search; null when the collection has only one. For a sparse or multi-vector prefetch, its space.</summary>
    public string? VectorName { get; init; }

    /// <summary>How many candidates this retriever contributes to the fusion (default 50, at most 10,000).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>This retriever's own filter, applied together with <see cref="HybridQuery.Filter"/>.</summary>
    public Filter? Filter { get; init; }

    /// <summary>The weight of this retriever's list in the fusion (default 1; must be positive and finite).</summary>
    public float Weight { get; init; } = 1f;

    /// <summary>HNSW search breadth for this retriever; null for the collection's setting.</summary>
    public int? Ef { get; init; }

    /// <summary>Search exactly (a scan) instead of through the index.</summary>
    public bool Exact { get; init; }

    /// <summary>For a full-text retriever: the text index to search; null for a dense one.</summary>
    public string? TextIndex { get; private init; }

    /// <summary>For a full-text retriever: the query (syntax of <see cref="Collection.SearchText"/>).</summary>
    public string? TextQuery { get; private init; }

    /// <summary>
    /// A full-text retriever: BM25 search of <paramref name="query"/> on the text index <paramref name="index"/>, with
    /// its own <paramref name="limit"/>, <paramref name="filter"/> and <paramref name="weight"/> (as <see cref="Limit"/>,
    /// <see cref="Filter"/> and <see cref="Weight"/> of a dense one; <see cref="Ef"/> and <see cref="Exact"/> do not apply).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="index"/> or <paramref name="query"/> is null.</exception>
    public static Prefetch Text(string index, string query, int limit = 50, Filter? filter = null, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(query);
        return new Prefetch(ReadOnlyMemory<float>.Empty) { TextIndex = index, TextQuery = query, Limit = limit, Filter = filter, Weight = weight };
    }
}
