using Microsoft.Extensions.VectorData;

namespace VectLite.VectorData;

/// <summary>
/// Maps MEVD distance functions to engine metrics, and engine scores (always higher-is-better) to the score each
/// distance function defines.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Distance function</term><description>Engine metric; MEVD score from engine score s</description></listheader>
/// <item><term>CosineSimilarity (the default)</term><description>Cosine; s (higher is closer)</description></item>
/// <item><term>CosineDistance</term><description>Cosine; 1 - s (lower is closer)</description></item>
/// <item><term>DotProductSimilarity</term><description>Dot; s (higher is closer)</description></item>
/// <item><term>NegativeDotProductSimilarity</term><description>Dot; -s (lower is closer)</description></item>
/// <item><term>EuclideanDistance</term><description>L2, whose score is the negated distance; -s (lower is closer)</description></item>
/// <item><term>EuclideanSquaredDistance</term><description>L2; s * s (lower is closer)</description></item>
/// <item><term>ManhattanDistance</term><description>L1, whose score is the negated distance; -s (lower is closer)</description></item>
/// </list>
/// Every mapping is monotonic, so the engine's best-first order is also MEVD's best-first order, and a score
/// threshold becomes an engine threshold.
/// </remarks>
internal static class VectLiteDistanceMapping
{
    /// <summary>The distance function used when a vector property names none.</summary>
    public const string DefaultDistanceFunction = DistanceFunction.CosineSimilarity;

    /// <summary>The distance functions VectLite supports, for error messages.</summary>
    public const string SupportedDistanceFunctions =
        "CosineSimilarity, CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, EuclideanDistance, EuclideanSquaredDistance, ManhattanDistance";

    /// <summary>The engine metric for a distance function (null: the default).</summary>
    /// <exception cref="NotSupportedException">The engine has no such metric (HammingDistance, or an unknown name).</exception>
    public static Metric ToMetric(string? distanceFunction, string propertyName) => (distanceFunction ?? DefaultDistanceFunction) switch
    {
        DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => Metric.Cosine,
        DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => Metric.Dot,
        DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => Metric.L2,
        DistanceFunction.ManhattanDistance => Metric.L1,
        DistanceFunction.HammingDistance => throw new NotSupportedException(
            $"Vector property '{propertyName}' uses distance function HammingDistance, which VectLite does not support (it has cosine, dot, L2 and L1 metrics). Supported: {SupportedDistanceFunctions}."),
        _ => throw new NotSupportedException(
            $"Vector property '{propertyName}' uses distance function '{distanceFunction}', which VectLite does not support. Supported: {SupportedDistanceFunctions}."),
    };

    /// <summary>True when a higher score means closer (similarities); false for distances.</summary>
    public static bool HigherIsBetter(string? distanceFunction) =>
        (distanceFunction ?? DefaultDistanceFunction) is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity;

    /// <summary>The MEVD score for an engine score.</summary>
    public static double ToScore(string? distanceFunction, float engineScore)
    {
        double s = engineScore;
        return (distanceFunction ?? DefaultDistanceFunction) switch
        {
            DistanceFunction.CosineDistance => 1d - s,
            DistanceFunction.NegativeDotProductSimilarity or DistanceFunction.EuclideanDistance or DistanceFunction.ManhattanDistance => -s,
            DistanceFunction.EuclideanSquaredDistance => s * s,
            _ => s,
        };
    }

    /// <summary>
    /// The engine threshold (keep engine scores at or above it) equivalent to the MEVD threshold
    /// <paramref name="threshold"/> (keep scores at or above it for similarities, at or below it for distances).
    /// NaN when no score can pass (a negative squared distance).
    /// </summary>
    public static double ToEngineThreshold(string? distanceFunction, double threshold) => (distanceFunction ?? DefaultDistanceFunction) switch
    {
        DistanceFunction.CosineDistance => 1d - threshold,
        DistanceFunction.NegativeDotProductSimilarity or DistanceFunction.EuclideanDistance or DistanceFunction.ManhattanDistance => -threshold,
        DistanceFunction.EuclideanSquaredDistance => threshold < 0 ? double.NaN : -Math.Sqrt(threshold),
        _ => threshold,
    };

    /// <summary>Whether an MEVD score passes an MEVD threshold, in the distance function's direction.</summary>
    public static bool Passes(string? distanceFunction, double score, double threshold) =>
        HigherIsBetter(distanceFunction) ? score >= threshold : score <= threshold;
}
