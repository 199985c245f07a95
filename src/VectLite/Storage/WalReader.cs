using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace VectLite.Storage;

/// <summary>What a replay of the log found.</summary>
/// <param name="ValidLength">Bytes of the file up to the end of the last intact frame; appends continue from here.</param>
/// <param name="Batches">Intact frames read (including those at or below the checkpoint LSN, which are skipped).</param>
/// <param name="TornBytes">Bytes after the last intact frame that were dropped; 0 when the log ended cleanly.</param>
/// <param name="TornReason">Why the tail was dropped, or null.</param>
/// <param name="LastLsn">The LSN of the last intact frame, or the checkpoint LSN when none is newer.</param>
internal readonly record struct WalReadResult(long ValidLength, int Batches, long TornBytes, string? TornReason, long LastLsn);

/// <summary>
/// Reads a write-ahead log front to back, hands each intact batch newer than the checkpoint to a callback, and stops
/// at the first frame that is short, fails its checksum, or breaks the LSN sequence: that frame and everything after
/// it are a torn tail, reported and never applied.
/// </summary>
internal static class WalReader
{
    /// <summary>A callback receiving one intact batch; the span is only valid during the call.</summary>
    public delegate void BatchHandler(long lsn, ReadOnlySpan<byte> batch);

    /// <exception cref="CorruptFileException">The file header is damaged (a header is written atomically, so this is not a torn tail).</exception>
    public static WalReadResult Read(string path, long checkpointLsn, BatchHandler onBatch)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long fileLength = RandomAccess.GetLength(handle);
        ReadHeader(handle, path, fileLength);

        long offset = WalFormat.FileHeaderSize;
        long lastLsn = checkpointLsn;
        long expectedLsn = -1; // the first frame may carry any LSN: frames at or below the checkpoint are skipped
        int batches = 0;
        Span<byte> header = stackalloc byte[WalFormat.FrameHeaderSize];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (offset < fileLength)
            {
                string? problem = null;
                if (fileLength - offset < WalFormat.FrameHeaderSize)
                {
                    problem = "frame header cut short";
                }
                else
                {
                    RandomAccess.Read(handle, header, offset);
                    int length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                    long lsn = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
                    if (length < 0 || length > WalFormat.MaxBatchBytes)
                    {
                        problem = $"frame length {length} out of range";
                    }
                    else if (fileLength - offset - WalFormat.FrameHeaderSize < length)
                    {
                        problem = "frame cut short";
                    }
                    else
                    {
                        if (buffer.Length < length)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(length);
                        }
                        Span<byte> batch = buffer.AsSpan(0, length);
                        RandomAccess.Read(handle, batch, offset + WalFormat.FrameHeaderSize);
                        if (WalWriter.FrameChecksum(header[..4], header[8..16], batch) != storedCrc)
                        {
                            problem = "frame checksum mismatch";
                        }
                        else if (expectedLsn >= 0 && lsn != expectedLsn)
                        {
                            problem = $"LSN {lsn} where {expectedLsn} was expected";
                        }
                        else
                        {
                            if (lsn > checkpointLsn)
                            {
                                if (lsn != lastLsn + 1)
                                {
                                    problem = $"LSN {lsn} does not follow the checkpoint's LSN {checkpointLsn}";
                                }
                                else
                                {
                                    onBatch(lsn, batch);
                                    lastLsn = lsn;
                                }
                            }
                            if (problem is null)
                            {
                                expectedLsn = lsn + 1;
                                batches++;
                                offset += WalFormat.FrameHeaderSize + length;
                                continue;
                            }
                        }
                    }
                }

                return new WalReadResult(offset, batches, fileLength - offset, $"{problem} at byte {offset}", lastLsn);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new WalReadResult(offset, batches, 0, null, lastLsn);
    }

    private static void ReadHeader(SafeFileHandle handle, string path, long fileLength)
    {
        if (fileLength < WalFormat.FileHeaderSize)
        {
            throw new CorruptFileException(path, 0, $"the log is {fileLength} bytes, shorter than its {WalFormat.FileHeaderSize}-byte header");
        }
        Span<byte> header = stackalloc byte[WalFormat.FileHeaderSize];
        RandomAccess.Read(handle, header, 0);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != FileMagic.WriteAheadLog)
        {
            throw new CorruptFileException(path, 0, "not a VectLite write-ahead log (bad magic number)");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Checksum.Compute(header[..28]))
        {
            throw new CorruptFileException(path, 28, "log header checksum mismatch");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FileMagic.CurrentVersion)
        {
            throw new CorruptFileException(path, 8, $"unsupported log format version {version} (this build reads version {FileMagic.CurrentVersion})");
        }
    }
}
