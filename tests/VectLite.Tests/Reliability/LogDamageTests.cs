using System.Buffers.Binary;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Defect 4 of the reliability audit: one flipped bit anywhere in the log was taken for a torn tail, and a writer open
/// cut every intact batch after it. Only a damaged final batch is a torn tail; damage followed by intact batches is
/// corruption, reported with nothing cut, and <see cref="Database.Recover"/> is the explicit salvage.
/// </summary>
public sealed class LogDamageTests : IDisposable
{
    private const int Batches = 25;
    private const int PerBatch = 10;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    /// <summary>25 batches of 10 records (ids 0..249); returns each frame's start offset, read from the file's framing.</summary>
    private List<long> WriteBatches()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            List<Record> all = TestData.Records(Batches * PerBatch, 4);
            for (int b = 0; b < Batches; b++)
            {
                c.UpsertMany(all.Skip(b * PerBatch).Take(PerBatch));
            }
        }
        List<long> frames = WalFrames.Offsets(File.ReadAllBytes(WalPath));
        Assert.Equal(Batches, frames.Count);
        return frames;
    }

    private void Flip(long offset, byte mask = 0x04)
    {
        byte[] wal = File.ReadAllBytes(WalPath);
        wal[offset] ^= mask;
        File.WriteAllBytes(WalPath, wal);
    }

    [Theory]
    [InlineData(2, 40)]  // a payload byte of frame 3
    [InlineData(2, 1)]   // its length field: where the next frame starts is lost
    [InlineData(2, 5)]   // its checksum
    [InlineData(2, 9)]   // its LSN
    [InlineData(0, 20)]  // the first frame
    [InlineData(23, 30)] // the last but one
    public void A_flipped_bit_followed_by_intact_batches_is_corruption_and_nothing_is_cut(int frame, int within)
    {
        List<long> frames = WriteBatches();
        Flip(frames[frame] + within);
        byte[] damaged = File.ReadAllBytes(WalPath);

        foreach (bool readOnly in new[] { false, true })
        {
            using Database db = _temp.Open(new DatabaseOptions { ReadOnly = readOnly });
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(WalPath, ex.FilePath);
            Assert.Equal(frames[frame], ex.Offset);
            Assert.Contains("recover", ex.Message);
        }
        Assert.Equal(damaged, File.ReadAllBytes(WalPath)); // a failed open truncates nothing
    }

    [Fact]
    public void A_flipped_bit_in_the_final_batch_is_still_a_torn_tail()
    {
        List<long> frames = WriteBatches();
        Flip(frames[^1] + 30);
        using Database db = _temp.Open();
        Collection c = db.GetCollection("docs");
        Assert.Equal((Batches - 1) * PerBatch, c.Count());
        Assert.Contains("checksum", c.GetStats().TornTailReason);
    }

    [Fact]
    public void Recover_keeps_every_batch_before_the_damage_and_sets_the_log_aside()
    {
        List<long> frames = WriteBatches();
        Flip(frames[2] + 40);
        byte[] damaged = File.ReadAllBytes(WalPath);

        RecoveryReport report = Database.Recover(_temp.Path);

        CollectionRecovery docs = Assert.Single(report.Collections);
        Assert.True(report.AnyRepaired);
        Assert.True(docs.Repaired);
        Assert.Equal(2, docs.KeptBatches);
        Assert.Equal(frames[2], docs.DamageOffset);
        Assert.Equal(damaged.Length - frames[2], docs.BytesSetAside);
        Assert.Contains("checksum", docs.Problem);
        Assert.Equal(damaged, File.ReadAllBytes(docs.BackupPath!)); // the whole damaged log, untouched
        Assert.Equal(frames[2], new FileInfo(WalPath).Length);

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(2 * PerBatch, c.Count());
            Assert.NotNull(c.Get(19));
            Assert.Null(c.Get(20));
            Assert.Equal(0, c.GetStats().TornTailBytesDropped);
            c.Upsert(new Record(1000, new float[] { 1, 2, 3, 4 })); // writes resume on the salvaged log
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(2 * PerBatch + 1, db.GetCollection("docs").Count());
        }

        // A second run finds nothing to do.
        Assert.False(Database.Recover(_temp.Path).AnyRepaired);
    }

    [Fact]
    public void Recover_stops_at_a_batch_that_passes_its_checksum_but_does_not_decode()
    {
        List<long> frames = WriteBatches();
        byte[] wal = File.ReadAllBytes(WalPath);
        // Rewrite frame 4's operation type to an unknown one and fix its checksum: intact framing, undecodable content.
        wal[frames[3] + WalFrames.FrameHeaderSize + 4] = 0xEE;
        WalFrames.Reseal(wal, frames[3]);
        File.WriteAllBytes(WalPath, wal);

        using (Database db = _temp.Open())
        {
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(frames[3], ex.Offset);
            Assert.Contains("does not decode", ex.Message);
        }

        CollectionRecovery docs = Assert.Single(Database.Recover(_temp.Path).Collections);
        Assert.Equal(3, docs.KeptBatches);
        Assert.Equal(frames[3], docs.DamageOffset);
        using Database reopened = _temp.Open();
        Assert.Equal(3 * PerBatch, reopened.GetCollection("docs").Count());
    }

    [Fact]
    public void An_intact_frame_with_a_repeated_LSN_is_corruption_not_a_torn_tail()
    {
        List<long> frames = WriteBatches();
        byte[] wal = File.ReadAllBytes(WalPath);
        // Give the last frame the LSN of the one before it (what a writer reusing an LSN used to leave), checksum fixed.
        long at = frames[^1];
        long lsn = BinaryPrimitives.ReadInt64LittleEndian(wal.AsSpan((int)at + 8));
        BinaryPrimitives.WriteInt64LittleEndian(wal.AsSpan((int)at + 8), lsn - 1);
        WalFrames.Reseal(wal, at);
        File.WriteAllBytes(WalPath, wal);

        using Database db = _temp.Open();
        var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
        Assert.Equal(at, ex.Offset);
        Assert.Contains($"LSN {lsn - 1} where {lsn} was expected", ex.Message);
    }

    [Fact]
    public void Recover_refuses_a_directory_that_is_not_a_database_and_creates_nothing()
    {
        string empty = Path.Combine(_temp.Path, "nothing-here");
        Assert.Throws<DirectoryNotFoundException>(() => Database.Recover(empty));
        Assert.False(Directory.Exists(empty));
    }
}
