using VectLite.Indexing;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

public sealed class HnswRemapTests(ITestOutputHelper output)
{
    private const int K = 10;

    [Fact]
    public void Remapped_graph_over_a_renumbered_arena_returns_the_same_rows_translated()
    {
        const int n = 1500;
        (float[][] vectors, float[][] queries) = WithQueries(seed: 101, n, 30, 24);
        using VectorArena arena = Arena(vectors);
        HnswGraph graph = Build(arena, Metric.L2, n);

        // A permutation: row r moves to n - 1 - r.
        int[] map = Enumerable.Range(0, n).Select(r => n - 1 - r).ToArray();
        using VectorArena compacted = Arena(Enumerable.Range(0, n).Select(r => vectors[n - 1 - r]).ToArray());
        (float Score, int Row)[][] before = queries.Select(q => Query(graph, q, K, 40)).ToArray();

        HnswGraph remapped = graph.Remap(map, compacted);

        Assert.Equal(n, remapped.Count);
        Assert.Equal(0, remapped.DeadCount);
        for (int i = 0; i < queries.Length; i++)
        {
            (float Score, int Row)[] after = Query(remapped, queries[i], K, 40);
            Assert.Equal(before[i].Select(b => (b.Score, map[b.Row])).OrderBy(p => p.Item2), after.OrderBy(p => p.Row));
        }

        // The old graph still answers, unchanged, on its own rows and arena.
        Assert.Equal(before[0], Query(graph, queries[0], K, 40));
    }

    [Fact]
    public void Dead_nodes_after_remap_are_never_results_and_k_results_remain()
    {
        const int n = 2000;
        (float[][] vectors, float[][] queries) = WithQueries(seed: 111, n, 30, 24);
        using VectorArena arena = Arena(vectors);
        HnswGraph graph = Build(arena, Metric.L2, n);

        // Drop 60% of the rows (keep every row whose hash says so) and compact the rest in order.
        var map = new int[n];
        var kept = new List<float[]>();
        for (int row = 0; row < n; row++)
        {
            map[row] = PercentFilter.Hash(row) % 100 < 40 ? kept.Count : -1;
            if (map[row] >= 0)
            {
                kept.Add(vectors[row]);
            }
        }

        using VectorArena compacted = Arena(kept.ToArray());
        HnswGraph remapped = graph.Remap(map, compacted);

        Assert.Equal(n - kept.Count, remapped.DeadCount);
        Assert.True(remapped.GetRow(remapped.EntryNode) >= 0, "The entry point must be live.");
        foreach (float[] query in queries)
        {
            (float Score, int Row)[] found = Query(remapped, query, K, 0);
            Assert.Equal(K, found.Length);
            Assert.All(found, f => Assert.InRange(f.Row, 0, kept.Count - 1));
            Assert.Equal(K, found.Select(f => f.Row).Distinct().Count());
        }

        double recall = Recall(remapped, compacted, Metric.L2, queries, kept.Count, K, 100);
        output.WriteLine($"{remapped.DeadCount} of {n} nodes dead: recall@10 {recall:F3} at ef 100");
        Assert.True(recall >= 0.9, $"Recall through dead nodes is {recall:F3}.");
    }

    [Fact]
    public void Inserts_continue_on_the_remapped_graph_and_the_old_one_is_read_only()
    {
        const int n = 1500;
        float[][] vectors = Clustered(seed: 121, n + 540, 16);
        using VectorArena arena = Arena(vectors[..n]);
        HnswGraph graph = Build(arena, Metric.L2, n);

        // Delete the even rows; compact the odd ones; leave room for 500 new rows.
        int[] map = Enumerable.Range(0, n).Select(r => r % 2 == 1 ? r / 2 : -1).ToArray();
        float[][] live = Enumerable.Range(0, n).Where(r => r % 2 == 1).Select(r => vectors[r]).ToArray();
        using VectorArena compacted = Arena(live, extraCapacity: 500);
        HnswGraph remapped = graph.Remap(map, compacted);
        (float Score, int Row)[] oldBefore = Query(graph, vectors[7], K, 40);

        for (int i = 0; i < 500; i++)
        {
            compacted.Write(live.Length + i, vectors[n + i]);
        }

        remapped.AddMany(Enumerable.Range(live.Length, 500).ToArray(), 2);

        Assert.Throws<InvalidOperationException>(() => graph.Add(0));
        Assert.Throws<InvalidOperationException>(() => graph.AddMany([0], 1));
        Assert.Throws<InvalidOperationException>(() => graph.Remap(map, compacted));
        Assert.Throws<InvalidOperationException>(() => graph.Save(Stream.Null, 1));
        Assert.True(graph.IsSuperseded);
        Assert.Equal(n, graph.Count);
        Assert.Equal(n + 500, remapped.Count);

        // A new row is found by its own vector; the old graph never sees the new nodes.
        for (int i = 0; i < 500; i += 50)
        {
            Assert.Equal(live.Length + i, Query(remapped, vectors[n + i], 1, 40)[0].Row);
        }

        // The new graph's inserts rewrite shared lists (and drop links to its dead nodes), so the old
        // graph's answers may shift a little, but stay complete and within its own rows.
        (float Score, int Row)[] oldAfter = Query(graph, vectors[7], K, 40);
        Assert.Equal(K, oldAfter.Length);
        Assert.All(oldAfter, f => Assert.InRange(f.Row, 0, n - 1));
        Assert.Equal(7, oldAfter[0].Row);
        Assert.Equal(oldBefore[0], oldAfter[0]);

        double recall = Recall(remapped, compacted, Metric.L2, vectors[(n + 500)..], live.Length + 500, K, 100);
        output.WriteLine($"after remap ({remapped.DeadCount} dead) and 500 inserts: recall@10 {recall:F3} at ef 100");
        Assert.True(recall >= 0.9, $"Recall after remap and inserts is {recall:F3}.");
    }

    [Fact]
    public void Remap_of_every_row_to_dead_leaves_an_empty_graph_that_accepts_inserts()
    {
        float[][] vectors = Clustered(seed: 131, 300, 8);
        using VectorArena arena = Arena(vectors);
        HnswGraph graph = Build(arena, Metric.L2, vectors.Length);
        using VectorArena compacted = Arena(vectors[..10]);

        HnswGraph remapped = graph.Remap(Enumerable.Repeat(-1, vectors.Length).ToArray(), compacted);

        Assert.Equal(vectors.Length, remapped.DeadCount);
        Assert.Equal(-1, remapped.EntryNode);
        Assert.Empty(Query(remapped, vectors[0], K, 0));
        remapped.AddMany(Enumerable.Range(0, 10).ToArray(), 1);
        Assert.Equal(Enumerable.Range(0, 10), Query(remapped, vectors[0], K, 0).Select(f => f.Row).Order());
    }

    [Fact]
    public void Remap_checks_its_map()
    {
        float[][] vectors = Clustered(seed: 141, 100, 8);
        using VectorArena arena = Arena(vectors);
        HnswGraph graph = Build(arena, Metric.L2, vectors.Length);
        using var otherDimension = new VectorArena(9);

        Assert.Throws<ArgumentException>(() => graph.Remap(new int[50], arena));
        Assert.Throws<ArgumentException>(() => graph.Remap(Enumerable.Repeat(-2, 100).ToArray(), arena));
        Assert.Throws<ArgumentException>(() => graph.Remap(Enumerable.Repeat(arena.Capacity, 100).ToArray(), arena));
        Assert.Throws<ArgumentException>(() => graph.Remap(Rows(100), otherDimension));
        Assert.Throws<ArgumentNullException>(() => graph.Remap(null!, arena));

        // A failed remap leaves the graph writable.
        Assert.False(graph.IsSuperseded);
        graph.Add(0);
    }
}
