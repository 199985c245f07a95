using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>
/// A record reads back as it was written, vectors included bit for bit, for every distance function (cosine too: the
/// engine used to return cosine vectors normalised), through every read of the connector and after reopening the store.
/// </summary>
public sealed class VectorRoundTripTests : IDisposable
{
    /// <summary>Vectors whose bits normalisation would change.</summary>
    private static readonly float[][] s_vectors =
    [
        [3f, 4f],
        [0.1f, -0.2f],
        [1e-20f, 3e-20f],
        [-0f, 2.5f],
        [12345.678f, -1e10f],
    ];

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.CosineDistance)]
    [InlineData(DistanceFunction.DotProductSimilarity)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity)]
    [InlineData(DistanceFunction.EuclideanDistance)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance)]
    [InlineData(DistanceFunction.ManhattanDistance)]
    public async Task Vectors_read_back_bit_for_bit_through_every_read_and_after_reopening(string distanceFunction)
    {
        string name = "points-" + distanceFunction.ToLowerInvariant();
        var collection = _temp.Store.GetCollection<int, Point>(name, Definition(distanceFunction));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(s_vectors.Select((v, i) => new Point { Id = i, Name = "p" + i, Vector = v }));
        await AssertEveryRead(collection);

        _temp.Store.Dispose();
        using var reopened = new VectLiteVectorStore(_temp.Path);
        await AssertEveryRead(reopened.GetCollection<int, Point>(name, Definition(distanceFunction)));
    }

    private static async Task AssertEveryRead(VectLiteCollection<int, Point> collection)
    {
        var withVectors = new RecordRetrievalOptions { IncludeVectors = true };
        for (int i = 0; i < s_vectors.Length; i++)
        {
            AssertBits(i, (await collection.GetAsync(i, withVectors))!, "GetAsync(key)");
        }

        List<Point> batch = await collection.GetAsync(Enumerable.Range(0, s_vectors.Length), withVectors).ToListAsync();
        Assert.Equal(s_vectors.Length, batch.Count);
        batch.ForEach(p => AssertBits(p.Id, p, "GetAsync(keys)"));

        List<Point> filtered = await collection.GetAsync(p => p.Id >= 0, top: 10, new() { IncludeVectors = true }).ToListAsync();
        Assert.Equal(s_vectors.Length, filtered.Count);
        filtered.ForEach(p => AssertBits(p.Id, p, "GetAsync(filter)"));

        List<VectorSearchResult<Point>> hits = await collection.SearchAsync(new float[] { 1f, 1f }, top: 10, new() { IncludeVectors = true }).ToListAsync();
        Assert.Equal(s_vectors.Length, hits.Count);
        hits.ForEach(h => AssertBits(h.Record.Id, h.Record, "SearchAsync"));
    }

    private static void AssertBits(int id, Point read, string what) =>
        Assert.True(s_vectors[id].Select(BitConverter.SingleToInt32Bits).SequenceEqual(read.Vector.ToArray().Select(BitConverter.SingleToInt32Bits)),
            $"{what} {id}: wrote [{string.Join(", ", s_vectors[id])}], read [{string.Join(", ", read.Vector.ToArray())}]");

    private static VectorStoreCollectionDefinition Definition(string distanceFunction) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Point.Id), typeof(int)),
            new VectorStoreDataProperty(nameof(Point.Name), typeof(string)),
            new VectorStoreVectorProperty(nameof(Point.Vector), typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = distanceFunction, IndexKind = IndexKind.Hnsw },
        ],
    };

    public sealed class Point
    {
        public int Id { get; set; }

        public string? Name { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
