namespace VectLite.Cli.Tests;

/// <summary><c>vectlite compact</c>: the log is emptied, dead rows reclaimed, and every record reads back the same.</summary>
public sealed class CompactCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Compact_empties_the_log_reclaims_the_deleted_row_and_keeps_every_record()
    {
        CliResult run = CliProcess.Run("compact", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("docs: 319 records, 1 dead rows reclaimed, ", run.StdoutLines.Single(), StringComparison.Ordinal);
        Assert.Equal(32, new FileInfo(_db.WalPath).Length); // the log is back to its 32-byte header

        using Database db = Database.Open(_db.Path, new DatabaseOptions { ReadOnly = true });
        Collection docs = db.GetCollection("docs");
        CollectionStats stats = docs.GetStats();
        Assert.Equal(2, stats.CheckpointGeneration);
        Assert.Equal(0, stats.WalBatchesSinceCheckpoint);
        Assert.Equal(319, stats.StoredRows);
        Assert.Equal(319, docs.Count());
        Assert.Null(docs.Get(0));
        foreach (int id in new[] { 1, 150, 299, 300, 319 })
        {
            Record record = docs.Get(id) ?? throw new Xunit.Sdk.XunitException($"record {id} is missing after compact");
            Assert.Equal(new float[] { id, id + 1, id + 2, id + 3, id + 4, id + 5, id + 6, id + 7 }, record.Vector!.Value.ToArray());
            Assert.Equal(id % 2 == 0 ? "a" : "b", (string?)record.Payload!["category"]);
            Assert.Equal(id, (int?)record.Payload["n"]);
        }
        Assert.Equal(160, docs.Count(Filter.Eq("category", "b"))); // odd ids 1..319
    }

    [Fact]
    public void Compact_of_one_collection_by_name_leaves_the_others_alone()
    {
        using (Database db = Database.Open(_db.Path))
        {
            db.CreateCollection("other", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 2 }));
        }
        string otherWal = Path.Combine(_db.Path, "collections", "other", "wal.vlwal");
        long otherWalLength = new FileInfo(otherWal).Length;

        CliResult run = CliProcess.Run("compact", _db.Path, "--collection", "docs");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(32, new FileInfo(_db.WalPath).Length);
        Assert.Equal(otherWalLength, new FileInfo(otherWal).Length);
        Assert.True(otherWalLength > 32);
    }

    [Fact]
    public void Compact_while_another_process_writes_fails_with_a_one_line_error()
    {
        using Database writer = Database.Open(_db.Path);

        CliResult run = CliProcess.Run("compact", _db.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error (DatabaseLocked): ", run.Stderr, StringComparison.Ordinal);
        Assert.False(run.HasStackTrace, run.ToString());
        Assert.Equal(3, writer.GetCollection("docs").GetStats().WalBatchesSinceCheckpoint);
    }
}
