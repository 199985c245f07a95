using VectLite.Storage;

namespace VectLite.Tests.Engine;

/// <summary>
/// A checkpoint manifest names the data files a collection loads. Found while writing the manifest fuzz harness:
/// the names were joined to the collection's directory unchecked, so a damaged or crafted manifest could make one
/// collection load another's records (or any readable file) as its own.
/// </summary>
public sealed class ManifestFileNameTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_manifest_naming_a_file_outside_its_collection_is_refused(bool absolute)
    {
        using (Database db = _temp.Open())
        {
            Collection a = db.CreateCollection("a", CollectionSchema.MetadataOnly());
            a.Upsert(new Record(1));
            a.Compact();
            Collection b = db.CreateCollection("b", CollectionSchema.MetadataOnly());
            b.UpsertMany([new Record(7), new Record(8)]);
            b.Compact();
        }

        // Point a's records entry at b's records file, with b's length, CRC and count, so every other check passes.
        string aDir = _temp.CollectionDirectory("a");
        string bDir = _temp.CollectionDirectory("b");
        CheckpointManifest aManifest = CheckpointManifest.Read(aDir);
        CheckpointFile bRecords = CheckpointManifest.Read(bDir).Files[0];
        string name = absolute ? Path.Combine(bDir, bRecords.Name) : Path.Combine("..", "b", bRecords.Name);
        var crafted = new CheckpointManifest
        {
            Generation = aManifest.Generation,
            Lsn = aManifest.Lsn,
            RecordCount = 2,
            CreatedAt = aManifest.CreatedAt,
            Schema = aManifest.Schema,
            PayloadIndexes = aManifest.PayloadIndexes,
            Files = [bRecords with { Name = name }],
        };
        File.WriteAllBytes(Path.Combine(aDir, CheckpointManifest.FileName), crafted.Serialize());

        using Database reopened = _temp.Open(new DatabaseOptions { ReadOnly = true });
        var ex = Assert.Throws<CorruptFileException>(() => reopened.GetCollection("a"));
        Assert.Equal(Path.Combine(aDir, CheckpointManifest.FileName), ex.FilePath);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }
}
