namespace VectLite.Tests.Engine;

/// <summary>
/// What interrupted operations leave behind (a dropped collection's renamed folder, a half-written checkpoint
/// manifest) is removed by the writer, never by a read-only open, and never mistaken for data.
/// </summary>
public sealed class LeftoverCleanupTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string CollectionsFolder => Path.Combine(_temp.Path, "collections");

    private string[] CollectionsEntries() =>
        [.. Directory.GetFileSystemEntries(CollectionsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void DropCollection_removes_the_collection_folder_entirely()
    {
        using Database db = _temp.Open();
        db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2)).UpsertMany(TestData.Records(10, 4));
        db.CreateCollection("kept", CollectionSchema.MetadataOnly());
        Assert.True(db.DropCollection("docs"));
        Assert.Equal(["kept"], CollectionsEntries()); // no ".dropped-docs-..." left
    }

    [Fact]
    public void A_dropped_folder_left_by_a_crash_is_removed_by_the_next_writer_open()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("kept", CollectionSchema.MetadataOnly());
        }
        // A crash between the rename and the delete of DropCollection.
        string doomed = Path.Combine(CollectionsFolder, ".dropped-docs-0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(doomed);
        File.WriteAllText(Path.Combine(doomed, "wal.vlwal"), "old data");

        using (Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(["kept"], ro.ListCollections());
        }
        Assert.True(Directory.Exists(doomed)); // a reader does not delete

        using (Database db = _temp.Open())
        {
            Assert.Equal(["kept"], db.ListCollections());
        }
        Assert.Equal(["kept"], CollectionsEntries());
    }

    [Fact]
    public void A_half_written_checkpoint_manifest_is_removed_when_the_collection_opens_for_writing()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2)).UpsertMany(TestData.Records(5, 4));
        }
        string dir = _temp.CollectionDirectory("docs");
        string tmp = Path.Combine(dir, "checkpoint.vlck.tmp");
        File.WriteAllText(tmp, "half written");

        using (Database db = _temp.Open())
        {
            Assert.Equal(5, db.GetCollection("docs").Count());
        }
        Assert.False(File.Exists(tmp));
        Assert.Equal(["checkpoint.vlck", "g0.records.vlrec", "g0.vec0.vlvec", "wal.vlwal"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_half_written_checkpoint_manifest_is_removed_by_the_next_checkpoint()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        docs.UpsertMany(TestData.Records(5, 4));
        string tmp = Path.Combine(_temp.CollectionDirectory("docs"), "checkpoint.vlck.tmp");
        File.WriteAllText(tmp, "half written"); // as a crash of another writer process would leave it
        docs.Compact();
        Assert.False(File.Exists(tmp));
        Assert.Equal(5, docs.Count());
    }
}
