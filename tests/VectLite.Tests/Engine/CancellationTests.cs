using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// A cancelled <see cref="Collection.Compact"/> changes nothing; a cancelled <see cref="Collection.UpsertBulk"/> keeps
/// exactly the batches committed before the cancellation was seen. Checked on the open handle and after a reopen,
/// against literals.
/// </summary>
public sealed class CancellationTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Cancelled()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        return source.Token;
    }

    private static List<ulong> Ids(Collection c) =>
        [.. c.Scroll(new ScrollOptions { Limit = 10_000, IncludePayload = false }).Records.Select(r => r.Id.AsNumber)];

    private string[] CollectionFiles() =>
        [.. Directory.GetFiles(_temp.CollectionDirectory("docs")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void A_cancelled_compact_leaves_files_state_and_log_unchanged()
    {
        string[] filesBefore;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(300, 4));
            c.DeleteMany([1, 2, 3]);
            c.UpdatePayload(4, new JsonObject { ["color"] = "purple" });
            filesBefore = CollectionFiles();
            CollectionStats before = c.GetStats();

            Assert.ThrowsAny<OperationCanceledException>(() => c.Compact(Cancelled()));

            CollectionStats after = c.GetStats();
            Assert.Equal((0L, 3L, 297L, 301), (after.CheckpointGeneration, after.WalBatchesSinceCheckpoint, after.RecordCount, after.StoredRows));
            Assert.Equal(before.WalBytes, after.WalBytes);
            Assert.Equal(filesBefore, CollectionFiles());
            c.Upsert(new Record(1000, new float[] { 1, 1, 1, 1 })); // still writable
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(0, c.GetStats().CheckpointGeneration);
            Assert.Equal([0UL, .. Enumerable.Range(4, 296).Select(i => (ulong)i), 1000UL], Ids(c));
            Assert.Equal("purple", (string?)c.Get(4)!.Payload!["color"]);
            Assert.Equal(filesBefore, CollectionFiles());
        }
    }

    [Fact]
    public void A_bulk_load_cancelled_before_it_starts_writes_nothing()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.Upsert(new Record(999, new float[] { 1, 2, 3, 4 }));
            Assert.ThrowsAny<OperationCanceledException>(() => c.UpsertBulk(TestData.Records(100, 4), batchSize: 10, Cancelled()));
            Assert.Equal([999UL], Ids(c));
            Assert.Equal(1, c.GetStats().WalBatchesSinceCheckpoint);
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal([999UL], Ids(db.GetCollection("docs")));
        }
    }

    [Fact]
    public void A_bulk_load_cancelled_midway_keeps_only_the_batches_committed_before()
    {
        using var source = new CancellationTokenSource();
        IEnumerable<Record> CancelAfter25()
        {
            foreach (Record r in TestData.Records(100, 4))
            {
                yield return r;
                if (r.Id.AsNumber == 24)
                {
                    source.Cancel(); // seen at the next full batch, records 20..29
                }
            }
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            Assert.ThrowsAny<OperationCanceledException>(() => c.UpsertBulk(CancelAfter25(), batchSize: 10, source.Token));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), Ids(c));
            Assert.Equal(2, c.GetStats().WalBatchesSinceCheckpoint);
            Assert.Equal(20, c.Search(new float[] { 0, 0, 0, 0 }, new SearchOptions { TopK = 100 }).Count);
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), Ids(db.GetCollection("docs")));
        }
    }
}
