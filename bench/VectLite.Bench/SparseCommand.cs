using System.CommandLine;
using System.Diagnostics;
using VectLite.Indexing.Sparse;

namespace VectLite.Bench;

/// <summary>
/// <c>sparse [--records 100000] [--vocabulary 30000] [--terms 120] [--query-terms 20] [--queries 200] [--k 10] [--rounds 3] [--out FILE]</c>:
/// sparse search on synthetic SPLADE-like data (term ids from a Zipf distribution, s = 1.1; positive weights), checked
/// against a brute force computed here (every posting accumulated in double precision, independently of the engine),
/// and timed single-threaded with MaxScore pruning and with every posting scored (<c>SearchOptions.Exact</c>), the two
/// alternating, <c>--rounds</c> times. Writes a Markdown report (median and min-max q/s, the ratio per round).
/// </summary>
internal static class SparseCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Records in the collection.", DefaultValueFactory = _ => 100_000 };
        var vocabulary = new Option<int>("--vocabulary") { Description = "Distinct term ids.", DefaultValueFactory = _ => 30_000 };
        var terms = new Option<int>("--terms") { Description = "Largest number of terms per record (each record draws 1 to this).", DefaultValueFactory = _ => 120 };
        var queryTerms = new Option<int>("--query-terms") { Description = "Largest number of terms per query.", DefaultValueFactory = _ => 20 };
        var queries = new Option<int>("--queries") { Description = "Queries timed.", DefaultValueFactory = _ => 200 };
        var k = new Option<int>("--k") { Description = "Hits per query.", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds (each times the pruned and the exhaustive search, alternating).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("sparse.md") };
        var command = new Command("sparse", "Sparse search: exactness against brute force and q/s, pruned and exhaustive; writes a Markdown report.")
        {
            records, vocabulary, terms, queryTerms, queries, k, rounds, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(records), result.GetValue(vocabulary), result.GetValue(terms), result.GetValue(queryTerms), result.GetValue(queries), result.GetValue(k),
                Math.Max(1, result.GetValue(rounds)), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private static void Run(int recordCount, int vocabulary, int maxTerms, int maxQueryTerms, int queryCount, int k, int rounds, string output)
    {
        MachineInfo machine = MachineInfo.Collect();
        string loadBefore = MachineInfo.LoadAverage();
        var started = Stopwatch.StartNew();
        var random = new Random(42); // seeded: the same corpus and queries every run
        var vectors = new SparseVector[recordCount];
        for (int i = 0; i < recordCount; i++)
        {
            vectors[i] = Draw(random, vocabulary, maxTerms);
        }
        var queries = new SparseVector[queryCount];
        for (int i = 0; i < queryCount; i++)
        {
            queries[i] = Draw(random, vocabulary, maxQueryTerms);
        }

        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", new CollectionSchema().AddSparseVector("s"));
        var load = Stopwatch.StartNew();
        c.UpsertBulk(vectors.Select((v, i) => new Record((ulong)i).WithSparseVector("s", v)));
        load.Stop();

        // The reference: an inverted list per term built here, every posting accumulated in double.
        var lists = new Dictionary<uint, List<(int Id, float W)>>();
        for (int i = 0; i < recordCount; i++)
        {
            SparseVector v = vectors[i];
            for (int j = 0; j < v.Count; j++)
            {
                uint term = v.Indices.Span[j];
                if (!lists.TryGetValue(term, out List<(int, float)>? list))
                {
                    lists[term] = list = [];
                }
                list.Add((i, v.Values.Span[j]));
            }
        }
        int exact = 0;
        long postingsTotal = 0;
        var scores = new double[recordCount];
        var options = new SearchOptions { TopK = k, IncludePayload = false };
        foreach (SparseVector q in queries)
        {
            Array.Clear(scores);
            var touched = new HashSet<int>();
            for (int j = 0; j < q.Count; j++)
            {
                if (lists.TryGetValue(q.Indices.Span[j], out List<(int Id, float W)>? list))
                {
                    postingsTotal += list.Count;
                    foreach ((int id, float w) in list)
                    {
                        scores[id] += (double)w * q.Values.Span[j];
                        touched.Add(id);
                    }
                }
            }
            double[] expected = touched.Select(id => scores[id]).OrderDescending().Take(k).ToArray();
            IReadOnlyList<SearchHit> hits = c.SearchSparse("s", q, options);
            bool same = hits.Count == expected.Length
                && hits.Select((h, i) => Math.Abs(h.Score - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i]))
                    && Math.Abs(h.Score - scores[(int)h.Id.AsNumber]) <= 1e-4 * Math.Max(1, Math.Abs(h.Score))).All(x => x);
            exact += same ? 1 : 0;
        }

        var exhaustive = new SearchOptions { TopK = k, IncludePayload = false, Exact = true };
        var prunedQps = new List<double>();
        var fullQps = new List<double>();
        long prunedPostings = 0, fullPostings = 0;
        for (int round = 0; round < rounds; round++)
        {
            (double qps, prunedPostings) = Time(c, queries, options);
            prunedQps.Add(qps);
            (qps, fullPostings) = Time(c, queries, exhaustive);
            fullQps.Add(qps);
        }

        string Spread(List<double> values) => $"{Format.Count(Statistics.Median(values))} ({Format.Count(values.Min())}-{Format.Count(values.Max())})";
        double[] ratios = [.. prunedQps.Zip(fullQps, (a, b) => a / b)];
        var report = new MarkdownReport("Sparse vector search: MaxScore against every posting, checked against a brute force", machine);
        report.Paragraph($"Load average before the run (/proc/loadavg): {loadBefore}; after: {MachineInfo.LoadAverage()}. Took {Format.Seconds(started.Elapsed)}.");
        report.Paragraph($"Data: {recordCount:N0} synthetic SPLADE-like records (1 to {maxTerms} distinct term ids each from a vocabulary of {vocabulary:N0}, Zipf s = 1.1; weights in (0, 3]), " +
            $"{queryCount:N0} queries of 1 to {maxQueryTerms} terms, k {k}, seed 42; loaded with `UpsertBulk` into an in-memory database in {Format.Seconds(load.Elapsed)}. " +
            $"The reference is a brute force written in the benchmark (an inverted list per term, every posting accumulated in double): a query counts as exact when " +
            $"VectLite's top {k} scores equal the brute force's top {k} scores and each hit's score equals its record's brute-force score (relative 1e-4). " +
            $"The query terms' postings hold {postingsTotal / (double)queryCount:N0} entries per query. One search thread; {rounds} rounds, the two modes alternating; median (min-max).");
        report.Table(["search", "top-k equal to brute force", "q/s (1 thread)", "postings scored per query"],
        [
            ["MaxScore (default)", $"{exact}/{queryCount}", Spread(prunedQps), Format.Count(prunedPostings / (double)queryCount)],
            ["every posting (`Exact = true`)", "-", Spread(fullQps), Format.Count(fullPostings / (double)queryCount)],
        ]);
        report.Paragraph($"MaxScore / every posting, q/s: median {Format.Ratio(Statistics.Median(ratios))} (per round {string.Join(", ", ratios.Select(r => Format.Ratio(r)))}).");
        report.Save(output);
    }

    private static (double Qps, long Postings) Time(Collection c, SparseVector[] queries, SearchOptions options)
    {
        foreach (SparseVector q in queries.Take(20))
        {
            c.SearchSparse("s", q, options); // warm-up
        }
        long postings = 0;
        var watch = Stopwatch.StartNew();
        foreach (SparseVector q in queries)
        {
            c.SearchSparse("s", q, options);
            postings += SparseSearch.LastPostingsScored;
        }
        return (queries.Length / watch.Elapsed.TotalSeconds, postings);
    }

    /// <summary>1 to <paramref name="maxTerms"/> distinct Zipf-distributed term ids with weights in (0, 3], like SPLADE output.</summary>
    private static SparseVector Draw(Random random, int vocabulary, int maxTerms)
    {
        int n = random.Next(1, maxTerms + 1);
        var terms = new HashSet<uint>();
        while (terms.Count < n)
        {
            double u = random.NextDouble();
            const double s = 1.1;
            double x = Math.Pow(((Math.Pow(vocabulary + 1.0, 1 - s) - 1) * u) + 1, 1 / (1 - s)) - 1;
            terms.Add((uint)Math.Clamp((int)x, 0, vocabulary - 1));
        }
        uint[] indices = [.. terms];
        float[] weights = indices.Select(_ => (float)(3 * (1 - random.NextDouble()))).ToArray();
        return new SparseVector(indices, weights);
    }
}
