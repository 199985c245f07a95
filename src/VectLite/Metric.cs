namespace VectLite;

/// <summary>
/// How two vectors are compared. Every search score in VectLite is "higher is better", whatever the metric.
/// </summary>
public enum Metric
{
    /// <summary>
    /// Cosine similarity, in [-1, 1]: the angle only, so a vector's length does not change its score. Vectors are
    /// stored as written and read back bit for bit (not normalised); a zero vector is rejected.
    /// </summary>
    Cosine = 0,

    /// <summary>Euclidean distance. The score is the negated distance, so the nearest vector scores highest (0 for an exact match).</summary>
    L2 = 1,

    /// <summary>Dot (inner) product, unnormalised. The score is the dot product itself.</summary>
    Dot = 2,

    /// <summary>Manhattan (L1) distance. The score is the negated distance.</summary>
    L1 = 3,
}
