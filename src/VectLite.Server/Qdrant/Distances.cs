using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's distance names and score direction against VectLite's metrics. VectLite scores are higher-is-better for
/// every metric (cosine similarity, dot product, negated L2 or L1 distance); Qdrant returns the similarity for Cosine and
/// Dot but the distance itself, smaller is better, for Euclid and Manhattan. The server converts in both directions:
/// scores out, and <c>score_threshold</c> in.
/// </summary>
internal static class Distances
{
    /// <summary>The VectLite metric for a Qdrant distance name (Qdrant's spelling, case-sensitive as in its API).</summary>
    public static Metric Parse(string? distance) => distance switch
    {
        "Cosine" => Metric.Cosine,
        "Euclid" => Metric.L2,
        "Dot" => Metric.Dot,
        "Manhattan" => Metric.L1,
        null => throw QdrantException.BadRequest("a vector's `distance` is required (Cosine, Euclid, Dot or Manhattan)"),
        _ => throw QdrantException.BadRequest($"unknown distance `{distance}`: expected Cosine, Euclid, Dot or Manhattan"),
    };

    /// <summary>The Qdrant name of a VectLite metric.</summary>
    public static string Name(Metric metric) => metric switch
    {
        Metric.Cosine => "Cosine",
        Metric.L2 => "Euclid",
        Metric.Dot => "Dot",
        Metric.L1 => "Manhattan",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>True when Qdrant orders this metric by ascending distance (Euclid, Manhattan).</summary>
    public static bool IsDistance(Metric metric) => metric is Metric.L2 or Metric.L1;

    /// <summary>The score Qdrant reports for a VectLite score: the same similarity, or the distance (VectLite's negated score).</summary>
    /// <remarks>A float, as Qdrant's scores are, so it is written in the shortest form that round-trips (0.9938837, not 0.9938837289810181).</remarks>
    public static float ToQdrant(Metric metric, float score) => IsDistance(metric) ? -score : score;

    /// <summary>
    /// VectLite's <see cref="SearchOptions.ScoreThreshold"/> for a Qdrant <c>score_threshold</c>: the same bound for
    /// similarities (keep score &gt;= t), the negated bound for distances (keep distance &lt;= t).
    /// </summary>
    public static float FromQdrantThreshold(Metric metric, double threshold) => (float)(IsDistance(metric) ? -threshold : threshold);
}
