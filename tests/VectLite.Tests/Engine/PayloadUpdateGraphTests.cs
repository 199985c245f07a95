using System.Text.Json.Nodes;
using VectLite.Records;
using VectLite.Search;
using VectLite.Storage;

namespace VectLite.Tests.Engine;

/// <summary>
/// Payload and expiry updates keep a record's graph node (re-pointed at the new row) instead of adding one per update,
/// and a reader on an older snapshot still finds the record, with the payload of its snapshot.
/// </summary>
public sealed class PayloadUpdateGraphTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Ten_thousand_payload_updates_add_no_graph_node_and_searches_see_the_new_payloads()
    {
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(TestData.Records(500, Dimension));
            for (int round = 1; round <= 20; round++)
            {
                for (ulong id = 0; id < 500; id++)
                {
                    Assert.True(c.UpdatePayload(id, new JsonObject { ["round"] = round }));
                }
            }
            Assert.True(c.SetExpiry(7, DateTimeOffset.UtcNow.AddYears(1)));

            CollectionStats stats = c.GetStats();
            Assert.Equal((500, 0), (stats.VectorIndexes[0].Nodes, stats.VectorIndexes[0].DeadNodes));
            Assert.Equal(500 + 10_001, stats.StoredRows);
            AssertEveryRecordFoundWithRound(c, 20);
        }
        using (Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            // Replayed: the graph was built from the upserts, then the updates re-pointed its nodes again.
            Collection c = db.GetCollection("docs");
            Assert.Equal((500, 0), (c.GetStats().VectorIndexes[0].Nodes, c.GetStats().VectorIndexes[0].DeadNodes));
            AssertEveryRecordFoundWithRound(c, 20);

            c.Compact();
            CollectionStats stats = c.GetStats();
            Assert.Equal((500, 0, 500L), (stats.VectorIndexes[0].Nodes, stats.VectorIndexes[0].DeadNodes, stats.StoredRows));
            Assert.Equal("remapped", stats.VectorIndexes[0].Origin); // no node was dead, so no rebuild
            AssertEveryRecordFoundWithRound(c, 20);
        }
    }

    /// <summary>Each record's own vector finds it first through the graph, with the round's payload.</summary>
    private static void AssertEveryRecordFoundWithRound(Collection c, int round)
    {
        List<Record> records = TestData.Records(500, Dimension);
        foreach (Record record in records.Where(r => r.Id.AsNumber % 25 == 0))
        {
            SearchHit hit = c.Search(record.Vector!.Value.Span, new SearchOptions { TopK = 1 })[0];
            Assert.Equal(record.Id, hit.Id);
            Assert.Equal(round, (int?)hit.Payload!["round"]);
        }
        Assert.Equal(20, c.Search(records[0].Vector!.Value.Span, new SearchOptions { TopK = 20, Filter = Filter.Eq("round", round) }).Count);
    }

    [Fact]
    public void A_reader_on_the_snapshot_before_an_update_finds_the_record_with_its_old_payload_through_the_repointed_node()
    {
        var schema = CollectionSchema.SingleVector(Dimension, Metric.L2);
        var state = new CollectionState(schema, [], 0);
        try
        {
            List<Record> records = TestData.Records(200, Dimension); // past MinIndexedVectors: Publish builds the graph
            foreach (Record r in records)
            {
                state.Apply(WalOperation.Upsert(new StoredRecord(r.Id, "", 0, PayloadJson.Encode(new JsonObject { ["v"] = 0 }, "test"), [r.Vector!.Value.ToArray()])), 1);
            }
            state.Publish(1);
            Snapshot before = state.Published;
            int oldRow = state.FindVisibleRow(new RecordKey(0, 5), before, 0);

            state.Apply(WalOperation.SetPayload(5, "", PayloadJson.Encode(new JsonObject { ["v"] = 1 }, "test")), 2); // not published
            int newRow = state.FindLiveRow(new RecordKey(0, 5));
            Assert.NotEqual(oldRow, newRow);
            Assert.Equal(200, state.Graph(0)!.Count); // no node added

            // The graph now answers with the new row; the old snapshot maps it back to the row it sees.
            var heap = new TopKHeap(1);
            var filter = new VisibleRowFilter(state, before, 0, -1, null);
            state.Graph(0)!.Search(records[5].Vector!.Value.Span, 1, 64, ref filter, heap);
            var ranked = new (float Score, int Row)[1];
            heap.DrainDescending(ranked);
            Assert.Equal(newRow, ranked[0].Row);
            Assert.Equal(oldRow, state.VersionIn(newRow, before));

            // Filters are judged on the version the snapshot sees.
            Assert.True(new VisibleRowFilter(state, before, 0, -1, Filter.Eq("v", 0)).Accept(newRow));
            Assert.False(new VisibleRowFilter(state, before, 0, -1, Filter.Eq("v", 1)).Accept(newRow));
            state.Publish(2);
            Snapshot after = state.Published;
            Assert.True(new VisibleRowFilter(state, after, 0, -1, Filter.Eq("v", 1)).Accept(newRow));
            Assert.False(new VisibleRowFilter(state, after, 0, -1, null).Accept(oldRow));

            // A newer upsert (new vector) of a record is not mapped back: its node is another record version's.
            state.Apply(WalOperation.Upsert(new StoredRecord(6, "", 0, (byte[]?)null, [new float[Dimension]])), 3);
            int upserted = state.FindLiveRow(new RecordKey(0, 6));
            Assert.Equal(-1, state.VersionIn(upserted, after));
        }
        finally
        {
            state.Release();
        }
    }
}
