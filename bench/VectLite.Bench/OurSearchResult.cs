namespace VectLite.Bench;

/// <summary>One timed round of VectLite exact searches.</summary>
/// <param name="Queries">Queries timed.</param>
/// <param name="Elapsed">Wall time for all of them, one thread.</param>
/// <param name="Recall">Recall@10 against the ground truth.</param>
internal sealed record OurSearchResult(int Queries, TimeSpan Elapsed, double Recall)
{
    /// <summary>Queries per second.</summary>
    public double QueriesPerSecond => Queries / Elapsed.TotalSeconds;
}
