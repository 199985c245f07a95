namespace VectLite.Bench;

/// <summary>Turns ingest results into the Markdown report: per-configuration table, ratios to PerOp, the verdict.</summary>
internal static class IngestReport
{
    /// <summary>Writes the report to <paramref name="output"/> and prints it.</summary>
    public static void Write(MachineInfo machine, IReadOnlyList<IngestResult> results, int repeats, IngestRunner runner, string output)
    {
        var report = new MarkdownReport("VectLite ingest throughput by WAL sync mode", machine);
        report.Paragraph(
            "Each run opens a fresh database in a new temporary folder, creates one cosine collection, and times " +
            "single-record `Upsert` calls (one WAL batch per call, the unit the sync modes count) of random vectors " +
            "with a ~30-byte JSON payload, ending with `Database.Flush()` inside the timing so every mode finishes " +
            "durable. The reference row writes `UpsertMany` batches of " + Format.Count(IngestCommand.ReferenceBatchSize) +
            " under PerOp. Record counts are calibrated by discarded pilot runs so a run lasts about " +
            $"{Format.Number(runner.TargetSeconds)} s (at most {Format.Bytes(IngestRunner.MaxVectorBytesPerRun)} of vectors); each " +
            $"configuration runs {repeats} time(s) and the median is reported. MB/s counts vector data only " +
            "(dimension x 4 bytes per record, MB = 10^6 bytes). HNSW index: " +
            (runner.WithoutIndex
                ? "none (`--without-index`: MinIndexedVectors = int.MaxValue), so this times the log and storage path alone."
                : "the schema's default (built past MinIndexedVectors and kept current on every write, inside the timing)."));

        report.Heading("Results");
        report.Table(
            ["Dims", "Configuration", "Records per run", "Runs (records/s)", "Median s per run", "Median records/s", "Median MB/s"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Configuration.Dimension.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Configuration.Label,
                Format.Count(r.Samples[0].Records),
                string.Join(", ", r.Samples.Select(s => Format.Count(s.RecordsPerSecond))),
                Format.Number(Statistics.Median(r.Samples.Select(s => s.Elapsed.TotalSeconds)), 2),
                Format.Count(r.MedianRecordsPerSecond),
                Format.Number(r.MedianMegabytesPerSecond),
            ]));

        report.Heading("Ratios to single-record PerOp (median records/s)");
        var verdicts = new List<string>();
        var ratioRows = new List<IReadOnlyList<string>>();
        bool allPass = true;
        foreach (IGrouping<int, IngestResult> group in results.GroupBy(r => r.Configuration.Dimension))
        {
            double perOp = Find(group, SyncModeKind.PerOp, 1).MedianRecordsPerSecond;
            double everyN = Find(group, SyncModeKind.EveryN, 1).MedianRecordsPerSecond / perOp;
            double onFlush = Find(group, SyncModeKind.OnFlush, 1).MedianRecordsPerSecond / perOp;
            double batched = Find(group, SyncModeKind.PerOp, IngestCommand.ReferenceBatchSize).MedianRecordsPerSecond / perOp;
            ratioRows.Add([group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.Ratio(everyN), Format.Ratio(onFlush), Format.Ratio(batched)]);

            bool pass = onFlush >= IngestCommand.TargetOnFlushOverPerOp;
            allPass &= pass;
            verdicts.Add($"{group.Key}-d: OnFlush / PerOp = {Format.Ratio(onFlush)} (target >= {Format.Ratio(IngestCommand.TargetOnFlushOverPerOp)}): **{Format.Verdict(pass)}**");
        }
        report.Table(["Dims", $"EveryN({IngestCommand.EveryNInterval}) / PerOp", "OnFlush / PerOp", $"UpsertMany x {Format.Count(IngestCommand.ReferenceBatchSize)} / PerOp"], ratioRows);

        report.Heading("Target: OnFlush ingest at least 5x PerOp");
        verdicts.Add($"Overall: **{Format.Verdict(allPass)}**");
        report.Bullets(verdicts);
        report.Paragraph(
            "PerOp is bound by the fsync latency of the disk under the temporary folder (see the machine table); on a " +
            "virtual disk that acknowledges fsync from a host cache the PerOp baseline, and so every ratio, differs " +
            "from a physical disk's.");
        report.Save(output);
    }

    private static IngestResult Find(IEnumerable<IngestResult> results, SyncModeKind kind, int batchSize) =>
        results.First(r => r.Configuration.SyncMode.Kind == kind && r.Configuration.BatchSize == batchSize);
}
