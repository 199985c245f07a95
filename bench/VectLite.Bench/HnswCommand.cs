using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// <c>hnsw [--data DIR] [--name NAME] [--m 16] [--ef-construction 200] [--ef 10,20,40,80,160] [--queries 10000] [--threads 1,2]
/// [--metric l2|cosine|both] [--rounds 1] [--search-api list|span] [--peers DIR] [--out FILE]</c>: VectLite's HNSW index
/// against hnswlib on fashion-mnist-784 or any folder in the TEXMEX layout (build time, recall@10 vs single-thread
/// queries/s, latency, reopen time, memory), in one run.
/// </summary>
internal static class HnswCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Any folder in the TEXMEX layout: base.fvecs, query.fvecs, gt.ivecs (exact L2 neighbours, at least 10 per query) (default: what the peers' fashion_mnist.sh prints)." };
        var name = new Option<string?>("--name") { Description = "The data set's name in the report (default: fashion-mnist-784, or the --data folder's name)." };
        var searchApi = new Option<string>("--search-api") { Description = "VectLite's search call: list (Search returning SearchHit objects) or span (Search filling a reused ScoredId buffer).", DefaultValueFactory = _ => "list" };
        searchApi.AcceptOnlyFromAmong("list", "span");
        var m = new Option<int>("--m") { Description = "HNSW M, both sides.", DefaultValueFactory = _ => 16 };
        var efConstruction = new Option<int>("--ef-construction") { Description = "HNSW ef_construction, both sides.", DefaultValueFactory = _ => 200 };
        var efs = new Option<int[]>("--ef")
        {
            Description = "Search ef values, comma-separated.",
            DefaultValueFactory = _ => [10, 20, 40, 80, 160],
            CustomParser = r => ParseList(r, "--ef", 1, 10_000),
        };
        var queries = new Option<int>("--queries") { Description = "Queries timed per ef (the first ones of query.fvecs), both sides.", DefaultValueFactory = _ => 10_000 };
        var threads = new Option<int[]>("--threads")
        {
            Description = "Build-thread counts, comma-separated; one build per count on both sides.",
            DefaultValueFactory = _ => [1, 2],
            CustomParser = r => ParseList(r, "--threads", 1, 256),
        };
        var metric = new Option<string>("--metric") { Description = "l2 (raw data), cosine (normalised data; the peer uses inner product) or both.", DefaultValueFactory = _ => "both" };
        metric.AcceptOnlyFromAmong("l2", "cosine", "both");
        var rounds = new Option<int>("--rounds") { Description = "Alternating peer/VectLite rounds (medians are reported).", DefaultValueFactory = _ => 1 };
        var peers = new Option<string>("--peers") { Description = "The peers folder (hnswlib_peer.sh, fashion_mnist.sh).", DefaultValueFactory = _ => BenchPaths.DefaultPeersDirectory };
        var output = new Option<string?>("--out") { Description = "Where to write the Markdown report (the SVG charts go beside it) (default: bench/results/hnsw-fashion-mnist.md, or hnsw-NAME.md for another data set)." };
        m.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 2 or > 100) { r.AddError("--m must be between 2 and 100."); } });
        queries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--queries must be at least 1."); } });
        rounds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--rounds must be at least 1."); } });

        var command = new Command("hnsw", "HNSW build time, recall@10 vs single-thread queries/s, latency, reopen time and memory on fashion-mnist-784, VectLite against hnswlib in the same run (fashion-mnist-784 by default, or any TEXMEX folder with --data).")
        {
            data, name, m, efConstruction, efs, queries, threads, metric, rounds, searchApi, peers, output,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(efConstruction) < r.GetValue(m))
            {
                r.AddError("--ef-construction must be at least --m.");
            }
        });
        command.SetAction(result =>
        {
            string? dataDirectory = result.GetValue(data);
            string dataName = result.GetValue(name) ?? DataName(dataDirectory);
            var settings = new HnswSettings(
                result.GetValue(m),
                result.GetValue(efConstruction),
                result.GetRequiredValue(efs),
                result.GetValue(queries),
                result.GetRequiredValue(threads),
                HnswMetricVariant.Parse(result.GetRequiredValue(metric)),
                result.GetValue(rounds),
                result.GetRequiredValue(searchApi) == "span",
                dataName);
            string report = result.GetValue(output) ?? BenchPaths.DefaultResult(
                dataName == HnswSettings.DefaultDataName ? "hnsw-fashion-mnist.md" : $"hnsw-{dataName}.md");
            Run(settings, dataDirectory, result.GetRequiredValue(peers), report);
            return 0;
        });
        return command;
    }

    private static void Run(HnswSettings settings, string? dataDirectory, string peersDirectory, string output)
    {
        var started = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Collect();
        var peer = new HnswlibPeer(peersDirectory);
        dataDirectory ??= peer.PrepareFashionMnist();
        Console.Error.WriteLine($"hnsw: data in {dataDirectory}");

        TexmexFile<float> vectors = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        TexmexFile<float> queries = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs"));
        TexmexFile<int> truth = TexmexFile<int>.Read(Path.Combine(dataDirectory, "gt.ivecs"));
        if (vectors.Dimension != queries.Dimension)
        {
            throw new InvalidDataException($"base.fvecs has dimension {vectors.Dimension}, query.fvecs {queries.Dimension}.");
        }
        if (settings.Queries > Math.Min(queries.Count, truth.Count))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Queries, $"--queries: the data has {Math.Min(queries.Count, truth.Count)} queries with ground truth.");
        }

        var results = new List<HnswVariantResult>(settings.Metrics.Count);
        foreach (HnswMetricVariant variant in settings.Metrics)
        {
            using HnswVariantData variantData = HnswVariantData.Prepare(variant, dataDirectory, vectors, queries, truth, settings.Queries);
            var rounds = new List<HnswRound>();
            for (int round = 1; round <= settings.Rounds; round++)
            {
                foreach (int threads in settings.Threads)
                {
                    string tag = $"hnsw {variant.Name} round {round}/{settings.Rounds}, {threads} build thread{(threads == 1 ? "" : "s")}";
                    Console.Error.WriteLine($"{tag}: hnswlib");
                    PeerHnswRun theirs = peer.RunHnsw(variantData.PeerDirectory, variant.PeerMetric, settings.M, settings.EfConstruction, settings.Efs, HnswSettings.K, threads);
                    Console.Error.WriteLine($"{tag}: hnswlib build {Format.Number(theirs.BuildSeconds, 2)} s; " +
                        string.Join(", ", theirs.Points.Select(p => $"ef {p.Ef}: recall {Format.Recall(p.Recall)} at {Format.Number(p.QueriesPerSecond)} q/s")));
                    Console.Error.WriteLine($"{tag}: VectLite");
                    OurHnswRun ours = OurHnswRunner.Run(variantData, settings, threads);
                    rounds.Add(new HnswRound(round, threads, theirs, ours));
                }
            }
            results.Add(new HnswVariantResult(variant, variantData.Preparation, variantData.Base.Count, variantData.Base.Dimension, variantData.Queries.Count,
                [.. settings.Threads.Select(t => HnswThreadSummary.From([.. rounds.Where(r => r.Threads == t)]))]));
        }
        HnswReport.Write(machine, settings, dataDirectory, results, started.Elapsed, output);
    }

    /// <summary>The report's name for a data folder: the default set's name, or the folder's own name.</summary>
    private static string DataName(string? dataDirectory) =>
        dataDirectory is null ? HnswSettings.DefaultDataName : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory)));

    /// <summary>Parses comma-separated distinct integers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    internal static int[] ParseList(ArgumentResult result, string option, int min, int max)
    {
        var list = new List<int>();
        foreach (Token token in result.Tokens)
        {
            foreach (string part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                {
                    result.AddError($"{option}: '{part}' is not a whole number from {min} to {max}.");
                    return [];
                }
                if (list.Contains(value))
                {
                    result.AddError($"{option}: {value} is given twice.");
                    return [];
                }
                list.Add(value);
            }
        }
        if (list.Count == 0)
        {
            result.AddError($"{option}: give at least one value.");
        }
        return [.. list];
    }
}
