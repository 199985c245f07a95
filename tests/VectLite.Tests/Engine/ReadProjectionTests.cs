using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>The include flags of reads: what is asked for comes back, what is not stays null.</summary>
public sealed class ReadProjectionTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;

    public ReadProjectionTests()
    {
        _db = _temp.Open();
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        _docs.UpsertMany([
            new Record(1, new float[] { 1, 2 }, new JsonObject { ["k"] = "one" }),
            new Record(2, new float[] { 3, 4 }, new JsonObject { ["k"] = "two" }),
        ]);
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void GetMany_leaves_out_payloads_when_asked()
    {
        IReadOnlyList<Record> bare = _docs.GetMany([2, 1], includePayload: false);
        Assert.Equal([2UL, 1UL], bare.Select(r => r.Id.AsNumber));
        Assert.All(bare, r => Assert.Null(r.Payload));
        Assert.Equal(new float[] { 3, 4 }, bare[0].Vector!.Value.ToArray()); // vectors still come back

        IReadOnlyList<Record> full = _docs.GetMany([2, 1]);
        Assert.Equal(["""{"k":"two"}""", """{"k":"one"}"""], full.Select(r => TestData.Canonical(r.Payload)));
    }

    [Fact]
    public void GetMany_can_leave_out_both_vectors_and_payloads()
    {
        Record only = Assert.Single(_docs.GetMany([1], includeVectors: false, includePayload: false));
        Assert.Equal(1UL, only.Id.AsNumber);
        Assert.Null(only.Payload);
        Assert.Null(only.Vector);
        Assert.Empty(only.Vectors);
    }

    [Fact]
    public void Scroll_leaves_out_payloads_when_asked_and_includes_vectors_when_asked()
    {
        ScrollPage bare = _docs.Scroll(new ScrollOptions { IncludePayload = false });
        Assert.Equal([1UL, 2UL], bare.Records.Select(r => r.Id.AsNumber));
        Assert.All(bare.Records, r => Assert.Null(r.Payload));
        Assert.All(bare.Records, r => Assert.Null(r.Vector)); // IncludeVectors defaults to false

        ScrollPage full = _docs.Scroll(new ScrollOptions { IncludeVectors = true });
        Assert.Equal(["""{"k":"one"}""", """{"k":"two"}"""], full.Records.Select(r => TestData.Canonical(r.Payload)));
        Assert.Equal(new float[] { 1, 2 }, full.Records[0].Vector!.Value.ToArray());
    }
}
