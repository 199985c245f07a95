using System.Text.Json.Nodes;
using VectLite.Search;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>
/// Searches on SQ8 and binary codes: recall against a brute force computed here, exact scores after rescoring, the
/// float32 fallback before training, and filters, namespaces and deletes on the code path.
/// </summary>
public sealed class QuantizedSearchTests : IDisposable
{
    private const int Dimension = 32;
    private const int Count = 3000;
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly float[][] _vectors;
    private readonly float[][] _queries;

    public QuantizedSearchTests()
    {
        // Gaussian clusters: structure the codes can capture, as real embeddings have.
        var random = new Random(17);
        float[][] centres = [.. Enumerable.Range(0, 20).Select(_ => Gaussian(random, Dimension, 0, 3))];
        _vectors = [.. Enumerable.Range(0, Count).Select(i => Gaussian(random, Dimension, 0, 1).Zip(centres[i % centres.Length], (a, b) => a + b).ToArray())];
        _queries = [.. Enumerable.Range(0, 40).Select(i => Gaussian(random, Dimension, 0, 1).Zip(centres[i % centres.Length], (a, b) => a + b).ToArray())];
    }

    public void Dispose()
    {
        SearchPlanner.ForcedPath = null;
        _temp.Dispose();
    }

    internal static float[] Gaussian(Random random, int dimension, double mean, double sd) =>
        [.. Enumerable.Range(0, dimension).Select(_ => (float)(mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))))];

    private static double L2(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    private Collection Create(Database db, string name, Metric metric, QuantizationOptions quantization)
    {
        Collection c = db.CreateCollection(name, new CollectionSchema().AddVector("v", Dimension, metric, quantization)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        c.UpsertMany(_vectors.Select((v, i) => new Record(i, v, new JsonObject { ["parity"] = i % 2 })));
        return c;
    }

    /// <summary>Recall of the top-k against a brute force over <paramref name="candidates"/>; also checks every score is the exact one.</summary>
    private double Recall(Collection c, Metric metric, SearchOptions options, Func<int, bool> candidates) =>
        Recall(c, metric, options, candidates, out int coded) is var recall && coded == _queries.Length
            ? recall
            : throw new Xunit.Sdk.XunitException($"only {coded} of {_queries.Length} searches rescored a code shortlist");

    /// <summary>As above; <paramref name="coded"/> counts the searches that walked the codes and rescored (a filtered walk
    /// over its budget falls back to the exact scan, which is correct but does not test the codes).</summary>
    private double Recall(Collection c, Metric metric, SearchOptions options, Func<int, bool> candidates, out int coded)
    {
        int found = 0;
        coded = 0;
        foreach (float[] q in _queries)
        {
            var truth = Enumerable.Range(0, Count).Where(candidates)
                .OrderBy(i => metric == Metric.L2 ? L2(q, _vectors[i]) : -Cosine(q, _vectors[i])).Take(TopK).Select(i => (ulong)i).ToHashSet();
            QuantizedSearch.LastRescored = 0;
            IReadOnlyList<SearchHit> hits = c.Search(q, options);
            coded += QuantizedSearch.LastRescored >= TopK ? 1 : 0;
            foreach (SearchHit hit in hits)
            {
                int i = (int)hit.Id.AsNumber;
                Assert.True(candidates(i), $"hit {i} is not one the search may return");
                double exact = metric == Metric.L2 ? -Math.Sqrt(L2(q, _vectors[i])) : Cosine(q, _vectors[i]);
                Assert.Equal(exact, hit.Score, 1e-3); // rescored: the exact score, not the code estimate
            }
            found += hits.Count(h => truth.Contains(h.Id.AsNumber));
        }
        return (double)found / (_queries.Length * TopK);
    }

    [Theory]
    [InlineData(QuantizationKind.Sq8, Metric.L2, 0f, 0.97)]
    [InlineData(QuantizationKind.Sq8, Metric.Cosine, 0f, 0.97)]
    [InlineData(QuantizationKind.Binary, Metric.L2, 16f, 0.9)]
    [InlineData(QuantizationKind.Binary, Metric.Cosine, 16f, 0.9)]
    [InlineData(QuantizationKind.RaBitQ, Metric.L2, 16f, 0.9)]
    [InlineData(QuantizationKind.RaBitQ, Metric.Cosine, 16f, 0.9)]
    public void A_code_search_with_rescoring_finds_the_true_neighbours_with_exact_scores(QuantizationKind kind, Metric metric, float oversampling, double minimum)
    {
        // 32 bits are few for binary codes: at oversampling 8 even a brute force over the codes keeps only about 84% of
        // the true top 10 of this data (checked with numpy), at 16 all of them. Real embeddings have hundreds of dimensions.
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "c", metric, new QuantizationOptions { Kind = kind, Oversampling = oversampling });
        Assert.StartsWith($"{kind}: trained (trained)", c.GetStats().VectorIndexes[0].Quantization);
        double recall = Recall(c, metric, new SearchOptions { TopK = TopK, Ef = 64, IncludePayload = false }, _ => true);
        Assert.True(recall >= minimum, $"{kind} {metric} recall@{TopK} {recall:0.000} < {minimum}");
    }

    [Fact]
    public void Codes_that_rank_wrongly_lose_recall_so_the_recall_test_sees_the_codes()
    {
        // The shortlist is only as good as the codes: with oversampling 1 and a tiny ef, binary codes alone (no room for
        // rescoring to repair them) must do visibly worse than SQ8. Guards against a search that quietly walks float32.
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection binary = Create(db, "b", Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Binary, Oversampling = 1 });
        double recall = Recall(binary, Metric.L2, new SearchOptions { TopK = TopK, Ef = TopK, IncludePayload = false }, _ => true);
        Assert.True(recall < 0.9, $"binary codes without oversampling should miss neighbours (recall {recall:0.000})");
    }

    [Fact]
    public void Below_the_training_threshold_searches_use_float32_and_stats_say_so()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("few", new CollectionSchema().AddVector("v", Dimension, Metric.L2, QuantizationOptions.Sq8)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1 }));
        c.UpsertMany(_vectors.Take(QuantizationOptions.MinTrainingVectors - 1).Select((v, i) => new Record(i, v)));
        VectorIndexStats stats = c.GetStats().VectorIndexes[0];
        Assert.Equal($"Sq8: untrained, {QuantizationOptions.MinTrainingVectors - 1} of {QuantizationOptions.MinTrainingVectors} vectors needed; searches use float32", stats.Quantization);
        Assert.Equal(0, c.GetStats().Memory!.Codes);
        QuantizedSearch.LastRescored = 0;
        Assert.Equal(TopK, c.Search(_queries[0], new SearchOptions { TopK = TopK }).Count);
        Assert.Equal(0, QuantizedSearch.LastRescored);

        c.Upsert(new Record(QuantizationOptions.MinTrainingVectors - 1, _vectors[QuantizationOptions.MinTrainingVectors - 1]));
        stats = c.GetStats().VectorIndexes[0];
        Assert.StartsWith("Sq8: trained (trained), 1000 rows encoded", stats.Quantization);
        // 1,000 codes of 32 + 4 bytes fit one chunk of the store; at least the codes themselves are counted.
        Assert.True(c.GetStats().Memory!.Codes >= 1000 * (Dimension + 4), $"codes memory {c.GetStats().Memory!.Codes}");
        Assert.Equal(stats.CodeBytes, c.GetStats().Memory!.Codes);
    }

    [Fact]
    public void Get_returns_the_exact_floats_written()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "exact", Metric.Cosine, QuantizationOptions.Binary);
        c.Compact();
        foreach (int i in new[] { 0, 1234, Count - 1 })
        {
            Assert.Equal(_vectors[i], c.Get(i)!.Vector!.Value.ToArray()); // bit for bit: not a unit copy, not decoded
        }
    }

    [Theory]
    [InlineData(QuantizationKind.Sq8)]
    [InlineData(QuantizationKind.Binary)]
    [InlineData(QuantizationKind.Pq)]
    [InlineData(QuantizationKind.Float16)]
    [InlineData(QuantizationKind.RaBitQ)]
    public void Filters_namespaces_and_deletes_hold_on_the_code_path(QuantizationKind kind)
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "f", Metric.L2, new QuantizationOptions { Kind = kind, Oversampling = kind is QuantizationKind.Binary or QuantizationKind.RaBitQ ? 16 : 0 });
        // Another namespace holds copies of every vector: a search of the default namespace must never return them.
        c.UpsertMany(_vectors.Take(500).Select((v, i) => new Record(i, v, new JsonObject { ["parity"] = 0 }) { Namespace = "other" }));
        var deleted = Enumerable.Range(0, Count).Where(i => i % 7 == 0).ToHashSet();
        c.DeleteMany(deleted.Select(i => (RecordId)(ulong)i));
        SearchPlanner.ForcedPath = SearchPath.GraphThrough; // the walk on codes, whatever the planner would pick
        double recall = Recall(c, Metric.L2, new SearchOptions { TopK = TopK, Ef = 16, Filter = Filter.Eq("parity", 0), IncludePayload = false },
            i => i % 2 == 0 && !deleted.Contains(i), out int coded);
        Assert.True(recall >= 0.85, $"{kind} filtered recall {recall:0.000}");
        // A walk that outgrows the planner's budget falls back to the exact scan; most must have walked the codes.
        Assert.True(coded >= _queries.Length / 2, $"only {coded} of {_queries.Length} filtered searches walked the codes");
        foreach (SearchHit hit in c.Search(_queries[0], new SearchOptions { TopK = TopK, Filter = Filter.Eq("parity", 0) }))
        {
            Assert.Equal("", hit.Namespace);
        }
    }
}
