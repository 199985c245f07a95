using System.CommandLine;
using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// <c>multivector [--records 10000] [--tokens 32] [--dim 64] [--query-tokens 8] [--queries 100] [--k 10] [--rounds 3] [--out FILE]</c>:
/// late-interaction (MaxSim) search on synthetic ColBERT-like data (each record's tokens drawn around two of 200 topic
/// centroids; each query is 8 noisy tokens of a random record), checked against a brute force computed here (MaxSim
/// over every record in double precision, independently of the engine), timed single-threaded through the token graph
/// (the default) and as an exact scan (<c>SearchOptions.Exact</c>), the two alternating, <c>--rounds</c> times. Writes a
/// Markdown report (median and min-max q/s).
/// </summary>
internal static class MultiVectorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Records in the collection.", DefaultValueFactory = _ => 10_000 };
        var tokens = new Option<int>("--tokens") { Description = "Token vectors per record.", DefaultValueFactory = _ => 32 };
        var dim = new Option<int>("--dim") { Description = "Token dimension.", DefaultValueFactory = _ => 64 };
        var queryTokens = new Option<int>("--query-tokens") { Description = "Token vectors per query.", DefaultValueFactory = _ => 8 };
        var queries = new Option<int>("--queries") { Description = "Queries timed.", DefaultValueFactory = _ => 100 };
        var k = new Option<int>("--k") { Description = "Hits per query.", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds (each times the token graph and the exact scan, alternating).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("multivector.md") };
        var command = new Command("multivector", "Multi-vector (MaxSim) search: recall against brute force and q/s, through the token graph and exact; writes a Markdown report.")
        {
            records, tokens, dim, queryTokens, queries, k, rounds, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(records), result.GetValue(tokens), result.GetValue(dim), result.GetValue(queryTokens), result.GetValue(queries), result.GetValue(k),
                Math.Max(1, result.GetValue(rounds)), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private static void Run(int recordCount, int tokenCount, int dim, int queryTokenCount, int queryCount, int k, int rounds, string output)
    {
        MachineInfo machine = MachineInfo.Collect();
        string loadBefore = MachineInfo.LoadAverage();
        var started = Stopwatch.StartNew();
        var random = new Random(42); // seeded: the same corpus and queries every run
        float[] Noisy(float[] center, double noise) => [.. center.Select(x => (float)(x + (noise * ((random.NextDouble() * 2) - 1))))];
        float[][] topics = [.. Enumerable.Range(0, 200).Select(_ => Noisy(new float[dim], 1.0))];
        var docs = new float[recordCount][][];
        for (int r = 0; r < recordCount; r++)
        {
            float[] a = topics[random.Next(topics.Length)], b = topics[random.Next(topics.Length)];
            docs[r] = [.. Enumerable.Range(0, tokenCount).Select(t => Noisy(t % 2 == 0 ? a : b, 0.5))];
        }
        var queries = new float[queryCount][][];
        for (int q = 0; q < queryCount; q++)
        {
            float[][] source = docs[random.Next(recordCount)];
            queries[q] = [.. Enumerable.Range(0, queryTokenCount).Select(_ => Noisy(source[random.Next(tokenCount)], 0.2))];
        }

        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", new CollectionSchema().AddMultiVector("colbert", dim, Metric.Cosine));
        var watch = Stopwatch.StartNew();
        foreach (int[] chunk in Enumerable.Range(0, recordCount).Chunk(1000))
        {
            c.UpsertMany(chunk.Select(r => new Record((ulong)r).WithMultiVector("colbert", [.. docs[r].Select(t => new ReadOnlyMemory<float>(t))])));
        }
        TimeSpan build = watch.Elapsed;

        // The reference: MaxSim over every record in double, written here.
        watch.Restart();
        double[][] norms = [.. docs.Select(d => d.Select(Norm).ToArray())];
        ulong[][] truth = new ulong[queryCount][];
        for (int q = 0; q < queryCount; q++)
        {
            double[] qNorms = [.. queries[q].Select(Norm)];
            truth[q] = [.. Enumerable.Range(0, recordCount)
                .Select(r => (Id: (ulong)r, Score: queries[q].Select((t, i) => docs[r].Select((d, j) => Dot(t, d) / (qNorms[i] * norms[r][j])).Max()).Sum()))
                .OrderByDescending(e => e.Score).Take(k).Select(e => e.Id)];
        }
        TimeSpan brute = watch.Elapsed;

        var modes = new[] { (Exact: false, Name: "token graph, then exact MaxSim (default)"), (Exact: true, Name: "exact scan (`Exact = true`)") };
        ReadOnlyMemory<float>[][] asked = [.. queries.Select(q => q.Select(t => new ReadOnlyMemory<float>(t)).ToArray())];
        var qps = modes.Select(_ => new List<double>()).ToArray();
        var recall = new double[modes.Length];
        var candidatesPerQuery = new double[modes.Length];
        for (int round = 0; round < rounds; round++)
        {
            for (int m = 0; m < modes.Length; m++)
            {
                var options = new SearchOptions { TopK = k, Exact = modes[m].Exact, IncludePayload = false };
                for (int w = 0; w < Math.Min(10, queryCount); w++)
                {
                    c.SearchMultiVector("colbert", asked[w], options); // warm-up
                }
                long candidates = 0;
                var answers = new IReadOnlyList<SearchHit>[queryCount];
                watch.Restart();
                for (int q = 0; q < queryCount; q++)
                {
                    answers[q] = c.SearchMultiVector("colbert", asked[q], options);
                    candidates += CollectionEngine.LastMultiVectorCandidates;
                }
                qps[m].Add(queryCount / watch.Elapsed.TotalSeconds);
                int found = 0;
                for (int q = 0; q < queryCount; q++)
                {
                    found += answers[q].Select(h => h.Id.AsNumber).Intersect(truth[q]).Count();
                }
                recall[m] = found / (double)(queryCount * k);
                candidatesPerQuery[m] = candidates / (double)queryCount;
            }
        }

        var report = new MarkdownReport("Multi-vector (MaxSim) search: the token graph against an exact scan, checked against a brute force", machine);
        report.Paragraph($"Load average before the run (/proc/loadavg): {loadBefore}; after: {MachineInfo.LoadAverage()}. Took {Format.Seconds(started.Elapsed)}.");
        report.Paragraph($"Data: {recordCount:N0} synthetic ColBERT-like records of {tokenCount} tokens of {dim} dimensions (cosine; each record's tokens drawn around two of 200 " +
            $"topic centroids), {queryCount:N0} queries of {queryTokenCount} noisy tokens of a random record, k {k}, seed 42, in an in-memory database; " +
            $"`UpsertMany` of the records (the token graph of {recordCount * tokenCount:N0} vectors built as they arrive) took {Format.Seconds(build)}. " +
            $"The reference is MaxSim over every record in double, written in the benchmark ({Format.Seconds(brute)}); recall@{k} is the share of its top {k} ids returned. " +
            $"One search thread; {rounds} rounds, the two modes alternating; median (min-max). Recall is the same every round (the searches are deterministic).");
        report.Table(["search", $"recall@{k} vs brute force", "q/s (1 thread)", "candidate records scored per query"],
            modes.Select((mode, m) => (IReadOnlyList<string>)[
                mode.Name, Format.Recall(recall[m]),
                $"{Format.Number(Statistics.Median(qps[m]))} ({Format.Number(qps[m].Min())}-{Format.Number(qps[m].Max())})",
                Format.Count(candidatesPerQuery[m]),
            ]));
        double[] ratios = [.. qps[0].Zip(qps[1], (a, b) => a / b)];
        report.Paragraph($"Token graph / exact scan, q/s: median {Format.Ratio(Statistics.Median(ratios), 1)} (per round {string.Join(", ", ratios.Select(r => Format.Ratio(r, 1)))}).");
        report.Save(output);
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    private static double Norm(float[] a) => Math.Sqrt(Dot(a, a));
}
