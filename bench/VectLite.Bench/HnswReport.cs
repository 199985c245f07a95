using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// Turns the HNSW benchmark's results into the Markdown report (build, search sweep, queries/s at fixed recall,
/// reopen, memory, verdicts) and one recall/queries-per-second SVG chart per metric beside it.
/// </summary>
internal static class HnswReport
{
    /// <summary>The target for VectLite's reopen time, as a share of its build time.</summary>
    public const double ReopenTargetShare = 0.05;

    /// <summary>The arena stores each vector padded to a multiple of this many floats.</summary>
    private const int ArenaStrideFloats = 16;

    private const string PeerColor = "#d95f02";
    private const string OurColor = "#1f62b4";

    /// <summary>Writes the report to <paramref name="output"/> and the charts beside it, and prints the report.</summary>
    public static void Write(MachineInfo machine, HnswSettings settings, string dataDirectory, IReadOnlyList<HnswVariantResult> results, TimeSpan runTime, string output)
    {
        var report = new MarkdownReport($"VectLite HNSW vs hnswlib ({settings.DataName}, k = 10)", machine);
        Describe(report, settings, dataDirectory, results, runTime);

        var verdicts = new List<string>();
        foreach (HnswVariantResult result in results)
        {
            string chart = ChartPath(output, result.Variant);
            WriteChart(settings, result, chart);
            WriteVariant(report, settings, result, Path.GetFileName(chart), verdicts);
        }

        report.Heading("Targets");
        report.Bullets(verdicts);
        report.Save(output);
    }

    /// <summary>The chart file for a variant: the report's name with "-l2" or "-cosine" and ".svg".</summary>
    public static string ChartPath(string output, HnswMetricVariant variant)
    {
        string full = Path.GetFullPath(output);
        return Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}-{variant.Name}.svg");
    }

    private static void Describe(MarkdownReport report, HnswSettings settings, string dataDirectory, IReadOnlyList<HnswVariantResult> results, TimeSpan runTime)
    {
        HnswVariantResult first = results[0];
        string efs = string.Join(", ", settings.Efs.Select(I));
        string threads = string.Join(" and ", settings.Threads.Select(I));
        report.Paragraph(
            $"Data: `{dataDirectory}`, {Format.Count(first.Vectors)} base vectors x {first.Dimension}; the first {Format.Count(first.Queries)} " +
            "queries of query.fvecs, the same for both sides (recall@10 against the ground truth of each metric, below). " +
            $"Both sides: M = {settings.M}, ef_construction = {settings.EfConstruction}, k = {HnswSettings.K}, ef = {efs}; " +
            $"one build per build-thread count ({threads}). Run time of the whole benchmark: {Format.Number(runTime.TotalMinutes)} min.");
        report.Bullets(
        [
            "**hnswlib** (0.6.2, the peer): `hnswlib_peer.sh DIR --metric l2|ip --M m --ef-construction efc --ef LIST --k 10 --build-threads T`, " +
            "C++ -O3 -march=native, a fresh process per build. Build time as it measures it: `addPoint` of every vector on T threads " +
            "(reading the files excluded). Then per ef every query once on one thread (it scores recall inside its timed loop: an " +
            "`unordered_set` of 10 ids per query).",
            "**VectLite**, through the public API, in a fresh database per step (`SyncMode.OnFlush`, temporary folder): " +
            "(a) one `UpsertMany` of all records (id = row number) plus `Database.Flush()` into a collection with " +
            "`HnswOptions.Disabled`: the log and the arena only; (b) the same into a collection with `HnswOptions { M, EfConstruction, " +
            $"MaxInsertThreads = T, ParallelInsertThreshold = {Format.Count(HnswSettings.ParallelInsertThreshold)} }}`, so the graph is built inside " +
            "that call by one parallel bulk insert. **VectLite's build time is (b)**, which also writes the log (fsynced by the flush) " +
            "and the arena, work hnswlib does not do; **graph build only** = (b) - (a).",
            $"VectLite search: after the automatic checkpoint the ingest started has finished (it writes the logged base set out in the background), per ef, untimed warm-up queries (at least {HnswSettings.WarmupQueries} and at least {HnswSettings.WarmupTime.TotalSeconds:N0} s, so the runtime has compiled the search's optimised code), then every query once on one thread with " +
            (settings.SpanSearch
                ? "`Search(query, buffer, options)` (the span overload: ids and scores into one reused `ScoredId[10]`, `--search-api span`) with "
                : "`Search(query, options)` (the list overload, `SearchHit` objects; `--search-api list`) with ") +
            "`options = new SearchOptions { TopK = 10, Ef = ef, IncludePayload = false }` made once per ef, each timed with a Stopwatch; recall " +
            "scored after the timing. Both sides: q/s = queries / total time; p50 = the sorted latencies at n/2, p99 at floor(0.99 n).",
            "VectLite reopen: after the sweep, `Compact()` (a checkpoint, which writes the graph file), dispose, then time " +
            "`Database.Open` + `GetCollection` + one search; `GetStats().VectorIndexes[0].Origin` must then be \"loaded\" (no rebuild).",
            "Queries/s at recall 0.95 and 0.99: interpolated linearly in recall between the two measured ef points that bracket it " +
            "(\"not reached\" when no ef gets there; \">=\" when even the smallest ef is above it, so a smaller ef would be faster).",
            settings.Rounds == 1
                ? "One round: the peer, then VectLite, per build-thread count."
                : $"{settings.Rounds} rounds, alternating the peer and VectLite per build-thread count; every number in the tables is the median over the rounds (per column).",
        ]);
    }

    private static void WriteVariant(MarkdownReport report, HnswSettings settings, HnswVariantResult result, string chartFile, List<string> verdicts)
    {
        string name = result.Variant.Name;
        report.Heading(result.Variant.Title);
        report.Paragraph($"Data: {result.Preparation}.");

        report.Heading("Build", 3);
        report.Table(
            ["Build threads", "hnswlib build", "VectLite build (b)", "VectLite / hnswlib", "VectLite ingest without index (a)", "Graph build only (b - a)", "Graph only / hnswlib"],
            result.Summaries.Select(s => (IReadOnlyList<string>)
            [
                I(s.Threads),
                Seconds(s.PeerBuildSeconds),
                Seconds(s.IndexedIngestSeconds),
                Format.Ratio(s.BuildRatio),
                Seconds(s.PlainIngestSeconds),
                Seconds(s.GraphBuildSeconds),
                Format.Ratio(s.GraphBuildSeconds / s.PeerBuildSeconds),
            ]));
        if (settings.Rounds > 1)
        {
            report.Table(
                ["Round", "Build threads", "hnswlib build", "VectLite build (b)", "VectLite ingest without index (a)", "VectLite reopen"],
                result.Summaries.SelectMany(s => s.Rounds).OrderBy(r => r.Number).Select(r => (IReadOnlyList<string>)
                [
                    I(r.Number),
                    I(r.Threads),
                    Seconds(r.Peer.BuildSeconds),
                    Format.Seconds(r.Ours.IndexedIngest),
                    Format.Seconds(r.Ours.PlainIngest),
                    Format.Milliseconds(r.Ours.Reopen),
                ]));
        }

        foreach (HnswThreadSummary s in result.Summaries)
        {
            report.Heading($"Search ({Format.Count(result.Queries)} queries, one thread; graph built with {Threads(s.Threads)})", 3);
            report.Table(
                ["ef", "hnswlib recall@10", "VectLite recall@10", "hnswlib q/s", "VectLite q/s", "VectLite / hnswlib q/s", "hnswlib p50 ms", "VectLite p50 ms", "hnswlib p99 ms", "VectLite p99 ms"],
                s.PeerPoints.Zip(s.OurPoints).Select(pair => (IReadOnlyList<string>)
                [
                    I(pair.First.Ef),
                    Format.Recall(pair.First.Recall),
                    Format.Recall(pair.Second.Recall),
                    Format.Number(pair.First.QueriesPerSecond),
                    Format.Number(pair.Second.QueriesPerSecond),
                    Format.Ratio(pair.Second.QueriesPerSecond / pair.First.QueriesPerSecond),
                    Format.Number(pair.First.P50Milliseconds, 3),
                    Format.Number(pair.Second.P50Milliseconds, 3),
                    Format.Number(pair.First.P99Milliseconds, 3),
                    Format.Number(pair.Second.P99Milliseconds, 3),
                ]));

            var rows = new List<IReadOnlyList<string>>();
            foreach (double recall in HnswSettings.TargetRecalls)
            {
                QpsAtRecall theirs = QpsAtRecall.From(s.PeerPoints, recall);
                QpsAtRecall ours = QpsAtRecall.From(s.OurPoints, recall);
                bool both = theirs.Reached && ours.Reached;
                double ratio = both ? ours.QueriesPerSecond!.Value / theirs.QueriesPerSecond!.Value : double.NaN;
                rows.Add([Format.Recall(recall), theirs.ToString(), ours.ToString(), both ? Format.Ratio(ratio) : "n/a"]);
                verdicts.Add($"{name}, graph built with {Threads(s.Threads)}: single-thread q/s at recall {recall.ToString("0.00", CultureInfo.InvariantCulture)}: " +
                    $"VectLite {ours} vs hnswlib {theirs} = {(both ? Format.Ratio(ratio, 3) : "n/a")} (target >= 1.000x): **{RecallVerdict(theirs, ours)}**");
            }
            report.Table(["Recall@10", "hnswlib q/s", "VectLite q/s", "VectLite / hnswlib"], rows);
        }
        report.Paragraph($"![recall@10 vs queries/s, {name}]({chartFile})");

        foreach (HnswThreadSummary s in result.Summaries)
        {
            verdicts.Add($"{name}: build time with {Threads(s.Threads)}: VectLite {Seconds(s.IndexedIngestSeconds)} vs hnswlib {Seconds(s.PeerBuildSeconds)} = " +
                $"{Format.Ratio(s.BuildRatio, 3)} (target <= 1.000x; graph build only {Format.Ratio(s.GraphBuildSeconds / s.PeerBuildSeconds, 3)}): **{Format.Verdict(s.BuildRatio <= 1)}**");
        }

        report.Heading("Reopen (VectLite)", 3);
        report.Table(
            ["Build threads", "Build (b)", "Checkpoint (`Compact()`)", "Reopen (Open + GetCollection + first search)", "Reopen / build", "Graph origin after reopen"],
            result.Summaries.Select(s => (IReadOnlyList<string>)
            [
                I(s.Threads),
                Seconds(s.IndexedIngestSeconds),
                Seconds(s.CheckpointSeconds),
                Format.Number(s.ReopenSeconds * 1000) + " ms",
                Format.Percent(s.ReopenShareOfBuild),
                string.Join(", ", s.ReopenOrigins),
            ]));
        foreach (HnswThreadSummary s in result.Summaries)
        {
            bool pass = s.ReopenShareOfBuild < ReopenTargetShare && s.AlwaysLoaded;
            verdicts.Add($"{name}: reopen after a build with {Threads(s.Threads)}: {Format.Number(s.ReopenSeconds * 1000)} ms = {Format.Percent(s.ReopenShareOfBuild)} of the build " +
                $"(target < {Format.Percent(ReopenTargetShare)}), graph {string.Join(", ", s.ReopenOrigins)} (must be \"loaded\"): **{Format.Verdict(pass)}**");
        }

        WriteMemory(report, settings, result, verdicts);
    }

    private static void WriteMemory(MarkdownReport report, HnswSettings settings, HnswVariantResult result, List<string> verdicts)
    {
        string name = result.Variant.Name;
        int n = result.Vectors;
        HnswlibMemoryEstimate hnswlib = HnswlibMemoryEstimate.For(n, result.Dimension, settings.M);
        HnswThreadSummary largest = result.Summaries.MaxBy(s => s.GraphMemoryBytes)!;
        double ourGraph = (double)largest.GraphMemoryBytes / n;
        double ourReopened = (double)result.Summaries.Max(s => s.ReopenedGraphMemoryBytes) / n;
        double ourVector = (double)((result.Dimension + ArenaStrideFloats - 1) / ArenaStrideFloats * ArenaStrideFloats) * sizeof(float);

        report.Heading("Memory per vector", 3);
        report.Paragraph(
            $"VectLite: the graph is `GetStats().VectorIndexes[0].MemoryBytes` / {Format.Count(n)} (links, levels and node map, counted by " +
            $"allocated chunk; the largest over the build-thread variants; after the reopen: {Bytes(ourReopened)}); the vectors are the " +
            $"arena's rows, the dimension rounded up to {ArenaStrideFloats} floats, x 4 bytes. hnswlib: **an estimate** from the allocations in " +
            "its hnswalg.h, per element: the level-0 block (2M links x 4 + a 4-byte count, the 8-byte label, the vector), the upper-level " +
            $"lists ((M x 4 + 4) bytes per level above 0, x the expected {HnswlibMemoryEstimate.ExpectedUpperLevels(settings.M).ToString("0.0000", CultureInfo.InvariantCulture)} " +
            "such levels per element, sum over l >= 1 of (1/M)^l), the linkLists_ pointer, element_levels_ int and per-element std::mutex, " +
            "the label_lookup_ hash map (~40 bytes per entry, typical of libstdc++) and the fixed 65,536 update mutexes shared out; " +
            "allocator headers and the visited-list pool (2 bytes per element per searching thread, on both sides) are not counted.");
        report.Table(["Per vector", "hnswlib (estimate)", "VectLite"],
        [
            ["Graph (everything but the vectors)", Bytes(hnswlib.GraphBytesPerVector), Bytes(ourGraph)],
            ["... of which links and levels", Bytes(hnswlib.LinksBytesPerVector), "-"],
            ["Vector", Bytes(hnswlib.VectorBytes), Bytes(ourVector)],
            ["Total", Bytes(hnswlib.TotalBytesPerVector), Bytes(ourGraph + ourVector)],
            ["Total for all vectors", Format.Bytes((long)(hnswlib.TotalBytesPerVector * n)), Format.Bytes((long)((ourGraph + ourVector) * n))],
        ]);
        report.Paragraph(
            $"hnswlib's graph estimate in parts: level-0 links {Bytes(hnswlib.Level0LinksBytes)}, label {Bytes(hnswlib.LabelBytes)}, upper links " +
            $"{Bytes(hnswlib.UpperLinksBytes)}, pointer + level + mutex {Bytes(hnswlib.BookkeepingBytes)}, label map {Bytes(hnswlib.LabelLookupBytes)}, " +
            $"update mutexes {Bytes(hnswlib.FixedBytes)}.");
        verdicts.Add($"{name}: index memory per vector: VectLite {Bytes(ourGraph)} vs hnswlib {Bytes(hnswlib.GraphBytesPerVector)} (estimate, everything but the vectors) = " +
            $"{Format.Ratio(ourGraph / hnswlib.GraphBytesPerVector, 3)} (target <= 1.000x): **{Format.Verdict(ourGraph <= hnswlib.GraphBytesPerVector)}** " +
            $"(against hnswlib's links and levels alone, {Bytes(hnswlib.LinksBytesPerVector)}: {Format.Ratio(ourGraph / hnswlib.LinksBytesPerVector, 3)})");
    }

    private static void WriteChart(HnswSettings settings, HnswVariantResult result, string path)
    {
        var plot = new SvgPlot($"{settings.DataName}, {result.Variant.Name}: recall@10 vs queries/s (one thread; labels: ef)", "recall@10", "queries/s (log scale)");
        foreach (HnswThreadSummary s in result.Summaries)
        {
            bool dashed = s.Threads != result.Summaries[0].Threads;
            plot.AddSeries($"hnswlib, built with {Threads(s.Threads)}", PeerColor, dashed, s.PeerPoints.Select(p => new SvgPoint(p.Recall, p.QueriesPerSecond, I(p.Ef))));
            plot.AddSeries($"VectLite, built with {Threads(s.Threads)}", OurColor, dashed, s.OurPoints.Select(p => new SvgPoint(p.Recall, p.QueriesPerSecond, I(p.Ef))));
        }
        foreach (double recall in HnswSettings.TargetRecalls)
        {
            plot.AddVerticalMarker(recall, "recall " + recall.ToString("0.00", CultureInfo.InvariantCulture));
        }
        plot.Save(path);
        Console.Error.WriteLine($"Chart written to {path}");
    }

    /// <summary>PASS when VectLite reaches the recall at least as fast as hnswlib (or hnswlib never reaches it).</summary>
    private static string RecallVerdict(QpsAtRecall theirs, QpsAtRecall ours) => (theirs.Reached, ours.Reached) switch
    {
        (false, false) => "NOT MEASURED (neither side reached it: add a larger --ef)",
        (false, true) => Format.Verdict(true),
        (true, false) => Format.Verdict(false),
        _ => Format.Verdict(ours.QueriesPerSecond >= theirs.QueriesPerSecond),
    };

    private static string Threads(int threads) => threads == 1 ? "1 thread" : $"{I(threads)} threads";

    private static string Seconds(double seconds) => Format.Seconds(TimeSpan.FromSeconds(seconds));

    private static string Bytes(double bytes) => Format.Number(bytes) + " B";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
