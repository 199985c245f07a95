using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>
/// Scores and order for every distance function, on a = [1, 0], b = [2, 2], c = [-1, -3] searched with q = [1, 1].
/// </summary>
public sealed class DistanceFunctionTests : IDisposable
{
    private static readonly float[] s_query = [1, 1];

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, "b,a,c", 1.0, 0.70710678, -0.89442719)]
    [InlineData(DistanceFunction.CosineDistance, "b,a,c", 0.0, 0.29289322, 1.89442719)]
    [InlineData(DistanceFunction.DotProductSimilarity, "b,a,c", 4.0, 1.0, -4.0)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, "b,a,c", -4.0, -1.0, 4.0)]
    [InlineData(DistanceFunction.EuclideanDistance, "a,b,c", 1.0, 1.41421356, 4.47213595)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, "a,b,c", 1.0, 2.0, 20.0)]
    [InlineData(DistanceFunction.ManhattanDistance, "a,b,c", 1.0, 2.0, 6.0)]
    public async Task Scores_and_order_follow_the_distance_function(string distanceFunction, string expectedOrder, double first, double second, double third)
    {
        var collection = await Create(distanceFunction);

        var hits = await collection.SearchAsync(s_query, top: 3).ToListAsync();

        Assert.Equal(expectedOrder, string.Join(",", hits.Select(h => h.Record.Name)));
        Assert.Equal(first, hits[0].Score!.Value, 5);
        Assert.Equal(second, hits[1].Score!.Value, 5);
        Assert.Equal(third, hits[2].Score!.Value, 5);
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, 0.7, "b,a")]
    [InlineData(DistanceFunction.CosineDistance, 0.3, "b,a")]
    [InlineData(DistanceFunction.DotProductSimilarity, 1.0, "b,a")] // boundary kept
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, -1.0, "b,a")] // boundary kept
    [InlineData(DistanceFunction.EuclideanDistance, 1.5, "a,b")]
    [InlineData(DistanceFunction.EuclideanSquaredDistance, 2.5, "a,b")]
    [InlineData(DistanceFunction.ManhattanDistance, 2.0, "a,b")] // boundary kept
    [InlineData(DistanceFunction.EuclideanSquaredDistance, -1.0, "")]
    [InlineData(DistanceFunction.DotProductSimilarity, 100.0, "")]
    public async Task Score_threshold_keeps_scores_on_the_near_side(string distanceFunction, double threshold, string expected)
    {
        var collection = await Create(distanceFunction);

        var hits = await collection.SearchAsync(s_query, top: 3, new() { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal(expected, string.Join(",", hits.Select(h => h.Record.Name)));
    }

    [Fact]
    public async Task Threshold_applies_after_skip_in_rank_order()
    {
        var collection = await Create(DistanceFunction.ManhattanDistance);

        var hits = await collection.SearchAsync(s_query, top: 3, new() { Skip = 1, ScoreThreshold = 2.0 }).ToListAsync();

        Assert.Equal("b", Assert.Single(hits).Record.Name);
    }

    [Fact]
    public async Task The_default_distance_function_is_cosine_similarity()
    {
        var definition = Definition(distanceFunction: null, indexKind: null);
        var collection = _temp.Store.GetCollection<int, Point>("default-metric", definition);
        await collection.EnsureCollectionExistsAsync();

        var engine = (Collection)collection.GetService(typeof(Collection))!;
        Assert.Equal(Metric.Cosine, engine.Schema.Vectors[0].Metric);
    }

    [Fact]
    public void Hamming_distance_is_rejected_when_the_collection_is_created()
    {
        var ex = Assert.Throws<NotSupportedException>(
            () => _temp.Store.GetCollection<int, Point>("hamming", Definition(DistanceFunction.HammingDistance, indexKind: null)));
        Assert.Contains("HammingDistance", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IndexKind.Hnsw)]
    [InlineData(IndexKind.Flat)]
    [InlineData(null)]
    public async Task Hnsw_flat_and_default_index_kinds_search_alike(string? indexKind)
    {
        var collection = _temp.Store.GetCollection<int, Point>("index", Definition(DistanceFunction.ManhattanDistance, indexKind));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 50).Select(i => new Point { Id = i, Name = $"p{i}", Vector = new float[] { i, -i } }));

        var hits = await collection.SearchAsync(new float[] { 10.2f, -10.2f }, top: 3).ToListAsync();

        Assert.Equal([10, 11, 9], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Flat_is_exact_and_hnsw_finds_nearly_the_same_neighbours_on_a_larger_collection()
    {
        // Two MEVD views of one engine collection, differing only in index kind.
        var flat = _temp.Store.GetCollection<int, Point>("large", Definition(DistanceFunction.EuclideanDistance, IndexKind.Flat));
        var hnsw = _temp.Store.GetCollection<int, Point>("large", Definition(DistanceFunction.EuclideanDistance, IndexKind.Hnsw));
        await flat.EnsureCollectionExistsAsync();
        var random = new Random(1234); // seeded: the same data every run
        await flat.UpsertAsync(Enumerable.Range(0, 3000).Select(i => new Point
        {
            Id = i,
            Vector = new float[] { random.NextSingle(), random.NextSingle() },
        }));
        float[] query = [0.5f, 0.5f];

        var exact = await flat.SearchAsync(query, top: 10).ToListAsync();
        var approximate = await hnsw.SearchAsync(query, top: 10).ToListAsync();

        var expected = await flat.GetAsync(p => true, top: 3000, new() { IncludeVectors = true }).ToListAsync();
        double[] distances = [.. expected.Select(p => Math.Sqrt(Math.Pow(p.Vector.Span[0] - 0.5, 2) + Math.Pow(p.Vector.Span[1] - 0.5, 2))).Order()];
        Assert.Equal(distances.Take(10), exact.Select(h => h.Score!.Value), new ToleranceComparer(1e-5));
        Assert.True(exact.Select(h => h.Record.Id).Intersect(approximate.Select(h => h.Record.Id)).Count() >= 8);
    }

    [Theory]
    [InlineData(IndexKind.IvfFlat)]
    [InlineData(IndexKind.DiskAnn)]
    [InlineData(IndexKind.QuantizedFlat)]
    [InlineData(IndexKind.Dynamic)]
    public void Other_index_kinds_are_rejected(string indexKind)
    {
        var ex = Assert.Throws<NotSupportedException>(
            () => _temp.Store.GetCollection<int, Point>("index", Definition(DistanceFunction.CosineSimilarity, indexKind)));
        Assert.Contains(indexKind, ex.Message, StringComparison.Ordinal);
    }

    private async Task<VectLiteCollection<int, Point>> Create(string distanceFunction)
    {
        var collection = _temp.Store.GetCollection<int, Point>("points-" + distanceFunction.ToLowerInvariant(), Definition(distanceFunction, IndexKind.Hnsw));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([
            new Point { Id = 1, Name = "a", Vector = new float[] { 1, 0 } },
            new Point { Id = 2, Name = "b", Vector = new float[] { 2, 2 } },
            new Point { Id = 3, Name = "c", Vector = new float[] { -1, -3 } },
        ]);
        return collection;
    }

    private static VectorStoreCollectionDefinition Definition(string? distanceFunction, string? indexKind) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Point.Id), typeof(int)),
            new VectorStoreDataProperty(nameof(Point.Name), typeof(string)),
            new VectorStoreVectorProperty(nameof(Point.Vector), typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = distanceFunction, IndexKind = indexKind },
        ],
    };

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    public sealed class Point
    {
        public int Id { get; set; }

        public string? Name { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
