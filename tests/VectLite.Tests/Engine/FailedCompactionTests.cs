using VectLite.Records;

namespace VectLite.Tests.Engine;

/// <summary>
/// A checkpoint whose compaction fails after the collection's graph was renumbered (the test hook
/// <see cref="StateCompaction.AfterGraphsRenumberedForTests"/> throws there): the old state has handed its graph to the
/// renumbered copy, so it must stop inserting into it. The collection keeps answering exactly, takes writes (the graph
/// built again), and the next checkpoint and a reopen hold every record. Expected hits from a brute force.
/// </summary>
public sealed class FailedCompactionTests : IDisposable
{
    private const int Dimension = 8;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static double Distance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    [Fact]
    public void A_compaction_failing_after_the_graph_was_renumbered_leaves_the_collection_searchable_and_writable()
    {
        var random = new Random(12);
        var rows = Enumerable.Range(0, 600).ToDictionary(i => (ulong)i, _ => TestData.RandomVector(random, Dimension));
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
                .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 }));
            docs.UpsertMany([.. rows.Select(r => new Record(r.Key, r.Value))]);
            foreach (ulong id in rows.Keys.Where(id => id % 10 == 0).ToList())
            {
                docs.Delete(id); // dead rows: the next checkpoint compacts, renumbering the graph (10% dead: kept, not rebuilt)
                rows.Remove(id);
            }

            StateCompaction.AfterGraphsRenumberedForTests = () => throw new InvalidOperationException("test: compaction fails here");
            try
            {
                var ex = Assert.Throws<InvalidOperationException>(() => docs.Compact());
                Assert.Equal("test: compaction fails here", ex.Message);
            }
            finally
            {
                StateCompaction.AfterGraphsRenumberedForTests = null;
            }

            // New rows go into a graph built again (the old one was given away); every search stays exact.
            for (int i = 0; i < 20; i++)
            {
                float[] v = TestData.RandomVector(random, Dimension);
                docs.Upsert(new Record(1_000UL + (ulong)i, v));
                rows[1_000UL + (ulong)i] = v;
            }
            Assert.Equal("built", docs.GetStats().VectorIndexes[0].Origin);
            AssertNearestFound(docs, rows, random);

            docs.Compact();
            Assert.Equal(rows.Count, docs.Count());
        }
        using (Database db = _temp.Open())
        {
            Collection docs = db.GetCollection("docs");
            Assert.Equal(rows.Count, docs.Count());
            AssertNearestFound(docs, rows, random);
        }
    }

    private static void AssertNearestFound(Collection docs, Dictionary<ulong, float[]> rows, Random random)
    {
        for (int q = 0; q < 20; q++)
        {
            float[] query = TestData.RandomVector(random, Dimension);
            ulong nearest = rows.MinBy(r => Distance(r.Value, query)).Key;
            Assert.Equal(nearest, docs.Search(query, new SearchOptions { TopK = 1, Ef = 200 }).Single().Id.AsNumber);
        }
    }
}
