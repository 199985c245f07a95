using System.CommandLine;
using System.Diagnostics;
using VectLite.Indexing;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Bench;

/// <summary>
/// <c>cosine-kernels [--data DIR] [--scan-rows 500,4000,60000] [--graph-rows 10000] [--reps 21] [--builds 3]</c>:
/// the three ways to score cosine over stored vectors, side by side in one process on the same fashion-mnist-784
/// vectors, alternating variant by variant so machine noise hits all of them alike:
/// (a) the dot product over unit vectors (the engine before it kept raw vectors), (b) the fused kernel over raw
/// vectors (<see cref="CosineScorer"/>: dot product and norm in one pass), (c) the dot product times a stored
/// inverse norm per row (the alternative design). Exact scans of (a), (b), (c); one-thread HNSW builds and
/// searches of (a) and (b), whose results must agree.
/// </summary>
internal static class CosineKernelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with base.fvecs and query.fvecs (default: what the peers' fashion_mnist.sh prints)." };
        var scanRows = new Option<int[]>("--scan-rows") { Description = "Rows per exact scan, comma-separated (small ones stay in cache).", DefaultValueFactory = _ => [500, 4_000, 60_000], CustomParser = r => HnswCommand.ParseList(r, "--scan-rows", 16, 10_000_000) };
        var graphRows = new Option<int>("--graph-rows") { Description = "Rows in the HNSW graphs (0: no graph part).", DefaultValueFactory = _ => 10_000 };
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per variant (medians are reported).", DefaultValueFactory = _ => 21 };
        var builds = new Option<int>("--builds") { Description = "Graph builds per variant.", DefaultValueFactory = _ => 3 };
        var command = new Command("cosine-kernels", "Cosine scoring variants in one process: dot over unit vectors (old), fused dot and norm over raw vectors (current), dot times a stored inverse norm (alternative).")
        {
            data, scanRows, graphRows, reps, builds,
        };
        command.SetAction(result =>
        {
            string directory = result.GetValue(data) ?? new HnswlibPeer(BenchPaths.DefaultPeersDirectory).PrepareFashionMnist();
            Run(directory, result.GetRequiredValue(scanRows), result.GetValue(graphRows), result.GetValue(reps), result.GetValue(builds));
            return 0;
        });
        return command;
    }

    private static void Run(string dataDirectory, int[] scanRows, int graphRows, int reps, int builds)
    {
        TexmexFile<float> all = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        TexmexFile<float> queries = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs"));
        Console.WriteLine($"cosine-kernels: fashion-mnist-784, build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        foreach (int rows in scanRows)
        {
            Scan(all, queries, rows, reps);
        }

        if (graphRows > 0)
        {
            Graph(all, queries, graphRows, reps, builds);
        }
    }

    /// <summary>Loads the first <paramref name="rows"/> vectors raw, at unit length, and their inverse norms.</summary>
    private static (VectorArena Raw, VectorArena Unit, float[] InverseNorms) Load(TexmexFile<float> all, int rows)
    {
        int dimension = all.Dimension;
        var raw = new VectorArena(dimension);
        var unit = new VectorArena(dimension);
        raw.EnsureCapacity(rows);
        unit.EnsureCapacity(rows);
        float[] inverseNorms = new float[rows];
        float[] copy = new float[dimension];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> v = all.Row(i % all.Count).Span;
            raw.Write(i, v);
            v.CopyTo(copy);
            VectorKernels.TryNormalize(copy);
            unit.Write(i, copy);
            inverseNorms[i] = 1f / MathF.Sqrt(VectorKernels.SumOfSquares(v));
        }

        return (raw, unit, inverseNorms);
    }

    private static void Scan(TexmexFile<float> all, TexmexFile<float> queries, int rows, int reps)
    {
        (VectorArena raw, VectorArena unit, float[] inverseNorms) = Load(all, rows);
        using (raw)
        using (unit)
        {
            float[] query = queries.Row(0).ToArray();
            VectorKernels.TryNormalize(query);

            // About 20 million floats per timing, whatever the row count.
            int passes = Math.Max(1, 20_000_000 / (rows * all.Dimension / 16));
            var times = new List<double>[] { [], [], [] };
            for (int r = 0; r < reps + 1; r++)
            {
                for (int variant = 0; variant < times.Length; variant++)
                {
                    var clock = Stopwatch.StartNew();
                    for (int p = 0; p < passes; p++)
                    {
                        var heap = new TopKHeap(10);
                        var accept = default(AcceptAllRows);
                        switch (variant)
                        {
                            case 0:
                                ExactScanner.ScanAll<DotScorer, AcceptAllRows>(unit, query, rows, ref accept, heap);
                                break;
                            case 1:
                                ExactScanner.ScanAll<CosineScorer, AcceptAllRows>(raw, query, rows, ref accept, heap);
                                break;
                            default:
                                ScanWithInverseNorms(raw, query, rows, inverseNorms, heap);
                                break;
                        }
                    }

                    if (r > 0)
                    {
                        times[variant].Add(clock.Elapsed.TotalNanoseconds / ((double)passes * rows));
                    }
                }
            }

            double old = Statistics.Median(times[0]);
            Console.WriteLine($"exact scan, {rows} rows: (a) dot over unit vectors {old:F1} ns/row; " +
                $"(b) fused over raw {Statistics.Median(times[1]):F1} ns/row ({Statistics.Median(times[1]) / old:F3}x); " +
                $"(c) dot x stored inverse norm {Statistics.Median(times[2]):F1} ns/row ({Statistics.Median(times[2]) / old:F3}x)");
        }
    }

    /// <summary>The alternative design's scan: a plain dot product times the row's stored inverse norm.</summary>
    private static void ScanWithInverseNorms(VectorArena arena, float[] query, int rows, float[] inverseNorms, TopKHeap heap)
    {
        float threshold = heap.Threshold;
        for (int row = 0; row < rows; row++)
        {
            float score = VectorKernels.Dot(query, arena.Get(row)) * inverseNorms[row];
            if (score >= threshold)
            {
                heap.Push(score, row);
                threshold = heap.Threshold;
            }
        }
    }

    private static void Graph(TexmexFile<float> all, TexmexFile<float> queries, int rows, int reps, int builds)
    {
        (VectorArena raw, VectorArena unit, _) = Load(all, rows);
        using (raw)
        using (unit)
        {
            var parameters = new HnswParameters(16, 200, 0);
            int[] ids = Enumerable.Range(0, rows).ToArray();
            HnswGraph? old = null, fused = null;
            var buildTimes = new List<double>[] { [], [] };
            for (int b = 0; b < builds; b++)
            {
                // The same seed and parameters: the two graphs differ only where float rounding breaks a tie.
                old = new HnswGraph(unit, Metric.Dot, parameters);
                fused = new HnswGraph(raw, Metric.Cosine, parameters);
                var clock = Stopwatch.StartNew();
                old.AddMany(ids, 1);
                buildTimes[0].Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                fused.AddMany(ids, 1);
                buildTimes[1].Add(clock.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"graph build, {rows} rows, 1 thread: (a) dot over unit vectors {Statistics.Median(buildTimes[0]):F2} s; " +
                $"(b) fused over raw {Statistics.Median(buildTimes[1]):F2} s ({Statistics.Median(buildTimes[1]) / Statistics.Median(buildTimes[0]):F3}x)");

            int queryCount = Math.Min(1_000, queries.Count);
            float[][] unitQueries = new float[queryCount][];
            for (int i = 0; i < queryCount; i++)
            {
                unitQueries[i] = queries.Row(i).ToArray();
                VectorKernels.TryNormalize(unitQueries[i]);
            }

            foreach (int ef in new[] { 40, 160 })
            {
                var times = new List<double>[] { [], [] };
                for (int r = 0; r < reps + 1; r++)
                {
                    for (int variant = 0; variant < 2; variant++)
                    {
                        HnswGraph graph = variant == 0 ? old! : fused!;
                        var clock = Stopwatch.StartNew();
                        foreach (float[] query in unitQueries)
                        {
                            var accept = default(AcceptAllRows);
                            graph.Search(query, 10, ef, ref accept, new TopKHeap(10));
                        }

                        if (r > 0)
                        {
                            times[variant].Add(clock.Elapsed.TotalMicroseconds / queryCount);
                        }
                    }
                }

                int same = 0;
                foreach (float[] query in unitQueries)
                {
                    same += Top(old!, query, ef).Intersect(Top(fused!, query, ef)).Count();
                }

                Console.WriteLine($"graph search ef {ef}, {queryCount} queries: (a) {Statistics.Median(times[0]):F1} us/query; " +
                    $"(b) {Statistics.Median(times[1]):F1} us/query ({Statistics.Median(times[1]) / Statistics.Median(times[0]):F3}x); " +
                    $"same top-10 {same / (10.0 * queryCount):F4}");
            }
        }
    }

    private static IEnumerable<int> Top(HnswGraph graph, float[] query, int ef)
    {
        var heap = new TopKHeap(10);
        var accept = default(AcceptAllRows);
        graph.Search(query, 10, ef, ref accept, heap);
        var ranked = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(ranked);
        return ranked.Select(r => r.Row);
    }
}
