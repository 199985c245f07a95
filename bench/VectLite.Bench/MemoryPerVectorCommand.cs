using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using VectLite.Storage;

namespace VectLite.Bench;

/// <summary>
/// <c>memory-per-vector [--data DIR] [--rows 0] [--queries 1000] [--ef 64] [--threads 2] [--out FILE]</c>: the resident
/// memory one vector costs on fashion-mnist-784 or any TEXMEX folder (<c>--data</c>; L2) for float32 in RAM, SQ8 with its
/// float vectors in RAM, SQ8 with them on disk, and binary and RaBitQ with them on disk, graph included: each measured in its own process, as the growth of its
/// resident set from a warmed-up baseline to after opening the collection and running the queries, divided by the rows.
/// </summary>
/// <remarks>
/// <para>One graph serves every variant: the float32 collection is built and checkpointed once, its folder copied, and
/// each copy's manifest given the variant's schema; opening a copy and checkpointing it trains and writes the codes and,
/// for vectors on disk, rewrites the vectors file in the mapped layout. Each variant then runs in a child process that
/// (1) opens a small collection of the same kind and searches it, so the runtime, the JIT'd code and the thread pool are
/// in the baseline, not in the per-vector cost; (2) measures the baseline after a full GC; (3) opens the collection and
/// runs every query once (warming: the pages the searches touch are read in); (4) runs them again, timed, for recall@10
/// and q/s; (5) measures again. Resident = VmRSS (anonymous + file-backed pages); the file-backed part of a variant on
/// disk is the page cache of its vectors file that the searches touched, which the kernel drops under memory pressure.</para>
/// </remarks>
internal static class MemoryPerVectorCommand
{
    private const int K = 10;

    private sealed record Variant(string Name, QuantizationKind Kind, VectorStorage Storage);

    private static readonly Variant[] Variants =
    [
        new("float32, vectors in RAM", QuantizationKind.None, VectorStorage.Ram),
        new("SQ8, vectors in RAM", QuantizationKind.Sq8, VectorStorage.Ram),
        new("SQ8, vectors on disk", QuantizationKind.Sq8, VectorStorage.Disk),
        new("binary, vectors on disk", QuantizationKind.Binary, VectorStorage.Disk),
        new("RaBitQ, vectors on disk", QuantizationKind.RaBitQ, VectorStorage.Disk),
    ];

    /// <summary>What a child process measured.</summary>
    private sealed record ChildResult(string Variant, int Rows, ProcessMemory Baseline, ProcessMemory Opened, ProcessMemory Searched,
        double Recall, double Qps, long StatsVectors, long StatsMapped, long StatsGraphs, long StatsCodes, long StatsRows, double OpenSeconds);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with base.fvecs, query.fvecs, gt.ivecs (default: what the peers' fashion_mnist.sh prints)." };
        var rows = new Option<int>("--rows") { Description = "Base rows to load (0: all 60,000; fewer for a smoke run, with the ground truth brute-forced).", DefaultValueFactory = _ => 0 };
        var queries = new Option<int>("--queries") { Description = "Queries (warm-up and timed).", DefaultValueFactory = _ => 1000 };
        var ef = new Option<int>("--ef") { Description = "Search ef.", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "Build threads.", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("memory-per-vector-fashion-mnist.md") };
        var child = new Option<string?>("--child") { Description = "(internal) measure one prepared database: PATH|VARIANT|GT.", Hidden = true };
        var command = new Command("memory-per-vector", "Resident memory per vector: float32 in RAM vs SQ8, binary and RaBitQ with the float vectors on disk (fashion-mnist-784 or --data).")
        {
            data, rows, queries, ef, threads, output, child,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(child) is { } spec)
            {
                RunChild(spec, result.GetValue(data), result.GetValue(queries), result.GetValue(ef));
                return 0;
            }
            Run(result.GetValue(data), result.GetValue(rows), result.GetValue(queries), result.GetValue(ef), result.GetValue(threads), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private static void Run(string? dataDirectory, int rowCount, int queryCount, int ef, int threads, string output)
    {
        var started = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Collect();
        string uptime = ProcessRunner.Run("/usr/bin/uptime").Trim();
        dataDirectory ??= new HnswlibPeer(BenchPaths.DefaultPeersDirectory).PrepareFashionMnist();
        var all = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        var baseFile = rowCount > 0 && rowCount < all.Count ? all.Take(rowCount) : all;
        var queryFile = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs")).Take(queryCount);
        using TempDirectory folder = TempDirectory.Create("memory-per-vector");

        // The ground truth: the file's for the whole base, a brute force over the rows taken otherwise.
        string truthPath = Path.Combine(dataDirectory, "gt.ivecs");
        if (baseFile.Count != all.Count)
        {
            truthPath = Path.Combine(folder.Path, "gt.ivecs");
            BruteForce(baseFile, queryFile).Write(truthPath);
        }

        string floatPath = Path.Combine(folder.Path, "float32");
        var buildWatch = Stopwatch.StartNew();
        using (Database db = Database.Open(floatPath, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("base", Schema(baseFile.Dimension, Variants[0], threads));
            c.UpsertMany(Enumerable.Range(0, baseFile.Count).Select(i => new Record((ulong)i, baseFile.Row(i))));
            c.Compact();
        }
        TimeSpan build = buildWatch.Elapsed;
        Console.Error.WriteLine($"memory-per-vector: float32 build + checkpoint {Format.Seconds(build)}");
        all = null!;
        baseFile = null!;

        var results = new List<ChildResult>();
        for (int v = 0; v < Variants.Length; v++)
        {
            string path = v == 0 ? floatPath : Path.Combine(folder.Path, $"variant{v}");
            if (v > 0)
            {
                CopyWithSchema(floatPath, path, Variants[v], threads);
            }
            string json = ProcessRunner.Run(Environment.ProcessPath!, [.. ProcessRunner.SelfArguments(), "memory-per-vector", "--data", dataDirectory,
                "--queries", queryCount.ToString(CultureInfo.InvariantCulture), "--ef", ef.ToString(CultureInfo.InvariantCulture),
                "--child", $"{path}|{v}|{truthPath}"]);
            ChildResult result = JsonSerializer.Deserialize<ChildResult>(json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{')))!;
            results.Add(result);
            Console.Error.WriteLine($"memory-per-vector: {result.Variant}: {PerVector(result.Searched - result.Baseline, result.Rows)}, recall {Format.Recall(result.Recall)}, {Format.Number(result.Qps, 0)} q/s");
        }
        Write(machine, uptime, dataDirectory, queryCount, ef, threads, build, results, started.Elapsed, output);
    }

    private static CollectionSchema Schema(int dimension, Variant variant, int threads) =>
        new CollectionSchema().AddVector("default", dimension, Metric.L2, new QuantizationOptions { Kind = variant.Kind }, variant.Storage)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 200, MaxInsertThreads = threads });

    /// <summary>
    /// Copies the checkpointed float32 database, gives the copy the variant's schema, and checkpoints it once: the codes are
    /// trained and written, and a vector on disk gets its file in the mapped layout (the copied one is read into RAM).
    /// </summary>
    private static void CopyWithSchema(string from, string to, Variant variant, int threads)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        string collection = Path.Combine(to, "collections", "base");
        CheckpointManifest manifest = CheckpointManifest.Read(collection);
        new CheckpointManifest
        {
            Generation = manifest.Generation,
            Lsn = manifest.Lsn,
            RecordCount = manifest.RecordCount,
            CreatedAt = manifest.CreatedAt,
            Schema = Schema(manifest.Schema.Vectors[0].Dimension, variant, threads),
            PayloadIndexes = manifest.PayloadIndexes,
            Files = manifest.Files,
        }.WriteAtomic(FileSystemStorage.Instance, collection);
        using Database db = Database.Open(to, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        db.GetCollection("base")!.Compact();
    }

    private static void RunChild(string spec, string? dataDirectory, int queryCount, int ef)
    {
        string[] parts = spec.Split('|');
        string path = parts[0];
        Variant variant = Variants[int.Parse(parts[1], CultureInfo.InvariantCulture)];
        var truth = TexmexFile<int>.Read(parts[2]);
        var queries = TexmexFile<float>.Read(Path.Combine(dataDirectory!, "query.fvecs")).Take(queryCount);

        // Warm up the same code paths on a small collection of the same kind, then throw it away.
        using (TempDirectory warm = TempDirectory.Create("memory-per-vector-warmup"))
        {
            var random = new Random(1);
            using Database db = Database.Open(warm.Path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            Collection c = db.CreateCollection("warm", Schema(queries.Dimension, variant, 1).WithHnsw(new HnswOptions { M = 16, EfConstruction = 40, MinIndexedVectors = 1 }));
            c.UpsertMany(Enumerable.Range(0, 1500).Select(i => new Record((ulong)i, Enumerable.Range(0, queries.Dimension).Select(_ => (float)random.NextDouble()).ToArray())));
            c.Compact();
            // As many searches as the measured phase runs, then until the runtime's background JIT is idle: tiered
            // compilation recompiles the hot search methods (instrumented, then optimised with the profile) after
            // enough calls, and the native memory its compiler takes (a malloc arena of about 1.4 MB on 384-d binary,
            // kept by the C library) would otherwise land after the baseline and count as ~20 bytes per vector
            // (measured with /proc/self/smaps: gone with DOTNET_TieredCompilation=0).
            for (int pass = 0; pass < 2; pass++)
            {
                for (int q = 0; q < queries.Count; q++)
                {
                    c.Search(queries.Row(q).Span, new SearchOptions { TopK = K, Ef = ef, IncludePayload = false });
                }
            }
            WaitForJitIdle();
        }
        ProcessMemory baseline = ProcessMemory.Measure();

        var openWatch = Stopwatch.StartNew();
        using Database database = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection collection = database.GetCollection("base")!;
        double openSeconds = openWatch.Elapsed.TotalSeconds;
        ProcessMemory opened = ProcessMemory.Measure();
        var options = new SearchOptions { TopK = K, Ef = ef, IncludePayload = false };
        for (int q = 0; q < queries.Count; q++)
        {
            collection.Search(queries.Row(q).Span, options);
        }
        int hits = 0;
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < queries.Count; q++)
        {
            hits += TrueHits.Count(collection.Search(queries.Row(q).Span, options), truth.Row(q).Span[..K]);
        }
        double qps = queries.Count / watch.Elapsed.TotalSeconds;
        ProcessMemory searched = ProcessMemory.Measure();
        CollectionStats stats = collection.GetStats();
        MemoryStats memory = stats.Memory!;
        Console.WriteLine(JsonSerializer.Serialize(new ChildResult(variant.Name, (int)stats.RecordCount, baseline, opened, searched,
            (double)hits / (queries.Count * K), qps, memory.Vectors, memory.VectorsMapped, memory.Graphs, memory.Codes, memory.Rows + memory.Payloads, openSeconds)));
    }

    /// <summary>Waits (at most 10 s) until no method was compiled for a whole second: the background tier-up has finished.</summary>
    private static void WaitForJitIdle()
    {
        var watch = Stopwatch.StartNew();
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(1000);
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == compiled)
            {
                return;
            }
            compiled = now;
        }
    }

    /// <summary>The exact L2 top-100 of each query over <paramref name="rows"/>, in the ground-truth file's layout.</summary>
    private static TexmexFile<int> BruteForce(TexmexFile<float> rows, TexmexFile<float> queries)
    {
        const int Depth = 100;
        var truth = new int[queries.Count * Depth];
        Parallel.For(0, queries.Count, q =>
        {
            var distances = new (float Distance, int Row)[rows.Count];
            for (int r = 0; r < rows.Count; r++)
            {
                distances[r] = (TensorPrimitives.Distance(queries.Row(q).Span, rows.Row(r).Span), r);
            }
            Array.Sort(distances);
            for (int i = 0; i < Math.Min(Depth, rows.Count); i++)
            {
                truth[(q * Depth) + i] = distances[i].Row;
            }
        });
        return TexmexFile<int>.FromRows(truth, Depth);
    }

    private static string PerVector(ProcessMemory delta, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"{(double)delta.Rss / rows:0} bytes/vector resident ({(double)delta.Anonymous / rows:0} anonymous + {(double)delta.File / rows:0} file-backed)");

    private static void Write(MachineInfo machine, string uptime, string dataDirectory, int queries, int ef, int threads, TimeSpan build,
        List<ChildResult> results, TimeSpan elapsed, string output)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Resident memory per vector: float32 in RAM vs SQ8 / binary / RaBitQ with the float vectors on disk");
        md.AppendLine();
        md.AppendLine(inv, $"Data: {dataDirectory}, {results[0].Rows:N0} float32 vectors (L2). HNSW M 16, ef_construction 200 (built once on {threads} threads in {Format.Seconds(build)}, shared by every variant); search ef {ef}, k {K}, {queries:N0} queries, one thread.");
        md.AppendLine(inv, $"Machine: {machine.Cores} cores, {machine.CpuModel}, {Format.Bytes(machine.MemoryBytes)}, {machine.Runtime}, {machine.Build}. `uptime` before the run: `{uptime}`. Whole run {Format.Seconds(elapsed)}.");
        md.AppendLine();
        md.AppendLine("Each variant runs in its own process. Resident = growth of VmRSS from a warmed-up baseline (the runtime and the JIT'd search code already loaded) to after opening the collection and running every query twice, after a full GC; divided by the vectors. Anonymous memory (RssAnon) is what the process holds; file-backed (RssFile) is the page cache of the mapped vectors file that the searches touched, which the kernel drops under memory pressure (docs/tuning.md, \"Memory per vector\").");
        md.AppendLine();
        md.AppendLine("| variant | resident / vector | vs float32 | anonymous / vector | anonymous vs float32 | file-backed / vector | stats: vectors in RAM | mapped | graph | codes | rows + payloads | recall@10 | q/s | open |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double floatPerVector = (double)(results[0].Searched - results[0].Baseline).Rss / results[0].Rows;
        foreach (ChildResult r in results)
        {
            ProcessMemory d = r.Searched - r.Baseline;
            double per = (double)d.Rss / r.Rows;
            md.AppendLine(inv, $"| {r.Variant} | {per:0} B | {Format.Ratio(per / floatPerVector)} | {(double)d.Anonymous / r.Rows:0} B | {Format.Ratio((double)d.Anonymous / r.Rows / ((double)(results[0].Searched - results[0].Baseline).Anonymous / results[0].Rows))} | {(double)d.File / r.Rows:0} B | {(double)r.StatsVectors / r.Rows:0} B | {(double)r.StatsMapped / r.Rows:0} B | {(double)r.StatsGraphs / r.Rows:0} B | {(double)r.StatsCodes / r.Rows:0} B | {(double)r.StatsRows / r.Rows:0} B | {Format.Recall(r.Recall)} | {Format.Number(r.Qps, 0)} | {r.OpenSeconds:0.00} s |");
        }
        md.AppendLine();
        md.AppendLine("Right after the open (before any search), resident per vector:");
        md.AppendLine();
        foreach (ChildResult r in results)
        {
            md.AppendLine(inv, $"- {r.Variant}: {PerVector(r.Opened - r.Baseline, r.Rows)}");
        }
        // The target takes the larger of two readings of private memory: after the open, and after the searches. After
        // the searches a full GC can hand back memory that the baseline held (a variant's growth can then fall below the
        // size of its own codes, or below zero), so that reading alone would understate.
        double floatOpened = (double)(results[0].Opened - results[0].Baseline).Anonymous / results[0].Rows;
        double floatSearched = (double)(results[0].Searched - results[0].Baseline).Anonymous / results[0].Rows;
        ChildResult? sq8Disk = results.FirstOrDefault(r => r.Variant.StartsWith("SQ8, vectors on disk", StringComparison.Ordinal));
        double target = sq8Disk is null ? double.NaN : Math.Max(
            (double)(sq8Disk.Opened - sq8Disk.Baseline).Anonymous / sq8Disk.Rows / floatOpened,
            (double)(sq8Disk.Searched - sq8Disk.Baseline).Anonymous / sq8Disk.Rows / floatSearched);
        md.AppendLine();
        md.AppendLine("Why the target is read on anonymous (private) memory: the file-backed pages of a variant on disk are the kernel's page cache, mapped into the process. The open's checksum pass reads the whole vectors file through the page cache, and a page fault on a mapping maps the neighbouring pages already cached too (fault-around) and reads ahead: so RssFile grows towards the whole file on a machine with free memory, although a search reads only its rescoring shortlist. Those pages cost nothing the kernel cannot take back; `bench/larger-than-ram.sh` shows the collection working under a memory limit below its float vectors' size.");
        md.AppendLine();
        md.AppendLine(inv, $"Issue 11's target, SQ8 with the float vectors on disk at most 0.35x of float32 per vector (graph included), on private memory (the larger of the after-open and after-search ratios): {Format.Ratio(target)}, {Format.Verdict(target <= 0.35)}.");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, md.ToString());
        Console.Error.WriteLine($"memory-per-vector: wrote {output}");
    }
}
