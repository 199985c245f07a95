using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using VectLite.Search;

namespace VectLite.Bench;

/// <summary>
/// <c>value-graphs-reopen --db DIR [--rounds 3] [--queries 200] [--out FILE]</c>: what saving the value graphs with the
/// checkpoint buys at a reopen. Per round, on a copy of a database the filtered benchmark kept (<c>filtered --keep DIR</c>:
/// Fashion-MNIST, a keyword index on <c>label</c>, tenant namespaces): label-filtered searches (one class, 10% of the rows,
/// never the query's own) ask for the label's value graphs, the builder makes them (timed), a checkpoint saves them
/// (timed, file size); then the collection is reopened twice, with the value graphs file and without it (deleted, as a
/// build that predates the file leaves it), and each time the same searches run at once after the open: their q/s and how
/// many the value graphs answered, then, without the file, how long the builder takes to make them again.
/// </summary>
internal static class ValueGraphsReopenCommand
{
    private sealed record Round(double BuildSeconds, double CheckpointSeconds, long FileBytes, double OpenWithSeconds, double QpsWith, int AnsweredWith,
        double OpenWithoutSeconds, double QpsWithout, int AnsweredWithout, double RebuildSeconds);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "A database kept by `filtered --keep DIR` (copied per round, never changed).", Required = true };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST folder (default: prepared by the hnswlib peer)." };
        var peers = new Option<string>("--peers") { Description = "The peers folder.", DefaultValueFactory = _ => BenchPaths.DefaultPeersDirectory };
        var rounds = new Option<int>("--rounds") { Description = "Rounds.", DefaultValueFactory = _ => 3 };
        var queries = new Option<int>("--queries") { Description = "Label-filtered searches after each open.", DefaultValueFactory = _ => 200 };
        var output = new Option<string>("--out") { Description = "Markdown report.", DefaultValueFactory = _ => "bench/results/value-graphs-reopen.md" };
        var command = new Command("value-graphs-reopen", "Reopen a collection with and without its saved value graphs: open time, q/s of the first filtered searches, rebuild time.")
        {
            db, data, peers, rounds, queries, output,
        };
        command.SetAction(result => Run(result.GetRequiredValue(db), result.GetValue(data), result.GetRequiredValue(peers), result.GetRequiredValue(rounds),
            result.GetRequiredValue(queries), result.GetRequiredValue(output)));
        return command;
    }

    private static void Run(string source, string? dataDirectory, string peersDirectory, int rounds, int queryCount, string output)
    {
        MachineInfo machine = MachineInfo.Collect();
        string loadBefore = MachineInfo.LoadAverage();
        dataDirectory ??= new HnswlibPeer(peersDirectory).PrepareFashionMnist();
        FilteredWorkload workload = FilteredWorkload.Load(dataDirectory, queryCount, [0.1]);
        var results = new List<Round>();
        for (int r = 0; r < rounds; r++)
        {
            using TempDirectory copy = TempDirectory.Create("value-graphs-reopen");
            CopyDirectory(source, copy.Path);
            results.Add(RunRound(copy.Path, workload, queryCount));
            Round last = results[^1];
            Console.Error.WriteLine($"value-graphs-reopen: round {r + 1}: build {last.BuildSeconds:0.00} s, checkpoint {last.CheckpointSeconds:0.00} s, file {Format.Bytes(last.FileBytes)}, " +
                $"open with {last.OpenWithSeconds:0.00} s ({last.QpsWith:0} q/s, {last.AnsweredWith} on value graphs), open without {last.OpenWithoutSeconds:0.00} s " +
                $"({last.QpsWithout:0} q/s, {last.AnsweredWithout} on value graphs), rebuild {last.RebuildSeconds:0.00} s");
        }
        string report = Report(results, machine, loadBefore, MachineInfo.LoadAverage(), source, rounds, queryCount);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.WriteLine(report);
    }

    private static Round RunRound(string path, FilteredWorkload workload, int queryCount)
    {
        double build, checkpoint;
        using (Database database = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection collection = database.GetCollection("base");
            Searches(collection, workload, queryCount); // asks for the label's value graphs
            var watch = Stopwatch.StartNew();
            collection.WaitForIndexing();
            build = watch.Elapsed.TotalSeconds;
            watch.Restart();
            collection.Compact();
            checkpoint = watch.Elapsed.TotalSeconds;
        }
        string directory = Path.Combine(path, "collections", "base");
        string file = Directory.EnumerateFiles(directory, "*.valuegraphs.vlvg").Single();
        long bytes = new FileInfo(file).Length;

        (double openWith, double qpsWith, int answeredWith, _) = Reopen(path, workload, queryCount, waitForBuilder: false);
        File.Delete(file);
        (double openWithout, double qpsWithout, int answeredWithout, double rebuild) = Reopen(path, workload, queryCount, waitForBuilder: true);
        return new Round(build, checkpoint, bytes, openWith, qpsWith, answeredWith, openWithout, qpsWithout, answeredWithout, rebuild);
    }

    private static (double Open, double Qps, int OnValueGraphs, double Rebuild) Reopen(string path, FilteredWorkload workload, int queryCount, bool waitForBuilder)
    {
        var watch = Stopwatch.StartNew();
        using Database database = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection collection = database.GetCollection("base");
        double open = watch.Elapsed.TotalSeconds;
        watch.Restart();
        int onValueGraphs = Searches(collection, workload, queryCount);
        double qps = queryCount / watch.Elapsed.TotalSeconds;
        double rebuild = 0;
        if (waitForBuilder)
        {
            watch.Restart();
            collection.WaitForIndexing();
            rebuild = watch.Elapsed.TotalSeconds;
        }
        return (open, qps, onValueGraphs, rebuild);
    }

    /// <summary>Runs the label-filtered searches (one class other than the query's, ef 40); returns how many value graphs answered.</summary>
    private static int Searches(Collection collection, FilteredWorkload workload, int queryCount)
    {
        int onValueGraphs = 0;
        for (int q = 0; q < queryCount; q++)
        {
            string label = FilteredWorkload.ClassNames[(workload.QueryLabels[q] + 1 + (q % 9)) % 10];
            collection.Search(workload.Queries.Row(q), new SearchOptions { TopK = 10, Ef = 40, Filter = Filter.Eq("label", label), IncludePayload = false });
            onValueGraphs += SearchPlanner.LastPath == SearchPath.ValueGraphs ? 1 : 0;
        }
        return onValueGraphs;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }

    private static string Report(List<Round> rounds, MachineInfo machine, string loadBefore, string loadAfter, string source, int roundCount, int queries)
    {
        static string Stat(IEnumerable<double> values, string format)
        {
            double[] sorted = [.. values.Order()];
            double median = sorted[sorted.Length / 2];
            return string.Create(CultureInfo.InvariantCulture, $"{median.ToString(format, CultureInfo.InvariantCulture)} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}-{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})");
        }
        var text = new StringBuilder();
        text.AppendLine("# Value graphs saved with the checkpoint: reopening");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/VectLite.Bench -- value-graphs-reopen --db {source} --rounds {roundCount} --queries {queries}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"(the database kept by `filtered --keep {source}`: Fashion-MNIST 60,000 x 784, L2, M 16, ef_construction 200, keyword index on `label`).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {machine.Cores} cores, {machine.CpuModel}, {Format.Bytes(machine.MemoryBytes)}, {machine.Runtime}; load average before {loadBefore}, after {loadAfter}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Per round: {queries} searches filtered on one label (10% of the rows, never the query's class; ef 40) ask for the label's value graphs; the builder makes them; a checkpoint saves them; the collection is reopened with the file, the same searches run at once; then reopened with the file deleted, the same searches, then the builder's rebuild. Median (min-max) of {rounds.Count} rounds.");
        text.AppendLine();
        text.AppendLine("| | with the saved value graphs | without (built again after the open) |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| open (s) | {Stat(rounds.Select(r => r.OpenWithSeconds), "0.00")} | {Stat(rounds.Select(r => r.OpenWithoutSeconds), "0.00")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| first {queries} label-filtered searches, q/s | {Stat(rounds.Select(r => r.QpsWith), "0")} | {Stat(rounds.Select(r => r.QpsWithout), "0")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| of them answered by the value graphs | {Stat(rounds.Select(r => (double)r.AnsweredWith), "0")} | {Stat(rounds.Select(r => (double)r.AnsweredWithout), "0")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| until the value graphs answer (s) | 0 (loaded with the collection) | {Stat(rounds.Select(r => r.RebuildSeconds), "0.00")} after those searches |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Building them the first time: {Stat(rounds.Select(r => r.BuildSeconds), "0.00")} s; the checkpoint that saves them (and compacts nothing): {Stat(rounds.Select(r => r.CheckpointSeconds), "0.00")} s; the file: {Format.Bytes(rounds[0].FileBytes)}.");
        text.AppendLine();
        text.AppendLine("| round | build (s) | checkpoint (s) | open with (s) | q/s with | on value graphs | open without (s) | q/s without | on value graphs | rebuild (s) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < rounds.Count; i++)
        {
            Round r = rounds[i];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1} | {r.BuildSeconds:0.00} | {r.CheckpointSeconds:0.00} | {r.OpenWithSeconds:0.00} | {r.QpsWith:0} | {r.AnsweredWith} | {r.OpenWithoutSeconds:0.00} | {r.QpsWithout:0} | {r.AnsweredWithout} | {r.RebuildSeconds:0.00} |");
        }
        return text.ToString();
    }
}
