namespace VectLite.Tests.Engine;

/// <summary>
/// Each <see cref="HnswOptions"/> knob changes what the engine does, at a non-default value (a knob that is ignored
/// behaves as its default, so only a non-default value can tell).
/// </summary>
public sealed class HnswSettingsTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private Collection Create(Database db, HnswOptions hnsw) =>
        db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(hnsw));

    private static List<Record> Records(int from, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(from, count).Select(i => new Record(i, TestData.RandomVector(random, Dimension)))];
    }

    [Fact]
    public void MinIndexedVectors_below_the_default_builds_the_index_early()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, new HnswOptions { MinIndexedVectors = 20 });
        c.UpsertMany(Records(0, 19, seed: 1));
        Assert.False(c.GetStats().VectorIndexes[0].Indexed);
        c.UpsertMany(Records(19, 1, seed: 2));
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.Equal((true, "built", 20), (index.Indexed, index.Origin, index.Nodes));
    }

    [Fact]
    public void MinIndexedVectors_above_the_default_keeps_scanning_longer()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, new HnswOptions { MinIndexedVectors = 400 });
        c.UpsertMany(Records(0, 399, seed: 1)); // well past the default of 128
        Assert.False(c.GetStats().VectorIndexes[0].Indexed);
        c.UpsertMany(Records(399, 1, seed: 2));
        Assert.Equal(400, c.GetStats().VectorIndexes[0].Nodes);
    }

    [Fact]
    public void TombstoneRebuildPercent_sets_the_dead_share_that_triggers_a_rebuild()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        // 10% dead: the default (30) would keep the graph; 5 must rebuild it.
        Collection low = db.CreateCollection("low", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { TombstoneRebuildPercent = 5 }));
        low.UpsertMany(Records(0, 500, seed: 3));
        low.DeleteMany(Enumerable.Range(0, 50).Select(i => (RecordId)i));
        low.Compact();
        VectorIndexStats rebuilt = low.GetStats().VectorIndexes[0];
        Assert.Equal(("built", 450, 0), (rebuilt.Origin, rebuilt.Nodes, rebuilt.DeadNodes));

        // 60% dead: the default would rebuild; 100 disables rebuilds.
        Collection never = db.CreateCollection("never", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { TombstoneRebuildPercent = 100 }));
        never.UpsertMany(Records(0, 500, seed: 4));
        never.DeleteMany(Enumerable.Range(0, 300).Select(i => (RecordId)i));
        never.Compact();
        VectorIndexStats kept = never.GetStats().VectorIndexes[0];
        Assert.Equal(("remapped", 500, 300), (kept.Origin, kept.Nodes, kept.DeadNodes));
    }

    [Fact]
    public void ParallelInsertThreshold_decides_which_batches_are_inserted_in_parallel()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, new HnswOptions { MinIndexedVectors = 1, ParallelInsertThreshold = 50, MaxInsertThreads = 2 });
        c.UpsertMany(Records(0, 200, seed: 5)); // builds the graph: 200 rows, past the threshold
        Assert.Equal(2, c.GetStats().VectorIndexes[0].LastInsertThreads);
        c.UpsertMany(Records(200, 49, seed: 6)); // below the threshold: one by one
        Assert.Equal(1, c.GetStats().VectorIndexes[0].LastInsertThreads);
        c.UpsertMany(Records(249, 50, seed: 7)); // at the threshold: parallel
        Assert.Equal(2, c.GetStats().VectorIndexes[0].LastInsertThreads);
        Assert.Equal(299, c.GetStats().VectorIndexes[0].Nodes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MaxInsertThreads_caps_the_threads_of_a_parallel_insert(int threads)
    {
        // Two values, so the test fails on any machine if the setting is replaced by the core count.
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, new HnswOptions { MinIndexedVectors = 1, ParallelInsertThreshold = 1, MaxInsertThreads = threads });
        c.UpsertMany(Records(0, 300, seed: 8));
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.Equal((threads, 300), (index.LastInsertThreads, index.Nodes));
    }
}
