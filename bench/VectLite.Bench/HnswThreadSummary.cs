namespace VectLite.Bench;

/// <summary>The medians over the rounds of one build-thread variant of one metric: what the report tables show.</summary>
/// <param name="Threads">Build threads on both sides.</param>
/// <param name="Rounds">The rounds summarised.</param>
/// <param name="PeerBuildSeconds">hnswlib's build time.</param>
/// <param name="PlainIngestSeconds">VectLite ingest without an index.</param>
/// <param name="IndexedIngestSeconds">VectLite ingest with the graph built inside it: VectLite's build time.</param>
/// <param name="GraphBuildSeconds">Indexed minus plain ingest.</param>
/// <param name="PeerPoints">hnswlib's sweep, sorted by ef; each number the median over the rounds.</param>
/// <param name="OurPoints">VectLite's sweep, likewise.</param>
/// <param name="CheckpointSeconds">VectLite's checkpoint (<c>Compact()</c>) before closing.</param>
/// <param name="ReopenSeconds">VectLite's reopen: Database.Open + GetCollection + first search.</param>
/// <param name="GraphMemoryBytes">VectLite's <see cref="VectorIndexStats.MemoryBytes"/> after the build.</param>
/// <param name="ReopenedGraphMemoryBytes">The same after the reopen.</param>
/// <param name="ReopenOrigins">The distinct <see cref="VectorIndexStats.Origin"/> values seen after reopening.</param>
internal sealed record HnswThreadSummary(
    int Threads,
    IReadOnlyList<HnswRound> Rounds,
    double PeerBuildSeconds,
    double PlainIngestSeconds,
    double IndexedIngestSeconds,
    double GraphBuildSeconds,
    IReadOnlyList<HnswSearchPoint> PeerPoints,
    IReadOnlyList<HnswSearchPoint> OurPoints,
    double CheckpointSeconds,
    double ReopenSeconds,
    long GraphMemoryBytes,
    long ReopenedGraphMemoryBytes,
    IReadOnlyList<string> ReopenOrigins)
{
    /// <summary>VectLite's build time over hnswlib's (lower is better; the target is at most 1).</summary>
    public double BuildRatio => IndexedIngestSeconds / PeerBuildSeconds;

    /// <summary>Reopen time as a share of VectLite's build time.</summary>
    public double ReopenShareOfBuild => ReopenSeconds / IndexedIngestSeconds;

    /// <summary>True when every reopen loaded the graph from the checkpoint instead of rebuilding it.</summary>
    public bool AlwaysLoaded => ReopenOrigins.Count == 1 && ReopenOrigins[0] == "loaded";

    /// <summary>Summarises <paramref name="rounds"/> (all of the same build-thread count, at least one).</summary>
    public static HnswThreadSummary From(IReadOnlyList<HnswRound> rounds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rounds.Count);
        return new HnswThreadSummary(
            rounds[0].Threads,
            rounds,
            Statistics.Median(rounds.Select(r => r.Peer.BuildSeconds)),
            Statistics.Median(rounds.Select(r => r.Ours.PlainIngest.TotalSeconds)),
            Statistics.Median(rounds.Select(r => r.Ours.IndexedIngest.TotalSeconds)),
            Statistics.Median(rounds.Select(r => r.Ours.GraphBuild.TotalSeconds)),
            MedianSweep(rounds.Select(r => r.Peer.Points)),
            MedianSweep(rounds.Select(r => r.Ours.Points)),
            Statistics.Median(rounds.Select(r => r.Ours.Checkpoint.TotalSeconds)),
            Statistics.Median(rounds.Select(r => r.Ours.Reopen.TotalSeconds)),
            (long)Statistics.Median(rounds.Select(r => (double)r.Ours.Built.MemoryBytes)),
            (long)Statistics.Median(rounds.Select(r => (double)r.Ours.Reopened.MemoryBytes)),
            [.. rounds.Select(r => r.Ours.Reopened.Origin).Distinct()]);
    }

    /// <summary>Per ef (sorted ascending), the point of medians over the sweeps.</summary>
    private static List<HnswSearchPoint> MedianSweep(IEnumerable<IReadOnlyList<HnswSearchPoint>> sweeps) =>
        [.. sweeps
            .SelectMany(s => s)
            .GroupBy(p => p.Ef)
            .OrderBy(g => g.Key)
            .Select(g => HnswSearchPoint.Median([.. g]))];
}
