using System.Numerics.Tensors;
using VectLite.Indexing;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// A bulk insert's locality order (HnswGraph.BuildOrder.cs): a random tenth of the batch first, then the rest sorted by
/// where the greedy descent through the upper levels lands them. Node ids are handed out in insert order, so on one
/// thread the node order is the insert order and the tests read it from <see cref="HnswGraph.GetRow"/>.
/// </summary>
[Collection(DecodedInsertCounter.Name)] // one test builds on decoded vectors, which moves the counter that class checks
public sealed class HnswBuildOrderTests(ITestOutputHelper output)
{
    private const int N = 6_000;
    private const int Skeleton = N / 10;

    /// <summary>How near a step must be for <see cref="NearSteps"/>: among this many nearest rows, 5% of the data.</summary>
    private const int Near = N / 20;

    [Theory]
    [MemberData(nameof(MetricsAndThreads), MemberType = typeof(HnswTestData))]
    public void A_bulk_batch_holds_every_row_once_and_finds_the_neighbours(Metric metric, int threads)
    {
        (float[][] vectors, float[][] queries) = WithQueries(seed: 5, N, 100, 16, normalize: metric == Metric.Cosine, scaleNorms: metric == Metric.Dot);
        using VectorArena arena = Arena(vectors);

        HnswGraph graph = Build(arena, metric, N, threads: threads);

        Assert.Equal(N, graph.Count);
        Assert.Equal(Rows(N), Enumerable.Range(0, N).Select(graph.GetRow).Order());
        AssertWellFormed(graph);
        double recall = Recall(graph, arena, metric, queries, N, 10, 64);
        output.WriteLine($"{metric}, {threads} thread(s): recall@10 at ef 64 {recall:F3}");
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public void After_a_random_skeleton_consecutive_inserts_are_neighbours()
    {
        float[][] vectors = Clustered(seed: 17, N, 16);
        using VectorArena arena = Arena(vectors);

        HnswGraph graph = Build(arena, Metric.L2, N);

        int[] rowOfNode = [.. Enumerable.Range(0, N).Select(graph.GetRow)];
        // The skeleton is a shuffled tenth, not the first rows written: about a tenth of it falls in the first tenth.
        int early = rowOfNode[..Skeleton].Count(r => r < Skeleton);
        Assert.InRange(early, 20, 120);

        // The rows' order is random across the clusters; the rest of the node order is sorted by neighbourhood.
        double given = NearSteps(vectors, Rows(N)[Skeleton..]);
        double ordered = NearSteps(vectors, rowOfNode[Skeleton..]);
        output.WriteLine($"consecutive inserts after the skeleton among each other's nearest 5%: given order {given:P1}, inserted {ordered:P1}");
        Assert.True(given < 0.1, $"the rows as written: {given:P1} of steps near (the data is not random enough for the test)");
        Assert.True(ordered > 0.2, $"inserted: only {ordered:P1} of steps near");
    }

    [Fact]
    public void Rows_written_sorted_still_get_a_skeleton_that_spans_them()
    {
        // Written in order of their first component: the first tenth is one edge of the data. The skeleton must not be.
        (float[][] data, float[][] queries) = WithQueries(seed: 23, N, 100, 16);
        float[][] vectors = [.. data.OrderBy(v => v[0])];
        using VectorArena arena = Arena(vectors);

        HnswGraph graph = Build(arena, Metric.L2, N);

        int[] tenths = new int[10];
        for (int node = 0; node < Skeleton; node++)
        {
            tenths[graph.GetRow(node) * 10 / N]++;
        }

        output.WriteLine($"skeleton rows per tenth of the written order: {string.Join(", ", tenths)}");
        Assert.All(tenths, count => Assert.InRange(count, 30, 90));
        double recall = Recall(graph, arena, Metric.L2, queries, N, 10, 64);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public void A_one_thread_bulk_build_is_repeatable()
    {
        float[][] vectors = Clustered(seed: 31, N, 16);
        using VectorArena arena = Arena(vectors);

        HnswGraph first = Build(arena, Metric.L2, N);
        HnswGraph second = Build(arena, Metric.L2, N);

        for (int node = 0; node < N; node++)
        {
            Assert.Equal(first.GetRow(node), second.GetRow(node));
            Assert.Equal(first.GetLevel(node), second.GetLevel(node));
            for (int level = 0; level <= first.GetLevel(node); level++)
            {
                Assert.Equal(first.GetNeighbors(node, level), second.GetNeighbors(node, level));
            }
        }
    }

    [Fact]
    public void Small_batches_and_batches_smaller_than_the_graph_keep_the_order_given()
    {
        int small = HnswGraph.LocalityOrderMinimumRows - 1;
        int grown = N + HnswGraph.LocalityOrderMinimumRows;
        float[][] vectors = Clustered(seed: 37, grown, 16);
        using VectorArena arena = Arena(vectors);

        var below = new HnswGraph(arena, Metric.L2, Quick);
        below.AddMany(Rows(small), 1);
        Assert.Equal(Rows(small), Enumerable.Range(0, small).Select(below.GetRow));

        // A batch of the minimum size into a graph larger than it: appended in the order given.
        HnswGraph graph = Build(arena, Metric.L2, N);
        graph.AddMany(Enumerable.Range(N, grown - N).ToArray(), 1);
        Assert.Equal(Enumerable.Range(N, grown - N), Enumerable.Range(N, grown - N).Select(graph.GetRow));
    }

    [Fact]
    public void On_decoded_vectors_the_order_follows_them_not_the_arena()
    {
        // The arena holds the vectors shuffled; the build vectors give each row its true vector. Sorted by landings on the
        // arena, consecutive inserts would be neighbours there and strangers in the true space.
        float[][] truth = Clustered(seed: 43, N, 16);
        int[] perm = Rows(N);
        new Random(3).Shuffle(perm);
        using VectorArena arena = Arena([.. perm.Select(p => truth[p])]);

        var graph = new HnswGraph(arena, Metric.L2, Quick) { BuildVectors = new ListBuildVectors(truth) };
        graph.AddMany(Rows(N), 1);

        int[] rowOfNode = [.. Enumerable.Range(0, N).Select(graph.GetRow)];
        double ordered = NearSteps(truth, rowOfNode[Skeleton..]);
        output.WriteLine($"consecutive inserts among each other's nearest 5% in the build vectors' space: {ordered:P1}");
        Assert.True(ordered > 0.2, $"only {ordered:P1} of steps near in the build vectors' space");
    }

    /// <summary>
    /// The share of consecutive rows of <paramref name="rows"/> of which the second is among the first's
    /// <see cref="Near"/> nearest rows of <paramref name="vectors"/> (by brute force here): about Near / N for a random
    /// order.
    /// </summary>
    private static double NearSteps(float[][] vectors, int[] rows)
    {
        int near = 0;
        var distances = new float[vectors.Length];
        for (int i = 1; i < rows.Length; i++)
        {
            float[] from = vectors[rows[i - 1]];
            for (int r = 0; r < vectors.Length; r++)
            {
                distances[r] = TensorPrimitives.Distance(from, vectors[r]);
            }

            float step = distances[rows[i]];
            int closer = distances.Count(d => d < step) - 1; // less the row itself, at distance 0
            if (closer < Near)
            {
                near++;
            }
        }

        return near / (double)(rows.Length - 1);
    }
}
