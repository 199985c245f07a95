namespace VectLite;

/// <summary>How a <see cref="HybridQuery"/> fuses its prefetches' ranked lists into one.</summary>
public sealed class FusionMethod
{
    private FusionMethod(FusionKind kind, int k)
    {
        Kind = kind;
        K = k;
    }

    /// <summary>Which fusion.</summary>
    public FusionKind Kind { get; }

    /// <summary>Reciprocal rank fusion's k (the rank offset that damps the top ranks); 0 for the other kinds.</summary>
    public int K { get; }

    /// <summary>
    /// Reciprocal rank fusion: a record scores the sum over the lists it appears in of weight / (k + rank), rank
    /// starting at 1. Uses ranks only, so retrievers with incomparable scores fuse well. k = 60 is the usual choice.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public static FusionMethod ReciprocalRank(int k = 60)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return new FusionMethod(FusionKind.ReciprocalRank, k);
    }

    /// <summary>
    /// Distribution-based score fusion (as Qdrant's DBSF): each list's scores are normalised by its mean and standard
    /// deviation (mean - 3 sd maps to 0, mean + 3 sd to 1, clamped), then summed with the weights.
    /// </summary>
    public static FusionMethod DistributionBased() => new(FusionKind.DistributionBased, 0);

    /// <summary>Linear: each list's scores are min-max normalised to [0, 1], then summed with the weights.</summary>
    public static FusionMethod Linear() => new(FusionKind.Linear, 0);

    /// <inheritdoc/>
    public override string ToString() => Kind == FusionKind.ReciprocalRank ? $"ReciprocalRank(k={K})" : Kind.ToString();
}
