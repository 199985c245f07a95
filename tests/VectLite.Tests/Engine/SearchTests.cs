using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

public sealed class SearchTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;

    public SearchTests() => _db = _temp.Open();

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private static float Reference(Metric metric, float[] q, float[] v) => metric switch
    {
        Metric.Cosine => q.Zip(v, (a, b) => a * b).Sum() / (MathF.Sqrt(q.Sum(x => x * x)) * MathF.Sqrt(v.Sum(x => x * x))),
        Metric.Dot => q.Zip(v, (a, b) => a * b).Sum(),
        Metric.L2 => -MathF.Sqrt(q.Zip(v, (a, b) => (a - b) * (a - b)).Sum()),
        _ => -q.Zip(v, (a, b) => MathF.Abs(a - b)).Sum(),
    };

    [Theory]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.L1)]
    public void Exact_search_matches_brute_force_for_every_metric(Metric metric)
    {
        Collection c = _db.CreateCollection("m" + metric, CollectionSchema.SingleVector(37, metric));
        List<Record> records = TestData.Records(500, 37, seed: 3);
        c.UpsertMany(records);
        var random = new Random(9);
        for (int q = 0; q < 5; q++)
        {
            float[] query = TestData.RandomVector(random, 37);
            var expected = records
                .Select(r => (Id: r.Id.AsNumber, Score: Reference(metric, query, r.Vector!.Value.ToArray())))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(10).ToList();
            IReadOnlyList<SearchHit> hits = c.Search(query, new SearchOptions { TopK = 10, Exact = true });
            Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id.AsNumber));
            for (int i = 0; i < hits.Count; i++)
            {
                Assert.Equal(expected[i].Score, hits[i].Score, 0.001f);
            }
        }
    }

    [Fact]
    public void Filter_namespace_offset_threshold_and_includes()
    {
        Collection c = _db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2));
        c.UpsertMany(TestData.Records(200, 8, seed: 5));
        c.UpsertMany(TestData.Records(50, 8, seed: 6, @namespace: "tenant"));
        float[] query = TestData.RandomVector(new Random(1), 8);

        var all = c.Search(query, new SearchOptions { TopK = 30 });
        var filtered = c.Search(query, new SearchOptions { TopK = 10, Filter = Filter.Eq("color", "red") & Filter.Lt("price", 50) });
        Assert.Equal(10, filtered.Count);
        Assert.All(filtered, h => Assert.True((string?)h.Payload!["color"] == "red" && (int)h.Payload!["price"]! < 50));

        var tenant = c.Search(query, new SearchOptions { TopK = 100, Namespace = "tenant" });
        Assert.Equal(50, tenant.Count);
        Assert.All(tenant, h => Assert.Equal("tenant", h.Namespace));
        Assert.Empty(c.Search(query, new SearchOptions { Namespace = "nobody" }));

        var page2 = c.Search(query, new SearchOptions { TopK = 10, Offset = 10 });
        Assert.Equal(all.Skip(10).Take(10).Select(h => (h.Namespace, h.Id)), page2.Select(h => (h.Namespace, h.Id)));

        float threshold = all[4].Score;
        var above = c.Search(query, new SearchOptions { TopK = 30, ScoreThreshold = threshold });
        Assert.True(above.Count >= 5);
        Assert.All(above, h => Assert.True(h.Score >= threshold));

        var bare = c.Search(query, new SearchOptions { TopK = 1, IncludePayload = false });
        Assert.Null(bare[0].Payload);
        Assert.Null(bare[0].Vectors);
        var withVectors = c.Search(query, new SearchOptions { TopK = 1, IncludeVectors = true });
        Assert.Equal(8, withVectors[0].Vectors!["default"].Length);
    }

    [Fact]
    public void Payload_indexes_give_the_same_answers_as_scans()
    {
        Collection c = _db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.Cosine));
        c.UpsertMany(TestData.Records(400, 8, seed: 7));
        Filter[] filters =
        [
            Filter.Eq("color", "green"),
            Filter.In("color", "red", "blue") & Filter.Gte("price", 30),
            Filter.Eq("in_stock", true) | Filter.Eq("color", "black"),
            Filter.Contains("tags", "t3") & Filter.Lte("meta.rank", 200),
            Filter.Gt("price", 90),
            Filter.Not(Filter.Eq("color", "red")),
        ];
        float[] query = TestData.RandomVector(new Random(2), 8);
        var before = filters.Select(f => (Count: c.Count(f), Hits: c.Search(query, new SearchOptions { TopK = 15, Filter = f }).Select(h => h.Id).ToList())).ToList();

        c.CreatePayloadIndex("color", PayloadIndexKind.Keyword);
        c.CreatePayloadIndex("price", PayloadIndexKind.Numeric);
        c.CreatePayloadIndex("in_stock", PayloadIndexKind.Bool);
        c.CreatePayloadIndex("tags", PayloadIndexKind.Keyword);
        c.CreatePayloadIndex("meta.rank", PayloadIndexKind.Numeric);
        c.Delete(5);
        c.Upsert(new Record(5, TestData.Records(6, 8, seed: 7)[5].Vector!.Value, TestData.Records(6, 8, seed: 7)[5].Payload));

        for (int i = 0; i < filters.Length; i++)
        {
            Assert.Equal(before[i].Count, c.Count(filters[i]));
            Assert.Equal(before[i].Hits, c.Search(query, new SearchOptions { TopK = 15, Filter = filters[i] }).Select(h => h.Id).ToList());
        }

        // Index updates follow writes: a recoloured record moves between keyword buckets.
        c.UpdatePayload(0, new JsonObject { ["color"] = "purple" });
        Assert.Equal(1, c.Count(Filter.Eq("color", "purple")));
        Assert.Equal(before[0].Count, c.Count(Filter.Eq("color", "green")));
    }

    [Theory]
    [InlineData(784, Metric.L2)]
    [InlineData(1536, Metric.Cosine)]
    public void Large_dimensions_grow_past_the_first_arena_chunk(int dimension, Metric metric)
    {
        // Regression: the arenas hold fewer rows per chunk than the row list (8 MiB / stride), and used to be grown
        // only when the row list was, so a 784-d collection failed at row 2,048.
        Collection c = _db.CreateCollection("big" + dimension, CollectionSchema.SingleVector(dimension, metric).WithHnsw(HnswOptions.Disabled));
        var random = new Random(dimension);
        var vectors = new List<float[]>();
        for (int batch = 0; batch < 5; batch++)
        {
            var records = new List<Record>();
            for (int i = 0; i < 1000; i++)
            {
                float[] v = TestData.RandomVector(random, dimension);
                vectors.Add(v);
                records.Add(new Record(vectors.Count - 1, v));
            }
            c.UpsertMany(records);
        }
        Assert.Equal(5000, c.Count());
        Assert.Equal(4321UL, c.Search(vectors[4321], new SearchOptions { TopK = 1, Exact = true })[0].Id.AsNumber);
        c.Compact();
        Assert.Equal(2048UL, c.Search(vectors[2048], new SearchOptions { TopK = 1, Exact = true })[0].Id.AsNumber);
    }
}
