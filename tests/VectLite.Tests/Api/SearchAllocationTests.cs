using System.Text.Json.Nodes;

namespace VectLite.Tests.Api;

/// <summary>
/// The span overload of Search (ids and scores into the caller's buffer): it allocates nothing once warm, and it finds
/// what the list overload finds.
/// </summary>
public sealed class SearchAllocationTests
{
    private const int Dimension = 16;

    [Fact]
    public void Span_search_allocates_nothing_once_warm()
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db, Metric.L2, rows: 3000);
        Assert.Equal("built", c.GetStats().VectorIndexes[0].Origin); // the graph path, not the exact scan
        float[][] queries = Queries(seed: 9, 20);
        var destination = new ScoredId[10];
        var options = new SearchOptions { TopK = 10, Ef = 40 };

        // Warm-up: JIT tiers, the thread's heap, the context and array pools.
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(10, c.Search(queries[i % queries.Length], destination, options));
        }

        // A window of searches counts this thread's allocations only. A search that allocates allocates in every window,
        // so the steady state is proven by any window at zero (the runtime may allocate once on a thread, e.g. when a
        // method tiers up, which is not the search's).
        var seen = new List<long>();
        for (int window = 0; window < 5; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (float[] query in queries)
            {
                c.Search(query, destination, options);
                c.Search(query, destination); // null options too
            }
            seen.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (seen[^1] == 0)
            {
                return;
            }
        }
        Assert.Fail($"every window of {2 * queries.Length} searches allocated: {string.Join(", ", seen)} bytes");
    }

    [Theory]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.Dot)]
    public void Span_search_returns_the_hits_of_the_list_search(Metric metric)
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db, metric, rows: 2000);
        c.Delete(3); // a deleted record is skipped alike
        var destination = new ScoredId[40];
        SearchOptions[] variants =
        [
            new SearchOptions { TopK = 10 },
            new SearchOptions { TopK = 7, Offset = 5, Ef = 20 },
            new SearchOptions { TopK = 10, Filter = Filter.Lt("bucket", 3) },
            new SearchOptions { TopK = 10, Exact = true },
            new SearchOptions { TopK = 40, Ef = 100 },
        ];
        foreach (float[] query in Queries(seed: 17, 10))
        {
            foreach (SearchOptions options in variants)
            {
                IReadOnlyList<SearchHit> hits = c.Search(query, options);
                Assert.NotEmpty(hits);
                int written = c.Search(query, destination, options);
                Assert.Equal(hits.Count, written);
                for (int i = 0; i < written; i++)
                {
                    Assert.Equal(hits[i].Id, destination[i].Id);
                    Assert.Equal(hits[i].Score, destination[i].Score);
                }
            }
        }
    }

    [Fact]
    public void Span_search_honours_the_threshold_and_an_unknown_namespace()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 0f, 0f }));
        c.Upsert(new Record(2, new float[] { 3f, 0f }));
        c.Upsert(new Record(3, new float[] { 0f, 2f }));
        var destination = new ScoredId[10];

        // Squared L2 from (0, 1): 1, 10, 1; scores are negated distances, ties broken by row (insertion order).
        int written = c.Search([0f, 1f], destination, new SearchOptions { ScoreThreshold = -2f });
        Assert.Equal(2, written);
        Assert.Equal(new ScoredId(1, -1f), destination[0]);
        Assert.Equal(new ScoredId(3, -1f), destination[1]);
        Assert.Equal(default, destination[2]); // past the count: untouched

        Assert.Equal(0, c.Search([0f, 1f], destination, new SearchOptions { Namespace = "never-used" }));
    }

    [Fact]
    public void Span_search_over_every_namespace_tells_equal_ids_apart_by_namespace()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(7, new float[] { 0f, 0f }));
        c.Upsert(new Record(7, new float[] { 0f, 3f }) { Namespace = "tenant-a" });
        c.Upsert(new Record(8, new float[] { 4f, 4f }) { Namespace = "tenant-a" });
        var destination = new ScoredId[3];

        // L2 distances from (0, 1): 1 (default 7), 2 (tenant-a 7), 5 (tenant-a 8); scores are their negatives.
        int written = c.Search([0f, 1f], destination, new SearchOptions { TopK = 3, AllNamespaces = true });
        Assert.Equal(3, written);
        Assert.Equal(new ScoredId(7, -1f, ""), destination[0]);
        Assert.Equal(new ScoredId(7, -2f, "tenant-a"), destination[1]);
        Assert.Equal(new ScoredId(8, -5f, "tenant-a"), destination[2]);

        Assert.Equal(1, c.Search([0f, 1f], destination, new SearchOptions { TopK = 1, Namespace = "tenant-a" }));
        Assert.Equal(new ScoredId(7, -2f, "tenant-a"), destination[0]);
    }

    [Fact]
    public void Span_search_rejects_a_destination_shorter_than_TopK()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 0f, 0f }));
        var destination = new ScoredId[4];

        ArgumentException e = Assert.Throws<ArgumentException>(() => c.Search([0f, 1f], destination, new SearchOptions { TopK = 5 }));
        Assert.Equal("destination", e.ParamName);
        Assert.Throws<ArgumentException>(() => c.Search([0f, 1f], destination)); // TopK 10 by default
        Assert.Equal(1, c.Search([0f, 1f], destination, new SearchOptions { TopK = 4 }));
    }

    private static Collection Filled(Database db, Metric metric, int rows)
    {
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(Dimension, metric));
        var random = new Random(5);
        var records = new List<Record>(rows);
        for (int i = 0; i < rows; i++)
        {
            records.Add(new Record((ulong)i, Vector(random), new JsonObject { ["bucket"] = i % 10 }));
        }
        c.UpsertMany(records);
        return c;
    }

    private static float[][] Queries(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Vector(random))];
    }

    private static float[] Vector(Random random)
    {
        float[] v = new float[Dimension];
        for (int d = 0; d < v.Length; d++)
        {
            v[d] = (float)(random.NextDouble() - 0.3);
        }
        return v;
    }
}
