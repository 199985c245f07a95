namespace VectLite.Bench;

/// <summary>One ef of a single-threaded search sweep, as either side measured it.</summary>
/// <param name="Ef">The search candidate list size.</param>
/// <param name="Queries">Queries timed.</param>
/// <param name="Recall">Recall@10 against the ground truth.</param>
/// <param name="QueriesPerSecond">Queries per second on one thread (all queries, back to back).</param>
/// <param name="P50Milliseconds">Median latency of one query.</param>
/// <param name="P99Milliseconds">99th-percentile latency (the sorted latency at index floor(0.99 n), as the peer takes it).</param>
internal sealed record HnswSearchPoint(int Ef, int Queries, double Recall, double QueriesPerSecond, double P50Milliseconds, double P99Milliseconds)
{
    /// <summary>The point whose every number is the median of <paramref name="points"/> (all for the same ef).</summary>
    public static HnswSearchPoint Median(IReadOnlyList<HnswSearchPoint> points) => new(
        points[0].Ef,
        points[0].Queries,
        Statistics.Median(points.Select(p => p.Recall)),
        Statistics.Median(points.Select(p => p.QueriesPerSecond)),
        Statistics.Median(points.Select(p => p.P50Milliseconds)),
        Statistics.Median(points.Select(p => p.P99Milliseconds)));
}
