namespace VectLite;

/// <summary>
/// A query that runs several retrievers (<see cref="Prefetch"/>es, each a dense search on any named vector, a sparse
/// search (<see cref="Prefetch.Sparse"/>), a multi-vector MaxSim search (<see cref="Prefetch.MultiVector"/>) or a BM25
/// full-text search (<see cref="Prefetch.Text"/>), with its own limit and filter), fuses their ranked lists (<see cref="FusionMethod"/>), then optionally diversifies the result
/// (<see cref="Mmr"/>) and cuts it at a score threshold. Run it with <see cref="Collection.Query"/>.
/// </summary>
/// <remarks>
/// Every prefetch reads the same snapshot of the collection. The hits' scores are the fused scores (for RRF, the sum of
/// weight / (k + rank) over the lists a record appears in), not the retrievers' own scores.
/// <code>
/// var result = docs.Query(new HybridQuery
/// {
///     Prefetches = [new Prefetch(titleEmbedding) { VectorName = "title", Limit = 50 },
///                   new Prefetch(bodyEmbedding) { VectorName = "body", Limit = 50, Weight = 2 }],
///     Fusion = FusionMethod.ReciprocalRank(k: 60),
///     Mmr = new MmrOptions { Lambda = 0.7f, VectorName = "body" },
///     TopK = 10,
/// });
/// </code>
/// </remarks>
public sealed class HybridQuery
{
    /// <summary>The most prefetches one query may have.</summary>
    public const int MaxPrefetches = 16;

    /// <summary>The retrievers to run and fuse: at least one, at most <see cref="MaxPrefetches"/>.</summary>
    public IReadOnlyList<Prefetch> Prefetches { get; init; } = [];

    /// <summary>How the prefetches' lists are fused; reciprocal rank fusion with k = 60 by default.</summary>
    public FusionMethod Fusion { get; init; } = FusionMethod.ReciprocalRank();

    /// <summary>How many hits to return (after fusion, diversification and the threshold). Default 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Diversify the fused candidates by maximal marginal relevance; null (the default) for none.</summary>
    public MmrOptions? Mmr { get; init; }

    /// <summary>Drop hits whose fused score is below this; null for no threshold.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>A filter every prefetch applies, in addition to its own.</summary>
    public Filter? Filter { get; init; }

    /// <summary>The namespace to search; null (the default) and "" mean the default namespace, as in every call.</summary>
    public string? Namespace { get; init; }

    /// <summary>Search every namespace (then <see cref="Namespace"/> must be null).</summary>
    public bool AllNamespaces { get; init; }

    /// <summary>Return payloads with the hits (default true).</summary>
    public bool IncludePayload { get; init; } = true;

    /// <summary>Return every named vector with the hits (default false).</summary>
    public bool IncludeVectors { get; init; }
}
