using VectLite.Search;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>
/// PQ and float16 through a collection: recall with rescoring against a brute force computed here, the float32 fallback
/// before PQ is trained (float16 needs no training), codes and codebooks reloaded identically, PQ drift, bad settings.
/// </summary>
public sealed class PqAndFloat16SearchTests : IDisposable
{
    private const int Dimension = 32;
    private const int Count = 3000;
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly float[][] _vectors;
    private readonly float[][] _queries;

    public PqAndFloat16SearchTests()
    {
        // Gaussian clusters, as QuantizedSearchTests uses: structure the codebooks can learn.
        var random = new Random(23);
        float[][] centres = [.. Enumerable.Range(0, 20).Select(_ => QuantizedSearchTests.Gaussian(random, Dimension, 0, 3))];
        _vectors = [.. Enumerable.Range(0, Count).Select(i => QuantizedSearchTests.Gaussian(random, Dimension, 0, 1).Zip(centres[i % centres.Length], (a, b) => a + b).ToArray())];
        _queries = [.. Enumerable.Range(0, 40).Select(i => QuantizedSearchTests.Gaussian(random, Dimension, 0, 1).Zip(centres[i % centres.Length], (a, b) => a + b).ToArray())];
    }

    public void Dispose() => _temp.Dispose();

    private static double L2(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private Collection Create(Database db, string name, Metric metric, QuantizationOptions quantization, int count = Count)
    {
        Collection c = db.CreateCollection(name, new CollectionSchema().AddVector("v", Dimension, metric, quantization)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        c.UpsertMany(_vectors.Take(count).Select((v, i) => new Record(i, v)));
        return c;
    }

    /// <summary>Recall@k against a brute force; asserts every search rescored a code shortlist and every score is exact.</summary>
    private double Recall(Collection c, Metric metric, SearchOptions options, int count = Count)
    {
        int found = 0;
        foreach (float[] q in _queries)
        {
            double Exact(int i) => metric switch
            {
                Metric.L2 => -Math.Sqrt(L2(q, _vectors[i])),
                Metric.Cosine => Cosine(q, _vectors[i]),
                _ => Dot(q, _vectors[i]),
            };
            var truth = Enumerable.Range(0, count).OrderByDescending(Exact).Take(TopK).Select(i => (ulong)i).ToHashSet();
            QuantizedSearch.LastRescored = 0;
            IReadOnlyList<SearchHit> hits = c.Search(q, options);
            Assert.True(QuantizedSearch.LastRescored >= TopK, "the search did not walk the codes");
            foreach (SearchHit hit in hits)
            {
                Assert.Equal(Exact((int)hit.Id.AsNumber), hit.Score, 1e-2 * Math.Max(1, Math.Abs(hit.Score)));
            }
            found += hits.Count(h => truth.Contains(h.Id.AsNumber));
        }
        return (double)found / (_queries.Length * TopK);
    }

    [Theory]
    [InlineData(QuantizationKind.Pq, Metric.L2, 0.9)]
    [InlineData(QuantizationKind.Pq, Metric.Cosine, 0.9)]
    [InlineData(QuantizationKind.Pq, Metric.Dot, 0.9)]
    [InlineData(QuantizationKind.Float16, Metric.L2, 0.97)]
    [InlineData(QuantizationKind.Float16, Metric.Cosine, 0.97)]
    [InlineData(QuantizationKind.Float16, Metric.Dot, 0.97)]
    public void A_code_search_with_rescoring_finds_the_true_neighbours(QuantizationKind kind, Metric metric, double minimum)
    {
        // PQ: 8 sub-vectors of 4 dimensions (the default for 32-d), default oversampling. Measured when written: PQ
        // 0.99-1.0 and float16 1.0 on this data; the floors leave room for a platform's rounding.
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "c", metric, new QuantizationOptions { Kind = kind });
        string expected = kind == QuantizationKind.Pq ? "Pq: trained (trained), 8 sub-vectors of 4 x 256 centroids, 3000 rows encoded" : "Float16: encoded (no training), 3000 rows encoded";
        Assert.StartsWith(expected, c.GetStats().VectorIndexes[0].Quantization);
        double recall = Recall(c, metric, new SearchOptions { TopK = TopK, Ef = 64, IncludePayload = false });
        Assert.True(recall >= minimum, $"{kind} {metric} recall@{TopK} {recall:0.000} < {minimum}");
    }

    [Fact]
    public void Pq_codes_alone_lose_recall_so_the_recall_test_sees_the_codes()
    {
        // One sub-vector of 32 dimensions: 256 centroids for the whole space, fewer than the points, so without
        // rescoring room the shortlist is decided by which centroid a point fell in and misses neighbours.
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, "c", Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Pq, PqSubvectors = 1, Oversampling = 1 });
        double recall = Recall(c, Metric.L2, new SearchOptions { TopK = TopK, Ef = TopK, IncludePayload = false });
        Assert.True(recall < 0.8, $"coarse PQ codes without oversampling should miss neighbours (recall {recall:0.000})");
    }

    [Fact]
    public void Below_the_training_threshold_pq_searches_use_float32_and_float16_codes_exist_at_once()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        int few = QuantizationOptions.MinTrainingVectors - 1;
        Collection pq = Create(db, "pq", Metric.L2, QuantizationOptions.Pq, few);
        Assert.Equal($"Pq: untrained, {few} of {QuantizationOptions.MinTrainingVectors} vectors needed; searches use float32", pq.GetStats().VectorIndexes[0].Quantization);
        QuantizedSearch.LastRescored = 0;
        Assert.Equal(TopK, pq.Search(_queries[0], new SearchOptions { TopK = TopK }).Count);
        Assert.Equal(0, QuantizedSearch.LastRescored);

        Collection half = Create(db, "half", Metric.L2, QuantizationOptions.Float16, 50);
        Assert.StartsWith("Float16: encoded (no training), 50 rows encoded", half.GetStats().VectorIndexes[0].Quantization);
        Assert.Equal(50 * Dimension * 2, half.Engine.StateForTests.Codes(0)!.EncodedRows * half.Engine.StateForTests.Codes(0)!.Codec.CodeBytes);
        Assert.Equal(1.0, Recall(half, Metric.L2, new SearchOptions { TopK = TopK, Ef = 64 }, 50));
    }

    [Theory]
    [InlineData(QuantizationKind.Pq)]
    [InlineData(QuantizationKind.Float16)]
    public void A_reopen_loads_the_codes_and_codebooks_and_searches_the_same(QuantizationKind kind)
    {
        var options = new QuantizationOptions { Kind = kind, PqSubvectors = kind == QuantizationKind.Pq ? 4 : 0, Oversampling = 2 };
        float[] centroids;
        byte[] code;
        ulong[][] before;
        var search = new SearchOptions { TopK = TopK, Ef = 40, IncludePayload = false };
        using (Database db = _temp.Open())
        {
            Collection c = Create(db, "c", Metric.L2, options);
            c.Compact();
            var codes = c.Engine.StateForTests.Codes(0)!;
            centroids = codes.Codec.Pq?.Centroids.ToArray() ?? [];
            code = codes.Store.GetView().Get(1234).ToArray();
            before = [.. _queries.Select(q => c.Search(q, search).Select(h => h.Id.AsNumber).ToArray())];
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.Equal(options, c.Schema.Vectors[0].Quantization); // sub-vectors and oversampling stored in the manifest
            var state = c.Engine.StateForTests;
            Assert.Equal(0, state.TrainingsForTests);
            var codes = state.Codes(0)!;
            Assert.Equal("loaded", codes.Origin);
            Assert.Equal(centroids, codes.Codec.Pq?.Centroids ?? []);
            Assert.Equal(code, codes.Store.GetView().Get(1234).ToArray());
            ulong[][] after = [.. _queries.Select(q => c.Search(q, search).Select(h => h.Id.AsNumber).ToArray())];
            Assert.Equal(before, after);
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
    }

    [Fact]
    public void Pq_retrains_at_a_checkpoint_when_new_vectors_quantize_much_worse_than_the_training_sample()
    {
        using Database db = _temp.Open();
        Collection c = Create(db, "c", Metric.L2, QuantizationOptions.Pq, QuantizationOptions.MinTrainingVectors);
        // 300 vectors from clusters ten times further out: far from every centroid.
        var random = new Random(29);
        float[][] far = [.. Enumerable.Range(0, 300).Select(_ => QuantizedSearchTests.Gaussian(random, Dimension, 0, 30))];
        c.UpsertMany(far.Select((v, i) => new Record(10_000 + i, v)));
        var drifted = c.Engine.StateForTests.Codes(0)!;
        Assert.True(drifted.Drifted, $"error ratio {drifted.ErrorRatio}");
        c.Compact();
        var retrained = c.Engine.StateForTests.Codes(0)!;
        Assert.Equal("retrained", retrained.Origin);
        Assert.StartsWith("Pq: trained (retrained)", c.GetStats().VectorIndexes[0].Quantization);
        Assert.True(retrained.Codec.Pq!.BaselineError > drifted.Codec.Pq!.BaselineError, "the new codebooks were trained on the far vectors too");
    }

    [Fact]
    public void Pq_does_not_retrain_when_new_vectors_come_from_the_training_distribution()
    {
        // Trained on the first 1,000, then 2,000 more from the same clusters: they quantize about as well as the held-out
        // fifth of the sample (measured in-sample instead, the ratio here would be 2.1 and retrain every time).
        using Database db = _temp.Open();
        Collection c = Create(db, "c", Metric.L2, QuantizationOptions.Pq, QuantizationOptions.MinTrainingVectors);
        c.UpsertMany(_vectors.Skip(QuantizationOptions.MinTrainingVectors).Select((v, i) => new Record(QuantizationOptions.MinTrainingVectors + i, v)));
        var codes = c.Engine.StateForTests.Codes(0)!;
        Assert.Equal(Count - QuantizationOptions.MinTrainingVectors, codes.EncodedVectors);
        Assert.InRange(codes.ErrorRatio, 0.8, 1.25);
        Assert.False(codes.Drifted, $"error ratio {codes.ErrorRatio}");
        c.Compact();
        Assert.Same(codes, c.Engine.StateForTests.Codes(0)); // kept: no retraining
    }

    [Theory]
    [InlineData(10, 3, "PqSubvectors 3 does not divide the dimension 10")]
    [InlineData(10, 11, "PqSubvectors 11 is out of range")]
    [InlineData(10, -1, "PqSubvectors -1 is out of range")]
    public void Pq_settings_that_cannot_split_the_vector_are_schema_errors_naming_them(int dimension, int subvectors, string expected)
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("img", dimension, Metric.L2,
            new QuantizationOptions { Kind = QuantizationKind.Pq, PqSubvectors = subvectors }));
        Assert.Contains("'img'", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(VectLiteErrorCode.InvalidSchema, ex.Code);
    }

    [Fact]
    public void Sub_vectors_on_another_kind_are_a_schema_error_and_a_different_count_is_a_schema_difference()
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("img", 8, Metric.L2,
            new QuantizationOptions { Kind = QuantizationKind.Sq8, PqSubvectors = 2 }));
        Assert.Contains("sub-vectors apply only to PQ", ex.Message);

        using Database db = _temp.Open();
        db.CreateCollection("c", new CollectionSchema().AddVector("img", 8, Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Pq, PqSubvectors = 2 }));
        var difference = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("c",
            new CollectionSchema().AddVector("img", 8, Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Pq, PqSubvectors = 4 })));
        Assert.Contains("vector \"img\" PQ sub-vectors 2 (stored) vs 4 (requested)", difference.Message);
    }

    [Theory]
    [InlineData(784, 196)]
    [InlineData(384, 96)]
    [InlineData(10, 2)]
    [InlineData(7, 1)]
    [InlineData(3, 1)]
    public void The_default_sub_vectors_keep_at_least_four_dimensions_each(int dimension, int expected) =>
        Assert.Equal(expected, QuantizationOptions.DefaultPqSubvectors(dimension));
}
