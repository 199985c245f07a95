using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// A read-only open's handles on one checkpoint generation, without a database: every listed file opened before any is
/// read (readable after its name is deleted, shared with other readers and the writer), a missing file reported by
/// path, the optional value graphs file skipped when gone, and every handle closed that nobody took. Whether a handle
/// is still open is seen through .NET's advisory lock on Linux: an exclusive open fails while a shared one is held.
/// </summary>
public sealed class OpenCheckpointTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-opencheckpoint-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private void Write(string name, params byte[] bytes) => File.WriteAllBytes(PathOf(name), bytes);

    private static CheckpointManifest Manifest(bool valueGraphs = false, bool segment = false) => new()
    {
        Generation = 5,
        Lsn = 0,
        RecordCount = 2,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Schema = CollectionSchema.SingleVector(2, Metric.L2, "v"),
        PayloadIndexes = [],
        Files = [new CheckpointFile("g5.records.vlrec", 1, 0), new CheckpointFile("g5.vec0.vlvec", 1, 0)],
        EarlierSegments = segment ? [[new VectorSegment(new CheckpointFile("g3.vec0.vlvec", 1, 0), 0, 1)]] : [],
        ValueGraphFile = valueGraphs ? new CheckpointFile("g5.valuegraphs.vlvg", 1, 0) : null,
    };

    /// <summary>True when no handle holds <paramref name="name"/> open (an exclusive open succeeds).</summary>
    private bool IsClosed(string name)
    {
        try
        {
            using var exclusive = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void Every_listed_file_is_opened_and_taken_once()
    {
        Write("g5.records.vlrec", 1);
        Write("g5.vec0.vlvec", 2);
        Write("g3.vec0.vlvec", 3);
        Write("g5.valuegraphs.vlvg", 4);

        using OpenCheckpoint? open = OpenCheckpoint.TryOpen(_dir.FullName, Manifest(valueGraphs: true, segment: true), out string? missing);
        Assert.NotNull(open);
        Assert.Null(missing);
        foreach ((string name, byte content) in new (string, byte)[] { ("g5.records.vlrec", 1), ("g5.vec0.vlvec", 2), ("g3.vec0.vlvec", 3), ("g5.valuegraphs.vlvg", 4) })
        {
            Assert.False(IsClosed(name));
            using FileStream? stream = open.Take(name);
            Assert.NotNull(stream);
            Assert.Equal(content, stream.ReadByte());
            Assert.Null(open.Take(name)); // taken: the caller owns it now
        }
        Assert.Null(open.Take("g5.hnsw0.vlhnsw")); // not listed
    }

    [Fact]
    public void Files_stay_readable_after_their_names_are_deleted()
    {
        Write("g5.records.vlrec", 7);
        Write("g5.vec0.vlvec", 8);
        using OpenCheckpoint open = OpenCheckpoint.TryOpen(_dir.FullName, Manifest(), out _)!;

        File.Delete(PathOf("g5.records.vlrec"));
        File.Delete(PathOf("g5.vec0.vlvec"));

        using FileStream records = open.Take("g5.records.vlrec")!;
        Assert.Equal(7, records.ReadByte());
    }

    [Fact]
    public void Other_readers_and_the_writer_can_open_the_files_meanwhile()
    {
        Write("g5.records.vlrec", 7);
        Write("g5.vec0.vlvec", 8);
        using OpenCheckpoint open = OpenCheckpoint.TryOpen(_dir.FullName, Manifest(), out _)!;

        using var reader = new FileStream(PathOf("g5.records.vlrec"), FileMode.Open, FileAccess.Read, FileShare.Read);
        using var writer = new FileStream(PathOf("g5.vec0.vlvec"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        Assert.Equal(7, reader.ReadByte());
    }

    [Fact]
    public void A_missing_data_file_is_reported_by_path_and_the_files_opened_before_it_are_closed()
    {
        Write("g5.records.vlrec", 1);

        Assert.Null(OpenCheckpoint.TryOpen(_dir.FullName, Manifest(), out string? missing));
        Assert.Equal(PathOf("g5.vec0.vlvec"), missing);
        Assert.True(IsClosed("g5.records.vlrec"));
    }

    [Fact]
    public void A_missing_first_file_is_reported()
    {
        Write("g5.vec0.vlvec", 1);
        Assert.Null(OpenCheckpoint.TryOpen(_dir.FullName, Manifest(), out string? missing));
        Assert.Equal(PathOf("g5.records.vlrec"), missing);
    }

    [Fact]
    public void A_missing_earlier_segment_is_reported()
    {
        Write("g5.records.vlrec", 1);
        Write("g5.vec0.vlvec", 2);
        Assert.Null(OpenCheckpoint.TryOpen(_dir.FullName, Manifest(segment: true), out string? missing));
        Assert.Equal(PathOf("g3.vec0.vlvec"), missing);
    }

    [Fact]
    public void A_missing_directory_is_reported()
    {
        string gone = Path.Combine(_dir.FullName, "gone");
        Assert.Null(OpenCheckpoint.TryOpen(gone, Manifest(), out string? missing));
        Assert.Equal(Path.Combine(gone, "g5.records.vlrec"), missing);
    }

    [Fact]
    public void A_missing_value_graphs_file_is_skipped()
    {
        Write("g5.records.vlrec", 1);
        Write("g5.vec0.vlvec", 2);

        using OpenCheckpoint? open = OpenCheckpoint.TryOpen(_dir.FullName, Manifest(valueGraphs: true), out string? missing);
        Assert.NotNull(open);
        Assert.Null(missing);
        Assert.Null(open.Take("g5.valuegraphs.vlvg"));
        using FileStream? vectors = open.Take("g5.vec0.vlvec");
        Assert.NotNull(vectors);
    }

    [Fact]
    public void Disposing_closes_what_nobody_took_and_leaves_what_was_taken()
    {
        Write("g5.records.vlrec", 1);
        Write("g5.vec0.vlvec", 2);
        OpenCheckpoint open = OpenCheckpoint.TryOpen(_dir.FullName, Manifest(), out _)!;
        using FileStream taken = open.Take("g5.records.vlrec")!;

        open.Dispose();

        Assert.True(IsClosed("g5.vec0.vlvec"));
        Assert.False(IsClosed("g5.records.vlrec"));
        Assert.Equal(1, taken.ReadByte());
        Assert.Null(open.Take("g5.vec0.vlvec"));
        open.Dispose();
    }
}
