namespace VectLite;

/// <summary>One retriever of a <see cref="HybridQuery"/>: a dense nearest-neighbour search on one named vector.</summary>
/// <param name="vector">The query vector; its length is the named vector's dimension.</param>
public sealed class Prefetch(ReadOnlyMemory<float> vector)
{
    /// <summary>The query vector.</summary>
    public ReadOnlyMemory<float> Vector { get; } = vector;

    /// <summary>Which named vector to search; null when the collection has only one.</summary>
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
}
