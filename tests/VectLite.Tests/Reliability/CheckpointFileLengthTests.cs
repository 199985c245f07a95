using VectLite.Tests.Engine;

namespace VectLite.Tests.Reliability;

/// <summary>Defect 3 of the reliability audit: a data file whose length disagrees with the manifest threw ObjectDisposedException.</summary>
public sealed class CheckpointFileLengthTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("g1.records.vlrec", 1)]
    [InlineData("g1.records.vlrec", -1)]
    [InlineData("g1.vec0.vlvec", 1)]
    [InlineData("g1.vec0.vlvec", -4)]
    public void A_data_file_of_the_wrong_length_is_a_corrupt_file_error_naming_it(string file, int change)
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(20, 4));
            c.Compact();
        }
        string path = Path.Combine(_temp.CollectionDirectory("docs"), file);
        long length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(length + change);
        }

        foreach (bool readOnly in new[] { false, true })
        {
            using Database db = _temp.Open(new DatabaseOptions { ReadOnly = readOnly });
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(path, ex.FilePath);
            Assert.Contains($"it is {length + change} bytes, the checkpoint manifest says {length}", ex.Message);
        }
    }
}
