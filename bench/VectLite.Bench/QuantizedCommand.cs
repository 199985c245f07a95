using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VectLite.Search;
using VectLite.Storage;

namespace VectLite.Bench;

/// <summary>
/// <c>quantized [--data DIR] [--queries 1000] [--ef 10,20,40,80,160] [--sq8-oversampling 1,2,4] [--binary-oversampling 4,8,16]
/// [--rounds 3] [--peer-rounds 1] [--threads 2] [--peers DIR] [--no-peer] [--out FILE]</c>: float32, SQ8 and binary VectLite on
/// fashion-mnist-784 (L2), recall@10 and single-thread q/s per ef and oversampling, bytes per vector, against faiss
/// HNSW-SQ8 in the same run.
/// </summary>
/// <remarks>
/// One graph serves all three variants: the float32 collection is built and checkpointed once, its folder copied twice,
/// and each copy's checkpoint manifest given a quantized schema; opening a copy loads the same graph and trains and
/// encodes the codes. So the variants differ only in what the walk scores, which is what is measured.
/// </remarks>
internal static class QuantizedCommand
{
    private const int K = 10;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with base.fvecs, query.fvecs, gt.ivecs (default: what the peers' fashion_mnist.sh prints)." };
        var queries = new Option<int>("--queries") { Description = "Queries timed per point, both sides.", DefaultValueFactory = _ => 1000 };
        var efs = new Option<int[]>("--ef")
        {
            Description = "Search ef values, comma-separated.",
            DefaultValueFactory = _ => [10, 20, 40, 80, 160],
            CustomParser = r => HnswCommand.ParseList(r, "--ef", 1, 10_000),
        };
        var sq8 = new Option<int[]>("--sq8-oversampling") { DefaultValueFactory = _ => [1, 2, 4], CustomParser = r => HnswCommand.ParseList(r, "--sq8-oversampling", 1, 100) };
        var binary = new Option<int[]>("--binary-oversampling") { DefaultValueFactory = _ => [4, 8, 16], CustomParser = r => HnswCommand.ParseList(r, "--binary-oversampling", 1, 100) };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of every search measurement (medians and spread reported); one build.", DefaultValueFactory = _ => 3 };
        var peerRounds = new Option<int>("--peer-rounds") { Description = "faiss runs (each one a build, minutes on a busy machine).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Build threads, both sides (search is one thread).", DefaultValueFactory = _ => 2 };
        var peers = new Option<string>("--peers") { Description = "The peers folder.", DefaultValueFactory = _ => BenchPaths.DefaultPeersDirectory };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip faiss (development runs)." };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("quantized-fashion-mnist.md") };
        var command = new Command("quantized", "float32 vs SQ8 vs binary VectLite on fashion-mnist-784 (recall@10, q/s, bytes per vector), with faiss HNSW-SQ8.")
        {
            data, queries, efs, sq8, binary, rounds, peerRounds, threads, peers, noPeer, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(data), result.GetValue(queries), result.GetRequiredValue(efs), result.GetRequiredValue(sq8), result.GetRequiredValue(binary),
                result.GetValue(rounds), result.GetValue(peerRounds), result.GetValue(threads), result.GetRequiredValue(peers), result.GetValue(noPeer), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private sealed record Variant(string Name, QuantizationKind Kind, int Oversampling);

    private sealed record Point(int Ef, double Recall, double Qps);

    private static void Run(string? dataDirectory, int queryCount, int[] efs, int[] sq8, int[] binary, int rounds, int peerRoundCount, int threads, string peersDirectory, bool noPeer, string output)
    {
        var started = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Collect();
        string uptime = ProcessRunner.Run("/usr/bin/uptime").Trim();
        dataDirectory ??= new HnswlibPeer(peersDirectory).PrepareFashionMnist();
        var baseFile = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        var queryFile = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs")).Take(queryCount);
        var truth = TexmexFile<int>.Read(Path.Combine(dataDirectory, "gt.ivecs"));

        // The peer first, in its own process, so its memory is gone before ours is built.
        string peerBuild = "not run (--no-peer)";
        var peerRounds = new List<List<Point>>();
        if (!noPeer)
        {
            for (int round = 1; round <= peerRoundCount; round++)
            {
                (string peerLine, List<Point> points) = RunPeer(peersDirectory, dataDirectory, efs, queryCount, threads);
                peerBuild = peerLine;
                peerRounds.Add(points);
                Console.Error.WriteLine($"quantized round {round}: faiss HNSW-SQ8 " + Describe(points));
            }
        }

        using TempDirectory folder = TempDirectory.Create("quantized");
        string floatPath = Path.Combine(folder.Path, "float32");
        var buildWatch = Stopwatch.StartNew();
        using (Database db = Database.Open(floatPath, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("base", CollectionSchema.SingleVector(baseFile.Dimension, Metric.L2)
                .WithHnsw(new HnswOptions { M = 16, EfConstruction = 200, MaxInsertThreads = threads }));
            c.UpsertMany(Enumerable.Range(0, baseFile.Count).Select(i => new Record((ulong)i, baseFile.Row(i))));
            c.Compact();
        }
        TimeSpan build = buildWatch.Elapsed;
        Console.Error.WriteLine($"quantized: float32 build + checkpoint {Format.Seconds(build)}");
        CopyWithQuantization(floatPath, Path.Combine(folder.Path, "sq8"), QuantizationKind.Sq8);
        CopyWithQuantization(floatPath, Path.Combine(folder.Path, "binary"), QuantizationKind.Binary);

        List<Variant> variants = [new("float32", QuantizationKind.None, 0), .. sq8.Select(o => new Variant($"SQ8 x{o}", QuantizationKind.Sq8, o)),
            .. binary.Select(o => new Variant($"binary x{o}", QuantizationKind.Binary, o))];
        var ours = variants.ToDictionary(v => v.Name, _ => new List<List<Point>>());
        var bytes = new Dictionary<QuantizationKind, (long Vectors, long Graph, long Codes, string State, TimeSpan Open)>();
        foreach (QuantizationKind kind in new[] { QuantizationKind.None, QuantizationKind.Sq8, QuantizationKind.Binary })
        {
            string path = Path.Combine(folder.Path, kind switch { QuantizationKind.Sq8 => "sq8", QuantizationKind.Binary => "binary", _ => "float32" });
            var openWatch = Stopwatch.StartNew();
            using Database db = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            Collection c = db.GetCollection("base");
            TimeSpan open = openWatch.Elapsed; // load + (for the copies) train and encode 60,000 codes
            CollectionStats stats = c.GetStats();
            bytes[kind] = (stats.Memory!.Vectors, stats.Memory.Graphs, stats.Memory.Codes, stats.VectorIndexes[0].Quantization + ", graph " + stats.VectorIndexes[0].Origin, open);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            for (int round = 1; round <= rounds; round++)
            {
                foreach (Variant variant in variants.Where(v => v.Kind == kind))
                {
                    QuantizedSearch.OversamplingForBench = variant.Oversampling > 0 ? variant.Oversampling : null;
                    List<Point> points = [.. efs.Select(ef => Measure(c, queryFile, truth, ef))];
                    QuantizedSearch.OversamplingForBench = null;
                    ours[variant.Name].Add(points);
                    Console.Error.WriteLine($"quantized round {round}: {variant.Name} " + Describe(points));
                }
            }
        }

        Write(machine, uptime, dataDirectory, baseFile.Count, queryCount, efs, rounds, peerRoundCount, threads, build, peerBuild, variants, ours, bytes, peerRounds, started.Elapsed, output);
    }

    /// <summary>Copies the checkpointed float32 database and rewrites its checkpoint manifest with a quantized schema.</summary>
    private static void CopyWithQuantization(string from, string to, QuantizationKind kind)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string collection = Path.Combine(to, "collections", "base");
        CheckpointManifest manifest = CheckpointManifest.Read(collection);
        VectorSpec v = manifest.Schema.Vectors[0];
        var schema = new CollectionSchema().AddVector(v.Name, v.Dimension, v.Metric, new QuantizationOptions { Kind = kind }).WithHnsw(manifest.Schema.Hnsw);
        new CheckpointManifest
        {
            Generation = manifest.Generation,
            Lsn = manifest.Lsn,
            RecordCount = manifest.RecordCount,
            CreatedAt = manifest.CreatedAt,
            Schema = schema,
            PayloadIndexes = manifest.PayloadIndexes,
            Files = manifest.Files,
        }.WriteAtomic(FileSystemStorage.Instance, collection);
    }

    private static Point Measure(Collection c, TexmexFile<float> queries, TexmexFile<int> truth, int ef)
    {
        var options = new SearchOptions { TopK = K, Ef = ef, IncludePayload = false };
        int hits = 0;
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < queries.Count; q++)
        {
            IReadOnlyList<SearchHit> found = c.Search(queries.Row(q).Span, options);
            ReadOnlySpan<int> expected = truth.Row(q).Span[..K];
            foreach (SearchHit hit in found)
            {
                if (expected.Contains((int)hit.Id.AsNumber))
                {
                    hits++;
                }
            }
        }
        return new Point(ef, (double)hits / (queries.Count * K), queries.Count / watch.Elapsed.TotalSeconds);
    }

    private static (string Build, List<Point> Points) RunPeer(string peersDirectory, string dataDirectory, int[] efs, int queries, int threads)
    {
        string text = ProcessRunner.Run("/bin/sh", Path.Combine(peersDirectory, "faiss_peer.sh"), dataDirectory, "--index", "sq8", "--M", "16",
            "--ef-construction", "200", "--ef", string.Join(',', efs), "--k", K.ToString(CultureInfo.InvariantCulture),
            "--queries", queries.ToString(CultureInfo.InvariantCulture), "--build-threads", threads.ToString(CultureInfo.InvariantCulture));
        string build = "";
        var points = new List<Point>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (root.GetProperty("phase").GetString() == "build")
            {
                long serialized = root.GetProperty("serialized_bytes").GetInt64();
                int n = root.GetProperty("n").GetInt32();
                build = string.Create(CultureInfo.InvariantCulture,
                    $"faiss {root.GetProperty("faiss").GetString()}: build {root.GetProperty("seconds").GetDouble():0.0} s on {threads} threads; serialized index {Format.Bytes(serialized)} = {(double)serialized / n:0} bytes per vector");
            }
            else
            {
                points.Add(new Point(root.GetProperty("ef").GetInt32(), root.GetProperty("recall").GetDouble(), root.GetProperty("qps").GetDouble()));
            }
        }
        return (build, points);
    }

    private static string Describe(List<Point> points) =>
        string.Join("; ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"ef {p.Ef}: {p.Recall:0.0000} @ {p.Qps:0} q/s")));

    /// <summary>The median and the (min..max) spread over rounds of one ef's numbers.</summary>
    private static (Point Median, double QpsMin, double QpsMax) Summarise(List<List<Point>> rounds, int index)
    {
        Point[] at = [.. rounds.Select(r => r[index])];
        return (new Point(at[0].Ef, Statistics.Median(at.Select(p => p.Recall)), Statistics.Median(at.Select(p => p.Qps))), at.Min(p => p.Qps), at.Max(p => p.Qps));
    }

    private static QpsAtRecall AtRecall(List<List<Point>> rounds, double recall)
    {
        var medians = Enumerable.Range(0, rounds[0].Count).Select(i => Summarise(rounds, i).Median)
            .Select(p => new HnswSearchPoint(p.Ef, 0, p.Recall, p.Qps, 0, 0)).ToList();
        return QpsAtRecall.From(medians, recall);
    }

    private static void Write(MachineInfo machine, string uptime, string dataDirectory, int baseCount, int queryCount, int[] efs, int rounds, int peerRounds, int threads,
        TimeSpan build, string peerBuild, List<Variant> variants, Dictionary<string, List<List<Point>>> ours,
        Dictionary<QuantizationKind, (long Vectors, long Graph, long Codes, string State, TimeSpan Open)> bytes, List<List<Point>> peer, TimeSpan elapsed, string output)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Quantized vectors on fashion-mnist-784 (L2): float32 vs SQ8 vs binary VectLite, faiss HNSW-SQ8");
        md.AppendLine();
        md.AppendLine(inv, $"Generated by `dotnet run -c Release --project bench/VectLite.Bench -- quantized --rounds {rounds} --queries {queryCount}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; whole run {Format.Seconds(elapsed)}.");
        md.AppendLine();
        md.AppendLine(inv, $"**The machine was busy** (2 cores shared with other agents' builds and tests): `uptime` at the start: `{uptime}`. Absolute q/s are low and noisy; the ratios measured in the same run are the result, with the spread over rounds shown.");
        md.AppendLine();
        md.AppendLine(inv, $"Machine: {machine.Cores} cores, {machine.CpuModel}, {Format.Bytes(machine.MemoryBytes)}, {machine.Runtime}, {machine.Build}.");
        md.AppendLine(inv, $"Data: `{dataDirectory}`, {baseCount:N0} base vectors x 784, the first {queryCount:N0} queries, recall@10 against gt.ivecs. M = 16, ef_construction = 200, build on {threads} threads; search one query at a time on one thread, ef = {string.Join(", ", efs)}.");
        md.AppendLine();
        md.AppendLine("How: one float32 collection is built (`UpsertMany`) and checkpointed; its folder is copied twice and each copy's checkpoint manifest given `QuantizationOptions { Kind = Sq8 }` or `Binary`. Opening a copy loads the same saved graph (no rebuild) and trains and encodes the codes; so the three variants walk the same graph and differ only in what they score. Each oversampling value is swept on the same collection (an internal benchmark override of the schema's oversampling). Every returned score is rescored on float32.");
        md.AppendLine();
        md.AppendLine(inv, $"- VectLite float32 build + checkpoint: {Format.Seconds(build)}");
        md.AppendLine(inv, $"- Peer: {peerBuild}; {peerRounds} run(s) (each a build of its own; medians over runs), `faiss_peer.sh DIR --index sq8 --M 16 --ef-construction 200 --ef ... --queries N --build-threads T`, queries one at a time through its Python API.");
        md.AppendLine();
        md.AppendLine("## Memory per vector (GetStats().Memory, allocated chunks)");
        md.AppendLine();
        md.AppendLine("| variant | float32 vectors | graph | codes | resident total | codes + graph (floats off-heap; not built yet) | open (load; copies also train + encode) | stats |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach ((QuantizationKind kind, var b) in bytes)
        {
            double n = baseCount;
            md.AppendLine(inv, $"| {(kind == QuantizationKind.None ? "float32" : kind.ToString())} | {b.Vectors / n:0} | {b.Graph / n:0} | {b.Codes / n:0} | {(b.Vectors + b.Graph + b.Codes) / n:0} | {(b.Graph + b.Codes) / n:0} | {Format.Seconds(b.Open)} | {b.State} |");
        }
        md.AppendLine();
        md.AppendLine("## Recall and single-thread q/s (median over rounds, q/s spread min..max)");
        md.AppendLine();
        md.AppendLine("| variant | " + string.Join(" | ", efs.Select(ef => $"ef {ef}")) + " |");
        md.AppendLine("|---|" + string.Concat(efs.Select(_ => "---|")));
        void Row(string name, List<List<Point>> sweep)
        {
            md.Append(inv, $"| {name} |");
            for (int i = 0; i < efs.Length; i++)
            {
                var (median, min, max) = Summarise(sweep, i);
                md.Append(inv, $" {median.Recall:0.0000} @ {median.Qps:0} ({min:0}..{max:0}) |");
            }
            md.AppendLine();
        }
        foreach (Variant v in variants)
        {
            Row(v.Name, ours[v.Name]);
        }
        if (peer.Count > 0)
        {
            Row("faiss HNSW-SQ8", peer);
        }
        md.AppendLine();
        md.AppendLine("## q/s at equal recall (interpolated on the median sweep) and ratios");
        md.AppendLine();
        md.AppendLine("| variant | q/s @ 0.95 | vs float32 | vs faiss SQ8 | q/s @ 0.99 | vs float32 | vs faiss SQ8 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        QpsAtRecall f95 = AtRecall(ours["float32"], 0.95), f99 = AtRecall(ours["float32"], 0.99);
        QpsAtRecall? p95 = peer.Count > 0 ? AtRecall(peer, 0.95) : null, p99 = peer.Count > 0 ? AtRecall(peer, 0.99) : null;
        static string Ratio(QpsAtRecall a, QpsAtRecall? b) => a.QueriesPerSecond is { } x && b?.QueriesPerSecond is { } y ? Format.Ratio(x / y) : "n/a";
        foreach ((string name, List<List<Point>> sweep) in variants.Select(v => (v.Name, ours[v.Name])).Append(("faiss HNSW-SQ8", peer)).Where(x => x.Item2.Count > 0))
        {
            QpsAtRecall a95 = AtRecall(sweep, 0.95), a99 = AtRecall(sweep, 0.99);
            md.AppendLine(inv, $"| {name} | {a95} | {Ratio(a95, f95)} | {Ratio(a95, p95)} | {a99} | {Ratio(a99, f99)} | {Ratio(a99, p99)} |");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, md.ToString());
        Console.Error.WriteLine($"quantized: wrote {output}");
    }
}
