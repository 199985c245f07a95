using VectLite.Indexing;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Tests.Indexing;

/// <summary>Seeded clustered data, ground truth and recall for the HNSW tests.</summary>
internal static class HnswTestData
{
    /// <summary>Small, quick parameters: M 12, ef_construction 100, automatic ef_search.</summary>
    internal static readonly HnswParameters Quick = new(12, 100, 0);

    /// <summary>Every metric with one build thread, and L2 and cosine with two: the builds the graph tests run per metric.</summary>
    public static TheoryData<Metric, int> MetricsAndThreads() => new()
    {
        { Metric.L2, 1 },
        { Metric.L2, 2 },
        { Metric.Cosine, 2 },
        { Metric.Dot, 1 },
        { Metric.L1, 1 },
    };

    /// <summary>
    /// Returns <paramref name="count"/> vectors of <paramref name="dimension"/> components around
    /// <paramref name="clusters"/> random centres. Each cluster spreads along its own random 16-dimensional
    /// subspace plus a little isotropic noise: clustered and of low intrinsic dimension, the shape real
    /// embeddings have (isotropic noise in every dimension would make every point nearly equidistant, a
    /// case no approximate index is built for). When <paramref name="normalize"/> the vectors have unit
    /// length; when <paramref name="scaleNorms"/> their lengths vary in [0.8, 1.2] (unnormalised embeddings,
    /// the dot-product case).
    /// </summary>
    internal static float[][] Clustered(int seed, int count, int dimension, int clusters = 24, bool normalize = false, bool scaleNorms = false)
    {
        const int latent = 16;
        const float noise = 0.05f;
        var rng = new Random(seed);
        var centres = new float[clusters][];
        var bases = new float[clusters][][];
        for (int c = 0; c < clusters; c++)
        {
            centres[c] = Gaussian(rng, dimension, 1f);
            bases[c] = new float[latent][];
            for (int i = 0; i < latent; i++)
            {
                bases[c][i] = Gaussian(rng, dimension, 0.25f);
            }
        }

        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(clusters);
            float[] v = Gaussian(rng, dimension, noise);
            for (int j = 0; j < dimension; j++)
            {
                v[j] += centres[c][j];
            }

            for (int l = 0; l < latent; l++)
            {
                float z = Gaussian(rng, 1, 1f)[0];
                for (int j = 0; j < dimension; j++)
                {
                    v[j] += z * bases[c][l][j];
                }
            }

            if (normalize || scaleNorms)
            {
                Assert.True(VectorKernels.TryNormalize(v));
            }

            if (scaleNorms)
            {
                float scale = 0.8f + (0.4f * rng.NextSingle());
                for (int j = 0; j < dimension; j++)
                {
                    v[j] *= scale;
                }
            }

            vectors[i] = v;
        }

        return vectors;
    }

    /// <summary>
    /// Returns <paramref name="count"/> data vectors and <paramref name="queries"/> query vectors from the
    /// same clusters (see <see cref="Clustered"/>): queries are held-out points, not data points.
    /// </summary>
    internal static (float[][] Data, float[][] Queries) WithQueries(int seed, int count, int queries, int dimension, bool normalize = false, bool scaleNorms = false)
    {
        float[][] all = Clustered(seed, count + queries, dimension, normalize: normalize, scaleNorms: scaleNorms);
        return (all[..count], all[count..]);
    }

    /// <summary>Returns an arena with row i = <paramref name="vectors"/>[i]; the caller disposes it.</summary>
    internal static VectorArena Arena(float[][] vectors, int extraCapacity = 0)
    {
        var arena = new VectorArena(vectors[0].Length, 256);
        arena.EnsureCapacity(vectors.Length + extraCapacity);
        for (int i = 0; i < vectors.Length; i++)
        {
            arena.Write(i, vectors[i]);
        }

        return arena;
    }

    /// <summary>Returns 0..count-1.</summary>
    internal static int[] Rows(int count) => Enumerable.Range(0, count).ToArray();

    /// <summary>Builds a graph over every row of <paramref name="arena"/> below <paramref name="count"/>.</summary>
    internal static HnswGraph Build(VectorArena arena, Metric metric, int count, HnswParameters? parameters = null, int threads = 1)
    {
        var graph = new HnswGraph(arena, metric, parameters ?? Quick);
        graph.AddMany(Rows(count), threads);
        return graph;
    }

    /// <summary>Runs one graph search and returns (score, row) best first.</summary>
    internal static (float Score, int Row)[] Query<TFilter>(HnswGraph graph, float[] query, int k, int ef, TFilter filter)
        where TFilter : struct, IRowFilter
    {
        var heap = new TopKHeap(k);
        graph.Search(query, k, ef, ref filter, heap);
        var result = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(result);
        return result;
    }

    /// <summary>Runs one graph search accepting every row.</summary>
    internal static (float Score, int Row)[] Query(HnswGraph graph, float[] query, int k, int ef) =>
        Query(graph, query, k, ef, default(AcceptAllRows));

    /// <summary>The exact top <paramref name="k"/> rows below <paramref name="count"/> that <paramref name="filter"/> accepts.</summary>
    internal static int[] Exact<TFilter>(VectorArena arena, Metric metric, float[] query, int count, int k, TFilter filter)
        where TFilter : struct, IRowFilter
    {
        var heap = new TopKHeap(k);
        switch (metric)
        {
            case Metric.L2:
                ExactScanner.ScanAll<L2Scorer, TFilter>(arena, query, count, ref filter, heap);
                break;
            case Metric.L1:
                ExactScanner.ScanAll<L1Scorer, TFilter>(arena, query, count, ref filter, heap);
                break;
            default:
                ExactScanner.ScanAll<DotScorer, TFilter>(arena, query, count, ref filter, heap);
                break;
        }

        var result = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(result);
        return result.Select(r => r.Row).ToArray();
    }

    /// <summary>The exact top <paramref name="k"/> rows below <paramref name="count"/>.</summary>
    internal static int[] Exact(VectorArena arena, Metric metric, float[] query, int count, int k) =>
        Exact(arena, metric, query, count, k, default(AcceptAllRows));

    /// <summary>The mean recall of the graph's top <paramref name="k"/> against the exact top k, over <paramref name="queries"/>.</summary>
    internal static double Recall<TFilter>(HnswGraph graph, VectorArena arena, Metric metric, float[][] queries, int count, int k, int ef, TFilter filter)
        where TFilter : struct, IRowFilter
    {
        long hits = 0;
        long wanted = 0;
        foreach (float[] query in queries)
        {
            int[] truth = Exact(arena, metric, query, count, k, filter);
            (float Score, int Row)[] found = Query(graph, query, k, ef, filter);
            hits += found.Count(f => truth.Contains(f.Row));
            wanted += truth.Length;
        }

        return wanted == 0 ? 1 : hits / (double)wanted;
    }

    /// <summary>The mean recall with every row accepted.</summary>
    internal static double Recall(HnswGraph graph, VectorArena arena, Metric metric, float[][] queries, int count, int k, int ef) =>
        Recall(graph, arena, metric, queries, count, k, ef, default(AcceptAllRows));

    /// <summary>
    /// Checks the graph's structural invariants: list sizes within budget, no self links, no duplicate
    /// links, every link to an existing node that reaches that level.
    /// </summary>
    internal static void AssertWellFormed(HnswGraph graph)
    {
        int count = graph.Count;
        for (int node = 0; node < count; node++)
        {
            int level = graph.GetLevel(node);
            for (int l = 0; l <= level; l++)
            {
                int[] links = graph.GetNeighbors(node, l);
                Assert.True(links.Length <= (l == 0 ? graph.Parameters.MaxLinks0 : graph.Parameters.M), $"Node {node} has {links.Length} links on level {l}.");
                Assert.Equal(links.Length, links.Distinct().Count());
                foreach (int neighbor in links)
                {
                    Assert.NotEqual(node, neighbor);
                    Assert.InRange(neighbor, 0, count - 1);
                    Assert.True(graph.GetLevel(neighbor) >= l, $"Node {node} links to {neighbor} on level {l}, above that node's level.");
                }
            }
        }
    }

    private static float[] Gaussian(Random rng, int dimension, float sigma)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            // Box-Muller; 1 - NextDouble is in (0, 1], so the logarithm is finite.
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            v[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2) * sigma);
        }

        return v;
    }
}

/// <summary>Accepts a row when a hash of it falls below <c>percent</c> of 100: a filter of a given selectivity.</summary>
internal readonly struct PercentFilter(int percent) : IRowFilter
{
    public bool Accept(int row) => Hash(row) % 100 < percent;

    /// <summary>A fixed scramble of the row, so accepted rows are spread over all clusters.</summary>
    internal static uint Hash(int row)
    {
        uint x = (uint)row * 0x9E37_79B9u;
        x ^= x >> 16;
        x *= 0x85EB_CA6Bu;
        x ^= x >> 13;
        return x;
    }
}

/// <summary>Accepts the rows not in a deleted set: the engine's tombstone filter.</summary>
internal readonly struct NotDeletedFilter(bool[] deleted) : IRowFilter
{
    public bool Accept(int row) => !deleted[row];
}
