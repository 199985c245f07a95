using VectLite.Tests.Vectors;
using VectLite.Vectors;

namespace VectLite.Tests.Engine;

/// <summary>
/// What is written is what is read: every read path returns the caller's float values bit for bit, for every metric
/// (cosine included: it used to return them normalised), live, after a reopen (log replay) and after a checkpoint
/// (files). And cosine scores are what they were when the engine stored unit vectors.
/// </summary>
public sealed class VectorRoundTripTests : IDisposable
{
    private const int Dimension = 4;

    /// <summary>Vectors whose bits normalisation would change, valid under every metric.</summary>
    private static readonly float[][] s_everyMetric =
    [
        [3f, 4f, 0f, 0f],
        [0.1f, 0.2f, 0.3f, -0.4f],
        [1e-20f, -2e-20f, 3e-20f, 0f],
        [-0f, 1f, -0f, 2.5f],
        [float.Epsilon, 0f, 0f, -0f],
        [12345.678f, -1e10f, 7f, 1e-5f],
        [1f, 1f, 1f, 1f],
    ];

    /// <summary>Cosine has no norm bound: magnitudes L2, dot and L1 refuse (their scores would overflow).</summary>
    private static readonly float[][] s_cosineOnly =
    [
        [1e30f, -2e30f, 3e30f, 4e30f],
        [3e38f, -3e38f, 1f, 0f],
        [float.MaxValue, float.MaxValue, float.MaxValue, float.MaxValue],
    ];

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<Metric> Metrics() => [Metric.Cosine, Metric.L2, Metric.Dot, Metric.L1];

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Every_read_returns_the_vectors_bit_for_bit_live_after_reopen_and_after_a_checkpoint(Metric metric)
    {
        float[][] vectors = metric == Metric.Cosine ? [.. s_everyMetric, .. s_cosineOnly] : s_everyMetric;

        // MinIndexedVectors 2: the graph is built over these vectors too, so graph searches return them.
        CollectionSchema schema = CollectionSchema.SingleVector(Dimension, metric).WithHnsw(new HnswOptions { MinIndexedVectors = 2, M = 4, EfConstruction = 8 });
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", schema);
            c.Upsert(new Record(0, vectors[0]));
            c.UpsertMany(vectors.Skip(1).Select((v, i) => new Record((ulong)(i + 1), v)));
            AssertEveryRead(c, vectors, "live");
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertEveryRead(c, vectors, "after log replay");
            c.Compact();
            AssertEveryRead(c, vectors, "after the checkpoint");
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal("loaded", c.GetStats().VectorIndexes[0].Origin);
            AssertEveryRead(c, vectors, "after reopening the checkpoint");
        }

        using (Database db = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            AssertEveryRead(db.GetCollection("docs"), vectors, "read-only");
        }
    }

    [Fact]
    public void Named_vectors_of_different_metrics_come_back_bit_for_bit()
    {
        float[] text = [3f, 4f, 0.1f];
        float[] image = [0.1f, -0.2f];
        CollectionSchema schema = new CollectionSchema().AddVector("text", 3, Metric.Cosine).AddVector("image", 2, Metric.L2);
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("multi", schema);
            c.Upsert(new Record(1).WithVector("text", text).WithVector("image", image));
            AssertNamed(c.Get(1)!.Vectors);
            c.Compact();
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("multi");
            AssertNamed(c.Get(1)!.Vectors);
            AssertNamed(c.GetMany([1])[0].Vectors);
            AssertNamed(c.Scroll(new ScrollOptions { IncludeVectors = true }).Records[0].Vectors);
            IReadOnlyDictionary<string, ReadOnlyMemory<float>> hit = c.Search([1f, 1f, 0f], new SearchOptions { VectorName = "text", IncludeVectors = true })[0].Vectors!;
            AssertBits(text, hit["text"].ToArray(), "search text");
            AssertBits(image, hit["image"].ToArray(), "search image");
        }

        void AssertNamed(Dictionary<string, ReadOnlyMemory<float>> vectors)
        {
            AssertBits(text, vectors["text"].ToArray(), "text");
            AssertBits(image, vectors["image"].ToArray(), "image");
        }
    }

    [Fact]
    public void Cosine_scores_are_the_cosines_the_engine_gave_when_it_stored_unit_vectors()
    {
        var rng = new Random(41);
        const int count = 400;
        const int dimension = 33;

        // Lengths from 1e-4 to 1e4: raw vectors, as callers write them.
        float[][] vectors = Enumerable.Range(0, count).Select(_ =>
        {
            float scale = MathF.Pow(10f, (rng.NextSingle() * 8f) - 4f);
            return TestVectors.Random(rng, dimension).Select(x => x * scale).ToArray();
        }).ToArray();
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(dimension, Metric.Cosine).WithHnsw(new HnswOptions { MinIndexedVectors = 16 }));
        c.UpsertMany(vectors.Select((v, i) => new Record((ulong)i, v)));

        for (int q = 0; q < 10; q++)
        {
            float[] query = TestVectors.Random(rng, dimension).Select(x => x * 300f).ToArray();
            var expected = Enumerable.Range(0, count).OrderByDescending(i => CosineKernelTests.CosineInDouble(query, vectors[i])).Take(10).ToList();
            IReadOnlyList<SearchHit> exact = c.Search(query, new SearchOptions { TopK = 10, Exact = true });
            IReadOnlyList<SearchHit> graph = c.Search(query, new SearchOptions { TopK = 10, Ef = 400 });
            Assert.Equal(expected, exact.Select(h => (int)h.Id.AsNumber));
            Assert.Equal(expected, graph.Select(h => (int)h.Id.AsNumber));
            foreach (SearchHit hit in exact.Concat(graph))
            {
                float[] v = vectors[hit.Id.AsNumber];

                // The score the engine gave before: the dot product of the two vectors normalised in single precision.
                float[] unitQuery = (float[])query.Clone();
                float[] unitVector = (float[])v.Clone();
                Assert.True(VectorKernels.TryNormalize(unitQuery) && VectorKernels.TryNormalize(unitVector));
                float old = VectorKernels.DotScalar(unitQuery, unitVector);
                Assert.True(Math.Abs(hit.Score - old) <= 1e-6, $"record {hit.Id}: {hit.Score}, the old score {old}");
                Assert.True(Math.Abs(hit.Score - CosineKernelTests.CosineInDouble(query, v)) <= 1e-6, $"record {hit.Id}: {hit.Score}");
            }
        }
    }

    [Fact]
    public void Cosine_ranks_by_angle_whatever_the_magnitude()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.Cosine));
        c.UpsertMany([
            new Record(1, new float[] { 1e30f, 1e30f, 0f, 0f }),
            new Record(2, new float[] { 1e-30f, 0f, 0f, 0f }),
            new Record(3, new float[] { 3e38f, -3e38f, 0f, 0f }),
            new Record(4, new float[] { float.Epsilon, float.Epsilon, float.Epsilon, 0f }),
        ]);

        IReadOnlyList<SearchHit> hits = c.Search(new float[] { 2f, 2f, 0f, 0f }, new SearchOptions { TopK = 4 });

        // cos 45 degrees = 0.70710678; the subnormal vector is (1, 1, 1, 0) in direction: 2 / sqrt(6) = 0.81649658.
        Assert.Equal([1UL, 4UL, 2UL, 3UL], hits.Select(h => h.Id.AsNumber));
        Assert.Equal(1f, hits[0].Score, 6);
        Assert.Equal(0.81649658f, hits[1].Score, 6);
        Assert.Equal(0.70710678f, hits[2].Score, 6);
        Assert.Equal(0f, hits[3].Score, 6);
    }

    private static void AssertEveryRead(Collection c, float[][] vectors, string when)
    {
        var ids = Enumerable.Range(0, vectors.Length).Select(i => (RecordId)(ulong)i).ToList();
        for (int i = 0; i < vectors.Length; i++)
        {
            AssertBits(vectors[i], c.Get((ulong)i)!.Vector!.Value.ToArray(), $"{when}: Get {i}");
        }

        IReadOnlyList<Record> many = c.GetMany(ids);
        Assert.Equal(vectors.Length, many.Count);
        foreach (Record r in many)
        {
            AssertBits(vectors[r.Id.AsNumber], r.Vector!.Value.ToArray(), $"{when}: GetMany {r.Id}");
        }

        IReadOnlyList<Record> scrolled = c.Scroll(new ScrollOptions { IncludeVectors = true, Limit = 100 }).Records;
        Assert.Equal(vectors.Length, scrolled.Count);
        foreach (Record r in scrolled)
        {
            AssertBits(vectors[r.Id.AsNumber], r.Vector!.Value.ToArray(), $"{when}: Scroll {r.Id}");
            AssertBits(vectors[r.Id.AsNumber], r.Vectors[CollectionSchema.DefaultVectorName].ToArray(), $"{when}: Scroll by name {r.Id}");
        }

        // Each stored vector as the query (its own nearest under every metric), exact and through the graph.
        foreach (bool exact in new[] { true, false })
        {
            var seen = new HashSet<ulong>();
            foreach (float[] query in vectors)
            {
                foreach (SearchHit hit in c.Search(query, new SearchOptions { TopK = vectors.Length, Exact = exact, IncludeVectors = true }))
                {
                    AssertBits(vectors[hit.Id.AsNumber], hit.Vectors![CollectionSchema.DefaultVectorName].ToArray(), $"{when}: Search (exact {exact}) {hit.Id}");
                    seen.Add(hit.Id.AsNumber);
                }
            }

            Assert.Equal(vectors.Length, seen.Count);
        }
    }

    private static void AssertBits(float[] expected, float[] actual, string what) =>
        Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits)),
            $"{what}: wrote [{string.Join(", ", expected.Select(x => x.ToString("R")))}], read [{string.Join(", ", actual.Select(x => x.ToString("R")))}]");
}
