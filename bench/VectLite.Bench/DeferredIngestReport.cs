namespace VectLite.Bench;

/// <summary>The Markdown report of <c>ingest --deferred</c>: both modes' runs, medians, the ratio, and the verdicts.</summary>
internal static class DeferredIngestReport
{
    /// <summary>The target: single-record writes with deferred indexing at least this many times faster.</summary>
    public const double TargetSpeedup = 5.0;

    /// <summary>Writes the report to <paramref name="output"/> and prints it.</summary>
    public static void Write(MachineInfo machine, DeferredIngestRunner runner, IReadOnlyList<DeferredIngestResult> results, string output)
    {
        var report = new MarkdownReport("VectLite single-record ingest: immediate vs deferred indexing", machine);
        report.Paragraph(
            $"{Format.Count(runner.Records)} single-record `Upsert` calls of {runner.Dimension}-d synthetic Gaussian vectors (seeded; " +
            $"the same vectors in both modes, no payload) into a fresh cosine collection with the default HNSW settings (M 16, " +
            $"ef_construction 200), sync mode {runner.SyncMode}, timed to the final `Database.Flush()`: what a writer waits for. " +
            "Immediate: each write inserts its vector into the graph before it returns. Deferred (`HnswOptions.Indexing = " +
            "IndexingMode.Deferred`, default batch 1,000): a write returns once logged and applied; the background indexer " +
            "inserts in batches (in parallel past ParallelInsertThreshold), and the catch-up is the time from the flush to " +
            "`WaitForIndexing()` returning. Recall@10 after the catch-up, " + (runner.Ef > 0 ? $"ef {runner.Ef}" : "default ef") + ", against a brute force of the normalised " +
            $"vectors ({runner.Queries} queries); q/s on one thread. Modes alternate within each round.");

        report.Heading("Runs");
        report.Table(
            ["Mode", "Round", "Writes/s", "Write time", "Lag at flush", "Catch-up", "Indexed records/s (writes + catch-up)", "Recall@10", "q/s"],
            results.Select((r, i) => (IReadOnlyList<string>)
            [
                r.Mode.ToString(), (i / 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Format.Count(r.WritesPerSecond),
                Format.Seconds(r.Writes), Format.Count(r.LagAtFlush), Format.Seconds(r.CatchUp), Format.Count(r.IndexedPerSecond),
                Format.Recall(r.RecallAt10), Format.Count(r.QueriesPerSecond),
            ]));

        List<DeferredIngestResult> immediate = [.. results.Where(r => r.Mode == IndexingMode.Immediate)];
        List<DeferredIngestResult> deferred = [.. results.Where(r => r.Mode == IndexingMode.Deferred)];
        double immediateWrites = Statistics.Median(immediate.Select(r => r.WritesPerSecond));
        double deferredWrites = Statistics.Median(deferred.Select(r => r.WritesPerSecond));
        double speedup = deferredWrites / immediateWrites;
        double immediateRecall = Statistics.Median(immediate.Select(r => r.RecallAt10));
        double deferredRecall = Statistics.Median(deferred.Select(r => r.RecallAt10));
        // Same top-10 list, query by query, between the first run of each mode (parallel inserts make graphs differ in
        // detail, so identical lists are not expected everywhere; recall is the measure).
        double sameLists = immediate[0].TopKLists.Zip(deferred[0].TopKLists, (a, b) => a.SequenceEqual(b) ? 1.0 : 0.0).Average();

        report.Heading("Medians");
        report.Bullets(
        [
            $"Writes/s: immediate {Format.Count(immediateWrites)}, deferred {Format.Count(deferredWrites)}: **{Format.Ratio(speedup)}**",
            $"Deferred catch-up after the flush: {Format.Seconds(TimeSpan.FromSeconds(Statistics.Median(deferred.Select(r => r.CatchUp.TotalSeconds))))}; " +
            $"indexed records/s (writes + catch-up): immediate {Format.Count(Statistics.Median(immediate.Select(r => r.IndexedPerSecond)))}, " +
            $"deferred {Format.Count(Statistics.Median(deferred.Select(r => r.IndexedPerSecond)))}",
            $"Recall@10 after catch-up: immediate {Format.Recall(immediateRecall)}, deferred {Format.Recall(deferredRecall)}; " +
            $"identical top-10 lists (first round): {Format.Percent(sameLists)} of queries",
        ]);

        report.Heading("Targets");
        report.Bullets(
        [
            $"Deferred single-record writes >= {Format.Ratio(TargetSpeedup)} immediate: {Format.Ratio(speedup)}: **{Format.Verdict(speedup >= TargetSpeedup)}**",
            $"Recall@10 after catch-up within 0.01 of immediate: {Format.Recall(deferredRecall)} vs {Format.Recall(immediateRecall)}: " +
            $"**{Format.Verdict(Math.Abs(deferredRecall - immediateRecall) <= 0.01)}**",
        ]);
        report.Save(output);
    }
}
