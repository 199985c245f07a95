using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>Every bad input is a typed error naming the problem, and nothing of the failed call is written.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _cosine;

    public ValidationTests()
    {
        _db = _temp.Open();
        _cosine = _db.CreateCollection("cos", CollectionSchema.SingleVector(3, Metric.Cosine));
        _cosine.Upsert(new Record(1, new float[] { 1, 2, 3 }));
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private void AssertNothingWritten()
    {
        Assert.Equal(1, _cosine.Count());
        _db.Dispose();
        using Database reopened = _temp.Open();
        Assert.Equal(1, reopened.GetCollection("cos").Count());
    }

    [Fact]
    public void Wrong_dimension_names_vector_and_sizes()
    {
        var ex = Assert.Throws<DimensionMismatchException>(() => _cosine.UpsertMany([
            new Record(2, new float[] { 1, 2, 3 }),
            new Record(3, new float[] { 1, 2 }),
        ]));
        Assert.Equal((3, 2, "default"), (ex.Expected, ex.Actual, ex.VectorName));
        Assert.Contains("dimension 3", ex.Message);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_components_are_rejected(float bad)
    {
        var ex = Assert.Throws<InvalidVectorException>(() => _cosine.UpsertMany([
            new Record(2, new float[] { 1, 2, 3 }),
            new Record(3, new float[] { 1, bad, 3 }),
        ]));
        Assert.Contains("index 1", ex.Message);
        Assert.Throws<InvalidVectorException>(() => _cosine.Search(new float[] { bad, 0, 0 }));
        AssertNothingWritten();
    }

    [Fact]
    public void Zero_vector_under_cosine_is_rejected_but_fine_under_l2()
    {
        var ex = Assert.Throws<InvalidVectorException>(() => _cosine.Upsert(new Record(2, new float[] { 0, 0, 0 })));
        Assert.Contains("zeros", ex.Message);
        Assert.Throws<InvalidVectorException>(() => _cosine.Search(new float[] { 0, 0, 0 }));
        Collection l2 = _db.CreateCollection("l2", CollectionSchema.SingleVector(3, Metric.L2));
        l2.Upsert(new Record(1, new float[] { 0, 0, 0 }));
        Assert.Equal(1, l2.Count());
        AssertNothingWritten();
    }

    [Fact]
    public void Empty_and_oversized_ids_are_rejected()
    {
        Assert.Throws<InvalidRecordException>(() => new Record("", new float[] { 1, 2, 3 }));
        Assert.Throws<InvalidRecordException>(() => new Record(new string('x', 2000), new float[] { 1, 2, 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Record(-1L, new float[] { 1, 2, 3 }));
        AssertNothingWritten();
    }

    [Fact]
    public void Unknown_and_missing_vectors_are_rejected()
    {
        Assert.Throws<InvalidRecordException>(() => _cosine.Upsert(new Record(2).WithVector("nope", new float[] { 1, 2, 3 })));
        Assert.Throws<InvalidRecordException>(() => _cosine.Upsert(new Record(2) { Payload = new JsonObject() }));
        var both = new Record(2, new float[] { 1, 2, 3 }).WithVector("default", new float[] { 1, 2, 3 });
        Assert.Throws<InvalidRecordException>(() => _cosine.Upsert(both));
        AssertNothingWritten();
    }

    [Fact]
    public void Bad_search_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _cosine.Search(new float[] { 1, 2, 3 }, new SearchOptions { TopK = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cosine.Search(new float[] { 1, 2, 3 }, new SearchOptions { Offset = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cosine.Search(new float[] { 1, 2, 3 }, new SearchOptions { TopK = 20_000 }));
        Assert.Throws<DimensionMismatchException>(() => _cosine.Search(new float[] { 1, 2 }));
    }

    [Fact]
    public void Bad_schemas_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(VectorSpec.MaxDimension + 1));
        Assert.Throws<InvalidNameException>(() => new CollectionSchema().AddVector("a/b", 3));
        Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("a", 3).AddVector("a", 4));
    }

    [Fact]
    public void Namespace_length_is_limited()
    {
        Assert.Throws<InvalidNameException>(() => _cosine.Upsert(new Record(2, new float[] { 1, 2, 3 }) { Namespace = new string('n', 300) }));
        AssertNothingWritten();
    }

    [Fact]
    public void Conflicting_payload_index_kinds_are_rejected()
    {
        _cosine.CreatePayloadIndex("color", PayloadIndexKind.Keyword);
        _cosine.CreatePayloadIndex("color", PayloadIndexKind.Keyword); // idempotent
        Assert.Throws<SchemaException>(() => _cosine.CreatePayloadIndex("color", PayloadIndexKind.Numeric));
        Assert.Single(_cosine.GetStats().PayloadIndexes);
    }
}
