namespace VectLite;

/// <summary>The kinds of <see cref="FusionMethod"/>.</summary>
public enum FusionKind
{
    /// <summary><see cref="FusionMethod.ReciprocalRank"/>.</summary>
    ReciprocalRank = 0,

    /// <summary><see cref="FusionMethod.DistributionBased"/>.</summary>
    DistributionBased = 1,

    /// <summary><see cref="FusionMethod.Linear"/>.</summary>
    Linear = 2,
}
