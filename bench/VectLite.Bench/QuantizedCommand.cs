using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VectLite.Search;
using Cloud.Unum.USearch;
using VectLite.Storage;

namespace VectLite.Bench;

/// <summary>
/// <c>quantized [--data DIR] [--base-count N] [--queries 1000] [--ef 10,20,40,80,160] [--sq8-oversampling 1,2,4]
/// [--binary-oversampling 4,8,16] [--pq-oversampling 4,8,16] [--f16-oversampling 1,2] [--rabitq-oversampling 4,8,16]
/// [--kinds sq8,binary,pq,float16,rabitq] [--faiss hnsw,sq8,ivfpq]
/// [--ivf-nlist 1024] [--ivf-m 196] [--ivf-nprobe 1,4,16,64] [--ivf-refine 10] [--no-usearch] [--rounds 3] [--peer-rounds 1]
/// [--threads 2] [--peers DIR] [--no-peer] [--smoke] [--out FILE]</c>: float32, SQ8, binary, PQ, float16 and RaBitQ VectLite
/// on fashion-mnist-784 or any TEXMEX folder (<c>--data</c>, e.g. the MiniLM one <c>embed-dataset</c> writes) (L2), recall@10 and single-thread q/s per ef and oversampling, bytes per vector, against faiss
/// (HNSW-Flat, HNSW-SQ8, IVF-PQ with refinement) and USearch (f32, f16, i8, in-process) in the same run.
/// </summary>
/// <remarks>
/// One graph serves all three variants: the float32 collection is built and checkpointed once, its folder copied twice,
/// and each copy's checkpoint manifest given a quantized schema; opening a copy loads the same graph and trains and
/// encodes the codes. So the variants differ only in what the walk scores, which is what is measured.
/// <c>--base-count N</c> takes the first N base vectors and computes their exact L2 top-100 here, written as a data folder
/// the faiss peer reads too (a smoke run at small size).
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
        var pq = new Option<int[]>("--pq-oversampling") { DefaultValueFactory = _ => [4, 8, 16], CustomParser = r => HnswCommand.ParseList(r, "--pq-oversampling", 1, 100) };
        var f16 = new Option<int[]>("--f16-oversampling") { DefaultValueFactory = _ => [1, 2], CustomParser = r => HnswCommand.ParseList(r, "--f16-oversampling", 1, 100) };
        var rabitq = new Option<int[]>("--rabitq-oversampling") { DefaultValueFactory = _ => [4, 8, 16], CustomParser = r => HnswCommand.ParseList(r, "--rabitq-oversampling", 1, 100) };
        var kinds = new Option<string>("--kinds") { Description = "Quantized kinds to run besides float32, comma-separated: sq8, binary, pq, float16, rabitq.", DefaultValueFactory = _ => "sq8,binary,pq,float16,rabitq" };
        var baseCount = new Option<int>("--base-count") { Description = "Use the first N base vectors (0: all) with an exact ground truth computed here: smoke runs.", DefaultValueFactory = _ => 0 };
        var faiss = new Option<string>("--faiss") { Description = "faiss indexes to run, comma-separated: hnsw (HNSW-Flat), sq8 (HNSW-SQ8), ivfpq (IVF-PQ + refinement).", DefaultValueFactory = _ => "hnsw,sq8,ivfpq" };
        var nlist = new Option<int>("--ivf-nlist") { Description = "IVF-PQ lists.", DefaultValueFactory = _ => 1024 };
        var ivfM = new Option<int>("--ivf-m") { Description = "IVF-PQ sub-quantizers (bytes per code; 196 = 16x on 784-d, as VectLite's PQ default).", DefaultValueFactory = _ => 196 };
        var nprobe = new Option<string>("--ivf-nprobe") { Description = "IVF-PQ nprobe sweep.", DefaultValueFactory = _ => "1,4,16,64" };
        var refine = new Option<int>("--ivf-refine") { Description = "IVF-PQ refinement: k x this many candidates reranked on float32 (IndexRefineFlat).", DefaultValueFactory = _ => 10 };
        var noUsearch = new Option<bool>("--no-usearch") { Description = "Skip USearch." };
        var smoke = new Option<bool>("--smoke") { Description = "Mark the report as a smoke run on a busy machine." };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of every search measurement (medians and spread reported); one build.", DefaultValueFactory = _ => 3 };
        var peerRounds = new Option<int>("--peer-rounds") { Description = "faiss runs (each one a build, minutes on a busy machine).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Build threads, both sides (search is one thread).", DefaultValueFactory = _ => 2 };
        var peers = new Option<string>("--peers") { Description = "The peers folder.", DefaultValueFactory = _ => BenchPaths.DefaultPeersDirectory };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip faiss (development runs)." };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("quantized-fashion-mnist.md") };
        var command = new Command("quantized", "float32 vs SQ8, binary, PQ and float16 VectLite on fashion-mnist-784 (recall@10, q/s, bytes per vector), with faiss and USearch.")
        {
            data, baseCount, queries, efs, sq8, binary, pq, f16, rabitq, kinds, faiss, nlist, ivfM, nprobe, refine, noUsearch, rounds, peerRounds, threads, peers, noPeer, smoke, output,
        };
        command.SetAction(result =>
        {
            var settings = new Settings(result.GetValue(data), result.GetValue(baseCount), result.GetValue(queries), result.GetRequiredValue(efs),
                result.GetRequiredValue(sq8), result.GetRequiredValue(binary), result.GetRequiredValue(pq), result.GetRequiredValue(f16), result.GetRequiredValue(rabitq),
                ParseKinds(result.GetRequiredValue(kinds)),
                result.GetRequiredValue(faiss).Split(',', StringSplitOptions.RemoveEmptyEntries), result.GetValue(nlist), result.GetValue(ivfM),
                result.GetRequiredValue(nprobe), result.GetValue(refine), result.GetValue(noUsearch), result.GetValue(rounds), result.GetValue(peerRounds),
                result.GetValue(threads), result.GetRequiredValue(peers), result.GetValue(noPeer), result.GetValue(smoke), result.GetRequiredValue(output));
            Run(settings);
            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>--kinds</c>: float32 always runs first, then the named kinds in the order given.</summary>
    private static QuantizationKind[] ParseKinds(string list) =>
        [QuantizationKind.None, .. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => name.ToLowerInvariant() switch
        {
            "sq8" => QuantizationKind.Sq8,
            "binary" => QuantizationKind.Binary,
            "pq" => QuantizationKind.Pq,
            "float16" or "f16" => QuantizationKind.Float16,
            "rabitq" => QuantizationKind.RaBitQ,
            _ => throw new ArgumentException($"--kinds: unknown kind '{name}'; use sq8, binary, pq, float16, rabitq."),
        }).Distinct()];

    private sealed record Settings(string? Data, int BaseCount, int Queries, int[] Efs, int[] Sq8, int[] Binary, int[] Pq, int[] F16, int[] RaBitQ, QuantizationKind[] Kinds, string[] Faiss,
        int Nlist, int IvfM, string Nprobe, int Refine, bool NoUsearch, int Rounds, int PeerRounds, int Threads, string Peers, bool NoPeer, bool Smoke, string Output);

    private sealed record Variant(string Name, QuantizationKind Kind, int Oversampling);

    private sealed record Point(int Ef, double Recall, double Qps);

    /// <summary>A peer's sweep: its build line, bytes per vector (what it holds in memory: codes or vectors + graph), rounds.</summary>
    private sealed class PeerResult(string name, string sweep)
    {
        public string Name { get; } = name;

        /// <summary>"ef" or "nprobe": what the points' Ef field holds.</summary>
        public string Sweep { get; } = sweep;

        public string Build { get; set; } = "";

        public double BytesPerVector { get; set; }

        public string BytesNote { get; set; } = "";

        public List<List<Point>> Rounds { get; } = [];
    }

    private static string Folder(QuantizationKind kind) => kind == QuantizationKind.None ? "float32" : kind.ToString().ToLowerInvariant();

    private static void Run(Settings o)
    {
        var started = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Collect();
        string uptime = ProcessRunner.Run("/usr/bin/uptime").Trim();
        string dataDirectory = o.Data ?? new HnswlibPeer(o.Peers).PrepareFashionMnist();
        var baseFile = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        var queryFile = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs")).Take(o.Queries);
        TexmexFile<int> truth;
        using TempDirectory folder = TempDirectory.Create("quantized");
        if (o.BaseCount > 0 && o.BaseCount < baseFile.Count)
        {
            // A subset: its own exact ground truth, and a data folder the faiss peer reads too.
            baseFile = baseFile.Take(o.BaseCount);
            truth = ExactL2(baseFile, queryFile);
            dataDirectory = Path.Combine(folder.Path, "data");
            Directory.CreateDirectory(dataDirectory);
            baseFile.Write(Path.Combine(dataDirectory, "base.fvecs"));
            queryFile.Write(Path.Combine(dataDirectory, "query.fvecs"));
            truth.Write(Path.Combine(dataDirectory, "gt.ivecs"));
        }
        else
        {
            truth = TexmexFile<int>.Read(Path.Combine(dataDirectory, "gt.ivecs"));
        }

        // The out-of-process peers first, so their memory is gone before ours is built.
        var peers = new List<PeerResult>();
        if (!o.NoPeer)
        {
            foreach (string index in o.Faiss)
            {
                var peer = new PeerResult(index switch { "hnsw" => "faiss HNSW-Flat", "sq8" => "faiss HNSW-SQ8", "ivfpq" => $"faiss IVF-PQ m={o.IvfM} +refine x{o.Refine}", _ => "faiss " + index },
                    index == "ivfpq" ? "nprobe" : "ef");
                for (int round = 1; round <= o.PeerRounds; round++)
                {
                    try
                    {
                        peer.Rounds.Add(RunFaiss(o, dataDirectory, index, peer));
                        Console.Error.WriteLine($"quantized round {round}: {peer.Name} " + Describe(peer.Rounds[^1]));
                    }
                    catch (InvalidOperationException ex)
                    {
                        // One peer failing (or killed for taking too long) should not cost the rest of the run.
                        peer.Build = "failed: " + ex.Message.Split('\n')[0];
                        Console.Error.WriteLine($"quantized: {peer.Name} {peer.Build}");
                        break;
                    }
                }
                peers.Add(peer);
            }
        }

        string floatPath = Path.Combine(folder.Path, "float32");
        var buildWatch = Stopwatch.StartNew();
        using (Database db = Database.Open(floatPath, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("base", CollectionSchema.SingleVector(baseFile.Dimension, Metric.L2)
                .WithHnsw(new HnswOptions { M = 16, EfConstruction = 200, MaxInsertThreads = o.Threads }));
            c.UpsertMany(Enumerable.Range(0, baseFile.Count).Select(i => new Record((ulong)i, baseFile.Row(i))));
            c.Compact();
        }
        TimeSpan build = buildWatch.Elapsed;
        Console.Error.WriteLine($"quantized: float32 build + checkpoint {Format.Seconds(build)}");
        foreach (QuantizationKind kind in o.Kinds.Skip(1))
        {
            CopyWithQuantization(floatPath, Path.Combine(folder.Path, Folder(kind)), new QuantizationOptions { Kind = kind });
        }

        List<Variant> variants = [new("float32", QuantizationKind.None, 0), .. o.Sq8.Select(x => new Variant($"SQ8 x{x}", QuantizationKind.Sq8, x)),
            .. o.Binary.Select(x => new Variant($"binary x{x}", QuantizationKind.Binary, x)), .. o.Pq.Select(x => new Variant($"PQ x{x}", QuantizationKind.Pq, x)),
            .. o.F16.Select(x => new Variant($"float16 x{x}", QuantizationKind.Float16, x)), .. o.RaBitQ.Select(x => new Variant($"RaBitQ x{x}", QuantizationKind.RaBitQ, x))];
        variants = [.. variants.Where(v => o.Kinds.Contains(v.Kind))];
        var ours = variants.ToDictionary(v => v.Name, _ => new List<List<Point>>());
        var bytes = new Dictionary<QuantizationKind, (long Vectors, long Graph, long Codes, string State, TimeSpan Open)>();
        foreach (QuantizationKind kind in o.Kinds)
        {
            var openWatch = Stopwatch.StartNew();
            using Database db = Database.Open(Path.Combine(folder.Path, Folder(kind)), new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            Collection c = db.GetCollection("base")!;
            TimeSpan open = openWatch.Elapsed; // load + (for the copies) train and encode the codes
            CollectionStats stats = c.GetStats();
            bytes[kind] = (stats.Memory!.Vectors, stats.Memory.Graphs, stats.Memory.Codes, stats.VectorIndexes[0].Quantization + ", graph " + stats.VectorIndexes[0].Origin, open);
            Console.Error.WriteLine($"quantized: {Folder(kind)} open {Format.Seconds(open)}: {bytes[kind].State}");
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            for (int round = 1; round <= o.Rounds; round++)
            {
                foreach (Variant variant in variants.Where(v => v.Kind == kind))
                {
                    QuantizedSearch.OversamplingForBench = variant.Oversampling > 0 ? variant.Oversampling : null;
                    List<Point> points = [.. o.Efs.Select(ef => Measure(c, queryFile, truth, ef))];
                    QuantizedSearch.OversamplingForBench = null;
                    ours[variant.Name].Add(points);
                    Console.Error.WriteLine($"quantized round {round}: {variant.Name} " + Describe(points));
                }
            }
        }

        // USearch in-process, after ours (its native memory is freed at Dispose).
        if (!o.NoPeer && !o.NoUsearch)
        {
            foreach (ScalarKind scalar in new[] { ScalarKind.Float32, ScalarKind.Float16, ScalarKind.Int8 })
            {
                var peer = new PeerResult(USearchPeer.Name(scalar), "ef");
                for (int round = 1; round <= o.PeerRounds; round++)
                {
                    (USearchPeer index, TimeSpan took) = USearchPeer.Build(scalar, baseFile, 16, 200, o.Threads);
                    using (index)
                    {
                        peer.BytesPerVector = (double)index.MemoryBytes / baseFile.Count;
                        peer.Build = string.Create(CultureInfo.InvariantCulture, $"USearch {USearchCapabilities.Version()}: build {Format.Seconds(took)} on {o.Threads} threads; usearch_memory_usage {Format.Bytes(index.MemoryBytes)}");
                        peer.BytesNote = "usearch_memory_usage: vectors in its scalar kind + graph";
                        GC.Collect();
                        var points = new List<Point>();
                        for (int r = 0; r < o.Rounds; r++)
                        {
                            points = [.. o.Efs.Select(ef => index.Measure(queryFile, truth, ef, K) is var m ? new Point(ef, m.Recall, m.Qps) : null!)];
                            peer.Rounds.Add(points);
                            Console.Error.WriteLine($"quantized round {round}.{r + 1}: {peer.Name} " + Describe(points));
                        }
                    }
                }
                peers.Add(peer);
            }
        }

        Write(o, machine, uptime, dataDirectory, baseFile.Count, baseFile.Dimension, build, variants, ours, bytes, peers, started.Elapsed);
    }

    /// <summary>The exact L2 top-<see cref="GroundTruth.Depth"/> of each query, brute force in double (smoke runs on a subset).</summary>
    private static TexmexFile<int> ExactL2(TexmexFile<float> vectors, TexmexFile<float> queries)
    {
        int depth = Math.Min(GroundTruth.Depth, vectors.Count);
        var result = new int[queries.Count * depth];
        Parallel.For(0, queries.Count, q =>
        {
            ReadOnlySpan<float> query = queries.Row(q).Span;
            var distances = new double[vectors.Count];
            for (int row = 0; row < vectors.Count; row++)
            {
                ReadOnlySpan<float> v = vectors.Row(row).Span;
                double sum = 0;
                for (int d = 0; d < v.Length; d++)
                {
                    double diff = (double)query[d] - v[d];
                    sum += diff * diff;
                }
                distances[row] = sum;
            }
            int[] order = [.. Enumerable.Range(0, vectors.Count).OrderBy(i => distances[i]).ThenBy(i => i).Take(depth)];
            order.CopyTo(result, q * depth);
        });
        return TexmexFile<int>.FromRows(result, depth);
    }

    /// <summary>Copies the checkpointed float32 database and rewrites its checkpoint manifest with a quantized schema.</summary>
    private static void CopyWithQuantization(string from, string to, QuantizationOptions quantization)
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
        var schema = new CollectionSchema().AddVector(v.Name, v.Dimension, v.Metric, quantization).WithHnsw(manifest.Schema.Hnsw);
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
            hits += TrueHits.Count(c.Search(queries.Row(q).Span, options), truth.Row(q).Span[..K]);
        }
        return new Point(ef, (double)hits / (queries.Count * K), queries.Count / watch.Elapsed.TotalSeconds);
    }

    private static List<Point> RunFaiss(Settings o, string dataDirectory, string index, PeerResult peer)
    {
        var args = new List<string> { Path.Combine(o.Peers, "faiss_peer.sh"), dataDirectory, "--index", index, "--k", K.ToString(CultureInfo.InvariantCulture),
            "--queries", o.Queries.ToString(CultureInfo.InvariantCulture), "--build-threads", o.Threads.ToString(CultureInfo.InvariantCulture) };
        if (index == "ivfpq")
        {
            args.AddRange(["--nlist", o.Nlist.ToString(CultureInfo.InvariantCulture), "--m", o.IvfM.ToString(CultureInfo.InvariantCulture),
                "--nprobe", o.Nprobe, "--refine", o.Refine.ToString(CultureInfo.InvariantCulture)]);
        }
        else
        {
            args.AddRange(["--M", "16", "--ef-construction", "200", "--ef", string.Join(',', o.Efs)]);
        }
        string text = ProcessRunner.Run("/bin/sh", [.. args]);
        var points = new List<Point>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (root.GetProperty("phase").GetString() == "build")
            {
                long serialized = root.GetProperty("serialized_bytes").GetInt64();
                int n = root.GetProperty("n").GetInt32();
                peer.BytesPerVector = (double)serialized / n;
                peer.BytesNote = index == "ivfpq" ? "serialized index, which holds the float32 vectors for refinement" : "serialized index: vectors or codes + graph";
                peer.Build = string.Create(CultureInfo.InvariantCulture,
                    $"faiss {root.GetProperty("faiss").GetString()}: build {root.GetProperty("seconds").GetDouble():0.0} s (train {root.GetProperty("train_seconds").GetDouble():0.0} s) on {o.Threads} threads; serialized {Format.Bytes(serialized)}");
            }
            else
            {
                points.Add(new Point(root.GetProperty(peer.Sweep).GetInt32(), root.GetProperty("recall").GetDouble(), root.GetProperty("qps").GetDouble()));
            }
        }
        return points;
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

    private static void Write(Settings o, MachineInfo machine, string uptime, string dataDirectory, int baseCount, int dimension, TimeSpan build, List<Variant> variants,
        Dictionary<string, List<List<Point>>> ours, Dictionary<QuantizationKind, (long Vectors, long Graph, long Codes, string State, TimeSpan Open)> bytes,
        List<PeerResult> peers, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int[] efs = o.Efs;
        md.AppendLine(inv, $"# Quantized vectors on {Path.GetFileName(Path.TrimEndingDirectorySeparator(o.Data ?? dataDirectory))} ({dimension}-d, L2): VectLite float32, {string.Join(", ", o.Kinds.Skip(1))} vs faiss and USearch");
        md.AppendLine();
        string extra = (o.BaseCount > 0 ? $" --base-count {o.BaseCount}" : "") + (o.Smoke ? " --smoke" : "")
            + (o.Faiss.Length < 3 ? $" --faiss {string.Join(',', o.Faiss)}" : "") + (o.Nlist != 1024 ? $" --ivf-nlist {o.Nlist}" : "")
            + (o.IvfM != 196 ? $" --ivf-m {o.IvfM}" : "") + (o.Data is null ? "" : $" --data {o.Data}") + (o.Kinds.Length < 6 ? $" --kinds {string.Join(',', o.Kinds.Skip(1)).ToLowerInvariant()}" : "") + (!o.Efs.SequenceEqual([10, 20, 40, 80, 160]) ? $" --ef {string.Join(',', o.Efs)}" : "")
            + (o.Kinds.Contains(QuantizationKind.Binary) && !o.Binary.SequenceEqual([4, 8, 16]) ? $" --binary-oversampling {string.Join(',', o.Binary)}" : "")
            + (o.Kinds.Contains(QuantizationKind.RaBitQ) && !o.RaBitQ.SequenceEqual([4, 8, 16]) ? $" --rabitq-oversampling {string.Join(',', o.RaBitQ)}" : "")
            + (o.NoPeer ? " --no-peer" : "");
        md.AppendLine(inv, $"Generated by `dotnet run -c Release --project bench/VectLite.Bench -- quantized --rounds {o.Rounds} --queries {o.Queries}{extra}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; whole run {Format.Seconds(elapsed)}.");
        md.AppendLine();
        if (o.Smoke)
        {
            md.AppendLine("**Busy machine, smoke run**: a small subset to prove the command works end to end; not a measurement to quote. The lead's quiet run replaces it.");
            md.AppendLine();
        }
        md.AppendLine(inv, $"`uptime` at the start: `{uptime}` (a load average near the core count or above means other work shared the machine: absolute q/s are then low and noisy, and the ratios measured in the same run are the result, with the spread over rounds shown).");
        md.AppendLine();
        md.AppendLine(inv, $"Machine: {machine.Cores} cores, {machine.CpuModel}, {Format.Bytes(machine.MemoryBytes)}, {machine.Runtime}, {machine.Build}.");
        md.AppendLine(inv, $"Data: `{dataDirectory}`, {baseCount:N0} base vectors x {dimension}, the first {o.Queries:N0} queries, recall@10 against {(o.BaseCount > 0 ? "an exact L2 top-100 computed by the command" : "gt.ivecs")}. M = 16, ef_construction = 200, build on {o.Threads} threads; search one query at a time on one thread, ef = {string.Join(", ", efs)}.");
        md.AppendLine();
        md.AppendLine("How: one float32 collection is built (`UpsertMany`) and checkpointed; its folder is copied once per kind and each copy's checkpoint manifest given `QuantizationOptions { Kind = ... }` (defaults: PQ with dimension / 4 sub-vectors). Opening a copy loads the same saved graph (no rebuild) and trains and encodes the codes; so the variants walk the same graph and differ only in what they score. Each oversampling value is swept on the same collection (an internal benchmark override of the schema's oversampling). Every returned score is rescored on float32.");
        md.AppendLine();
        md.AppendLine(inv, $"- VectLite float32 build + checkpoint: {Format.Seconds(build)}");
        foreach (PeerResult peer in peers)
        {
            md.AppendLine(inv, $"- {peer.Name}: {peer.Build}; {peer.Rounds.Count} sweep(s), medians over them.");
        }
        md.AppendLine("- faiss runs `faiss_peer.sh DIR --index hnsw|sq8|ivfpq ...` (Debian's python3-faiss, queries one at a time through its Python API); USearch runs in this process through its .NET binding (vectors scaled by 1/255 so its i8 kind, which casts x * 127 into [-127, 127], keeps the pixels' range; L2 order unchanged).");
        md.AppendLine();
        md.AppendLine("## Memory per vector");
        md.AppendLine();
        md.AppendLine("VectLite: `GetStats().Memory`, allocated chunks. \"codes + graph\" is what stays resident when the float32 vectors live on disk (rescoring reads them on demand).");
        md.AppendLine();
        md.AppendLine("| variant | float32 vectors | graph | codes | resident total | codes + graph | open (load; copies also train + encode) | stats |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach ((QuantizationKind kind, var b) in bytes)
        {
            double n = baseCount;
            md.AppendLine(inv, $"| {(kind == QuantizationKind.None ? "float32" : kind.ToString())} | {b.Vectors / n:0} | {b.Graph / n:0} | {b.Codes / n:0} | {(b.Vectors + b.Graph + b.Codes) / n:0} | {(kind == QuantizationKind.None ? b.Vectors + b.Graph : b.Graph + b.Codes) / n:0} | {Format.Seconds(b.Open)} | {b.State} |");
        }
        foreach (PeerResult peer in peers)
        {
            md.AppendLine(inv, $"| {peer.Name} | | | | {peer.BytesPerVector:0} | {peer.BytesPerVector:0} | | {peer.BytesNote} |");
        }
        md.AppendLine();
        md.AppendLine("## Recall and single-thread q/s (median over rounds, q/s spread min..max)");
        md.AppendLine();
        md.AppendLine("| variant | " + string.Join(" | ", efs.Select(ef => $"ef {ef}")) + " |");
        md.AppendLine("|---|" + string.Concat(efs.Select(_ => "---|")));
        void Row(string name, List<List<Point>> sweep)
        {
            md.Append(inv, $"| {name} |");
            for (int i = 0; i < sweep[0].Count; i++)
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
        foreach (PeerResult peer in peers.Where(p => p.Sweep == "ef" && p.Rounds.Count > 0))
        {
            Row(peer.Name, peer.Rounds);
        }
        foreach (PeerResult peer in peers.Where(p => p.Sweep != "ef" && p.Rounds.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(inv, $"{peer.Name}, swept over nprobe = {string.Join(", ", peer.Rounds[0].Select(p => p.Ef))}:");
            md.AppendLine();
            md.AppendLine("| variant | " + string.Join(" | ", peer.Rounds[0].Select(p => $"nprobe {p.Ef}")) + " |");
            md.AppendLine("|---|" + string.Concat(peer.Rounds[0].Select(_ => "---|")));
            Row(peer.Name, peer.Rounds);
        }
        md.AppendLine();
        md.AppendLine("## q/s at equal recall (interpolated on the median sweep), ratios, and memory");
        md.AppendLine();
        PeerResult? Peer(string name) => peers.FirstOrDefault(p => p.Name == name && p.Rounds.Count > 0);
        PeerResult? sq8Peer = Peer("faiss HNSW-SQ8"), i8Peer = Peer(USearchPeer.Name(ScalarKind.Int8));
        md.AppendLine("| variant | resident bytes / vector | q/s @ 0.95 | vs float32 | vs faiss SQ8 | vs USearch i8 | q/s @ 0.99 | vs float32 | vs faiss SQ8 | vs USearch i8 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        QpsAtRecall f95 = AtRecall(ours["float32"], 0.95), f99 = AtRecall(ours["float32"], 0.99);
        QpsAtRecall? s95 = sq8Peer is null ? null : AtRecall(sq8Peer.Rounds, 0.95), s99 = sq8Peer is null ? null : AtRecall(sq8Peer.Rounds, 0.99);
        QpsAtRecall? u95 = i8Peer is null ? null : AtRecall(i8Peer.Rounds, 0.95), u99 = i8Peer is null ? null : AtRecall(i8Peer.Rounds, 0.99);
        static string Ratio(QpsAtRecall a, QpsAtRecall? b) => a.QueriesPerSecond is { } x && b?.QueriesPerSecond is { } y ? Format.Ratio(x / y) : "n/a";
        foreach (Variant v in variants)
        {
            var b = bytes[v.Kind];
            double resident = (v.Kind == QuantizationKind.None ? b.Vectors + b.Graph : b.Graph + b.Codes) / (double)baseCount;
            QpsAtRecall a95 = AtRecall(ours[v.Name], 0.95), a99 = AtRecall(ours[v.Name], 0.99);
            md.AppendLine(inv, $"| {v.Name} | {resident:0} | {a95} | {Ratio(a95, f95)} | {Ratio(a95, s95)} | {Ratio(a95, u95)} | {a99} | {Ratio(a99, f99)} | {Ratio(a99, s99)} | {Ratio(a99, u99)} |");
        }
        foreach (PeerResult peer in peers.Where(p => p.Rounds.Count > 0))
        {
            QpsAtRecall a95 = AtRecall(peer.Rounds, 0.95), a99 = AtRecall(peer.Rounds, 0.99);
            md.AppendLine(inv, $"| {peer.Name} | {peer.BytesPerVector:0} | {a95} | {Ratio(a95, f95)} | {Ratio(a95, s95)} | {Ratio(a95, u95)} | {a99} | {Ratio(a99, f99)} | {Ratio(a99, s99)} | {Ratio(a99, u99)} |");
        }
        md.AppendLine();
        md.AppendLine("Resident bytes: VectLite float32 counts its vectors and graph; the quantized kinds count codes + graph (the float32 vectors are read for rescoring only, from the memory-mapped checkpoint files once the vectors live on disk); faiss counts its serialized index (IVF-PQ with refinement holds the float32 vectors too); USearch counts its own memory usage. q/s at 0.95 for IVF-PQ is interpolated over nprobe instead of ef.");
        md.AppendLine();
        md.AppendLine(inv, $"`uptime` when the run ended ({DateTime.UtcNow:HH:mm} UTC): `{ProcessRunner.Run("/usr/bin/uptime").Trim()}`");
        Directory.CreateDirectory(Path.GetDirectoryName(o.Output)!);
        File.WriteAllText(o.Output, md.ToString());
        Console.Error.WriteLine($"quantized: wrote {o.Output}");
    }
}
