using System.Buffers.Binary;
using System.Text.Json;

namespace VectLite.Cli.Tests;

/// <summary><c>vectlite verify</c>: exit code 0 when intact, 1 naming the damaged file, a report that changes nothing.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void An_intact_database_exits_0_and_lists_every_file_as_ok()
    {
        CliResult run = CliProcess.Run("verify", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        string[] lines = run.StdoutLines;
        Assert.Contains("Collection docs (checkpoint 1: 300 records, 3 log batches to replay): intact", lines);
        foreach (string file in new[] { "vectlite.db", "collections/docs/checkpoint.vlck", "collections/docs/g1.records.vlrec",
                     "collections/docs/g1.vec0.vlvec", "collections/docs/g1.hnsw0.vlhnsw", "collections/docs/wal.vlwal" })
        {
            Assert.Contains(lines, l => l.StartsWith($"  ok       {file} (", StringComparison.Ordinal));
        }
        Assert.Equal("Intact: 6 files checked, 0 warnings.", lines[^1]);
    }

    [Theory]
    [InlineData("collections/docs/g1.records.vlrec", 40)] // inside record 0's body
    [InlineData("collections/docs/g1.vec0.vlvec", 36)] // the second component of the first vector
    [InlineData("collections/docs/g1.hnsw0.vlhnsw", 200)] // the graph's levels and links
    [InlineData("collections/docs/checkpoint.vlck", 30)] // the checkpoint manifest's JSON body
    [InlineData("collections/docs/wal.vlwal", 2)] // the log's magic number
    [InlineData("vectlite.db", 20)] // the database manifest's JSON body
    public void A_flipped_byte_exits_1_and_names_the_damaged_file(string file, long offset)
    {
        _db.FlipByte(file, offset);
        SortedDictionary<string, string> before = _db.Fingerprint();

        CliResult run = CliProcess.Run("verify", _db.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stderr); // damage is the report, not an error
        string[] lines = run.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith($"  DAMAGED  {file}", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("  DAMAGED", StringComparison.Ordinal));
        Assert.StartsWith("DAMAGED: ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(before, _db.Fingerprint()); // verify repairs nothing, rebuilds nothing, creates nothing
    }

    [Fact]
    public void The_json_report_gives_the_damaged_file_and_the_offset_of_the_damaged_record()
    {
        // Record 0's frame starts right after the 32-byte header; its body starts 8 bytes later.
        _db.FlipByte("collections/docs/g1.records.vlrec", 32 + 8 + 3);

        CliResult run = CliProcess.Run("verify", _db.Path, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("intact").GetBoolean());
        JsonElement collection = Assert.Single(root.GetProperty("collections").EnumerateArray());
        Assert.Equal("docs", collection.GetProperty("name").GetString());
        Assert.False(collection.GetProperty("intact").GetBoolean());
        JsonElement[] damaged = collection.GetProperty("files").EnumerateArray().Where(f => !f.GetProperty("intact").GetBoolean()).ToArray();
        JsonElement records = Assert.Single(damaged);
        Assert.Equal(Path.Combine(_db.CollectionDirectory, "g1.records.vlrec"), records.GetProperty("path").GetString());
        Assert.Equal("Records", records.GetProperty("kind").GetString());
        Assert.Contains(records.GetProperty("findings").EnumerateArray(), f =>
            f.GetProperty("severity").GetString() == "damage"
            && f.GetProperty("offset").GetInt64() == 32
            && f.GetProperty("description").GetString() == "record 0 checksum mismatch");
    }

    [Fact]
    public void A_torn_final_batch_is_a_warning_and_exits_0()
    {
        long length = new FileInfo(_db.WalPath).Length;
        using (var wal = new FileStream(_db.WalPath, FileMode.Open, FileAccess.Write))
        {
            wal.SetLength(length - 3); // a crash in the middle of the last append
        }

        CliResult run = CliProcess.Run("verify", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.StdoutLines;
        int log = Array.FindIndex(lines, l => l.StartsWith("  warning  collections/docs/wal.vlwal", StringComparison.Ordinal));
        Assert.True(log >= 0, run.ToString());
        Assert.Contains("torn tail", lines[log + 1], StringComparison.Ordinal);
        Assert.Contains("Collection docs (checkpoint 1: 300 records, 2 log batches to replay): intact", lines);
        Assert.Equal("Intact: 6 files checked, 1 warnings.", lines[^1]);
    }

    [Fact]
    public void A_damaged_batch_followed_by_intact_batches_exits_1()
    {
        byte[] log = File.ReadAllBytes(_db.WalPath);
        long second = 32 + 24 + BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(32)); // file header, frame header (log format 2), batch
        _db.FlipByte("collections/docs/wal.vlwal", second + 24 + 5); // inside the second of three batches

        CliResult run = CliProcess.Run("verify", _db.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        string[] lines = run.StdoutLines;
        int damaged = Array.FindIndex(lines, l => l.StartsWith("  DAMAGED  collections/docs/wal.vlwal", StringComparison.Ordinal));
        Assert.True(damaged >= 0, run.ToString());
        Assert.StartsWith($"           damage at byte {second}: ", lines[damaged + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_runs_beside_a_writer_that_holds_the_database()
    {
        using Database writer = Database.Open(_db.Path);
        writer.GetCollection("docs").Upsert(SampleDatabase.Record(1000));
        // The writer really holds the lock: taking it fails. (A second Database.Open in this process would share the
        // writer's engine instead.)
        Assert.ThrowsAny<IOException>(() => new FileStream(Path.Combine(_db.Path, "vectlite.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None));

        CliResult run = CliProcess.Run("verify", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Collection docs (checkpoint 1: 300 records, 4 log batches to replay): intact", run.StdoutLines);
    }
}
