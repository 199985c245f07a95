using System.Text.Json.Nodes;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Tests.Records;

/// <summary>
/// A checkpoint's compaction of the state (<see cref="StateCompaction.Compact"/>) called directly: which rows survive
/// (not deleted, replaced or expired), their new order, what each new row carries, the graph kept (renumbered) or
/// rebuilt at exactly the tombstone threshold, and a cancelled compaction that leaves the old state as it was.
/// The expected rows are worked out by hand from the operations in <see cref="Build"/>.
/// </summary>
public sealed class StateCompactionTests
{
    /// <summary>Far in the future: id 6 stays.</summary>
    private static readonly long Future = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static EncodedPayload Payload(int v) => PayloadJson.Encode(new JsonObject { ["v"] = v }, "test");

    /// <summary>
    /// Batch 1: ids 0-8 at rows 0-8 (vector [id, 1], payload v = id; id 6 expires in 2100, id 8 at tick 1, long past;
    /// id 4 in namespace "t"). Batch 2: id 2 deleted; id 5 upserted again (row 9, vector [50, 1], v = 50); id 7's payload
    /// set to v = 70 (row 10, sharing row 7's vectors and graph node). The graph has 10 nodes (rows 0-9).
    /// </summary>
    private static CollectionState Build(int tombstoneRebuildPercent)
    {
        var schema = new CollectionSchema().AddVector("v", 2, Metric.L2)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1, TombstoneRebuildPercent = tombstoneRebuildPercent });
        var state = new CollectionState(schema, [], 0);
        for (int id = 0; id <= 8; id++)
        {
            long expires = id == 6 ? Future : id == 8 ? 1 : 0;
            state.Apply(WalOperation.Upsert(new StoredRecord((ulong)id, id == 4 ? "t" : "", expires, Payload(id), [new float[] { id, 1 }])), 1);
        }
        state.Publish(1);
        state.Apply(WalOperation.Delete(2UL, ""), 2);
        state.Apply(WalOperation.Upsert(new StoredRecord(5UL, "", 0, Payload(50), [new float[] { 50, 1 }])), 2);
        state.Apply(WalOperation.SetPayload(7UL, "", Payload(70)), 2);
        state.Publish(2);
        return state;
    }

    [Fact]
    public void Only_the_visible_rows_survive_in_old_row_order_with_their_vectors_payloads_namespaces_and_expiry()
    {
        CollectionState old = Build(tombstoneRebuildPercent: 100);
        CollectionState? fresh = null;
        try
        {
            Assert.Equal((11, 10), (old.RowCount, old.Graph(0)!.Count));
            fresh = StateCompaction.Compact(old, 5, CancellationToken.None, out int rebuilt, out int remapped);

            // Old rows 0, 1, 3, 4, 6, 9 (id 5 again) and 10 (id 7's update) are visible; 2 (deleted), 5 and 7
            // (replaced) and 8 (expired) are not.
            ulong[] ids = [0, 1, 3, 4, 6, 5, 7];
            float[] firsts = [0, 1, 3, 4, 6, 50, 7];
            int[] payloads = [0, 1, 3, 4, 6, 50, 70];
            Assert.Equal((7, 7, 5L, 7), (fresh.RowCount, fresh.LiveRows, fresh.Published.Lsn, fresh.Published.RowCount));
            Assert.False(fresh.Published.AnyDeleted);
            for (int row = 0; row < 7; row++)
            {
                Assert.Equal(ids[row], fresh.Row(row).Id.AsNumber);
                Assert.Equal(new[] { firsts[row], 1f }, fresh.Arenas[0].Get(row).ToArray());
                Assert.Equal(payloads[row], fresh.Row(row).Payload.GetProperty("v").GetInt32());
                Assert.Equal(row == 3 ? 1 : 0, fresh.NamespaceOf(row));
                Assert.Equal(row == 4 ? Future : 0, fresh.ExpiresAtTicks(row));
                Assert.Equal(-1, fresh.PreviousRow(row));
            }
            Assert.Equal(3, fresh.FindLiveRow(new RecordKey(fresh.Namespaces.Find("t"), 4UL)));
            Assert.Equal(5, fresh.FindLiveRow(new RecordKey(0, 5UL)));
            Assert.Equal(-1, fresh.FindLiveRow(new RecordKey(0, 2UL)));
            Assert.Equal(-1, fresh.FindLiveRow(new RecordKey(0, 8UL)));

            // The planner's measured costs carry over (the fresh state does not start from the defaults).
            Assert.Same(old.CostModel(0), fresh.CostModel(0));

            // A threshold of 100% never rebuilds: the graph is renumbered, its 3 gone rows (2, 5, 8) left as dead nodes.
            Assert.Equal((0, 1), (rebuilt, remapped));
            Assert.Equal((10, 3, "remapped"), (fresh.Graph(0)!.Count, fresh.Graph(0)!.DeadCount, fresh.GraphOrigin(0)));
        }
        finally
        {
            fresh?.Release();
            old.Release();
        }
    }

    [Theory]
    [InlineData(30, 1, 0)] // 3 dead of 10 nodes is 30%: at the threshold, rebuilt
    [InlineData(31, 0, 1)] // below it: renumbered
    public void The_graph_is_rebuilt_from_the_threshold_on(int percent, int expectedRebuilt, int expectedRemapped)
    {
        CollectionState old = Build(percent);
        CollectionState? fresh = null;
        try
        {
            fresh = StateCompaction.Compact(old, 5, CancellationToken.None, out int rebuilt, out int remapped);
            Assert.Equal((expectedRebuilt, expectedRemapped), (rebuilt, remapped));
            // A rebuilt graph holds the 7 surviving rows and no dead node.
            Assert.Equal(expectedRebuilt == 1 ? (7, 0) : (10, 3), (fresh.Graph(0)!.Count, fresh.Graph(0)!.DeadCount));
        }
        finally
        {
            fresh?.Release();
            old.Release();
        }
    }

    [Fact]
    public void A_cancelled_compaction_leaves_the_old_state_and_its_graph()
    {
        CollectionState old = Build(tombstoneRebuildPercent: 100);
        try
        {
            Snapshot before = old.Published;
            Assert.Throws<OperationCanceledException>(
                () => StateCompaction.Compact(old, 5, new CancellationToken(canceled: true), out _, out _));
            Assert.Same(before, old.Published);
            Assert.Equal(10, old.Graph(0)!.Count);
            Assert.Equal(9, old.FindVisibleRow(new RecordKey(0, 5UL), old.Published, DateTime.UtcNow.Ticks));
        }
        finally
        {
            old.Release();
        }
    }
}
