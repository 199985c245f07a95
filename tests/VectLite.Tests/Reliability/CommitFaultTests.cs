using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Defect 2 of the reliability audit: a batch that failed after it was appended left part of itself visible and its
/// LSN reusable. Now invalid input never reaches the log, and a failure after the append faults the handle.
/// </summary>
public sealed class CommitFaultTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Record R(ulong id, float x) => new(id, new float[] { x, 1 }, new JsonObject { ["v"] = (int)id });

    [Fact]
    public void A_batch_with_one_invalid_record_leaves_nothing_and_later_batches_survive_reopen()
    {
        var deep = new JsonObject();
        JsonObject cursor = deep;
        for (int i = 0; i < 70; i++)
        {
            var next = new JsonObject();
            cursor["n"] = next;
            cursor = next;
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            Assert.Throws<InvalidRecordException>(() => c.UpsertMany([R(1, 1), new Record(2, new float[] { 2, 1 }, deep)]));
            c.Upsert(R(3, 3));
            Assert.Null(c.Get(1));
            Assert.NotNull(c.Get(3));
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Null(c.Get(1));
            Assert.Null(c.Get(2));
            Assert.NotNull(c.Get(3)); // not dropped as a "torn tail" behind a reused LSN
            Assert.Equal(0, c.GetStats().TornTailBytesDropped);
        }
    }

    [Fact]
    public void A_failure_after_the_append_faults_the_handle_and_a_reopen_applies_the_whole_batch()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            c.Upsert(R(1, 1));
            c.BatchLoggedForTests = _ => throw new OutOfMemoryException("simulated");

            var ex = Assert.Throws<CollectionFaultedException>(() => c.UpsertMany([R(2, 2), R(3, 3)]));
            Assert.Equal(VectLiteErrorCode.Faulted, ex.Code);
            Assert.IsType<OutOfMemoryException>(ex.InnerException);
            c.BatchLoggedForTests = null;

            // Every further write is refused, whatever its kind; reads answer from the last published state.
            Assert.Throws<CollectionFaultedException>(() => c.Upsert(R(4, 4)));
            Assert.Throws<CollectionFaultedException>(() => c.Delete(1));
            Assert.Throws<CollectionFaultedException>(() => c.UpdatePayload(1, new JsonObject { ["x"] = 1 }));
            Assert.Throws<CollectionFaultedException>(() => c.Compact());
            Assert.Equal(1, c.Count());
            Assert.Null(c.Get(2));
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(3, c.Count()); // the logged batch, whole
            Assert.NotNull(c.Get(2));
            Assert.NotNull(c.Get(3));
            Assert.Null(c.Get(4));
            c.Upsert(R(4, 4)); // the reopened handle writes again
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(4, db.GetCollection("docs").Count());
        }
    }

    [Fact]
    public void A_fault_during_a_bulk_load_publishes_nothing_of_the_failed_batch()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            int batches = 0;
            c.BatchLoggedForTests = _ =>
            {
                if (++batches == 2)
                {
                    throw new InvalidOperationException("simulated");
                }
            };
            Assert.Throws<CollectionFaultedException>(() => c.UpsertBulk(Enumerable.Range(0, 30).Select(i => R((ulong)i, i)), batchSize: 10));
            Assert.Equal(10, c.Count()); // the first batch only
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(20, db.GetCollection("docs").Count()); // the two logged batches
        }
    }
}
