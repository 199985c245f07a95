using System.Buffers.Binary;

namespace VectLite.Storage;

/// <summary>
/// Appends framed batches to a collection's write-ahead log through one handle kept open for the collection's life,
/// and fsyncs them as the <see cref="SyncMode"/> asks.
/// </summary>
/// <remarks>
/// Each batch is one <c>pwrite</c> of its whole frame, so the operating system holds either all of it or a torn prefix
/// that the reader's checksum rejects. An append that fails (write or fsync) is cut back off the file before the error
/// reaches the caller, so the log never holds an unacknowledged frame the next batch would have to follow; if even the
/// cut fails, the writer refuses every further append until the database is reopened (which drops a torn tail).
/// Not thread-safe: the collection's writer lock serialises callers.
/// </remarks>
internal sealed class WalWriter : IDisposable
{
    private readonly IStorageDevice _storage;
    private IStorageFile _file;
    private long _length;
    private long _unsyncedBatches;
    private bool _cutBackFailed;
    private bool _disposed;
    private byte[] _frame = new byte[4096];

    private WalWriter(IStorageDevice storage, IStorageFile file, long length)
    {
        _storage = storage;
        _file = file;
        _length = length;
    }

    /// <summary>Creates an empty log (header only) at <paramref name="path"/>, atomically.</summary>
    public static void CreateEmpty(IStorageDevice storage, string path) => DurableFile.WriteAtomic(storage, path, BuildFileHeader());

    /// <summary>
    /// Opens an existing log for appending after <paramref name="validLength"/> bytes, cutting off anything past it
    /// (a torn tail found by <see cref="WalReader"/>), and syncs the cut so it is not replayed after another crash.
    /// </summary>
    /// <exception cref="StorageException">The log could not be opened, cut or synced.</exception>
    public static WalWriter OpenForAppend(IStorageDevice storage, string path, long validLength)
    {
        IStorageFile file = storage.OpenForWrite(path);
        try
        {
            if (file.Length != validLength)
            {
                file.SetLength(validLength);
                file.Sync();
            }
            return new WalWriter(storage, file, validLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
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
        if (_cutBackFailed)
        {
            throw new StorageException(VectLiteErrorCode.StorageFailure, _file.Path, "append to the log",
                new IOException("an earlier append failed and could not be cut back off the log; reopen the database to resume writing"));
        }
        if (batch.Length > WalFormat.MaxBatchBytes)
        {
            throw new InvalidRecordException($"A single write batch of {batch.Length} bytes exceeds the log's limit of {WalFormat.MaxBatchBytes} bytes; split it into smaller batches.");
        }

        int frameLength = WalFormat.FrameHeaderSize + batch.Length;
        if (_frame.Length < frameLength)
        {
            _frame = new byte[Math.Max(frameLength, _frame.Length * 2)];
        }
        Span<byte> frame = _frame.AsSpan(0, frameLength);
        BinaryPrimitives.WriteInt32LittleEndian(frame, batch.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], lsn);
        batch.CopyTo(frame[WalFormat.FrameHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], FrameChecksum(frame[..4], frame[8..16], batch));

        long unsynced = _unsyncedBatches + 1;
        try
        {
            _file.Write(frame, _length);
            if (unsynced > mode.MaxUnsyncedBatches)
            {
                _file.Sync();
                unsynced = 0;
            }
        }
        catch (StorageException)
        {
            CutBack();
            throw;
        }
        _length += frameLength;
        _unsyncedBatches = unsynced;
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

    /// <summary>fsyncs everything appended so far.</summary>
    public void Sync()
    {
        if (_unsyncedBatches == 0)
        {
            return;
        }
        _file.Sync();
        _unsyncedBatches = 0;
    }

    /// <summary>Cuts the log back to its header after a checkpoint has made its contents redundant, and syncs the cut.</summary>
    /// <remarks>After the cut the log is clean again, so a writer that could not cut back a failed append resumes.</remarks>
    public void Reset()
    {
        _file.SetLength(WalFormat.FileHeaderSize);
        _length = WalFormat.FileHeaderSize;
        _unsyncedBatches = 0;
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
        Sync();
        if (offset == _length)
        {
            Reset();
            return;
        }

        string path = _file.Path;
        string temp = path + DurableFile.TempSuffix;
        long keep = _length - offset;
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
            _length = WalFormat.FileHeaderSize + keep;
            _unsyncedBatches = 0;
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
        }
        finally
        {
            _file.Dispose();
        }
    }

    internal static uint FrameChecksum(ReadOnlySpan<byte> lengthBytes, ReadOnlySpan<byte> lsnBytes, ReadOnlySpan<byte> batch)
    {
        var crc = Checksum.CreateRunning();
        crc.Append(lengthBytes);
        crc.Append(lsnBytes);
        crc.Append(batch);
        return crc.GetCurrentHashAsUInt32();
    }

    private static byte[] BuildFileHeader()
    {
        var header = new byte[WalFormat.FileHeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, FileMagic.WriteAheadLog);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FileMagic.CurrentVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Checksum.Compute(header.AsSpan(0, 28)));
        return header;
    }
}
