using System.CommandLine;

namespace VectLite.Bench;

/// <summary>
/// <c>exact [--data DIR] [--queries 200] [--rounds 3] [--peers DIR] [--out FILE]</c>: VectLite's exact scan against
/// hnswlib's SIMD flat scan on fashion-mnist-784 (L2, k = 10), alternating rounds, against the target ours/peer >= 1/1.2.
/// </summary>
internal static class ExactScanCommand
{
    /// <summary>The target: VectLite's exact scan within 1.2x of the peer's queries per second.</summary>
    public const double TargetRatio = 1 / 1.2;

    /// <summary>Untimed queries before each VectLite round.</summary>
    public const int WarmupQueries = 10;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with base.fvecs, query.fvecs, gt.ivecs (default: what the peers' fashion_mnist.sh prints)." };
        var queries = new Option<int>("--queries") { Description = "Queries VectLite times per round (the peer times min(nq, 200)).", DefaultValueFactory = _ => 200 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating peer/VectLite rounds (medians are reported).", DefaultValueFactory = _ => 3 };
        var peers = new Option<string>("--peers") { Description = "The peers folder (hnswlib_peer.sh, fashion_mnist.sh).", DefaultValueFactory = _ => BenchPaths.DefaultPeersDirectory };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("exact-scan-fashion-mnist.md") };
        queries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--queries must be at least 1."); } });
        rounds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--rounds must be at least 1."); } });

        var command = new Command("exact", "Exact-scan queries/s and recall@10 on fashion-mnist-784 (L2), VectLite against hnswlib's SIMD flat scan in the same run.")
        {
            data, queries, rounds, peers, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(data), result.GetValue(queries), result.GetValue(rounds), result.GetRequiredValue(peers), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private static void Run(string? dataDirectory, int queryCount, int roundCount, string peersDirectory, string output)
    {
        MachineInfo machine = MachineInfo.Collect();
        var peer = new HnswlibPeer(peersDirectory);
        dataDirectory ??= peer.PrepareFashionMnist();
        Console.Error.WriteLine($"exact: data in {dataDirectory}; loading into VectLite");

        using ExactScanTarget target = ExactScanTarget.Create(dataDirectory);
        ExactIngestSummary ingest = target.Ingest;
        Console.Error.WriteLine($"exact: ingested {Format.Count(ingest.Records)} x {ingest.Dimension} in {Format.Seconds(ingest.IngestTime)}; " +
            $"peak working set {Format.Bytes(ingest.PeakWorkingSetBytes)}");
        if (queryCount > target.QueryCount)
        {
            throw new ArgumentOutOfRangeException(nameof(queryCount), queryCount, $"--queries: the data has {target.QueryCount} queries with ground truth.");
        }

        var rounds = new List<ExactScanRound>(roundCount);
        for (int r = 1; r <= roundCount; r++)
        {
            PeerSearchResult theirs = peer.RunFlat(dataDirectory);
            Console.Error.WriteLine($"exact round {r}/{roundCount}: peer     {Format.Number(theirs.QueriesPerSecond)} q/s, recall {Format.Recall(theirs.Recall)} ({theirs.RawJson})");
            OurSearchResult ours = target.Search(queryCount, WarmupQueries);
            Console.Error.WriteLine($"exact round {r}/{roundCount}: VectLite {Format.Number(ours.QueriesPerSecond)} q/s, recall {Format.Recall(ours.Recall)}");
            rounds.Add(new ExactScanRound(r, theirs, ours));
        }
        ExactScanReport.Write(machine, dataDirectory, ingest, rounds, output);
    }
}
