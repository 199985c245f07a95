using System.Buffers.Binary;

namespace VectLite.Storage;

/// <summary>
/// Appends framed batches to a collection's write-ahead log through one handle kept open for the collection's life,
/// and fsyncs them as the <see cref="SyncMode"/> asks.
/// </summary>
/// <remarks>
/// Each batch is one <c>pwrite</c> of its whole frame, so the operating system holds either all of it or a torn prefix
/// that the reader's checksum rejects. Each frame records the newest LSN fsynced before it (<see cref="WalFormat"/>), so
/// that after a power cut the reader can tell an unsynced frame lost out of order from damage to a durable one. An append that fails (write or fsync) is cut back off the file before the error
/// reaches the caller, so the log never holds an unacknowledged frame the next batch would have to follow; if even the
/// cut fails, the writer refuses every further append until the database is reopened (which drops a torn tail).
/// Not thread-safe: the collection's writer lock serialises callers.
/// </remarks>
internal sealed class WalWriter : IDisposable
{
    private readonly IStorageDevice _storage;
    private IStorageFile _file;
    private long _length;
    private long _batchesEnd; // where the last batch frame ends: past it, only sync markers
    private long _unsyncedBatches;
    private long _lastLsn;
    private long _syncedLsn;
    private bool _markerUnsynced;
    private bool _cutBackFailed;
    private bool _disposed;
    private byte[] _frame = new byte[4096];

    private WalWriter(IStorageDevice storage, IStorageFile file, long length, long lastLsn)
    {
        _storage = storage;
        _file = file;
        _length = length;
        _batchesEnd = length;
        _lastLsn = lastLsn;
        _syncedLsn = lastLsn; // the open synced everything it kept
    }

    /// <summary>Creates an empty log (header only) at <paramref name="path"/>, atomically.</summary>
    public static void CreateEmpty(IStorageDevice storage, string path) => DurableFile.WriteAtomic(storage, path, BuildFileHeader());

    /// <summary>
    /// Opens an existing log for appending after <paramref name="validLength"/> bytes, cutting off anything past it
    /// (a torn tail found by <see cref="WalReader"/>), and syncs it: the frames it keeps are durable from here on, and
    /// the next frame records them so. A version 1 log is rewritten as version 2 first (under a temporary name, then
    /// renamed over it), keeping its frames.
    /// </summary>
    /// <param name="storage">The device the log lives on.</param>
    /// <param name="path">The log file.</param>
    /// <param name="validLength">Where the intact frames end (<see cref="WalReadResult.ValidLength"/>).</param>
    /// <param name="lastLsn">The LSN of the last intact frame, or the checkpoint's when there is none (<see cref="WalReadResult.LastLsn"/>).</param>
    /// <param name="markSynced">
    /// Append a sync marker before the sync, so the log itself records the kept frames as durable
    /// (<see cref="WalReadResult.EndsUnmarked"/>: frames the log does not yet record as synced).
    /// </param>
    /// <param name="version">The log's format version, as the read that found <paramref name="validLength"/> gave it (<see cref="WalReadResult.Version"/>).</param>
    /// <exception cref="StorageException">The log could not be opened, cut, rewritten or synced.</exception>
    public static WalWriter OpenForAppend(IStorageDevice storage, string path, long validLength, long lastLsn, bool markSynced = false, uint version = WalFormat.Version)
    {
        if (version == WalFormat.Version1)
        {
            validLength = Upgrade(storage, path, validLength, lastLsn);
            markSynced = false; // the upgrade ends with a marker
        }
        IStorageFile file = storage.OpenForWrite(path);
        try
        {
            if (file.Length != validLength)
            {
                file.SetLength(validLength);
            }
            var writer = new WalWriter(storage, file, validLength, lastLsn);
            if (markSynced)
            {
                int length = EncodeFrame(ref writer._frame, lastLsn, lastLsn, []);
                file.Write(writer._frame.AsSpan(0, length), validLength);
                writer._length += length;
            }
            file.Sync();
            return writer;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Rewrites the version 1 log at <paramref name="path"/> (its frames up to <paramref name="validLength"/>) as
    /// version 2 and returns the new valid length. Each frame records its predecessor as synced, which is true once the
    /// new file is fsynced, before the rename that makes it the log; a sync marker after them records the last one.
    /// </summary>
    private static long Upgrade(IStorageDevice storage, string path, long validLength, long lastLsn)
    {
        string temp = path + DurableFile.TempSuffix;
        long length = WalFormat.FileHeaderSize;
        try
        {
            using (IStorageFile target = storage.Create(temp))
            {
                target.Write(BuildFileHeader(), 0);
                byte[] frame = new byte[4096];
                WalReader.ForEachFrame(path, validLength, (lsn, batch) =>
                {
                    int frameLength = EncodeFrame(ref frame, lsn, lsn - 1, batch.Span);
                    target.Write(frame.AsSpan(0, frameLength), length);
                    length += frameLength;
                });
                int markerLength = EncodeFrame(ref frame, lastLsn, lastLsn, []);
                target.Write(frame.AsSpan(0, markerLength), length);
                length += markerLength;
                target.Sync();
            }
            storage.Move(temp, path);
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
        {
            DurableFile.TryDelete(storage, temp);
            throw ex as StorageException ?? new StorageException(VectLiteErrorCode.StorageFailure, path, "rewrite the log as version 2", ex);
        }
        storage.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return length;
    }

    /// <summary>The log's current size in bytes.</summary>
    public long Length => _length;

    /// <summary>The path of the log file.</summary>
    public string FilePath => _file.Path;

    /// <summary>True when batches have been written that are not yet fsynced.</summary>
    public bool HasUnsyncedBatches => _unsyncedBatches > 0;

    /// <summary>Appends one batch as a frame and syncs it if <paramref name="mode"/> says so. Returns after the OS has the bytes.</summary>
    /// <exception cref="InvalidRecordException">The batch is larger than the log's frame limit; nothing was written.</exception>
    /// <exception cref="StorageException">
    /// The write or the fsync failed; the frame was cut back off the log (or, if that failed too, this writer refuses
    /// further appends until the database is reopened).
    /// </exception>
    public void Append(long lsn, ReadOnlySpan<byte> batch, SyncMode mode)
    {
        ThrowIfCutBackFailed();
        ThrowIfOverLimit(batch.Length);

        int frameLength = WalFormat.FrameHeaderSize + batch.Length;
        long unsynced = _unsyncedBatches + 1;
        try
        {
            if (batch.Length < SeparateHeaderBytes)
            {
                EncodeFrame(ref _frame, lsn, _syncedLsn, batch);
                _file.Write(_frame.AsSpan(0, frameLength), _length);
            }
            else
            {
                // A large batch is not copied behind its header (a bulk load's batch is hundreds of megabytes): the header
                // and the batch go as two writes. A crash between them leaves a frame whose checksum fails, a torn tail,
                // as a partial single write would; a failed write is cut back either way.
                Span<byte> header = stackalloc byte[WalFormat.FrameHeaderSize];
                WriteFrameHeader(header, lsn, _syncedLsn, batch);
                _file.Write(header, _length);
                _file.Write(batch, _length + WalFormat.FrameHeaderSize);
            }
            unsynced = SyncIfDue(unsynced, mode);
        }
        catch (StorageException)
        {
            CutBack();
            throw;
        }
        Appended(lsn, frameLength, unsynced);
    }

    /// <summary>
    /// Appends one batch that <paramref name="encode"/> produces in pieces (<see cref="WalBatchCodec.Encode(IReadOnlyList{WalOperation}, BinaryBuffer, IBatchSink)"/>)
    /// instead of holding it whole, as <see cref="Append"/> would, and syncs it if <paramref name="mode"/> says so.
    /// <paramref name="encode"/> runs twice and must give the same bytes both times: first only to learn the batch's
    /// length (the frame's checksum covers the length before the batch), then to write it.
    /// </summary>
    /// <remarks>
    /// The pieces are written after the header's place and checksummed as they go; the header, which carries the
    /// checksum, is written last. A crash before it leaves a frame whose header does not check, a torn tail, as a
    /// partial single write would; a failed write is cut back as in <see cref="Append"/>. The file holds the same bytes
    /// as after <see cref="Append"/> of the whole batch.
    /// </remarks>
    /// <exception cref="InvalidRecordException">The batch is larger than the log's frame limit; nothing was written.</exception>
    /// <exception cref="StorageException">As in <see cref="Append"/>.</exception>
    public void AppendStreamed(long lsn, Func<IBatchSink, long> encode, SyncMode mode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ThrowIfCutBackFailed();
        var measure = new LengthSink();
        long batchLength = encode(measure);
        ThrowIfOverLimit(batchLength);

        Span<byte> header = stackalloc byte[WalFormat.FrameHeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(header, (int)batchLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], lsn);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], _syncedLsn);
        var body = new FileSink(_file, _length + WalFormat.FrameHeaderSize);
        body.Checksum.Append(header[..4]);
        body.Checksum.Append(header[8..]);
        long frameLength = WalFormat.FrameHeaderSize + batchLength;
        long unsynced = _unsyncedBatches + 1;
        try
        {
            long written = encode(body);
            if (written != batchLength || body.Written != batchLength)
            {
                throw new StorageException(VectLiteErrorCode.StorageFailure, _file.Path, "append to the log",
                    new InvalidOperationException($"the batch encoded to {batchLength} bytes, then to {body.Written}: not written"));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], body.Checksum.GetCurrentHashAsUInt32());
            _file.Write(header, _length);
            unsynced = SyncIfDue(unsynced, mode);
        }
        catch
        {
            CutBack(); // whatever failed, pieces may have been written past the log's end
            throw;
        }
        Appended(lsn, frameLength, unsynced);
    }

    /// <summary>Refuses a batch of more than <see cref="WalFormat.MaxBatchBytes"/> (the reader would take its frame for damage); an in-memory collection, which logs nothing, applies the same rule.</summary>
    /// <exception cref="InvalidRecordException">The batch is over the limit.</exception>
    internal static void ThrowIfOverLimit(long batchBytes)
    {
        if (batchBytes > WalFormat.MaxBatchBytes)
        {
            throw new InvalidRecordException($"A single write batch of {batchBytes} bytes exceeds the log's limit of {WalFormat.MaxBatchBytes} bytes; split it into smaller batches.");
        }
    }

    /// <summary>Refuses an append after one whose frame could not be cut back off the log.</summary>
    private void ThrowIfCutBackFailed()
    {
        if (_cutBackFailed)
        {
            throw new StorageException(VectLiteErrorCode.StorageFailure, _file.Path, "append to the log",
                new IOException("an earlier append failed and could not be cut back off the log; reopen the database to resume writing"));
        }
    }

    /// <summary>Fsyncs when the batches not yet synced, <paramref name="unsynced"/> with this one, exceed what <paramref name="mode"/> allows; returns those left unsynced.</summary>
    private long SyncIfDue(long unsynced, SyncMode mode)
    {
        if (unsynced > mode.MaxUnsyncedBatches)
        {
            _file.Sync();
            return 0;
        }
        return unsynced;
    }

    /// <summary>Takes an appended frame on board: the log's length, its last LSN, and whether that LSN is synced.</summary>
    private void Appended(long lsn, long frameLength, long unsynced)
    {
        _length += frameLength;
        _batchesEnd = _length;
        _unsyncedBatches = unsynced;
        _lastLsn = lsn;
        if (unsynced == 0)
        {
            _syncedLsn = lsn;
            _markerUnsynced = false;
        }
    }

    /// <summary>Counts a streamed batch's bytes (<see cref="AppendStreamed"/>'s first pass).</summary>
    private sealed class LengthSink : IBatchSink
    {
        public long Written { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes) => Written += bytes.Length;
    }

    /// <summary>Writes a streamed batch's pieces one after another into the log file, checksumming them (the second pass).</summary>
    private sealed class FileSink(IStorageFile file, long offset) : IBatchSink
    {
        public System.IO.Hashing.Crc32 Checksum { get; } = Storage.Checksum.CreateRunning();

        public long Written { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Checksum.Append(bytes);
            file.Write(bytes, offset + Written);
            Written += bytes.Length;
        }
    }

    /// <summary>
    /// Batches of at least this many bytes are written after their header instead of copied behind it in one frame
    /// buffer (which would also keep a buffer the size of the largest batch for the life of the log).
    /// </summary>
    internal const int SeparateHeaderBytes = 1 << 20;

    /// <summary>Writes the frame of <paramref name="batch"/> into <paramref name="frame"/> (grown as needed) and returns its length.</summary>
    private static int EncodeFrame(ref byte[] frame, long lsn, long syncedLsn, ReadOnlySpan<byte> batch)
    {
        int frameLength = WalFormat.FrameHeaderSize + batch.Length;
        if (frame.Length < frameLength)
        {
            frame = new byte[Math.Max(frameLength, frame.Length * 2)];
        }
        Span<byte> bytes = frame.AsSpan(0, frameLength);
        batch.CopyTo(bytes[WalFormat.FrameHeaderSize..]);
        WriteFrameHeader(bytes[..WalFormat.FrameHeaderSize], lsn, syncedLsn, batch);
        return frameLength;
    }

    /// <summary>Writes the header of <paramref name="batch"/>'s frame (length, checksum, LSN, synced LSN) into <paramref name="header"/>.</summary>
    private static void WriteFrameHeader(Span<byte> header, long lsn, long syncedLsn, ReadOnlySpan<byte> batch)
    {
        BinaryPrimitives.WriteInt32LittleEndian(header, batch.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], lsn);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], syncedLsn);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], FrameChecksum(header[..4], header[8..WalFormat.FrameHeaderSize], batch));
    }

    /// <summary>
    /// Removes whatever a failed append left past the last good frame. Not fsynced here: the next successful sync
    /// carries the new length, and until then a power cut can at worst bring back the whole unacknowledged frame,
    /// which the next batch (same LSN, same offset) overwrites.
    /// </summary>
    private void CutBack()
    {
        try
        {
            _file.SetLength(_length);
        }
        catch (StorageException)
        {
            _cutBackFailed = true;
        }
    }

    /// <summary>
    /// fsyncs everything appended so far, then appends a sync marker (not itself synced: the next sync carries it), so
    /// that the log records those batches as durable even if no batch follows.
    /// </summary>
    public void Sync()
    {
        if (_unsyncedBatches == 0)
        {
            return;
        }
        _file.Sync();
        _unsyncedBatches = 0;
        _syncedLsn = _lastLsn;
        AppendSyncMarker();
    }

    /// <summary>
    /// Appends a sync marker: a frame with no batch whose LSN and synced LSN are the newest synced LSN. A batch frame
    /// records the syncs before it, but after an explicit sync (Flush, close, a checkpoint) no batch may follow; without
    /// the marker, damage to a durable frame at the end of the log would look like the loss of unsynced ones.
    /// </summary>
    /// <remarks>
    /// A marker that cannot be written is cut back and skipped: the sync it records has succeeded, and the marker only
    /// sharpens what a later read can prove. The next frame starts where it would have.
    /// </remarks>
    private void AppendSyncMarker()
    {
        if (_cutBackFailed)
        {
            return;
        }
        int length = EncodeFrame(ref _frame, _syncedLsn, _syncedLsn, []);
        try
        {
            _file.Write(_frame.AsSpan(0, length), _length);
        }
        catch (StorageException)
        {
            CutBack();
            return;
        }
        _length += length;
        _markerUnsynced = true;
    }

    /// <summary>Cuts the log back to its header after a checkpoint has made its contents redundant, and syncs the cut.</summary>
    /// <remarks>After the cut the log is clean again, so a writer that could not cut back a failed append resumes.</remarks>
    public void Reset()
    {
        _file.SetLength(WalFormat.FileHeaderSize);
        _length = WalFormat.FileHeaderSize;
        _batchesEnd = _length;
        _unsyncedBatches = 0;
        _syncedLsn = _lastLsn; // the checkpoint holds them durably
        _markerUnsynced = false;
        _cutBackFailed = false;
        _file.Sync();
    }

    /// <summary>
    /// Drops the frames before <paramref name="offset"/> after a checkpoint made them redundant, keeping the frames
    /// from there on (batches written while the checkpoint ran): a new log of the header and those frames is written
    /// under a temporary name, fsynced, and renamed over this one, and appends continue on it. With nothing to keep,
    /// the log is cut back in place (<see cref="Reset"/>).
    /// </summary>
    /// <remarks>
    /// The rename is the switch: a crash before it leaves the whole log (replay skips what the checkpoint holds), after
    /// it the short one. A failure before the rename leaves this writer as it was; a failure to open the new log after
    /// it leaves a writer that refuses appends (they would go to the replaced file) until the database is reopened.
    /// </remarks>
    /// <exception cref="StorageException">The new log could not be written, renamed or opened.</exception>
    public void DropPrefix(long offset)
    {
        if (offset < WalFormat.FileHeaderSize || offset > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The log holds {_length} bytes; frames start at {WalFormat.FileHeaderSize}.");
        }
        if (offset >= _batchesEnd)
        {
            Reset(); // every batch is in the checkpoint (at most sync markers follow): no sync of what it drops
            return;
        }
        Sync();

        string path = _file.Path;
        string temp = path + DurableFile.TempSuffix;
        long keep = _length - offset;
        int markerLength;
        try
        {
            using IStorageFile target = _storage.Create(temp);
            target.Write(BuildFileHeader(), 0);
            using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1))
            {
                source.Position = offset;
                byte[] buffer = new byte[(int)Math.Min(keep, 1 << 20)];
                long copied = 0;
                while (copied < keep)
                {
                    int read = source.ReadAtLeast(buffer.AsSpan(0, (int)Math.Min(buffer.Length, keep - copied)), 1, throwOnEndOfStream: false);
                    if (read == 0)
                    {
                        throw new StorageException(VectLiteErrorCode.StorageFailure, path, "copy the log's tail",
                            new EndOfStreamException($"the log ended at byte {offset + copied}, before its expected length {_length}"));
                    }
                    target.Write(buffer.AsSpan(0, read), WalFormat.FileHeaderSize + copied);
                    copied += read;
                }
            }
            // The kept frames are durable once this file is: record them so, whatever follows.
            markerLength = EncodeFrame(ref _frame, _lastLsn, _lastLsn, []);
            target.Write(_frame.AsSpan(0, markerLength), WalFormat.FileHeaderSize + keep);
            target.Sync();
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
        {
            DurableFile.TryDelete(_storage, temp);
            throw ex as StorageException ?? new StorageException(VectLiteErrorCode.StorageFailure, path, "copy the log's tail", ex);
        }
        try
        {
            _storage.Move(temp, path); // the switch
        }
        catch (StorageException)
        {
            DurableFile.TryDelete(_storage, temp);
            throw;
        }
        try
        {
            _file.Dispose();
            _file = _storage.OpenForWrite(path);
            _length = WalFormat.FileHeaderSize + keep + markerLength;
            _batchesEnd = _length;
            _unsyncedBatches = 0;
            _syncedLsn = _lastLsn;
            _markerUnsynced = false;
            _cutBackFailed = false;
            _storage.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (StorageException)
        {
            _cutBackFailed = true; // appends must not go to the replaced file
            throw;
        }
    }

    /// <summary>Syncs and closes the log.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Sync();
            if (_markerUnsynced)
            {
                _file.Sync(); // the close is the last chance to make the marker durable
            }
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <summary>A frame's checksum: over its length, the rest of its header after the checksum (LSN, synced LSN) and its batch.</summary>
    internal static uint FrameChecksum(ReadOnlySpan<byte> lengthBytes, ReadOnlySpan<byte> headerAfterChecksum, ReadOnlySpan<byte> batch)
    {
        var crc = Checksum.CreateRunning();
        crc.Append(lengthBytes);
        crc.Append(headerAfterChecksum);
        crc.Append(batch);
        return crc.GetCurrentHashAsUInt32();
    }

    private static byte[] BuildFileHeader()
    {
        var header = new byte[WalFormat.FileHeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, FileMagic.WriteAheadLog);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), WalFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Checksum.Compute(header.AsSpan(0, 28)));
        return header;
    }
}
