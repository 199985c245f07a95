using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace VectLite.Bench;

/// <summary>
/// <c>scroll [--counts 50000,200000,1000000] [--limit 100] [--rounds 3] [--budget 300]</c>: exports a collection of n
/// records through <c>Scroll</c> pages of <c>--limit</c>, following each page's cursor to the end; per n the export's
/// time over <c>--rounds</c> rounds (median, min-max), time per record and per page. Two workloads: a quiet export,
/// and an export with one new record and one payload update written between every two pages. Public API only, so the
/// same file runs against an older engine for a before/after comparison on one machine; prints Markdown rows.
/// </summary>
/// <remarks>
/// Each round reopens the database (the load is outside the timing), so no round reuses what an earlier one built in
/// memory. An export that passes <c>--budget</c> seconds is stopped and its total projected from its pages so far
/// (marked "projected"): the old engine scanned every row for each page, so its pages cost the same wherever they are.
/// </remarks>
internal static class ScrollCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var counts = new Option<int[]>("--counts") { Description = "Collection sizes, comma-separated.", DefaultValueFactory = _ => [50_000, 200_000, 1_000_000], CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',')).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() };
        var limit = new Option<int>("--limit") { Description = "Records per page.", DefaultValueFactory = _ => 100 };
        var rounds = new Option<int>("--rounds") { Description = "Exports timed per size and workload.", DefaultValueFactory = _ => 3 };
        var budget = new Option<double>("--budget") { Description = "Seconds after which an export is stopped and its total projected.", DefaultValueFactory = _ => 300 };
        var command = new Command("scroll", "Export n records through Scroll pages (quiet, and with writes between pages); prints Markdown rows.")
        {
            counts, limit, rounds, budget,
        };
        command.SetAction(result =>
        {
            Run(result.GetRequiredValue(counts), result.GetValue(limit), result.GetValue(rounds), result.GetValue(budget));
            return 0;
        });
        return command;
    }

    private static void Run(int[] counts, int limit, int rounds, double budgetSeconds)
    {
        Console.WriteLine($"scroll: pages of {limit}, {rounds} rounds, build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| workload | records | export (median, min-max) | per record | per page | rounds |");
        Console.WriteLine("|---|---|---|---|---|---|");
        using TempDirectory folder = TempDirectory.Create("scroll");
        var options = new DatabaseOptions { SyncMode = SyncMode.OnFlush };
        foreach (int n in counts)
        {
            string path = Path.Combine(folder.Path, n.ToString(CultureInfo.InvariantCulture));
            using (Database database = Database.Open(path, options))
            {
                Collection collection = database.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2).WithHnsw(HnswOptions.Disabled));
                var random = new Random(n);
                // Ids inserted in a shuffled order, so row order is not id order.
                int[] ids = [.. Enumerable.Range(0, n)];
                random.Shuffle(ids);
                foreach (int[] chunk in ids.Chunk(10_000))
                {
                    collection.UpsertMany(chunk.Select(id => new Record((ulong)id, Vector(random), new JsonObject { ["n"] = id, ["tag"] = $"t{id % 97}" })));
                }
                database.Compact(); // a reopen then loads a checkpoint instead of replaying a log
            }

            foreach (bool writes in new[] { false, true })
            {
                var seconds = new List<double>();
                bool projected = false;
                long pages = 0;
                for (int round = 0; round < rounds; round++)
                {
                    using Database database = Database.Open(path, options);
                    Collection collection = database.GetCollection("docs");
                    (double s, long p, bool cut) = Export(collection, n, limit, writes, budgetSeconds);
                    seconds.Add(s);
                    pages = p;
                    projected |= cut;
                    Console.Error.WriteLine($"  {(writes ? "writes" : "quiet")} {n}: round {round + 1}: {s:F2} s{(cut ? " (projected)" : "")}");
                    if (writes)
                    {
                        // Undo the round's writes outside the timing, so every round exports the same collection.
                        collection.DeleteByFilter(Filter.Eq("added", true));
                    }
                }
                double median = Statistics.Median(seconds);
                string label = writes ? "1 upsert + 1 payload update between pages" : "quiet";
                Console.WriteLine($"| {label} | {n:N0} | {median:F2} s ({seconds.Min():F2}-{seconds.Max():F2}){(projected ? " projected" : "")} | {median * 1e6 / n:F1} µs | {median * 1e3 / pages:F2} ms | {rounds} |");
            }
        }
    }

    /// <summary>One export: every page from the first to the last; returns the seconds, the pages and whether it was cut short and projected.</summary>
    private static (double Seconds, long Pages, bool Projected) Export(Collection collection, int n, int limit, bool writes, double budgetSeconds)
    {
        var random = new Random(42);
        ulong nextNew = (ulong)n;
        long pages = 0, records = 0;
        string? cursor = null;
        var clock = Stopwatch.StartNew();
        do
        {
            ScrollPage page = collection.Scroll(new ScrollOptions { Limit = limit, Cursor = cursor });
            records += page.Records.Count;
            pages++;
            cursor = page.NextCursor;
            if (writes && cursor is not null)
            {
                // A new record after the cursor and a payload update somewhere: what a live application does meanwhile.
                collection.Upsert(new Record(nextNew++, Vector(random), new JsonObject { ["added"] = true }));
                collection.UpdatePayload((ulong)random.Next(n), new JsonObject { ["seen"] = pages });
            }
            if (clock.Elapsed.TotalSeconds > budgetSeconds && cursor is not null)
            {
                double perPage = clock.Elapsed.TotalSeconds / pages;
                long totalPages = (n + limit - 1) / limit;
                return (perPage * totalPages, totalPages, true);
            }
        }
        while (cursor is not null);
        double elapsed = clock.Elapsed.TotalSeconds;
        if (records < n)
        {
            throw new InvalidOperationException($"The export listed {records} records of {n}.");
        }
        return (elapsed, pages, false);
    }

    private static float[] Vector(Random random)
    {
        var v = new float[8];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = random.NextSingle();
        }
        return v;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
