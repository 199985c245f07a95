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
/// <param name="Damage">Set only by a salvaging read that met damage followed by intact batches; null otherwise.</param>
internal readonly record struct WalReadResult(long ValidLength, int Batches, long TornBytes, string? TornReason, long LastLsn, WalDamage? Damage = null);

/// <summary>Damage inside a log: a bad frame at <paramref name="Offset"/> with an intact, newer batch after it.</summary>
/// <param name="Offset">Where the first bad frame starts.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="IntactOffset">Where the first intact frame after the damage starts.</param>
/// <param name="IntactLsn">That frame's LSN.</param>
internal sealed record WalDamage(long Offset, string Problem, long IntactOffset, long IntactLsn);

/// <summary>
/// Reads a write-ahead log front to back and hands each intact batch newer than the checkpoint to a callback.
/// </summary>
/// <remarks>
/// A frame that is cut short, fails its checksum or claims an impossible length ends the replay. What that means
/// depends on what follows it:
/// <list type="bullet">
/// <item>Nothing intact: a torn tail, the normal result of a crash during an append. It was never acknowledged (an
/// append is acknowledged only once written whole), so it is reported and dropped.</item>
/// <item>An intact frame with a newer LSN: the log was damaged after it was written (a flipped bit, a bad sector).
/// Dropping the rest would silently lose acknowledged batches, so this is a <see cref="CorruptFileException"/>
/// naming the offset, and nothing is cut; <see cref="WalSalvage"/> is the explicit way out.</item>
/// </list>
/// A frame that passes its checksum but breaks the LSN sequence was written whole, so it is never a torn tail: it is
/// corruption too.
/// </remarks>
internal static class WalReader
{
    /// <summary>A callback receiving one intact batch; the span is only valid during the call.</summary>
    public delegate void BatchHandler(long lsn, ReadOnlySpan<byte> batch);

    /// <summary>A callback receiving one intact batch and the offset of its frame.</summary>
    public delegate void FrameHandler(long lsn, long frameOffset, ReadOnlySpan<byte> batch);

    /// <summary>The smallest possible frame: a header and a batch holding only its operation count.</summary>
    private const int MinFrameBytes = WalFormat.FrameHeaderSize + sizeof(int);

    /// <exception cref="CorruptFileException">The header is damaged, or damage is followed by intact batches.</exception>
    public static WalReadResult Read(string path, long checkpointLsn, BatchHandler onBatch) =>
        Read(path, checkpointLsn, (lsn, _, batch) => onBatch(lsn, batch), salvage: false);

    /// <summary>
    /// Reads the log. With <paramref name="salvage"/>, damage followed by intact batches is not thrown but returned in
    /// <see cref="WalReadResult.Damage"/>, with <see cref="WalReadResult.ValidLength"/> at the damage.
    /// </summary>
    /// <exception cref="CorruptFileException">The header is damaged, or (unless salvaging) damage is followed by intact batches.</exception>
    public static WalReadResult Read(string path, long checkpointLsn, FrameHandler onBatch, bool salvage)
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
                string? tear = null;   // damage a crash during an append could have made
                string? breach = null; // an intact frame that is out of sequence: never a crash's doing
                if (fileLength - offset < WalFormat.FrameHeaderSize)
                {
                    tear = "frame header cut short";
                }
                else
                {
                    RandomAccess.Read(handle, header, offset);
                    int length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                    long lsn = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
                    if (length < 0 || length > WalFormat.MaxBatchBytes)
                    {
                        tear = $"frame length {length} out of range";
                    }
                    else if (fileLength - offset - WalFormat.FrameHeaderSize < length)
                    {
                        tear = "frame cut short";
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
                            tear = "frame checksum mismatch";
                        }
                        else if (expectedLsn >= 0 && lsn != expectedLsn)
                        {
                            breach = $"an intact frame carries LSN {lsn} where {expectedLsn} was expected";
                        }
                        else if (lsn > checkpointLsn && lsn != lastLsn + 1)
                        {
                            breach = $"an intact frame carries LSN {lsn}, which does not follow the checkpoint's LSN {checkpointLsn}: batches are missing";
                        }
                        else
                        {
                            if (lsn > checkpointLsn)
                            {
                                onBatch(lsn, offset, batch);
                                lastLsn = lsn;
                            }
                            expectedLsn = lsn + 1;
                            batches++;
                            offset += WalFormat.FrameHeaderSize + length;
                            continue;
                        }
                    }
                }

                if (breach is not null)
                {
                    var damage = new WalDamage(offset, breach, offset, BinaryPrimitives.ReadInt64LittleEndian(header[8..]));
                    return Damaged(path, damage, offset, batches, fileLength, lastLsn, salvage);
                }
                // Only an intact, newer frame after the tear proves it is damage rather than the end of the writes.
                long newestSeen = Math.Max(lastLsn, expectedLsn - 1);
                if (FindIntactFrame(handle, offset + 1, fileLength, newestSeen) is { } intact)
                {
                    var damage = new WalDamage(offset, tear!, intact.Offset, intact.Lsn);
                    return Damaged(path, damage, offset, batches, fileLength, lastLsn, salvage);
                }
                return new WalReadResult(offset, batches, fileLength - offset, $"{tear} at byte {offset}", lastLsn);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new WalReadResult(offset, batches, 0, null, lastLsn);
    }

    private static WalReadResult Damaged(string path, WalDamage damage, long offset, int batches, long fileLength, long lastLsn, bool salvage)
    {
        if (!salvage)
        {
            throw new CorruptFileException(path, damage.Offset, damage.Offset == damage.IntactOffset
                ? $"{damage.Problem}. Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before it"
                : $"{damage.Problem}, yet an intact batch (LSN {damage.IntactLsn}) follows at byte {damage.IntactOffset}: the log was damaged after it was written, so this is not a torn write. Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before the damage");
        }
        return new WalReadResult(offset, batches, fileLength - offset, $"{damage.Problem} at byte {damage.Offset}", lastLsn, damage);
    }

    /// <summary>
    /// Looks for a frame after <paramref name="from"/> that is intact (length in range, checksum right) and newer than
    /// <paramref name="newestSeen"/>. Every byte offset is a candidate, since a damaged length field hides where the
    /// next frame starts; cheap checks on length and LSN reject nearly all of them before a checksum is computed.
    /// </summary>
    private static (long Offset, long Lsn)? FindIntactFrame(SafeFileHandle handle, long from, long fileLength, long newestSeen)
    {
        const int Window = 1 << 20;
        long maxLsn = newestSeen + ((fileLength - from) / MinFrameBytes) + 1;
        byte[] window = ArrayPool<byte>.Shared.Rent(Window + WalFormat.FrameHeaderSize);
        byte[] batch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long start = from; fileLength - start >= MinFrameBytes; start += Window)
            {
                int read = (int)Math.Min(Window + WalFormat.FrameHeaderSize - 1, fileLength - start);
                Span<byte> bytes = window.AsSpan(0, read);
                RandomAccess.Read(handle, bytes, start);
                int candidates = Math.Min(Window, read - WalFormat.FrameHeaderSize + 1);
                for (int i = 0; i < candidates; i++)
                {
                    long at = start + i;
                    int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]);
                    if (length < sizeof(int) || length > fileLength - at - WalFormat.FrameHeaderSize)
                    {
                        continue;
                    }
                    long lsn = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i + 8)..]);
                    if (lsn <= newestSeen || lsn > maxLsn)
                    {
                        continue;
                    }
                    if (batch.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                        batch = ArrayPool<byte>.Shared.Rent(length);
                    }
                    Span<byte> body = batch.AsSpan(0, length);
                    RandomAccess.Read(handle, body, at + WalFormat.FrameHeaderSize);
                    ReadOnlySpan<byte> frameHeader = bytes.Slice(i, WalFormat.FrameHeaderSize);
                    if (WalWriter.FrameChecksum(frameHeader[..4], frameHeader[8..16], body) == BinaryPrimitives.ReadUInt32LittleEndian(frameHeader[4..]))
                    {
                        return (at, lsn);
                    }
                }
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
            ArrayPool<byte>.Shared.Return(batch);
        }
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
