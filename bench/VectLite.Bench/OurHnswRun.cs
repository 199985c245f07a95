namespace VectLite.Bench;

/// <summary>One run of VectLite: the two timed ingests, the single-threaded ef sweep, the checkpoint and the reopen.</summary>
/// <param name="Threads">Build threads (<see cref="HnswOptions.MaxInsertThreads"/>).</param>
/// <param name="PlainIngest">One <c>UpsertMany</c> of all base vectors plus <c>Flush</c> with <see cref="HnswOptions.Disabled"/>: log and arena only.</param>
/// <param name="IndexedIngest">The same with the index enabled: the graph is built by one parallel bulk insert inside the call.</param>
/// <param name="Points">The search sweep, in the order of the ef list.</param>
/// <param name="Checkpoint">The <c>Compact()</c> that writes the checkpoint (with the graph file) before closing.</param>
/// <param name="Reopen">Database.Open + GetCollection + the first search, on the checkpointed database.</param>
/// <param name="Built">The index's stats right after the indexed ingest.</param>
/// <param name="Reopened">The index's stats after the reopen (its <c>Origin</c> should be "loaded": no rebuild).</param>
internal sealed record OurHnswRun(
    int Threads,
    TimeSpan PlainIngest,
    TimeSpan IndexedIngest,
    IReadOnlyList<HnswSearchPoint> Points,
    TimeSpan Checkpoint,
    TimeSpan Reopen,
    VectorIndexStats Built,
    VectorIndexStats Reopened)
{
    /// <summary>Indexed minus plain ingest: the time the graph build added.</summary>
    public TimeSpan GraphBuild => IndexedIngest - PlainIngest;
}
