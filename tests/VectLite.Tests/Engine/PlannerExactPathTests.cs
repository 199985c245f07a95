using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// When the planner chooses an exact scan (a selective filter, with or without a payload index, or a small namespace),
/// the results are exactly the brute-force top-k, computed here with a plain loop. The collection has a deliberately
/// weak HNSW graph, so a graph search in its place would visibly miss neighbours.
/// </summary>
public sealed class PlannerExactPathTests : IDisposable
{
    private const int Dimension = 16;
    private const int Count = 6000; // past the planner's 4,096-row bound, so its share rules decide
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;
    private readonly List<(ulong Id, string Ns, int Tenth, float[] Vector)> _rows = [];

    public PlannerExactPathTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 4, EfConstruction = 8, MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        var random = new Random(21);
        var records = new List<Record>();
        for (int i = 0; i < Count; i++)
        {
            string ns = i % 100 == 0 ? "small" : "";
            float[] v = TestData.RandomVector(random, Dimension);
            _rows.Add(((ulong)i, ns, i % 10, v));
            records.Add(new Record(i, v, new JsonObject { ["tenth"] = i % 10, ["hundredth"] = i % 100 }) { Namespace = ns });
        }
        _docs.UpsertMany(records);
        Assert.True(_docs.GetStats().VectorIndexes[0].Indexed);
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private List<(string, ulong)> BruteForce(float[] q, Func<(ulong Id, string Ns, int Tenth, float[] Vector), bool> keep) => [.. _rows
        .Where(keep)
        .Select(r => (r.Ns, r.Id, Distance: r.Vector.Zip(q, (a, b) => (double)(a - b) * (a - b)).Sum()))
        .OrderBy(x => x.Distance).ThenBy(x => x.Id)
        .Take(TopK)
        .Select(x => (x.Ns, x.Id))];

    private void AssertExact(SearchOptions options, Func<(ulong Id, string Ns, int Tenth, float[] Vector), bool> keep)
    {
        var random = new Random(5);
        for (int q = 0; q < 20; q++)
        {
            float[] query = TestData.RandomVector(random, Dimension);
            Assert.Equal(BruteForce(query, keep), _docs.Search(query, options).Select(h => (h.Namespace, h.Id.AsNumber)));
        }
    }

    [Fact]
    public void A_selective_unindexed_filter_is_answered_exactly()
    {
        // 60 rows, 1%: under the planner's 2% bound, so it scans.
        AssertExact(new SearchOptions { TopK = TopK, Filter = Filter.Eq("hundredth", 7), IncludePayload = false }, r => (int)(r.Id % 100) == 7);
    }

    [Fact]
    public void A_filter_the_payload_index_narrows_to_few_rows_is_answered_exactly()
    {
        _docs.CreatePayloadIndex("tenth", PayloadIndexKind.Numeric);
        // 600 candidate rows from the index: under the planner's 4,096-row bound, so it scans them.
        AssertExact(new SearchOptions { TopK = TopK, Filter = Filter.Eq("tenth", 3), IncludePayload = false }, r => r.Tenth == 3);
    }

    [Fact]
    public void A_small_namespace_is_answered_exactly()
    {
        // 60 rows, 1% of the collection.
        AssertExact(new SearchOptions { TopK = TopK, Namespace = "small", IncludePayload = false }, r => r.Ns == "small");
    }
}
