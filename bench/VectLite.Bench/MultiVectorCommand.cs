using System.CommandLine;
using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// <c>multivector [--records 10000] [--tokens 32] [--dim 64] [--query-tokens 8] [--queries 100] [--k 10]</c>:
/// late-interaction (MaxSim) search on synthetic ColBERT-like data (each record's tokens drawn around two of 200 topic
/// centroids; each query is 8 noisy tokens of a random record), checked against a brute force computed here (MaxSim
/// over every record in double precision, independently of the engine), timed single-threaded through the token graph
/// (the default) and as an exact scan (<c>SearchOptions.Exact</c>). Prints Markdown rows.
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
        var command = new Command("multivector", "Multi-vector (MaxSim) search: recall against brute force and q/s, through the token graph and exact; prints Markdown rows.")
        {
            records, tokens, dim, queryTokens, queries, k,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(records), result.GetValue(tokens), result.GetValue(dim), result.GetValue(queryTokens), result.GetValue(queries), result.GetValue(k));
            return 0;
        });
        return command;
    }

    private static void Run(int recordCount, int tokenCount, int dim, int queryTokenCount, int queryCount, int k)
    {
        string load = MachineInfo.LoadAverage();
        Console.WriteLine($"multivector: {recordCount:N0} records x {tokenCount} tokens of {dim}-d (cosine), queries of {queryTokenCount} tokens, k {k}, "
            + $"build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {load}");
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

        Console.WriteLine($"built the collection (token graph of {recordCount * tokenCount:N0} vectors) in {build.TotalSeconds:0.0} s; brute force {brute.TotalSeconds:0.0} s");
        Console.WriteLine();
        Console.WriteLine("| search | recall@k vs brute force | q/s (1 thread) | candidates scored per query |");
        Console.WriteLine("|---|---|---|---|");
        foreach (bool exact in new[] { false, true })
        {
            var options = new SearchOptions { TopK = k, Exact = exact, IncludePayload = false };
            ReadOnlyMemory<float>[][] asked = [.. queries.Select(q => q.Select(t => new ReadOnlyMemory<float>(t)).ToArray())];
            for (int w = 0; w < Math.Min(10, queryCount); w++)
            {
                c.SearchMultiVector("colbert", asked[w], options); // warm-up
            }
            int found = 0;
            long candidates = 0;
            watch.Restart();
            var answers = new IReadOnlyList<SearchHit>[queryCount];
            for (int q = 0; q < queryCount; q++)
            {
                answers[q] = c.SearchMultiVector("colbert", asked[q], options);
                candidates += CollectionEngine.LastMultiVectorCandidates;
            }
            double qps = queryCount / watch.Elapsed.TotalSeconds;
            for (int q = 0; q < queryCount; q++)
            {
                found += answers[q].Select(h => h.Id.AsNumber).Intersect(truth[q]).Count();
            }
            Console.WriteLine($"| {(exact ? "exact scan (`Exact`)" : "token graph, then exact MaxSim (default)")} | {found / (double)(queryCount * k):0.000} | {qps:N0} | {candidates / (double)queryCount:N0} |");
        }
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
