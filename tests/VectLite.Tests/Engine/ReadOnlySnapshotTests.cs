namespace VectLite.Tests.Engine;

/// <summary>
/// A read-only open sees the collection as it was when it opened it: later writes, deletes and checkpoints by a
/// writer in another process stay invisible until the reader opens again. (A read-only open in the writer's own process
/// is a view of the live data instead: see SharedEngineTests.) The readers here use private engines, as another
/// process would.
/// </summary>
public sealed class ReadOnlySnapshotTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    private static readonly DatabaseOptions OtherProcessReader = new() { ReadOnly = true, Unshared = true };

    public void Dispose() => _temp.Dispose();

    private static List<ulong> Ids(Collection c) =>
        [.. c.Scroll(new ScrollOptions { Limit = 1000, IncludePayload = false }).Records.Select(r => r.Id.AsNumber)];

    [Fact]
    public void A_reader_keeps_the_state_of_its_open_until_it_reopens()
    {
        using Database writer = _temp.Open();
        Collection w = writer.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        w.UpsertMany(TestData.Records(5, 4)); // ids 0..4

        using Database reader = _temp.Open(OtherProcessReader);
        Assert.Equal([0UL, 1, 2, 3, 4], Ids(reader.GetCollection("docs")));

        // Every check asks the database for the collection again, as an application would.
        w.UpsertMany(TestData.Records(10, 4, seed: 7)); // replaces 0..4, adds 5..9
        w.Delete(0);
        w.UpdatePayload(1, new() { ["color"] = "purple" });
        Assert.Equal([0UL, 1, 2, 3, 4], Ids(reader.GetCollection("docs")));
        Assert.Equal("green", (string?)reader.GetCollection("docs").Get(1)!.Payload!["color"]);
        Assert.Equal(TestData.Records(5, 4)[2].Vector!.Value.ToArray(), reader.GetCollection("docs").Get(2)!.Vector!.Value.ToArray());
        Assert.Equal(5, reader.GetCollection("docs").Search(new float[] { 0, 0, 0, 0 }, new SearchOptions { TopK = 100 }).Count);

        w.Compact(); // replaces the files the reader loaded from
        Assert.Equal([0UL, 1, 2, 3, 4], Ids(reader.GetCollection("docs")));
        Assert.Equal(5, reader.GetCollection("docs").Count());

        using Database again = _temp.Open(OtherProcessReader);
        Collection fresh = again.GetCollection("docs");
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8, 9], Ids(fresh));
        Assert.Equal("purple", (string?)fresh.Get(1)!.Payload!["color"]);
        Assert.Equal(TestData.Records(10, 4, seed: 7)[2].Vector!.Value.ToArray(), fresh.Get(2)!.Vector!.Value.ToArray());
    }
}
