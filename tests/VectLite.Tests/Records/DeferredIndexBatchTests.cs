using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Tests.Records;

/// <summary>
/// The background indexer's side of the state (<c>CollectionState.Indexing.cs</c>) driven by hand, one pass at a time,
/// with no engine and no thread: how many rows a pass takes, what it returns, the indexed mark and the published
/// snapshot's <see cref="Snapshot.IndexedRows"/>, a retired state, a queued row whose deletion is published. And
/// <see cref="Snapshot.WithIndexedRows"/>, which the pass publishes through. Expected values are worked out by hand.
/// </summary>
public sealed class DeferredIndexBatchTests
{
    private static CollectionSchema Schema(IndexingMode mode) =>
        new CollectionSchema().AddVector("v", 2, Metric.L2)
            .WithHnsw(new HnswOptions { Indexing = mode, MinIndexedVectors = 1, MaxInsertThreads = 1 });

    /// <summary>Upserts ids 0 to <paramref name="count"/> - 1 (rows of the same numbers) as batch <paramref name="lsn"/>.</summary>
    private static void UpsertBatch(CollectionState state, int count, long lsn)
    {
        for (int i = 0; i < count; i++)
        {
            state.Apply(WalOperation.Upsert(new StoredRecord((ulong)i, "", 0, (byte[]?)null, [new float[] { i, 1 }])), lsn);
        }
        state.Publish(lsn);
    }

    [Fact]
    public void Each_pass_indexes_up_to_its_row_count_raises_both_marks_and_returns_the_rows_still_waiting()
    {
        var state = new CollectionState(Schema(IndexingMode.Deferred), [], 0);
        try
        {
            UpsertBatch(state, 5, 1);
            Assert.True(state.IsDeferred);
            Assert.Equal((0, 0, 5), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));
            Assert.Null(state.Graph(0));

            var passes = new List<(int From, int UpTo)>();
            Assert.Equal(3, state.IndexDeferredBatch(2, _ => true, (from, upTo) => passes.Add((from, upTo))));
            Assert.Equal((2, 2, 3), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));
            Assert.Equal(2, state.Graph(0)!.Count);

            // A pass of no rows changes nothing and still says what waits.
            Assert.Equal(3, state.IndexDeferredBatch(0, _ => true, (from, upTo) => passes.Add((from, upTo))));
            Assert.Equal((2, 2, 3), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));

            // A retired state is not indexed: 1, so the caller tries the new one; the hook never runs.
            Assert.Equal(1, state.IndexDeferredBatch(10, _ => false, (from, upTo) => passes.Add((from, upTo))));
            Assert.Equal((2, 2, 3), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));

            // Row 3's deletion is published before the pass reaches it: it is left out of the graph.
            state.Apply(WalOperation.Delete(3UL, ""), 2);
            state.Publish(2);
            Assert.Equal(0, state.IndexDeferredBatch(10, _ => true, (from, upTo) => passes.Add((from, upTo))));
            Assert.Equal((5, 5, 0), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));
            Assert.Equal(4, state.Graph(0)!.Count);
            Assert.Equal([(0, 2), (2, 2), (2, 5)], passes);

            // Caught up: a pass has nothing to do.
            Assert.Equal(0, state.IndexDeferredBatch(10, _ => true));
            Assert.Equal((5, 5, 0), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void Immediate_indexing_publishes_every_row_indexed()
    {
        var state = new CollectionState(Schema(IndexingMode.Immediate), [], 0);
        try
        {
            UpsertBatch(state, 3, 1);
            Assert.False(state.IsDeferred);
            Assert.Equal((3, 3, 0), (state.IndexedRows, state.Published.IndexedRows, state.IndexingLag));
            Assert.Equal(3, state.Graph(0)!.Count);
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void With_indexed_rows_keeps_the_rest_of_the_snapshot_and_caps_the_mark_at_the_row_count()
    {
        var snapshot = new Snapshot(lsn: 7, rowCount: 5, anyExpiring: true, anyDeleted: false) { IndexedRows = 1 };
        Snapshot raised = snapshot.WithIndexedRows(3);
        Assert.Equal((7L, 5, true, false, 3), (raised.Lsn, raised.RowCount, raised.AnyExpiring, raised.AnyDeleted, raised.IndexedRows));
        Assert.Equal(5, snapshot.WithIndexedRows(9).IndexedRows);
        Assert.Equal(1, snapshot.IndexedRows); // immutable: a new snapshot each time

        // By default a snapshot counts every row indexed and may hold deleted rows.
        var plain = new Snapshot(lsn: 2, rowCount: 4, anyExpiring: false);
        Assert.Equal((4, true), (plain.IndexedRows, plain.AnyDeleted));
    }
}
