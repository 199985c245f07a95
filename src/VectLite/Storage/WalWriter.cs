using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace VectLite.Storage;

/// <summary>
/// Appends framed batches to a collection's write-ahead log through one handle kept open for the collection's life,
/// and fsyncs them as the <see cref="SyncMode"/> asks.
/// </summary>
/// <remarks>
/// Each batch is one <c>pwrite</c> of its whole frame, so the operating system holds either all of it or a torn prefix
/// that the reader's checksum rejects. Not thread-safe: the collection's writer lock serialises callers.
/// </remarks>
internal sealed class WalWriter : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private long _length;
    private long _unsyncedBatches;
    private byte[] _frame = new byte[4096];

    private WalWriter(string path, SafeFileHandle handle, long length)
    {
        _path = path;
        _handle = handle;
        _length = length;
    }

    /// <summary>Creates an empty log (header only) at <paramref name="path"/>, atomically.</summary>
    public static void CreateEmpty(string path) => DurableFile.WriteAtomic(path, BuildFileHeader());

    /// <summary>
    /// Opens an existing log for appending after <paramref name="validLength"/> bytes, cutting off anything past it
    /// (a torn tail found by <see cref="WalReader"/>), and syncs the cut so it is not replayed after another crash.
    /// </summary>
    public static WalWriter OpenForAppend(string path, long validLength)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(handle) != validLength)
            {
                RandomAccess.SetLength(handle, validLength);
                RandomAccess.FlushToDisk(handle);
            }
            return new WalWriter(path, handle, validLength);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The log's current size in bytes.</summary>
    public long Length => _length;

    /// <summary>The path of the log file.</summary>
    public string FilePath => _path;

    /// <summary>True when batches have been written that are not yet fsynced.</summary>
    public bool HasUnsyncedBatches => _unsyncedBatches > 0;

    /// <summary>Appends one batch as a frame and syncs it if <paramref name="mode"/> says so. Returns after the OS has the bytes.</summary>
    public void Append(long lsn, ReadOnlySpan<byte> batch, SyncMode mode)
    {
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

        RandomAccess.Write(_handle, frame, _length);
        _length += frameLength;
        _unsyncedBatches++;
        if (_unsyncedBatches > mode.MaxUnsyncedBatches)
        {
            Sync();
        }
    }

    /// <summary>fsyncs everything appended so far.</summary>
    public void Sync()
    {
        if (_unsyncedBatches == 0)
        {
            return;
        }
        RandomAccess.FlushToDisk(_handle);
        _unsyncedBatches = 0;
    }

    /// <summary>Cuts the log back to its header after a checkpoint has made its contents redundant, and syncs the cut.</summary>
    public void Reset()
    {
        RandomAccess.SetLength(_handle, WalFormat.FileHeaderSize);
        RandomAccess.FlushToDisk(_handle);
        _length = WalFormat.FileHeaderSize;
        _unsyncedBatches = 0;
    }

    /// <summary>Syncs and closes the log.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }
        try
        {
            Sync();
        }
        finally
        {
            _handle.Dispose();
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
