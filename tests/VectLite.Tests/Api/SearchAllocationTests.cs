using System.Text.Json.Nodes;

namespace VectLite.Tests.Api;

/// <summary>
/// The span overload of Search (ids and scores into the caller's buffer): it allocates nothing once warm, and it finds
/// what the list overload finds. The list overload allocates its returned hits and nothing else, and makes a hit's
/// payload object only when it is read.
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

    /// <summary>
    /// The bytes one list search of 10 hits may allocate on a 64-bit runtime: the returned hits and nothing else.
    /// <list type="bullet">
    /// <item>List&lt;SearchHit&gt;: 16 (header, method table) + _items 8 + _size 4 + _version 4 = 32.</item>
    /// <item>Its SearchHit[10]: 16 + length 8 + 10 references x 8 = 104.</item>
    /// <item>10 SearchHit: 16 + Id 16 (string reference + ulong) + Namespace 8 + Score 4 + the stored payload element 16
    /// (document reference + int, padded) + the payload object reference 8 + expiry ticks 8 + vectors reference 8 = 84,
    /// rounded up to 88 each: 880.</item>
    /// </list>
    /// 1,016 in all. A hit that materialises its payload during the search (a JsonObject tree per hit), keeps its expiry
    /// and vectors as nullable structs again (120 bytes a hit), or a search that allocates anything else (options, a
    /// ranking array, a closure) goes over it.
    /// </summary>
    private const long ListSearchBytes = 32 + 104 + (10 * 88);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void List_search_allocates_only_its_hits_once_warm(bool includePayload)
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db, Metric.L2, rows: 3000); // every record has a payload
        Assert.Equal("built", c.GetStats().VectorIndexes[0].Origin); // the graph path, not the exact scan
        float[][] queries = Queries(seed: 9, 20);
        var options = new SearchOptions { TopK = 10, Ef = 40, IncludePayload = includePayload };

        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(10, c.Search(queries[i % queries.Length], options).Count);
        }

        // As in the span test: the runtime may allocate once on a thread (a method tiering up), so the smallest window counts.
        long best = long.MaxValue;
        for (int window = 0; window < 5; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (float[] query in queries)
            {
                c.Search(query, options);
            }
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(best <= queries.Length * ListSearchBytes,
            $"{queries.Length} list searches allocated {best} bytes, {(double)best / queries.Length:0.#} per search; the hits alone are {ListSearchBytes}");
    }

    [Fact]
    public void A_hits_payload_is_made_when_read_as_the_search_saw_it_and_kept()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 0f, 0f }, new JsonObject { ["color"] = "red", ["tags"] = new JsonArray("a", "b") }));
        c.Upsert(new Record(2, new float[] { 5f, 5f }));

        IReadOnlyList<SearchHit> hits = c.Search([0f, 1f], new SearchOptions { TopK = 2 });
        Assert.Equal(2, hits.Count);

        // Written after the search, before the hit's payload is first read: the hit still shows what the search saw.
        c.UpdatePayload(1, new JsonObject { ["color"] = "blue" });
        c.Upsert(new Record(2, new float[] { 5f, 5f }, new JsonObject { ["color"] = "green" }));

        JsonObject payload = hits[0].Payload!;
        Assert.Equal("""{"color":"red","tags":["a","b"]}""", payload.ToJsonString());
        Assert.Null(hits[1].Payload); // stored without one
        payload["color"] = "mine"; // the caller's object: a change stays on the hit and never reaches the record
        Assert.Same(payload, hits[0].Payload);
        Assert.Equal("mine", (string?)hits[0].Payload!["color"]);
        Assert.Equal("blue", (string?)c.Get(1)!.Payload!["color"]);

        IReadOnlyList<SearchHit> again = c.Search([0f, 1f], new SearchOptions { TopK = 1 });
        Assert.NotSame(payload, again[0].Payload); // every search's hits have objects of their own
        Assert.Equal("""{"color":"blue","tags":["a","b"]}""", again[0].Payload!.ToJsonString()); // the patch merged
    }

    [Fact]
    public void A_hits_payload_read_by_many_threads_at_once_is_one_object()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        // A large payload: making its object takes long enough that readers released together overlap inside it.
        var large = new JsonObject();
        for (int field = 0; field < 500; field++)
        {
            large[$"f{field}"] = field;
        }
        c.Upsert(new Record(1, new float[] { 0f, 0f }, large));
        for (int round = 0; round < 50; round++)
        {
            SearchHit hit = c.Search([0f, 1f], new SearchOptions { TopK = 1 })[0];
            using var start = new Barrier(4);
            var seen = new JsonObject?[4];
            Thread[] readers = [.. Enumerable.Range(0, 4).Select(i => new Thread(() =>
            {
                start.SignalAndWait(); // all four are running before any reads the unmade payload
                seen[i] = hit.Payload;
            }))];
            foreach (Thread reader in readers)
            {
                reader.Start();
            }
            foreach (Thread reader in readers)
            {
                reader.Join();
            }
            Assert.All(seen, p => Assert.Same(seen[0], p));
            Assert.Equal(499, (int)seen[0]!["f499"]!);
        }
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
