using System.Buffers.Binary;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// After a damaged frame the log reader searches every later byte offset for an intact frame (docs/file-format.md,
/// "Recovery rules"): an intact frame with a newer LSN means the log was damaged after it was written (corruption,
/// nothing cut); none means a torn tail. These tests pin down what the search must find, and what it must not count:
/// the scan runs in 1 MiB windows, so a frame may lie beyond the first window or straddle two; a frame that is not
/// newer than what was read, claims an LSN the rest of the file could not hold, or is too short to be a batch is no
/// evidence of damage. The logs are built by hand (<see cref="WalFrames"/>), checksummed with System.IO.Hashing.
/// </summary>
public sealed class LogScanPastDamageTests : IDisposable
{
    /// <summary>The reader's scan window: candidates are examined 1 MiB at a time.</summary>
    private const int ScanWindow = 1 << 20;

    /// <summary>The smallest frame: a 24-byte header and a 4-byte batch holding only its operation count.</summary>
    private const int SmallestFrame = WalFrames.FrameHeaderSize + sizeof(int);

    private readonly TempDatabase _temp = new();

    public LogScanPastDamageTests()
    {
        using Database db = _temp.Open();
        db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
    }

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    private static byte[] Frame(long lsn, ulong id) => WalFrames.Build(lsn, WalFrames.UpsertBody(id, [id, 1], null));

    private List<long> WriteLog(params byte[][] frames) => WalFrames.WriteLog(WalPath, frames);

    private void Flip(long offset) => WalFrames.FlipBit(WalPath, offset);

    /// <summary>A writer open and a read-only open both fail naming the damage and the intact frame after it; the log is left as it was.</summary>
    private void AssertCorrupt(long damageOffset, long intactLsn, long intactOffset)
    {
        byte[] before = File.ReadAllBytes(WalPath);
        foreach (bool readOnly in new[] { false, true })
        {
            using Database db = _temp.Open(new DatabaseOptions { ReadOnly = readOnly });
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(WalPath, ex.FilePath);
            Assert.Equal(damageOffset, ex.Offset);
            Assert.Contains($"an intact batch (LSN {intactLsn}) follows at byte {intactOffset}", ex.Problem);
        }
        Assert.Equal(before, File.ReadAllBytes(WalPath)); // nothing truncated
    }

    /// <summary>The open succeeds with <paramref name="records"/> records; everything from <paramref name="tornOffset"/> on is a dropped torn tail.</summary>
    private void AssertTornTail(long tornOffset, int records)
    {
        long length = new FileInfo(WalPath).Length;
        using (Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Collection c = ro.GetCollection("docs");
            Assert.Equal(records, c.Count());
            Assert.Equal(length - tornOffset, c.GetStats().TornTailBytesDropped);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(records, c.Count());
            Assert.Equal(length - tornOffset, c.GetStats().TornTailBytesDropped);
        }
        // The writer cut the tail off, then recorded the batches it kept as synced: a 24-byte sync marker.
        byte[] after = File.ReadAllBytes(WalPath);
        Assert.Equal(tornOffset + WalFrames.FrameHeaderSize, after.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(after.AsSpan((int)tornOffset)));
        Assert.True(WalFrames.IsIntact(after, tornOffset));
    }

    // ---- a log longer than the scan window ----

    /// <summary>
    /// Frame 2 (damaged) is so long that frame 3, the only intact frame after it, starts <paramref name="distance"/>
    /// bytes after the scan's first candidate (the damaged frame's offset + 1): 15 and 1 byte(s) before the end of the
    /// first window (its header straddles the window's end, and is found only because each window reads
    /// <c>FrameHeaderSize - 1</c> bytes past its last candidate), at the first candidate of the second window, and well
    /// inside it.
    /// </summary>
    [Theory]
    [InlineData(ScanWindow - 15)]
    [InlineData(ScanWindow - 1)]
    [InlineData(ScanWindow)]
    [InlineData(ScanWindow + 300_000)]
    public void Damage_followed_by_an_intact_frame_beyond_the_first_scan_window_is_corruption_and_salvage_sets_it_aside(int distance)
    {
        byte[] big = WalFrames.Build(2, WalFrames.PaddedUpsertBody(2, [2, 1], distance + 1 - WalFrames.FrameHeaderSize));
        List<long> frames = WriteLog(Frame(1, 1), big, Frame(3, 3));
        Assert.Equal(frames[1] + 1 + distance, frames[2]);
        Flip(frames[1] + (big.Length / 2)); // a pad byte in frame 2's payload: its checksum fails
        byte[] damaged = File.ReadAllBytes(WalPath);

        AssertCorrupt(frames[1], intactLsn: 3, intactOffset: frames[2]);

        CollectionRecovery docs = Assert.Single(Database.Recover(_temp.Path).Collections);
        Assert.True(docs.Repaired);
        Assert.Equal(1, docs.KeptBatches);
        Assert.Equal(frames[1], docs.DamageOffset);
        Assert.Contains("checksum", docs.Problem);
        Assert.Equal(damaged.Length - frames[1], docs.BytesSetAside);
        byte[] backup = File.ReadAllBytes(docs.BackupPath!);
        Assert.Equal(damaged, backup);                  // the set-aside copy keeps the batch after the damage...
        Assert.True(WalFrames.IsIntact(backup, frames[2])); // ...intact, where it was
        Assert.Equal(frames[1], new FileInfo(WalPath).Length);
        using Database reopened = _temp.Open();
        Collection c = reopened.GetCollection("docs");
        Assert.Equal(1, c.Count());
        Assert.NotNull(c.Get(1));
    }

    // ---- what counts as an intact, newer frame after damage ----

    [Fact]
    public void An_intact_frame_right_after_unreadable_bytes_that_carries_the_next_LSN_is_corruption()
    {
        // Bytes that are no frame at all (a length out of range) sit between batch 3 and batch 4. Batch 4 is exactly
        // the next LSN after the newest one read: it was acknowledged, so the bytes before it are damage.
        byte[] garbage = new byte[40];
        garbage.AsSpan().Fill(0xA5);
        List<long> frames = WriteLog(Frame(1, 1), Frame(2, 2), Frame(3, 3), garbage, Frame(4, 4));

        AssertCorrupt(frames[3], intactLsn: 4, intactOffset: frames[4]);
    }

    /// <summary>
    /// A frame after the damage that is intact but not newer than the newest batch read (the same LSN, or an older
    /// one) proves nothing was acknowledged after the damage: the damaged frame is a torn tail.
    /// </summary>
    [Theory]
    [InlineData(3)] // the newest LSN read
    [InlineData(1)] // an older one
    public void An_intact_but_stale_frame_after_damage_leaves_a_torn_tail(long staleLsn)
    {
        List<long> frames = WriteLog(Frame(1, 1), Frame(2, 2), Frame(3, 3), Frame(4, 4), Frame(staleLsn, 9));
        Flip(frames[3] + WalFrames.FrameHeaderSize + 10); // batch 4's id

        AssertTornTail(frames[3], records: 3);
    }

    [Fact]
    public void Damage_among_batches_the_checkpoint_holds_is_a_torn_tail_and_loses_nothing()
    {
        // A crash between a checkpoint's commit and the truncation of the log leaves batches the checkpoint holds.
        // Damage among them, followed only by more of them, is not corruption: nothing newer than the checkpoint follows.
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            for (ulong id = 1; id <= 3; id++)
            {
                c.Upsert(new Record(id, new float[] { id, 1 }));
            }
        }
        byte[] beforeCheckpoint = File.ReadAllBytes(WalPath);
        using (Database db = _temp.Open())
        {
            db.GetCollection("docs").Compact();
        }
        File.WriteAllBytes(WalPath, beforeCheckpoint);
        List<long> frames = WalFrames.Offsets(beforeCheckpoint);
        Assert.Equal(3, frames.Count);
        Flip(frames[1] + WalFrames.FrameHeaderSize + 10); // batch 2 of 3, all at or below the checkpoint's LSN 3

        AssertTornTail(frames[1], records: 3);
    }

    /// <summary>
    /// An intact frame whose LSN the rest of the file could not reach (more than one LSN per smallest possible frame
    /// past the damage, plus one) is no acknowledged batch: a torn tail. At the bound itself it counts.
    /// </summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(1_000_000_000_000, false)]
    public void An_intact_frame_with_an_LSN_too_far_ahead_is_no_evidence_of_damage(long beyondBound, bool corrupt)
    {
        byte[][] intact = [Frame(1, 1), Frame(2, 2), Frame(3, 3), Frame(4, 4)];
        long damageOffset = WalFrames.FileHeaderSize + intact[..3].Sum(f => f.Length);
        long fileLength = WalFrames.FileHeaderSize + intact.Sum(f => f.Length) + Frame(5, 5).Length;
        // The scan starts one byte past the damaged frame: at most one frame per smallest frame fits in what follows.
        long bound = 3 + ((fileLength - (damageOffset + 1)) / SmallestFrame) + 1;
        List<long> frames = WriteLog([.. intact, Frame(bound + beyondBound, 5)]);
        Assert.Equal(fileLength, new FileInfo(WalPath).Length);
        Flip(frames[3] + WalFrames.FrameHeaderSize + 10); // batch 4's id

        if (corrupt)
        {
            AssertCorrupt(frames[3], intactLsn: bound, intactOffset: frames[4]);
        }
        else
        {
            AssertTornTail(frames[3], records: 3);
        }
    }

    [Fact]
    public void The_smallest_possible_frame_after_damage_counts()
    {
        // Four bytes, an operation count of 0: the smallest frame a batch can make, ending exactly at the end of the file.
        List<long> frames = WriteLog(Frame(1, 1), Frame(2, 2), Frame(3, 3), WalFrames.Build(4, [0, 0, 0, 0]));
        Flip(frames[2] + WalFrames.FrameHeaderSize + 10); // batch 3's id

        AssertCorrupt(frames[2], intactLsn: 4, intactOffset: frames[3]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_checksummed_frame_too_short_to_hold_a_batch_after_damage_leaves_a_torn_tail(int bodyLength)
    {
        List<long> frames = WriteLog(Frame(1, 1), Frame(2, 2), Frame(3, 3), WalFrames.Build(4, new byte[bodyLength]));
        Flip(frames[2] + WalFrames.FrameHeaderSize + 10); // batch 3's id

        AssertTornTail(frames[2], records: 2);
    }
}
