namespace VectLite.Tests.Engine;

/// <summary>
/// <see cref="SearchOptions.Ef"/> overrides the collection's <see cref="HnswOptions.EfSearch"/> per query, both ways.
/// The graph is deliberately weak (small M and ef_construction) so a narrow candidate list visibly misses neighbours,
/// and it is built on one thread so the outcome is the same on every run. Measured: recall about 0.33 at ef 10 and
/// 0.995 at ef 3000 (a few nodes of so weak a graph are unreachable), so the bounds below leave a wide margin.
/// </summary>
public sealed class SearchEfTests : IDisposable
{
    private const int Dimension = 16;
    private const int Count = 2000;
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly List<float[]> _vectors;
    private readonly List<float[]> _queries;

    public SearchEfTests()
    {
        var random = new Random(11);
        _vectors = [.. Enumerable.Range(0, Count).Select(_ => TestData.RandomVector(random, Dimension))];
        _queries = [.. Enumerable.Range(0, 30).Select(_ => TestData.RandomVector(random, Dimension))];
    }

    public void Dispose() => _temp.Dispose();

    private Collection Create(Database db, string name, int efSearch)
    {
        Collection c = db.CreateCollection(name, CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 4, EfConstruction = 8, EfSearch = efSearch, MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        c.UpsertMany(_vectors.Select((v, i) => new Record(i, v)));
        Assert.True(c.GetStats().VectorIndexes[0].Indexed);
        return c;
    }

    /// <summary>The share of the true top-k (a plain loop over the vectors, not the engine) that the search returned.</summary>
    private double Recall(Collection c, int? ef)
    {
        int found = 0;
        foreach (float[] q in _queries)
        {
            var truth = Enumerable.Range(0, Count)
                .Select(i => (Id: (ulong)i, Distance: q.Zip(_vectors[i], (a, b) => (double)(a - b) * (a - b)).Sum()))
                .OrderBy(x => x.Distance).Take(TopK).Select(x => x.Id).ToHashSet();
            found += c.Search(q, new SearchOptions { TopK = TopK, Ef = ef, IncludePayload = false }).Count(h => truth.Contains(h.Id.AsNumber));
        }
        return (double)found / (_queries.Count * TopK);
    }

    [Fact]
    public void A_wide_per_query_ef_overrides_a_narrow_collection_setting()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "narrow", efSearch: TopK);
        double narrow = Recall(c, ef: null);
        Assert.True(narrow < 0.7, $"the collection's own ef_search should miss neighbours here (recall {narrow:0.000})");
        double wide = Recall(c, ef: Count); // a candidate list as large as the graph finds every reachable node
        Assert.True(wide >= 0.98, $"Ef = {Count} should find the exact top-{TopK} (recall {wide:0.000}, collection setting {narrow:0.000})");
    }

    [Fact]
    public void A_narrow_per_query_ef_overrides_a_wide_collection_setting()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "wide", efSearch: Count);
        double wide = Recall(c, ef: null);
        Assert.True(wide >= 0.98, $"the collection's own ef_search should find nearly every neighbour here (recall {wide:0.000})");
        double narrow = Recall(c, ef: TopK);
        Assert.True(narrow < 0.7, $"Ef = {TopK} should miss neighbours (recall {narrow:0.000}, collection setting {wide:0.000})");
    }
}
