using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite bench DB COLLECTION [--queries 200] [-k 10] [--ef 10,20,40,80,160] [--vector-name V]</c>: a quick
/// recall and speed check on the user's own data. Stored vectors (an even sample by id order) are the queries; the
/// exact search (a scan) is the truth; the HNSW search is timed and scored against it at each ef. One thread, read-only.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var queries = new Option<int>("--queries") { Description = "How many stored vectors to use as queries.", DefaultValueFactory = _ => 200 };
        var k = new Option<int>("--top-k", "-k") { Description = "Recall at this many hits.", DefaultValueFactory = _ => 10 };
        var efs = new Option<string>("--ef") { Description = "The ef values to try, comma-separated.", DefaultValueFactory = _ => "10,20,40,80,160" };
        var vectorName = new Option<string?>("--vector-name") { Description = "Which named vector (default: the only one)." };
        var command = new Command("bench", "Measure recall@k and queries/s of the HNSW index against exact search, on the collection's own vectors.") { path, name, queries, k, efs, vectorName };
        command.SetAction(result => CliErrors.Run(() =>
        {
            int count = result.GetValue(queries), topK = result.GetValue(k);
            if (count < 1 || topK < 1)
            {
                throw new CliUsageException("--queries and --top-k must be at least 1.");
            }
            int[] efList = ParseEfs(result.GetValue(efs)!);
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            Collection c = db.GetCollection(result.GetRequiredValue(name));
            string vector = result.GetValue(vectorName) ?? (c.Schema.Vectors.Count == 1
                ? c.Schema.Vectors[0].Name
                : throw new CliUsageException($"the collection has {c.Schema.Vectors.Count} named vectors; give --vector-name."));

            List<ReadOnlyMemory<float>> sample = Sample(c, vector, count);
            if (sample.Count == 0)
            {
                throw new CliUsageException($"collection '{c.Name}' has no records with vector '{vector}' in the default namespace.");
            }
            var truth = new List<HashSet<RecordId>>(sample.Count);
            var watch = Stopwatch.StartNew();
            foreach (ReadOnlyMemory<float> q in sample)
            {
                truth.Add([.. c.Search(q, new SearchOptions { TopK = topK, VectorName = vector, Exact = true, IncludePayload = false }).Select(h => h.Id)]);
            }
            double exactQps = sample.Count / watch.Elapsed.TotalSeconds;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Name}: {c.Count():N0} records, vector '{vector}', {sample.Count} queries (stored vectors), recall@{topK} against exact search"));
            Console.Out.WriteLine("search\tef\trecall\tqueries/s\tvs exact");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact\t-\t1.0000\t{exactQps:N0}\t1.00x"));
            foreach (int ef in efList)
            {
                var options = new SearchOptions { TopK = topK, VectorName = vector, Ef = ef, IncludePayload = false };
                int found = 0;
                watch.Restart();
                for (int i = 0; i < sample.Count; i++)
                {
                    foreach (SearchHit hit in c.Search(sample[i], options))
                    {
                        found += truth[i].Contains(hit.Id) ? 1 : 0;
                    }
                }
                double qps = sample.Count / watch.Elapsed.TotalSeconds;
                int possible = truth.Sum(t => t.Count);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"hnsw\t{ef}\t{(possible == 0 ? 1.0 : (double)found / possible):0.0000}\t{qps:N0}\t{qps / exactQps:0.00}x"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Every n-th record's vector, in id order, so the sample spreads over the collection.</summary>
    private static List<ReadOnlyMemory<float>> Sample(Collection c, string vector, int count)
    {
        long total = c.Count();
        long step = Math.Max(1, total / count);
        var sample = new List<ReadOnlyMemory<float>>(count);
        long index = 0;
        string? cursor = null;
        do
        {
            ScrollPage page = c.Scroll(new ScrollOptions { Limit = 1000, IncludeVectors = true, IncludePayload = false, Cursor = cursor });
            foreach (Record record in page.Records)
            {
                if (index++ % step == 0 && sample.Count < count && record.Vectors.TryGetValue(vector, out ReadOnlyMemory<float> v))
                {
                    sample.Add(v);
                }
            }
            cursor = sample.Count < count ? page.NextCursor : null;
        }
        while (cursor is not null);
        return sample;
    }

    private static int[] ParseEfs(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                throw new CliUsageException($"--ef: '{parts[i]}' is not a positive integer.");
            }
        }
        return values.Length > 0 ? values : throw new CliUsageException("--ef: give at least one value.");
    }
}
