using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// <c>cosine [--data DIR] [--graph-count 20000] [--queries 1000] [--exact-queries 100] [--ef 40,160]</c>: cosine
/// search speed on the raw (not normalised) fashion-mnist-784 vectors through the public API: exact-scan queries/s
/// over all base vectors, a one-thread HNSW build of the first <c>--graph-count</c> and its queries/s and recall@10
/// per ef. Public API only, so the same file runs against an older engine for a before/after comparison on one machine.
/// </summary>
internal static class CosineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with base.fvecs and query.fvecs (default: what the peers' fashion_mnist.sh prints)." };
        var graphCount = new Option<int>("--graph-count") { Description = "Base vectors in the HNSW collection (the first ones).", DefaultValueFactory = _ => 20_000 };
        var queries = new Option<int>("--queries") { Description = "Graph queries timed per ef.", DefaultValueFactory = _ => 1_000 };
        var exactQueries = new Option<int>("--exact-queries") { Description = "Exact-scan queries timed over all base vectors.", DefaultValueFactory = _ => 100 };
        var efs = new Option<int[]>("--ef") { Description = "Search ef values, comma-separated.", DefaultValueFactory = _ => [40, 160], CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',')).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() };
        var command = new Command("cosine", "Cosine exact-scan and HNSW queries/s (and one-thread build time) on raw fashion-mnist-784 vectors; prints one line per measurement.")
        {
            data, graphCount, queries, exactQueries, efs,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(data), result.GetValue(graphCount), result.GetValue(queries), result.GetValue(exactQueries), result.GetRequiredValue(efs));
            return 0;
        });
        return command;
    }

    private static void Run(string? dataDirectory, int graphCount, int queryCount, int exactQueryCount, int[] efs)
    {
        dataDirectory ??= new HnswlibPeer(BenchPaths.DefaultPeersDirectory).PrepareFashionMnist();
        TexmexFile<float> all = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        TexmexFile<float> queries = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs"));
        int dimension = all.Dimension;
        Console.WriteLine($"cosine: {all.Count} x {dimension} raw vectors, build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        using TempDirectory folder = TempDirectory.Create("cosine");
        var options = new DatabaseOptions { SyncMode = SyncMode.OnFlush };
        using (Database database = Database.Open(Path.Combine(folder.Path, "exact"), options))
        {
            Collection collection = database.CreateCollection("scan", CollectionSchema.SingleVector(dimension, Metric.Cosine).WithHnsw(HnswOptions.Disabled));
            collection.UpsertMany(Records(all, all.Count));
            var exact = new SearchOptions { TopK = 10, Exact = true, IncludePayload = false };
            for (int i = 0; i < 5; i++)
            {
                collection.Search(queries.Row(i).Span, exact);
            }

            var clock = Stopwatch.StartNew();
            for (int i = 0; i < exactQueryCount; i++)
            {
                collection.Search(queries.Row(i).Span, exact);
            }

            Console.WriteLine($"exact-scan {all.Count}: {exactQueryCount / clock.Elapsed.TotalSeconds:F1} q/s");
        }

        using (Database database = Database.Open(Path.Combine(folder.Path, "graph"), options))
        {
            var hnsw = new HnswOptions { M = 16, EfConstruction = 200, MaxInsertThreads = 1, ParallelInsertThreshold = 1_000 };
            Collection collection = database.CreateCollection("graph", CollectionSchema.SingleVector(dimension, Metric.Cosine).WithHnsw(hnsw));
            var clock = Stopwatch.StartNew();
            collection.UpsertMany(Records(all, graphCount));
            Console.WriteLine($"build {graphCount} (1 thread): {clock.Elapsed.TotalSeconds:F2} s");

            // Ground truth: the engine's own exact scan over the same rows (outside the timing).
            var truth = new HashSet<ulong>[queryCount];
            var exact = new SearchOptions { TopK = 10, Exact = true, IncludePayload = false };
            for (int i = 0; i < queryCount; i++)
            {
                truth[i] = collection.Search(queries.Row(i).Span, exact).Select(h => h.Id.AsNumber).ToHashSet();
            }

            foreach (int ef in efs)
            {
                var search = new SearchOptions { TopK = 10, Ef = ef, IncludePayload = false };
                for (int i = 0; i < 100; i++)
                {
                    collection.Search(queries.Row(i).Span, search);
                }

                int found = 0;
                var results = new IReadOnlyList<SearchHit>[queryCount];
                clock.Restart();
                for (int i = 0; i < queryCount; i++)
                {
                    results[i] = collection.Search(queries.Row(i).Span, search);
                }

                double seconds = clock.Elapsed.TotalSeconds;
                for (int i = 0; i < queryCount; i++)
                {
                    found += results[i].Count(h => truth[i].Contains(h.Id.AsNumber));
                }

                Console.WriteLine($"graph ef {ef}: {queryCount / seconds:F1} q/s, recall@10 {found / (10.0 * queryCount):F4}");
            }
        }
    }

    private static IEnumerable<Record> Records(TexmexFile<float> data, int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return new Record((ulong)i, data.Row(i));
        }
    }
}
