using System.Globalization;

namespace VectLite.Bench;

/// <summary>Turns the exact-scan rounds into the Markdown report: ingest, each round, medians, ratio, verdict.</summary>
internal static class ExactScanReport
{
    /// <summary>Writes the report to <paramref name="output"/> and prints it.</summary>
    public static void Write(MachineInfo machine, string dataDirectory, ExactIngestSummary ingest, IReadOnlyList<ExactScanRound> rounds, string output)
    {
        var report = new MarkdownReport("VectLite exact scan vs hnswlib SIMD flat scan (fashion-mnist-784, L2, k = 10)", machine);
        ExactScanRound first = rounds[0];
        report.Paragraph(
            $"Data: `{dataDirectory}` ({Format.Count(ingest.Records)} base vectors x {ingest.Dimension}, ground truth from gt.ivecs). " +
            $"VectLite: one collection (Metric.L2) loaded with `UpsertMany` batches of {Format.Count(ExactScanTarget.IngestBatchSize)} " +
            "under SyncMode.OnFlush with no HNSW graph (MinIndexedVectors = int.MaxValue), then " +
            "`Search(query, new SearchOptions { TopK = 10, IncludePayload = false, Exact = true })` for the first " +
            $"{Format.Count(first.Ours.Queries)} queries, one thread, after {ExactScanCommand.WarmupQueries} untimed warm-up queries each round. " +
            $"Peer: `hnswlib_peer.sh DIR --flat` ({first.Peer.Peer}, C++ -O3 -march=native, a fresh process each round, " +
            $"timing its first {Format.Count(first.Peer.Queries)} queries, one thread). Rounds alternate peer then VectLite to even out machine noise.");

        report.Heading("Ingest (VectLite)");
        report.Table(["Records", "Vector data", "Ingest + flush", "Records/s", "Peak working set after ingest", "Working set after releasing the harness's copy"],
        [
            [
                Format.Count(ingest.Records),
                Format.Bytes(ingest.VectorBytes),
                Format.Seconds(ingest.IngestTime),
                Format.Count(ingest.RecordsPerSecond),
                $"{Format.Bytes(ingest.PeakWorkingSetBytes)} (includes the harness's {Format.Bytes(ingest.HarnessCopyBytes)} copy of base.fvecs)",
                ingest.SteadyWorkingSetBytes < 0 ? "not measured" : Format.Bytes(ingest.SteadyWorkingSetBytes),
            ],
        ]);

        report.Heading("Search rounds");
        double scanBytes = (double)ingest.Records * ingest.Dimension * sizeof(float);
        var rows = rounds.Select(r => (IReadOnlyList<string>)
        [
            r.Number.ToString(CultureInfo.InvariantCulture),
            Format.Number(r.Peer.QueriesPerSecond),
            Format.Recall(r.Peer.Recall),
            Format.Number(r.Ours.QueriesPerSecond),
            Format.Recall(r.Ours.Recall),
            Format.Number(r.Ours.QueriesPerSecond * scanBytes / 1e9, 2),
            Format.Ratio(r.Ratio),
        ]).ToList();
        double peerMedian = Statistics.Median(rounds.Select(r => r.Peer.QueriesPerSecond));
        double oursMedian = Statistics.Median(rounds.Select(r => r.Ours.QueriesPerSecond));
        double ratio = oursMedian / peerMedian;
        rows.Add(
        [
            "**median**",
            $"**{Format.Number(peerMedian)}**",
            Format.Recall(Statistics.Median(rounds.Select(r => r.Peer.Recall))),
            $"**{Format.Number(oursMedian)}**",
            Format.Recall(Statistics.Median(rounds.Select(r => r.Ours.Recall))),
            Format.Number(oursMedian * scanBytes / 1e9, 2),
            $"**{Format.Ratio(ratio)}**",
        ]);
        report.Table(["Round", "Peer q/s", "Peer recall@10", "VectLite q/s", "VectLite recall@10", "VectLite scan GB/s", "VectLite / peer"], rows);

        report.Heading("Target: VectLite's exact scan within 1.2x of the peer's queries/s");
        bool pass = ratio >= ExactScanCommand.TargetRatio;
        report.Bullets(
        [
            $"VectLite / peer (median queries/s) = {Format.Ratio(ratio)} (target >= {ExactScanCommand.TargetRatio:0.000}, i.e. within 1.2x): **{Format.Verdict(pass)}**",
        ]);
        if (first.Ours.Queries != first.Peer.Queries)
        {
            report.Paragraph($"Note: VectLite timed {Format.Count(first.Ours.Queries)} queries per round and the peer {Format.Count(first.Peer.Queries)}; " +
                "queries/s compare directly (every exact query scans all rows), recall is over different query sets.");
        }
        report.Save(output);
    }
}
