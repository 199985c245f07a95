namespace VectLite;

/// <summary>
/// Maximal marginal relevance: picks hits one by one, each maximising
/// <c>Lambda * relevance - (1 - Lambda) * (highest cosine similarity to a hit already picked)</c>, where relevance is the
/// fused score min-max normalised to [0, 1] over the candidates. Trades a little relevance for less redundancy.
/// </summary>
public sealed class MmrOptions
{
    /// <summary>1 keeps the fused order; 0 picks for diversity alone. Default 0.5; must be in [0, 1].</summary>
    public float Lambda { get; init; } = 0.5f;

    /// <summary>How many of the best fused candidates MMR chooses from (default 100; at least the query's TopK).</summary>
    public int Candidates { get; init; } = 100;

    /// <summary>The named vector whose similarity measures redundancy; null when the collection has only one.</summary>
    public string? VectorName { get; init; }
}
