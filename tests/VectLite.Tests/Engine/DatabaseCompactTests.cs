namespace VectLite.Tests.Engine;

/// <summary><see cref="Database.Compact"/> checkpoints every collection, not only those already opened.</summary>
public sealed class DatabaseCompactTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Compact_checkpoints_every_collection_and_empties_every_log()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("a", CollectionSchema.SingleVector(4, Metric.L2)).UpsertMany(TestData.Records(20, 4));
            db.CreateCollection("b", CollectionSchema.MetadataOnly()).Upsert(new Record("x") { Payload = new() { ["k"] = 1 } });
        }
        using (Database db = _temp.Open())
        {
            db.Compact(); // neither collection is open yet
            foreach ((string name, long records) in new[] { ("a", 20L), ("b", 1L) })
            {
                CollectionStats stats = db.GetCollection(name).GetStats();
                Assert.Equal((1L, 0L, 32L, records), (stats.CheckpointGeneration, stats.WalBatchesSinceCheckpoint, stats.WalBytes, stats.RecordCount));
            }
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(1, db.GetCollection("a").GetStats().CheckpointGeneration);
            Assert.Equal(20, db.GetCollection("a").Count());
        }
    }

    [Fact]
    public void A_cancelled_database_compact_checkpoints_nothing()
    {
        using Database db = _temp.Open();
        Collection a = db.CreateCollection("a", CollectionSchema.SingleVector(4, Metric.L2));
        a.UpsertMany(TestData.Records(20, 4));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => db.Compact(cancelled.Token));
        Assert.Equal((0L, 1L), (a.GetStats().CheckpointGeneration, a.GetStats().WalBatchesSinceCheckpoint));
    }
}
