using System.Numerics.Tensors;
using VectLite.Indexing;
using VectLite.Search;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// Graphs linked on <see cref="GraphBuildVectors"/> (decoded codes) instead of the arena. To tell which vectors an
/// insert used, the arena holds the vectors shuffled (row i holds the vector of row perm[i]) while the build vectors give
/// row i its true vector: a graph linked on the build vectors finds true neighbours, one linked on the arena does not.
/// </summary>
[Collection(DecodedInsertCounter.Name)]
public sealed class HnswDecodedBuildTests(ITestOutputHelper output)
{
    private const int N = 3000;
    private const int K = 10;

    [Theory]
    [MemberData(nameof(MetricsAndThreads), MemberType = typeof(HnswTestData))]
    public void A_graph_built_on_decoded_vectors_links_rows_by_them_not_by_the_arena(Metric metric, int threads)
    {
        (float[][] truth, float[][] queries) = WithQueries(seed: 11, N, 60, 32, normalize: metric == Metric.Cosine, scaleNorms: metric == Metric.Dot);
        int[] perm = Shuffled(N, seed: 3);
        using VectorArena arena = Arena([.. perm.Select(p => truth[p])]);

        var onDecoded = new HnswGraph(arena, metric, Quick) { BuildVectors = new ListBuildVectors(truth) };
        long before = Interlocked.Read(ref HnswGraph.DecodedInsertsForTests);
        onDecoded.AddMany(Rows(N), threads);
        long decodedInserts = Interlocked.Read(ref HnswGraph.DecodedInsertsForTests) - before;

        var onArena = new HnswGraph(arena, metric, Quick);
        onArena.AddMany(Rows(N), threads);

        double decodedRecall = TrueRecall(onDecoded, truth, queries, metric);
        double arenaRecall = TrueRecall(onArena, truth, queries, metric);
        output.WriteLine($"{metric}, {threads} thread(s): recall@10 in the build vectors' space: built on them {decodedRecall:F3}, built on the arena {arenaRecall:F3}");

        Assert.Equal(N - 1, decodedInserts); // every insert but the first node's (it links nothing) ran on decoded vectors
        Assert.True(decodedRecall >= 0.95, $"built on the decoded vectors: recall {decodedRecall:F3}");
        Assert.True(arenaRecall <= 0.5, $"built on the arena: recall {arenaRecall:F3} (the test could not tell the two apart)");
        Assert.Equal(N, onDecoded.Count);
    }

    [Theory]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Cosine)]
    public void Decoded_vectors_equal_to_the_arenas_give_the_float32_builds_links(Metric metric)
    {
        // The decoded path is the same algorithm: fed the arena's own vectors, one thread, it must link every node as
        // the float32 path does (same levels from the same seed; the same candidates, heuristic and re-selection).
        (float[][] vectors, _) = WithQueries(seed: 29, 2000, 0 + 1, 24, normalize: false);
        using VectorArena arena = Arena(vectors);
        var onDecoded = new HnswGraph(arena, metric, Quick) { BuildVectors = new ListBuildVectors(vectors) };
        onDecoded.AddMany(Rows(vectors.Length), 1);
        var onArena = new HnswGraph(arena, metric, Quick);
        onArena.AddMany(Rows(vectors.Length), 1);

        int lists = 0, same = 0;
        for (int node = 0; node < vectors.Length; node++)
        {
            Assert.Equal(onArena.GetLevel(node), onDecoded.GetLevel(node));
            for (int level = 0; level <= onArena.GetLevel(node); level++)
            {
                lists++;
                if (onArena.GetNeighbors(node, level).Order().SequenceEqual(onDecoded.GetNeighbors(node, level).Order()))
                {
                    same++;
                }
            }
        }
        output.WriteLine($"{metric}: {same} of {lists} link lists identical");
        // Scores are computed with the same kernels but not always through the same bounded path: allow a rounding tie
        // to fall the other way in a handful of lists, no more.
        Assert.True(same >= lists * 0.995, $"{metric}: only {same} of {lists} link lists are the float32 build's");
        AssertWellFormed(onDecoded);
    }

    [Fact]
    public void Build_vectors_of_another_dimension_are_refused()
    {
        using VectorArena arena = Arena([new float[8]]);
        var graph = new HnswGraph(arena, Metric.L2, Quick);
        ArgumentException error = Assert.Throws<ArgumentException>(() => graph.BuildVectors = new ListBuildVectors([new float[4]]));
        Assert.Contains("dimension 4", error.Message);
        Assert.Contains("dimension 8", error.Message);
    }

    /// <summary>Recall@10 of a scored walk whose scores are the metric on the true vectors, against a brute force on them.</summary>
    private static double TrueRecall(HnswGraph graph, float[][] truth, float[][] queries, Metric metric)
    {
        int hits = 0;
        foreach (float[] query in queries)
        {
            float[] q = metric == Metric.Cosine ? Unit(query) : query;
            var scorer = new TrueScorer(truth, q, metric);
            var accept = default(AcceptAllRows);
            var found = new TopKHeap(64);
            graph.SearchScored(ref scorer, 64, ref accept, found, int.MaxValue);
            var best = new (float Score, int Row)[found.Count];
            found.DrainDescending(best);
            HashSet<int> expected = [.. Enumerable.Range(0, truth.Length).OrderByDescending(r => TrueScorer.Score(truth[r], q, metric)).Take(K)];
            hits += best.Take(K).Count(b => expected.Contains(b.Row));
        }

        return hits / (double)(queries.Length * K);
    }

    private static float[] Unit(float[] v)
    {
        float[] copy = [.. v];
        Assert.True(VectorKernels.TryNormalize(copy));
        return copy;
    }

    private static int[] Shuffled(int n, int seed)
    {
        int[] perm = Rows(n);
        new Random(seed).Shuffle(perm);
        return perm;
    }

    /// <summary>The metric's score (higher is better) of a row's true vector, computed here with TensorPrimitives.</summary>
    private readonly struct TrueScorer(float[][] vectors, float[] query, Metric metric) : IRowScorer
    {
        public float Score(int row) => Score(vectors[row], query, metric);

        public void Prefetch(int row)
        {
        }

        internal static float Score(float[] vector, float[] query, Metric metric) => metric switch
        {
            Metric.L2 => -TensorPrimitives.Distance(vector, query),
            Metric.L1 => -vector.Zip(query, (a, b) => MathF.Abs(a - b)).Sum(),
            Metric.Cosine => TensorPrimitives.CosineSimilarity(vector, query),
            _ => TensorPrimitives.Dot(vector, query),
        };
    }
}

/// <summary>Tests that count <see cref="HnswGraph.DecodedInsertsForTests"/> run one at a time (the counter is process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DecodedInsertCounter
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Decoded insert counter";
}
