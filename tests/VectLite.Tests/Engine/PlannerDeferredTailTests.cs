using System.Text.Json.Nodes;
using VectLite.Search;

namespace VectLite.Tests.Engine;

/// <summary>
/// Deferred indexing: the rows the indexer has not reached (the tail) are scanned exactly after any graph walk, so the
/// planner counts that scan in a walk's cost. With a large tail a filter that a graph walk would answer on a fully
/// indexed collection is scanned exactly (cheaper: the walk would scan almost every passing row anyway); with a small
/// tail the walk is kept. Either way the hits are the brute force's over all live rows.
/// </summary>
/// <remarks>
/// The numbers (4,000 rows, a 50% filter, ef 10): the exact scan costs 2,000 + 80 (a row test each, no row set at
/// 50%); a walk on the whole graph is modelled at 2.4 x 113 x 0.5^-0.68 = 434. With 400 rows in the graph the walk is
/// 2.4 x 82 x 1.6 = 315 plus the tail's 3,600 x (0.5 + 0.02) = 1,872: 2,187, above the scan. With 3,900 indexed,
/// 434 + 52.
/// </remarks>
public sealed class PlannerDeferredTailTests : IDisposable
{
    private const int Dimension = 8; // low enough that a walk keeps well inside its budget (no fallback to the scan)
    private const int Count = 4000;
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly List<(ulong Id, int Bucket, float[] Vector)> _rows = [];

    public void Dispose()
    {
        SearchPlanner.ForcedPath = null;
        _temp.Dispose();
    }

    [Theory]
    [InlineData(400, "exact")]   // 3,600 rows waiting: the tail's scan makes any walk dearer than the scan
    [InlineData(3900, "through")] // 100 waiting: the walk stays cheaper
    public void The_planner_counts_the_scan_of_the_unindexed_tail(int indexed, string expectedPath)
    {
        SearchPath expected = expectedPath == "exact" ? SearchPath.Exact : SearchPath.GraphThrough;
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions
        {
            Indexing = IndexingMode.Deferred,
            MinIndexedVectors = 100,
            MaxInsertThreads = 1,
        }));
        c.CreatePayloadIndex("bucket", PayloadIndexKind.Numeric);
        // The numbers above are the planner's constants: keep the measured costs of this 8-d collection out of it.
        c.Engine.StateForTests.CostModel(0).FreezeForTests();
        var random = new Random(41);
        c.UpsertMany(Records(random, 0, indexed));
        c.WaitForIndexing();
        c.Engine.IndexingPassForTests = (_, _) => throw new InvalidOperationException("indexing paused by the test");
        try
        {
            c.UpsertMany(Records(random, indexed, Count));
            Assert.Equal(Count - indexed, c.GetStats().IndexingLag);

            var queries = new Random(3);
            for (int q = 0; q < 20; q++)
            {
                float[] query = TestData.RandomVector(queries, Dimension);
                List<ulong> actual = [.. c.Search(query, new SearchOptions { TopK = TopK, Ef = 10, Filter = Filter.Lt("bucket", 50), IncludePayload = false }).Select(h => h.Id.AsNumber)];
                Assert.Equal(expected, SearchPlanner.LastPath);
                // Planned, not a walk that ran out of budget and fell back to the scan (that leaves -1).
                Assert.True(expected == SearchPath.Exact ? SearchPlanner.LastGraphDistances == 0 : SearchPlanner.LastGraphDistances > 0, $"{SearchPlanner.LastGraphDistances} graph distances");
                List<ulong> truth = [.. _rows.Where(r => r.Bucket < 50)
                    .OrderBy(r => r.Vector.Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum()).ThenBy(r => r.Id)
                    .Take(TopK).Select(r => r.Id)];
                if (expected == SearchPath.Exact)
                {
                    Assert.Equal(truth, actual);
                }
                else
                {
                    Assert.True(actual.Intersect(truth).Count() >= 7, $"Query {q}: {actual.Intersect(truth).Count()} of the true top {TopK}.");
                }
            }
        }
        finally
        {
            c.Engine.IndexingPassForTests = null;
        }
    }

    private List<Record> Records(Random random, int from, int to)
    {
        var records = new List<Record>();
        for (int i = from; i < to; i++)
        {
            float[] v = TestData.RandomVector(random, Dimension);
            int bucket = (int)((uint)(i * 2654435761u) % 100);
            _rows.Add(((ulong)i, bucket, v));
            records.Add(new Record((ulong)i, v, new JsonObject { ["bucket"] = bucket }));
        }
        return records;
    }
}
