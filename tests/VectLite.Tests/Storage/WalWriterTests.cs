using VectLite.Storage;
using VectLite.Tests.Support;

namespace VectLite.Tests.Storage;

/// <summary>
/// The log writer on its own: the bytes it leaves in the file (frames as docs/file-format.md lays them out, built here
/// with <see cref="WalFrames"/> and System.IO.Hashing, not by the writer) and the file operations it makes, in order,
/// fsyncs included, recorded by <see cref="FaultInjectingStorage"/>. The batches are opaque bytes to the writer.
/// </summary>
public sealed class WalWriterTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-walwriter-");
    private readonly FaultInjectingStorage _storage = new(FileSystemStorage.Instance);

    public WalWriterTests() => WalWriter.CreateEmpty(FileSystemStorage.Instance, WalPath);

    public void Dispose() => _dir.Delete(recursive: true);

    private string WalPath => Path.Combine(_dir.FullName, "wal.vlwal");

    private byte[] Wal => File.ReadAllBytes(WalPath);

    /// <summary>The operations made since <paramref name="from"/>, as "Kind" (all on the log, or its temporary file).</summary>
    private List<string> OperationsSince(int from) =>
        [.. _storage.Log.Skip(from).Select(op => Path.GetFileName(op.Path) == "wal.vlwal" ? op.Kind.ToString() : $"{op.Kind} {Path.GetFileName(op.Path)}")];

    private static byte[] Body(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void A_new_log_is_the_documented_header_only()
    {
        Assert.Equal(WalFrames.FileHeader(), Wal);
    }

    [Fact]
    public void A_new_log_is_written_atomically_temporary_file_fsynced_renamed_directory_fsynced()
    {
        string path = Path.Combine(_dir.FullName, "other.vlwal");
        WalWriter.CreateEmpty(_storage, path);
        Assert.Equal(
            ["Create other.vlwal.tmp", "Write other.vlwal.tmp", "SyncFile other.vlwal.tmp", "Move other.vlwal.tmp", $"SyncDirectory {_dir.Name}"],
            OperationsSince(0));
        Assert.Equal(WalFrames.FileHeader(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Closing_fsyncs_unsynced_batches_then_their_marker()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        writer.Append(1, Body(3, 1), SyncMode.OnFlush);
        int from = _storage.OperationCount;

        writer.Dispose();

        Assert.Equal(["SyncFile", "Write", "SyncFile"], OperationsSince(from).Where(op => op != "Dispose"));
        Assert.Equal(WalFrames.Log(WalFrames.Build(1, Body(3, 1), syncedLsn: 0), WalFrames.Build(1, [], syncedLsn: 1)), Wal);
    }

    [Fact]
    public void PerOp_appends_each_batch_as_one_write_then_one_fsync_recording_the_previous_batch_as_synced()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 4);
        Assert.Equal(["OpenForWrite", "SyncFile"], OperationsSince(0)); // nothing to cut: no SetLength
        byte[] a = Body(10, 0xA1);
        byte[] b = Body(5000, 0xB2); // larger than the writer's first 4 KiB frame buffer

        writer.Append(5, a, SyncMode.PerOp);
        writer.Append(6, b, SyncMode.PerOp);

        Assert.Equal(["OpenForWrite", "SyncFile", "Write", "SyncFile", "Write", "SyncFile"], OperationsSince(0));
        byte[] expected = WalFrames.Log(WalFrames.Build(5, a, syncedLsn: 4), WalFrames.Build(6, b, syncedLsn: 5));
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);
        Assert.False(writer.HasUnsyncedBatches);

        int before = _storage.OperationCount;
        writer.Sync(); // nothing unsynced: no fsync, no marker
        writer.Dispose();
        writer.Dispose();
        Assert.Equal([], OperationsSince(before).Where(op => op != "Dispose"));
        Assert.Equal(expected, Wal);
    }

    [Fact]
    public void A_batch_of_a_mebibyte_or_more_is_written_after_its_header_not_copied_behind_it_and_the_bytes_are_the_same()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        byte[] below = Body(WalWriter.SeparateHeaderBytes - 1, 0xC3);
        byte[] large = Body(WalWriter.SeparateHeaderBytes, 0xD4);
        large[^1] = 0x01; // the checksum covers the last byte too
        int before = _storage.OperationCount;

        writer.Append(1, below, SyncMode.PerOp);
        writer.Append(2, large, SyncMode.PerOp);

        // One write for the frame below the size, two (header, then batch) for the other; the file is the same frames.
        Assert.Equal(["Write", "SyncFile", "Write", "Write", "SyncFile"], OperationsSince(before));
        byte[] expected = WalFrames.Log(WalFrames.Build(1, below, syncedLsn: 0), WalFrames.Build(2, large, syncedLsn: 1));
        Assert.Equal(expected, Wal);
        writer.Dispose();
    }

    [Fact]
    public void A_large_batch_whose_body_write_fails_is_cut_back_with_its_header_and_the_next_append_lands_in_its_place()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { Fault = InjectedFault.ShortWrite };
        using WalWriter writer = WalWriter.OpenForAppend(device, WalPath, 32, lastLsn: 0);
        byte[] small = Body(100, 0xA1);
        writer.Append(1, small, SyncMode.PerOp);
        byte[] good = Wal;

        device.FailAt = device.OperationCount + 2; // the header lands, half the batch does, then ENOSPC
        byte[] large = Body(WalWriter.SeparateHeaderBytes + 10, 0xE5);
        var ex = Assert.Throws<StorageException>(() => writer.Append(2, large, SyncMode.PerOp));
        Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
        Assert.Equal(good, Wal);
        Assert.Equal(good.Length, writer.Length);

        writer.Append(2, large, SyncMode.PerOp); // the fault is gone: the same LSN at the same offset
        Assert.Equal(WalFrames.Log(WalFrames.Build(1, small, syncedLsn: 0), WalFrames.Build(2, large, syncedLsn: 1)), Wal);
    }

    /// <summary>An encoder for <see cref="WalWriter.AppendStreamed"/> that hands <paramref name="pieces"/> to the sink in turn, counting its calls.</summary>
    private static Func<IBatchSink, long> Streaming(byte[][] pieces, List<int>? calls = null) => sink =>
    {
        calls?.Add(pieces.Length);
        foreach (byte[] piece in pieces)
        {
            sink.Write(piece);
        }
        return pieces.Sum(p => (long)p.Length);
    };

    [Fact]
    public void A_streamed_batch_is_encoded_twice_written_piece_by_piece_then_its_header_and_is_the_frame_of_the_whole_batch()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        byte[] first = Body(10, 0xA1);
        writer.Append(1, first, SyncMode.PerOp);
        byte[][] pieces = [Body(3000, 0x11), Body(1, 0x22), Body(70_000, 0x33)];
        pieces[2][^1] = 0x44; // the checksum covers the last byte too
        var calls = new List<int>();
        int before = _storage.OperationCount;

        writer.AppendStreamed(2, Streaming(pieces, calls), SyncMode.PerOp);

        Assert.Equal(2, calls.Count); // once to measure, once to write
        Assert.Equal(["Write", "Write", "Write", "Write", "SyncFile"], OperationsSince(before)); // the pieces, then the header
        byte[] expected = WalFrames.Log(WalFrames.Build(1, first, syncedLsn: 0), WalFrames.Build(2, [.. pieces.SelectMany(p => p)], syncedLsn: 1));
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);
        Assert.False(writer.HasUnsyncedBatches);
        writer.Dispose();
    }

    [Fact]
    public void A_streamed_batch_that_encodes_differently_the_second_time_is_refused_and_cut_back()
    {
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        writer.Append(1, Body(10, 0xA1), SyncMode.PerOp);
        byte[] good = Wal;
        int call = 0;

        var ex = Assert.Throws<StorageException>(() => writer.AppendStreamed(2, sink =>
        {
            byte[] piece = Body(++call == 1 ? 500 : 400, 0x55);
            sink.Write(piece);
            return piece.Length;
        }, SyncMode.PerOp));

        Assert.Contains("encoded to 500 bytes, then to 400", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(good, Wal); // the 400 bytes written past the end are cut back
        Assert.Equal(good.Length, writer.Length);
        writer.Append(2, Body(5, 0x66), SyncMode.PerOp);
        Assert.Equal(WalFrames.Log(WalFrames.Build(1, Body(10, 0xA1), syncedLsn: 0), WalFrames.Build(2, Body(5, 0x66), syncedLsn: 1)), Wal);
    }

    [Fact]
    public void A_streamed_batch_over_the_limit_is_refused_before_anything_is_written()
    {
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        byte[] good = Wal;
        byte[] mebibyte = new byte[1 << 20];
        var calls = new List<int>();
        int before = _storage.OperationCount;

        // 1,025 MiB in all: only counted, never held.
        Assert.Throws<InvalidRecordException>(() => writer.AppendStreamed(1, Streaming([.. Enumerable.Repeat(mebibyte, (WalFormat.MaxBatchBytes >> 20) + 1)], calls), SyncMode.PerOp));

        Assert.Single(calls);
        Assert.Empty(OperationsSince(before));
        Assert.Equal(good, Wal);
    }

    [Fact]
    public void A_streamed_batch_whose_piece_write_fails_is_cut_back_and_the_next_append_lands_in_its_place()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { Fault = InjectedFault.ShortWrite };
        using WalWriter writer = WalWriter.OpenForAppend(device, WalPath, 32, lastLsn: 0);
        byte[] small = Body(100, 0xA1);
        writer.Append(1, small, SyncMode.PerOp);
        byte[] good = Wal;
        byte[][] pieces = [Body(4000, 0x11), Body(4000, 0x22), Body(4000, 0x33)];

        device.FailAt = device.OperationCount + 2; // the first piece lands, half the second does, then ENOSPC
        var ex = Assert.Throws<StorageException>(() => writer.AppendStreamed(2, Streaming(pieces), SyncMode.PerOp));
        Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
        Assert.Equal(good, Wal);
        Assert.Equal(good.Length, writer.Length);

        writer.AppendStreamed(2, Streaming(pieces), SyncMode.PerOp); // the fault is gone: the same LSN at the same offset
        Assert.Equal(WalFrames.Log(WalFrames.Build(1, small, syncedLsn: 0), WalFrames.Build(2, [.. pieces.SelectMany(p => p)], syncedLsn: 1)), Wal);
    }

    [Fact]
    public void A_streamed_batch_stopped_before_its_header_is_a_torn_tail_that_the_reader_drops()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { Fault = InjectedFault.IOError, FailFromThenOn = true };
        byte[] small = Body(100, 0xA1);
        byte[][] pieces = [Body(4000, 0x11), Body(4000, 0x22)];
        using (WalWriter writer = WalWriter.OpenForAppend(device, WalPath, 32, lastLsn: 0))
        {
            writer.Append(1, small, SyncMode.PerOp);
            device.FailAt = device.OperationCount + 3; // both pieces land; the header write and the cut back fail (a crash there)
            Assert.Throws<StorageException>(() => writer.AppendStreamed(2, Streaming(pieces), SyncMode.PerOp));
        }

        byte[] frame1 = WalFrames.Build(1, small, syncedLsn: 0);
        Assert.Equal(32 + frame1.Length + 24 + 8000, Wal.Length); // the pieces are on disk behind an unwritten header
        var batches = new List<long>();
        WalReadResult result = WalReader.Read(WalPath, 0, (lsn, _) => batches.Add(lsn));
        Assert.Equal([1L], batches);
        Assert.Equal(24 + 8000, result.TornBytes);
    }

    [Fact]
    public void EveryN_fsyncs_every_nth_batch_and_frames_record_the_last_synced_LSN()
    {
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        int from = _storage.OperationCount;
        for (long lsn = 1; lsn <= 4; lsn++)
        {
            writer.Append(lsn, Body(3, (byte)lsn), SyncMode.EveryN(2));
        }

        Assert.Equal(["Write", "Write", "SyncFile", "Write", "Write", "SyncFile"], OperationsSince(from));
        Assert.Equal(
            WalFrames.Log(
                WalFrames.Build(1, Body(3, 1), syncedLsn: 0), WalFrames.Build(2, Body(3, 2), syncedLsn: 0),
                WalFrames.Build(3, Body(3, 3), syncedLsn: 2), WalFrames.Build(4, Body(3, 4), syncedLsn: 2)),
            Wal);
        Assert.False(writer.HasUnsyncedBatches);
    }

    [Fact]
    public void OnFlush_syncs_at_Sync_then_appends_a_marker_that_the_close_fsyncs()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        int from = _storage.OperationCount;
        writer.Append(1, Body(3, 1), SyncMode.OnFlush);
        writer.Append(2, Body(3, 2), SyncMode.OnFlush);
        Assert.True(writer.HasUnsyncedBatches);
        Assert.Equal(["Write", "Write"], OperationsSince(from));

        writer.Sync();
        Assert.Equal(["Write", "Write", "SyncFile", "Write"], OperationsSince(from));
        Assert.False(writer.HasUnsyncedBatches);
        byte[] expected = WalFrames.Log(
            WalFrames.Build(1, Body(3, 1), syncedLsn: 0), WalFrames.Build(2, Body(3, 2), syncedLsn: 0),
            WalFrames.Build(2, [], syncedLsn: 2)); // the marker: LSN and synced LSN both the newest synced
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);

        writer.Dispose(); // the marker is unsynced: the close fsyncs it
        Assert.Equal(["Write", "Write", "SyncFile", "Write", "SyncFile"], OperationsSince(from));

        // A batch after a marker records the marker's sync.
        using WalWriter again = WalWriter.OpenForAppend(_storage, WalPath, expected.Length, lastLsn: 2);
        again.Append(3, Body(1, 3), SyncMode.OnFlush);
        Assert.Equal([.. expected, .. WalFrames.Build(3, Body(1, 3), syncedLsn: 2)], Wal);
    }

    [Fact]
    public void Opening_after_a_torn_tail_cuts_it_and_can_record_what_it_kept_with_a_marker()
    {
        byte[] kept = WalFrames.Log(WalFrames.Build(1, Body(4, 1), syncedLsn: 0));
        File.WriteAllBytes(WalPath, [.. kept, .. Body(9, 0xEE)]); // a torn frame after it

        int from = _storage.OperationCount;
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, kept.Length, lastLsn: 1, markSynced: true);

        Assert.Equal(["OpenForWrite", "SetLength", "Write", "SyncFile"], OperationsSince(from));
        byte[] expected = [.. kept, .. WalFrames.Build(1, [], syncedLsn: 1)];
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);
        writer.Append(2, Body(2, 2), SyncMode.OnFlush);
        Assert.Equal([.. expected, .. WalFrames.Build(2, Body(2, 2), syncedLsn: 1)], Wal);
    }

    [Fact]
    public void A_version_1_log_is_rewritten_as_version_2_keeping_its_frames_each_recording_its_predecessor()
    {
        byte[] a = Body(7, 1);
        byte[] b = Body(5000, 2);
        byte[] v1 = WalFrames.LogVersion1(WalFrames.BuildVersion1(1, a), WalFrames.BuildVersion1(2, b));
        File.WriteAllBytes(WalPath, [.. v1, .. Body(5, 0xEE)]); // and a torn tail the read left out

        int from = _storage.OperationCount;
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, v1.Length, lastLsn: 2, markSynced: true, version: 1);

        byte[] expected = WalFrames.Log(WalFrames.Build(1, a, syncedLsn: 0), WalFrames.Build(2, b, syncedLsn: 1), WalFrames.Build(2, [], syncedLsn: 2));
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);
        Assert.Equal(
            ["Create wal.vlwal.tmp", "Write wal.vlwal.tmp", "Write wal.vlwal.tmp", "Write wal.vlwal.tmp", "Write wal.vlwal.tmp", "SyncFile wal.vlwal.tmp",
             "Move wal.vlwal.tmp", $"SyncDirectory {_dir.Name}", "OpenForWrite", "SyncFile"],
            OperationsSince(from));
        Assert.False(File.Exists(WalPath + ".tmp"));
    }

    [Fact]
    public void Dropping_a_prefix_keeps_the_later_frames_beyond_one_copy_chunk_byte_for_byte_then_a_marker()
    {
        WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        byte[] one = Body(100, 1);
        byte[] two = Body(700_000, 2);
        byte[] three = Body(700_000, 3); // two and three: more than the 1 MiB the copy reads at a time
        writer.Append(1, one, SyncMode.OnFlush);
        writer.Append(2, two, SyncMode.OnFlush);
        writer.Append(3, three, SyncMode.OnFlush);

        int from = _storage.OperationCount;
        writer.DropPrefix(32 + 24 + 100); // where frame 2 starts

        // The sync before the copy appends its marker to the old log, and the copy keeps it: two markers follow the
        // kept frames (24 bytes more than needed, and harmless: a marker records a sync, however often).
        byte[] expected = WalFrames.Log(
            WalFrames.Build(2, two, syncedLsn: 0), WalFrames.Build(3, three, syncedLsn: 0),
            WalFrames.Build(3, [], syncedLsn: 3), WalFrames.Build(3, [], syncedLsn: 3));
        Assert.Equal(expected, Wal);
        Assert.Equal(expected.Length, writer.Length);
        Assert.False(writer.HasUnsyncedBatches);
        List<string> ops = OperationsSince(from);
        // The old log is synced (and marked) first, the new one written and fsynced before the rename, the directory after.
        Assert.Equal(["SyncFile", "Write", "Create wal.vlwal.tmp", "Write wal.vlwal.tmp"], ops[..4]);
        Assert.Equal(["Write wal.vlwal.tmp", "SyncFile wal.vlwal.tmp", "Move wal.vlwal.tmp", "OpenForWrite", $"SyncDirectory {_dir.Name}"], ops[^5..]);

        writer.Append(4, Body(1, 4), SyncMode.PerOp); // appends continue on the new log, after the marker
        writer.Dispose();
        Assert.Equal([.. expected, .. WalFrames.Build(4, Body(1, 4), syncedLsn: 3)], Wal);
    }

    [Fact]
    public void Dropping_everything_up_to_the_last_batch_cuts_the_log_in_place_to_its_header()
    {
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        writer.Append(1, Body(3, 1), SyncMode.OnFlush);
        writer.Sync(); // a marker follows the batch: dropping up to the batch's end drops everything
        long batchEnd = 32 + 24 + 3;

        int from = _storage.OperationCount;
        writer.DropPrefix(batchEnd);

        Assert.Equal(["SetLength", "SyncFile"], OperationsSince(from));
        Assert.Equal(WalFrames.FileHeader(), Wal);
        Assert.Equal(32, writer.Length);
        writer.Append(2, Body(1, 2), SyncMode.OnFlush);
        Assert.Equal(WalFrames.Log(WalFrames.Build(2, Body(1, 2), syncedLsn: 1)), Wal);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32 + 24 + 3 + 1)]
    public void A_prefix_outside_the_log_is_an_argument_error(long offset)
    {
        using WalWriter writer = WalWriter.OpenForAppend(_storage, WalPath, 32, lastLsn: 0);
        writer.Append(1, Body(3, 1), SyncMode.PerOp);
        writer.DropPrefix(32 + 24 + 3); // the whole log: allowed (cut to the header)
        writer.Append(2, Body(3, 2), SyncMode.PerOp);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.DropPrefix(offset));
        writer.DropPrefix(32); // nothing dropped: the log stays as it is
        Assert.Equal(WalFrames.Log(WalFrames.Build(2, Body(3, 2), syncedLsn: 1), WalFrames.Build(2, [], syncedLsn: 2)), Wal);
    }
}
