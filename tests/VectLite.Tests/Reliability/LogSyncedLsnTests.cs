using System.Buffers.Binary;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Log format version 2 records in every frame the newest LSN the writer had fsynced when it wrote the frame, and
/// the writer appends a sync marker (a frame with no batch) after an explicit sync (docs/file-format.md). The reader
/// uses them to tell a power cut that kept a later unsynced page without an earlier one (EveryN, OnFlush: a torn tail
/// within the sync mode's loss window, dropped at open) from damage to a durable frame (corruption, nothing cut).
/// Logs are built by hand with <see cref="WalFrames"/> (checksums from System.IO.Hashing) or written by the engine and
/// read back byte by byte.
/// </summary>
public sealed class LogSyncedLsnTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public LogSyncedLsnTests()
    {
        using Database db = _temp.Open();
        db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
    }

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    private static byte[] Batch(long lsn, long syncedLsn) => WalFrames.Build(lsn, WalFrames.UpsertBody((ulong)lsn, [lsn, 1], null), syncedLsn);

    private static byte[] Marker(long lsn) => WalFrames.Build(lsn, [], syncedLsn: lsn);

    private List<long> WriteLog(params byte[][] frames) => WalFrames.WriteLog(WalPath, frames);

    private void Flip(long offset) => WalFrames.FlipBit(WalPath, offset);

    /// <summary>The (LSN, synced LSN, batch length) of every frame of the log, read from the bytes.</summary>
    private List<(long Lsn, long Synced, int Length)> Frames()
    {
        byte[] log = File.ReadAllBytes(WalPath);
        return [.. WalFrames.Offsets(log, includeMarkers: true).Select(at =>
            (WalFrames.LsnAt(log, at), WalFrames.SyncedLsnAt(log, at), BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan((int)at))))];
    }

    // ---- what the writer records ----

    [Fact]
    public void In_PerOp_mode_every_frame_records_its_predecessor_as_synced()
    {
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.PerOp, AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            Collection c = db.GetCollection("docs");
            for (ulong id = 1; id <= 3; id++)
            {
                c.Upsert(new Record(id, new float[] { id, 1 }));
            }
        }
        // Nothing is unsynced at close, so no marker follows.
        Assert.Equal([(1L, 0L, false), (2L, 1L, false), (3L, 2L, false)], Frames().Select(f => (f.Lsn, f.Synced, f.Length == 0)));
    }

    [Fact]
    public void In_EveryN_mode_frames_record_the_last_sync_and_a_flush_appends_a_marker()
    {
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.EveryN(3), AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            Collection c = db.GetCollection("docs");
            for (ulong id = 1; id <= 4; id++)
            {
                c.Upsert(new Record(id, new float[] { id, 1 }));
            }
            c.Flush(); // batch 4 is unsynced: the flush syncs it and records so
            c.Upsert(new Record(5, new float[] { 5, 1 }));
        }
        // EveryN(3) syncs after batch 3; batch 4 records that; the flush's marker records 4; batch 5 records 4; the
        // close syncs batch 5 and appends its marker.
        Assert.Equal(
            [(1L, 0L, false), (2L, 0L, false), (3L, 0L, false), (4L, 3L, false), (4L, 4L, true), (5L, 4L, false), (5L, 5L, true)],
            Frames().Select(f => (f.Lsn, f.Synced, f.Length == 0)));
    }

    // ---- what the reader concludes ----

    [Fact]
    public void A_lost_unsynced_batch_followed_by_later_unsynced_ones_is_a_torn_tail_dropping_them()
    {
        // OnFlush: batches 1-3 unsynced, a flush (marker 3), batches 4-6 unsynced. A power cut lost batch 4's page and
        // kept 5 and 6, which record only batch 3 as synced: within the loss window, so the open drops 4-6.
        List<long> frames = WriteLog(Batch(1, 0), Batch(2, 0), Batch(3, 0), Marker(3), Batch(4, 3), Batch(5, 3), Batch(6, 3));
        Flip(frames[4] + WalFrames.FrameHeaderSize + 10); // batch 4's id
        long length = new FileInfo(WalPath).Length;

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(3, c.Count());
            Assert.Null(c.Get(4));
            CollectionStats stats = c.GetStats();
            Assert.Equal(length - frames[4], stats.TornTailBytesDropped);
            Assert.Contains("followed by 2 intact batches (LSN 5 to 6) none of which records LSN 4 as synced", stats.TornTailReason);
        }
        // The writer cut the tail; the log ends with the flush's marker, so it needs no other.
        Assert.Equal([(1L, 0L), (2L, 0L), (3L, 0L), (3L, 3L)], Frames().Select(f => (f.Lsn, f.Synced)));
    }

    [Fact]
    public void Damage_to_a_batch_a_later_frame_records_as_synced_is_corruption()
    {
        // Batch 2 was synced (marker 3 says so); a flipped bit in it, with intact batches after, is damage.
        List<long> frames = WriteLog(Batch(1, 0), Batch(2, 0), Batch(3, 0), Marker(3), Batch(4, 3), Batch(5, 3));
        Flip(frames[1] + WalFrames.FrameHeaderSize + 10); // batch 2's id
        byte[] before = File.ReadAllBytes(WalPath);

        foreach (bool readOnly in new[] { false, true })
        {
            using Database db = _temp.Open(new DatabaseOptions { ReadOnly = readOnly });
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(frames[1], ex.Offset);
            Assert.Contains($"the sync marker at byte {frames[3]} records batches through LSN 3 as synced", ex.Problem);
        }
        Assert.Equal(before, File.ReadAllBytes(WalPath)); // nothing cut
    }

    [Fact]
    public void Damage_to_a_batch_a_later_batch_records_as_synced_is_corruption()
    {
        // EveryN: batch 4 records batches through 3 as synced, so damage to batch 2 is not a lost unsynced page.
        List<long> frames = WriteLog(Batch(1, 0), Batch(2, 0), Batch(3, 0), Batch(4, 3), Batch(5, 3));
        Flip(frames[1] + WalFrames.FrameHeaderSize + 10);

        using Database db = _temp.Open();
        var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
        Assert.Equal(frames[1], ex.Offset);
        Assert.Contains($"the intact batch 4 at byte {frames[3]} records batches through LSN 3 as synced", ex.Problem);
    }

    [Fact]
    public void Damage_between_a_batch_and_its_marker_is_corruption_although_nothing_records_it_as_synced()
    {
        // Bytes that never were a batch: the marker right after them repeats the LSN before them, so no batch is
        // missing, and no power cut explains them.
        byte[] garbage = new byte[40];
        garbage.AsSpan().Fill(0xA5);
        List<long> frames = WriteLog(Batch(1, 0), Batch(2, 0), garbage, Marker(2));

        using Database db = _temp.Open();
        var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
        Assert.Equal(frames[2], ex.Offset);
    }

    [Fact]
    public void A_lost_unsynced_marker_followed_by_a_later_unsynced_batch_is_a_torn_tail()
    {
        // OnFlush: batch 3 synced by a flush, whose marker is not synced yet; batch 4 written after it. A power cut
        // lost the marker's page and kept batch 4's: no batch is missing, but the bad bytes are exactly a marker long
        // and nothing records batch 4 as synced, so they may be that unsynced marker: a torn tail, batch 4 dropped.
        List<long> frames = WriteLog(Batch(1, 0), Batch(2, 0), Batch(3, 0), Marker(3), Batch(4, 3));
        Flip(frames[3] + 9); // the marker's LSN

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(3, c.Count());
            Assert.Null(c.Get(4));
        }

        // The same bytes followed by a frame that records batch 4 as synced: the marker was durable, so it is damage.
        frames = WriteLog(Batch(1, 0), Batch(2, 0), Batch(3, 0), Marker(3), Batch(4, 3), Marker(4));
        Flip(frames[3] + 9);
        using (Database db = _temp.Open())
        {
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(frames[3], ex.Offset);
        }
    }

    [Fact]
    public void A_marker_the_checkpoint_covers_after_damage_is_no_evidence()
    {
        // A crash while a checkpoint emptied the log can leave damaged bytes and a marker of the checkpoint's own LSN:
        // nothing newer than the checkpoint is missing, so the open drops them as a torn tail and loses nothing.
        using (Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            Collection c = db.GetCollection("docs");
            c.Upsert(new Record(1, new float[] { 1, 1 }));
            c.Upsert(new Record(2, new float[] { 2, 1 }));
            c.Compact(); // checkpoint LSN 2
        }
        byte[] garbage = new byte[40];
        garbage.AsSpan().Fill(0xA5);
        WriteLog(garbage, Marker(2));

        using Database reopened = _temp.Open();
        Collection docs = reopened.GetCollection("docs");
        Assert.Equal(2, docs.Count());
        Assert.Equal(64, docs.GetStats().TornTailBytesDropped);
    }

    // ---- version 1 logs ----

    [Fact]
    public void A_version_1_log_keeps_its_rule_and_a_writer_open_upgrades_it_keeping_every_batch()
    {
        byte[][] v1 = [.. Enumerable.Range(1, 3).Select(i => WalFrames.BuildVersion1(i, WalFrames.UpsertBody((ulong)i, [i, 1], null)))];

        // Damage followed by an intact batch: corruption, as version 1 always had it (it records no syncs).
        byte[] damaged = WalFrames.LogVersion1(v1);
        damaged[WalFrames.FileHeaderSize + v1[0].Length + WalFrames.Version1FrameHeaderSize + 10] ^= 0x04; // batch 2's id
        File.WriteAllBytes(WalPath, damaged);
        using (Database db = _temp.Open())
        {
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(WalFrames.FileHeaderSize + v1[0].Length, ex.Offset);
        }

        // Intact: a read-only open leaves it as it is; a writer open rewrites it as version 2 with all three batches.
        File.WriteAllBytes(WalPath, WalFrames.LogVersion1(v1));
        using (Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(3, ro.GetCollection("docs").Count());
        }
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(WalPath).AsSpan(8)));
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(3, c.Count());
            c.Upsert(new Record(4, new float[] { 4, 1 }));
        }
        byte[] upgraded = File.ReadAllBytes(WalPath);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(upgraded.AsSpan(8)));
        // Each upgraded batch records its predecessor as synced, a marker records the upgrade, then batch 4.
        Assert.Equal([(1L, 0L, false), (2L, 1L, false), (3L, 2L, false), (3L, 3L, true), (4L, 3L, false)],
            Frames().Select(f => (f.Lsn, f.Synced, f.Length == 0)));
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(4, c.Count());
            Assert.Equal(new float[] { 2, 1 }, c.Get(2)!.Vector!.Value.ToArray());
        }
    }
}
