using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;

namespace VectLite.Bench;

/// <summary>
/// <c>larger-than-ram [--rows 400000] [--dimension 768] [--clusters 1000] [--shape latent] [--kind pq] [--pq-subvectors 0]
/// [--oversampling 0] [--float-build] [--ef 64,128,256] [--queries 200] [--batch 5000] [--threads 2] [--log-mib 32]
/// [--path DIR] [--log-checkpoints]</c>: builds a quantized
/// collection with its float vectors on disk, searches it against an exact brute force (recall@10, one-thread q/s),
/// closes it, reopens it and searches again, reporting resident memory at each step as one JSON line. Meant to run
/// inside a memory cgroup smaller than the float vectors (<c>bench/larger-than-ram.sh</c> runs it limited and unlimited).
/// </summary>
/// <remarks>
/// <para>The data is synthetic and never held whole: row i is generated from a seed and i (<see cref="SyntheticVectors"/>),
/// so the process holds only the centroids and directions, one batch and the queries. Queries come from the same generator
/// with other seeds. The ground truth (exact L2 top-10 of each query) is computed while the rows are generated.</para>
/// <para>Memory: the codes, the graph and the per-row metadata must fit in RAM; the float vectors stay in the
/// checkpoint's vectors file, mapped, except the rows written since the last checkpoint (bounded by
/// <c>--log-mib</c>, the automatic checkpoint's log size). PQ with 4-dimension sub-vectors is the default: 192 bytes a
/// row at 768 dimensions, so codes, graph and rows take about 390 of the 1,024 bytes a row may have under a limit of a
/// third of its floats. At 384 dimensions the same parts take about 300 of 512 and the run was killed by the OOM killer
/// at 750,000 of 1,000,000 rows (bench/results/larger-than-ram.md); binary codes would fit, but a graph is not linked
/// on them (see <see cref="HnswOptions.BuildOnCodes"/>), so its build reads the float32 vectors from disk.</para>
/// <para>The graph is linked on the decoded codes (<see cref="HnswOptions.BuildOnCodes"/>) unless <c>--float-build</c>:
/// on the float32 vectors, each insert reads a few thousand random rows of the mapped vectors file, which under the
/// limit are mostly disk reads.</para>
/// </remarks>
internal static class LargerThanRamCommand
{
    private const int K = 10;

    /// <summary>One search measurement.</summary>
    /// <summary>One search measurement over one slice of the queries: recall, and q/s on the first pass over the slice
    /// (its rescored rows mostly not in the page cache yet: what a stream of new queries costs when the vectors do not
    /// fit) and on a second pass over the same queries (their rows cached as far as memory allows).</summary>
    private sealed record Point(int Ef, int Queries, double Recall, double FirstPassQps, double SecondPassQps);

    /// <summary>The JSON line the command prints.</summary>
    private sealed record Result(int Rows, int Dimension, int Clusters, string Shape, string Kind, int PqSubvectors, float Oversampling, bool BuildOnCodes, long FloatBytes, double BuildSeconds,
        ProcessMemory AfterBuild, List<Point> Points, double ReopenSeconds, ProcessMemory AfterReopen, List<Point> ReopenedPoints,
        ProcessMemory AfterSearch, long StatsVectors, long StatsMapped, long StatsGraphs, long StatsCodes, long StatsRows, long BytesOnDisk);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Vectors in the collection.", DefaultValueFactory = _ => 400_000 };
        var dimension = new Option<int>("--dimension") { Description = "Dimension.", DefaultValueFactory = _ => 768 };
        var clusters = new Option<int>("--clusters") { Description = "Cluster centroids the rows are drawn around.", DefaultValueFactory = _ => 1000 };
        var shape = new Option<string>("--shape") { Description = "Data shape: latent (clusters of low intrinsic dimension, as embeddings) or isotropic (uniform noise in every dimension).", DefaultValueFactory = _ => "latent" };
        var kind = new Option<string>("--kind") { Description = "Quantization: pq, sq8, binary or float16.", DefaultValueFactory = _ => "pq" };
        var pqSubvectors = new Option<int>("--pq-subvectors") { Description = "PQ sub-vectors (0: the default, dimension / 4).", DefaultValueFactory = _ => 0 };
        var floatBuild = new Option<bool>("--float-build") { Description = "Link the graph on the float32 vectors (read from disk) instead of the decoded codes." };
        var oversampling = new Option<float>("--oversampling") { Description = "Candidates rescored per result (0: the kind's default).", DefaultValueFactory = _ => 0 };
        var efs = new Option<int[]>("--ef")
        {
            Description = "Search ef values, comma-separated.",
            DefaultValueFactory = _ => [64, 128, 256],
            CustomParser = r => HnswCommand.ParseList(r, "--ef", 1, 10_000),
        };
        var queries = new Option<int>("--queries") { Description = "Queries (exact top-10 brute-forced during generation).", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "Rows per UpsertMany.", DefaultValueFactory = _ => 5000 };
        var threads = new Option<int>("--threads") { Description = "Graph insert threads.", DefaultValueFactory = _ => 2 };
        var logMib = new Option<int>("--log-mib") { Description = "Automatic checkpoint log size (MiB): bounds the rows held in RAM before they move to disk.", DefaultValueFactory = _ => 32 };
        var path = new Option<string?>("--path") { Description = "Database folder (default: a temporary one, deleted at the end)." };
        var logCheckpoints = new Option<bool>("--log-checkpoints") { Description = "Print the engine's log events (each checkpoint) to standard error with the memory in use at that moment." };
        var command = new Command("larger-than-ram", "Build, search and reopen a quantized collection with its float vectors on disk; resident memory and q/s as one JSON line (run it under a memory cgroup: bench/larger-than-ram.sh).")
        {
            rows, dimension, clusters, shape, kind, pqSubvectors, oversampling, floatBuild, efs, queries, batch, threads, logMib, path, logCheckpoints,
        };
        command.SetAction(result =>
        {
            QuantizationKind quantization = result.GetRequiredValue(kind).ToUpperInvariant() switch
            {
                "BINARY" => QuantizationKind.Binary,
                "SQ8" => QuantizationKind.Sq8,
                "PQ" => QuantizationKind.Pq,
                "FLOAT16" => QuantizationKind.Float16,
                string other => throw new ArgumentException($"--kind {other}: use binary, sq8, pq or float16."),
            };
            var quantizationOptions = new QuantizationOptions { Kind = quantization, Oversampling = result.GetValue(oversampling), PqSubvectors = result.GetValue(pqSubvectors) };
            bool isotropic = result.GetRequiredValue(shape) switch
            {
                "latent" => false,
                "isotropic" => true,
                string other => throw new ArgumentException($"--shape {other}: use latent or isotropic."),
            };
            Run(result.GetValue(rows), result.GetValue(dimension), result.GetValue(clusters), isotropic, quantizationOptions, !result.GetValue(floatBuild),
                result.GetRequiredValue(efs), result.GetValue(queries), result.GetValue(batch), result.GetValue(threads), result.GetValue(logMib), result.GetValue(path), result.GetValue(logCheckpoints));
            return 0;
        });
        return command;
    }

    private static void Run(int rowCount, int dimension, int clusterCount, bool isotropic, QuantizationOptions quantization, bool buildOnCodes, int[] efs, int queryCount,
        int batchSize, int threads, int logMib, string? path, bool logCheckpoints)
    {
        QuantizationKind kind = quantization.Kind;
        float oversampling = quantization.Oversampling;
        using TempDirectory? temp = path is null ? TempDirectory.Create("larger-than-ram") : null;
        path ??= temp!.Path;
        var generator = new SyntheticVectors(dimension, clusterCount, seed: 7, isotropic);
        float[][] queries = [.. Enumerable.Range(0, queryCount).Select(q => generator.Row(-1 - q))];
        var truth = new TopK[queryCount];
        for (int q = 0; q < queryCount; q++)
        {
            truth[q] = new TopK(K);
        }

        var options = new DatabaseOptions
        {
            SyncMode = SyncMode.OnFlush,
            AutoCheckpoint = new AutoCheckpointOptions { LogBytes = (long)logMib << 20 },
            Logger = logCheckpoints ? new StderrLogger("larger-than-ram") : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        };
        var schema = new CollectionSchema()
            .AddVector("default", dimension, Metric.L2, quantization, VectorStorage.Disk)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 100, MaxInsertThreads = threads, BuildOnCodes = buildOnCodes });
        var buildWatch = Stopwatch.StartNew();
        var batch = new List<Record>(batchSize);
        var rows = new float[batchSize][];
        using (Database db = Database.Open(path, options))
        {
            Collection c = db.CreateCollection("big", schema);
            for (int start = 0; start < rowCount; start += batchSize)
            {
                int n = Math.Min(batchSize, rowCount - start);
                batch.Clear();
                for (int i = 0; i < n; i++)
                {
                    rows[i] = generator.Row(start + i);
                    batch.Add(new Record((ulong)(start + i), rows[i]));
                }
                c.UpsertMany(batch);
                Parallel.For(0, queryCount, q =>
                {
                    for (int i = 0; i < n; i++)
                    {
                        truth[q].Offer(TensorPrimitives.Distance(queries[q], rows[i]), start + i);
                    }
                });
                if ((start / batchSize) % 20 == 0)
                {
                    // Where the memory is: the process's anonymous memory, the managed heap (committed and live after
                    // the last GC) and the collection's own count of vectors in RAM, graph, codes and rows.
                    ProcessMemory now = ProcessMemory.Measure();
                    GCMemoryInfo gc = GC.GetGCMemoryInfo();
                    MemoryStats m = c.GetStats().Memory!;
                    Console.Error.WriteLine($"larger-than-ram: {start + n:N0} rows, {Format.Seconds(buildWatch.Elapsed)}, {Format.Bytes(now.Rss)} resident, " +
                        $"{Format.Bytes(now.Anonymous)} anonymous; managed heap {Format.Bytes(gc.TotalCommittedBytes)} committed, {Format.Bytes(gc.HeapSizeBytes)} after the last GC " +
                        $"({Format.Bytes(gc.FragmentedBytes)} fragmented); stats: vectors {Format.Bytes(m.Vectors)}, graph {Format.Bytes(m.Graphs)}, codes {Format.Bytes(m.Codes)}, rows {Format.Bytes(m.Rows)}");
                }
            }
            c.Compact();
        }
        double buildSeconds = buildWatch.Elapsed.TotalSeconds;
        batch.Clear();
        Array.Clear(rows);
        int[][] expected = [.. truth.Select(t => t.Rows())];

        // Reopened once to search the freshly built collection (the build's process state gone), then again after close.
        ProcessMemory afterBuild = ProcessMemory.Measure();
        List<Point> points;
        using (Database db = Database.Open(path, options))
        {
            points = [.. efs.Select((ef, i) => Measure(db.GetCollection("big")!, queries, expected, ef, i, efs.Length))];
        }
        Console.Error.WriteLine("larger-than-ram: after build: " + string.Join(", ", points.Select(Describe)));
        var reopenWatch = Stopwatch.StartNew();
        using Database reopened = Database.Open(path, options);
        Collection collection = reopened.GetCollection("big")!;
        double reopenSeconds = reopenWatch.Elapsed.TotalSeconds;
        ProcessMemory afterReopen = ProcessMemory.Measure();
        // The same slices again: partly cached from the first measurement (the page cache outlives the reopen).
        List<Point> again = [.. efs.Select((ef, i) => Measure(collection, queries, expected, ef, i, efs.Length))];
        Console.Error.WriteLine("larger-than-ram: reopened: " + string.Join(", ", again.Select(Describe)));
        ProcessMemory afterSearch = ProcessMemory.Measure();
        CollectionStats stats = collection.GetStats();
        MemoryStats memory = stats.Memory!;
        Console.WriteLine(JsonSerializer.Serialize(new Result(rowCount, dimension, clusterCount, isotropic ? "isotropic" : "latent", kind.ToString(), quantization.PqSubvectors,
            oversampling > 0 ? oversampling : QuantizationOptions.DefaultOversampling(kind), buildOnCodes, (long)rowCount * dimension * sizeof(float), buildSeconds, afterBuild, points, reopenSeconds, afterReopen, again, afterSearch,
            memory.Vectors, memory.VectorsMapped, memory.Graphs, memory.Codes, memory.Rows + memory.Payloads, stats.BytesOnDisk)));
    }

    private static string Describe(Point p) => string.Create(CultureInfo.InvariantCulture,
        $"ef {p.Ef} ({p.Queries} queries): recall {p.Recall:0.000}, {p.FirstPassQps:0} q/s first pass, {p.SecondPassQps:0} q/s second pass");

    /// <summary>
    /// Measures ef <paramref name="ef"/> on slice <paramref name="slice"/> of <paramref name="slices"/> of the queries
    /// (each ef gets its own queries, so one ef's run does not warm the page cache for the next): two passes.
    /// </summary>
    private static Point Measure(Collection c, float[][] queries, int[][] expected, int ef, int slice, int slices)
    {
        var options = new SearchOptions { TopK = K, Ef = ef, IncludePayload = false };
        int from = queries.Length * slice / slices, to = queries.Length * (slice + 1) / slices;
        int hits = 0;
        var watch = Stopwatch.StartNew();
        for (int q = from; q < to; q++)
        {
            hits += TrueHits.Count(c.Search(queries[q], options), expected[q]);
        }
        double first = (to - from) / watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int q = from; q < to; q++)
        {
            c.Search(queries[q], options);
        }
        double second = (to - from) / watch.Elapsed.TotalSeconds;
        return new Point(ef, to - from, (double)hits / ((to - from) * K), first, second);
    }

    /// <summary>
    /// Clustered synthetic vectors, regenerated from a seed and the row number (queries use negative ones) rather than
    /// stored. Two shapes:
    /// <list type="bullet">
    /// <item><c>latent</c> (default): a centroid (Gaussian, sd 1) plus a combination of 16 directions (sd 0.25 each) the
    /// cluster draws from a shared set of 64, with Gaussian weights, plus isotropic noise (sd 0.05): clustered and of low
    /// intrinsic dimension, the shape real embeddings have (the same recipe as the HNSW unit tests' data).</item>
    /// <item><c>isotropic</c>: a centroid uniform in [-2, 2) plus noise uniform in [-0.5, 0.5) in every dimension: within
    /// a cluster every distance concentrates near the same value (the curse of dimensionality), so no code of a fraction
    /// of the bits can rank the rows of one cluster, and recall then only measures whether the rescored shortlist
    /// covers the query's whole cluster.</item>
    /// </list>
    /// </summary>
    private sealed class SyntheticVectors
    {
        private const int Latent = 16;
        private const int SharedDirections = 64;
        private readonly float[][] _centroids;
        private readonly float[][] _directions;
        private readonly int[][] _clusterDirections;
        private readonly bool _isotropic;
        private readonly int _seed;

        public SyntheticVectors(int dimension, int clusters, int seed, bool isotropic)
        {
            _seed = seed;
            _isotropic = isotropic;
            var random = new Random(seed);
            _centroids = [.. Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimension)
                .Select(_ => isotropic ? (float)((random.NextDouble() * 4) - 2) : Gaussian(random, 1f)).ToArray())];
            _directions = [.. Enumerable.Range(0, SharedDirections).Select(_ => Enumerable.Range(0, dimension).Select(_ => Gaussian(random, 0.25f)).ToArray())];
            _clusterDirections = [.. Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, SharedDirections).OrderBy(_ => random.Next()).Take(Latent).ToArray())];
        }

        public float[] Row(long i)
        {
            var random = new Random(HashCode.Combine(_seed, i));
            int cluster = random.Next(_centroids.Length);
            float[] centroid = _centroids[cluster];
            var row = new float[centroid.Length];
            if (_isotropic)
            {
                for (int d = 0; d < row.Length; d++)
                {
                    row[d] = centroid[d] + (float)(random.NextDouble() - 0.5);
                }
                return row;
            }
            for (int d = 0; d < row.Length; d++)
            {
                row[d] = centroid[d] + Gaussian(random, 0.05f);
            }
            foreach (int direction in _clusterDirections[cluster])
            {
                float weight = Gaussian(random, 1f);
                TensorPrimitives.MultiplyAdd(_directions[direction], weight, row, row);
            }
            return row;
        }

        private static float Gaussian(Random random, float sd) =>
            sd * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    /// <summary>The k smallest distances offered so far, with their rows (a small sorted array: k is 10).</summary>
    private sealed class TopK(int k)
    {
        private readonly float[] _distances = Enumerable.Repeat(float.PositiveInfinity, k).ToArray();
        private readonly int[] _rows = Enumerable.Repeat(-1, k).ToArray();

        public void Offer(float distance, int row)
        {
            if (distance >= _distances[^1])
            {
                return;
            }
            int at = _distances.Length - 1;
            while (at > 0 && _distances[at - 1] > distance)
            {
                _distances[at] = _distances[at - 1];
                _rows[at] = _rows[at - 1];
                at--;
            }
            _distances[at] = distance;
            _rows[at] = row;
        }

        public int[] Rows() => _rows;
    }
}
