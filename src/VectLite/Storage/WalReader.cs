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
/// <param name="UnsyncedBatchesDropped">
/// Intact frames after the tear that were dropped with it because none of them records the torn frame as synced: what
/// a power cut that kept a later unsynced page and lost an earlier one leaves (EveryN, OnFlush). 0 otherwise.
/// </param>
/// <param name="Version">The log's format version.</param>
/// <param name="EndsUnmarked">
/// The last intact frame is a batch, not a sync marker: the log does not record its last batches as synced (a writer
/// opening it syncs them and appends a marker).
/// </param>
internal readonly record struct WalReadResult(long ValidLength, int Batches, long TornBytes, string? TornReason, long LastLsn, WalDamage? Damage = null,
    int UnsyncedBatchesDropped = 0, uint Version = WalFormat.Version, bool EndsUnmarked = false);

/// <summary>Damage inside a log: a bad frame at <paramref name="Offset"/> with an intact, newer batch after it.</summary>
/// <param name="Offset">Where the first bad frame starts.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="IntactOffset">Where the intact frame that proves the damage starts.</param>
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
/// <item>Intact, newer frames, none of which records the bad frame's LSN as synced (format version 2): the bad frame
/// and everything after it were written after the last fsync, and a power cut kept some of those pages and not others.
/// That is the sync mode's loss window (EveryN, OnFlush), so it is a torn tail too, reported with the batches it drops.
/// In PerOp mode every frame records its predecessor as synced, so this never applies there.</item>
/// <item>An intact, newer frame recording the bad frame's LSN as synced (or, in a version 1 log, any intact newer
/// frame): the log was damaged after it was made durable (a flipped bit, a bad sector). Dropping the rest would
/// silently lose acknowledged batches, so this is a <see cref="CorruptFileException"/> naming the offset, and nothing
/// is cut; <see cref="WalSalvage"/> is the explicit way out.</item>
/// </list>
/// A frame that passes its checksum but breaks the LSN sequence was written whole, so it is never a torn tail: it is
/// corruption too. One gap is allowed: among the frames at or below the checkpoint's LSN, which replay skips (the
/// checkpoint holds them), the next frame may jump to the checkpoint's LSN + 1.
/// </remarks>
internal static class WalReader
{
    /// <summary>A callback receiving one intact batch; the span is only valid during the call.</summary>
    public delegate void BatchHandler(long lsn, ReadOnlySpan<byte> batch);

    /// <summary>A callback receiving one intact batch and the offset of its frame.</summary>
    public delegate void FrameHandler(long lsn, long frameOffset, ReadOnlySpan<byte> batch);

    /// <summary>One frame's header fields.</summary>
    private readonly record struct FrameInfo(long Offset, int Length, long Lsn, long SyncedLsn);

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
        uint version = ReadHeader(handle, path, fileLength);
        int headerSize = WalFormat.FrameHeaderSizeOf(version);

        long offset = WalFormat.FileHeaderSize;
        long lastLsn = checkpointLsn;
        long expectedLsn = -1; // the first frame may carry any LSN: frames at or below the checkpoint are skipped
        int batches = 0;
        bool endsUnmarked = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (offset < fileLength)
            {
                string? tear = TryReadFrame(handle, offset, fileLength, headerSize, ref buffer, out FrameInfo frame);
                if (tear is null)
                {
                    long lsn = frame.Lsn;
                    string? breach = null; // an intact frame that is out of sequence: never a crash's doing
                    if (IsSyncMarker(frame, version))
                    {
                        // A marker repeats the newest LSN before it (the checkpoint's when it comes first).
                        if (frame.SyncedLsn != lsn || lsn != (expectedLsn >= 0 ? expectedLsn - 1 : Math.Min(lsn, checkpointLsn)))
                        {
                            breach = $"an intact sync marker records LSN {lsn} (synced {frame.SyncedLsn}) where {(expectedLsn >= 0 ? expectedLsn - 1 : checkpointLsn)} was expected";
                            return Damaged(path, new WalDamage(offset, breach, offset, lsn), offset, batches, fileLength, lastLsn, salvage, version);
                        }
                        endsUnmarked = false;
                        offset += headerSize;
                        continue;
                    }
                    if (expectedLsn >= 0 && lsn != expectedLsn && !(expectedLsn <= checkpointLsn && lsn == checkpointLsn + 1))
                    {
                        breach = $"an intact frame carries LSN {lsn} where {expectedLsn} was expected";
                    }
                    else if (lsn > checkpointLsn && lsn != lastLsn + 1)
                    {
                        breach = $"an intact frame carries LSN {lsn}, which does not follow the checkpoint's LSN {checkpointLsn}: batches are missing";
                    }
                    if (breach is not null)
                    {
                        return Damaged(path, new WalDamage(offset, breach, offset, lsn), offset, batches, fileLength, lastLsn, salvage, version);
                    }
                    if (lsn > checkpointLsn)
                    {
                        onBatch(lsn, offset, buffer.AsSpan(0, frame.Length));
                        lastLsn = lsn;
                    }
                    expectedLsn = lsn + 1;
                    batches++;
                    endsUnmarked = true;
                    offset += headerSize + frame.Length;
                    continue;
                }

                // The LSN the bad frame would carry; when it is the first frame, the oldest one the checkpoint lacks.
                long tornLsn = expectedLsn >= 0 ? expectedLsn : checkpointLsn == long.MaxValue ? long.MaxValue : checkpointLsn + 1;
                long newestSeen = Math.Max(lastLsn, expectedLsn - 1);
                AfterTear after = ScanAfterTear(handle, offset + 1, fileLength, newestSeen, checkpointLsn, tornLsn, version, headerSize, ref buffer);
                if (after.Proof is { } proof)
                {
                    string what = IsSyncMarker(proof, version) ? "the sync marker" : $"the intact batch {proof.Lsn}";
                    string problem = version == WalFormat.Version1 || proof.SyncedLsn < tornLsn
                        ? tear
                        : $"{tear}, yet {what} at byte {proof.Offset} records batches through LSN {proof.SyncedLsn} as synced";
                    return Damaged(path, new WalDamage(offset, problem, proof.Offset, proof.Lsn), offset, batches, fileLength, lastLsn, salvage, version);
                }
                string reason = after.Count == 0
                    ? $"{tear} at byte {offset}"
                    : $"{tear} at byte {offset}, followed by {after.Count} intact batches (LSN {after.FirstLsn} to {after.LastLsn}) none of which records LSN {tornLsn} as synced: unsynced pages a power cut wrote back out of order, within the sync mode's loss window";
                return new WalReadResult(offset, batches, fileLength - offset, reason, lastLsn, UnsyncedBatchesDropped: after.Count, Version: version, EndsUnmarked: endsUnmarked);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new WalReadResult(offset, batches, 0, null, lastLsn, Version: version, EndsUnmarked: endsUnmarked);
    }

    /// <summary>
    /// Reads the frame at <paramref name="offset"/> into <paramref name="buffer"/> (grown as needed). Returns null when
    /// it is whole and its checksum right, else what is wrong with it.
    /// </summary>
    private static string? TryReadFrame(SafeFileHandle handle, long offset, long fileLength, int headerSize, ref byte[] buffer, out FrameInfo frame)
    {
        frame = default;
        if (fileLength - offset < headerSize)
        {
            return "frame header cut short";
        }
        Span<byte> header = stackalloc byte[WalFormat.FrameHeaderSize];
        header = header[..headerSize];
        RandomAccess.Read(handle, header, offset);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > WalFormat.MaxBatchBytes)
        {
            return $"frame length {length} out of range";
        }
        if (fileLength - offset - headerSize < length)
        {
            return "frame cut short";
        }
        if (buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        Span<byte> batch = buffer.AsSpan(0, length);
        RandomAccess.Read(handle, batch, offset + headerSize);
        if (WalWriter.FrameChecksum(header[..4], header[8..], batch) != BinaryPrimitives.ReadUInt32LittleEndian(header[4..]))
        {
            return "frame checksum mismatch";
        }
        frame = new FrameInfo(offset, length, BinaryPrimitives.ReadInt64LittleEndian(header[8..]), SyncedLsnOf(header));
        return null;
    }

    /// <summary>A sync marker: a version 2 frame with no batch (<see cref="WalWriter"/> appends one after an explicit sync).</summary>
    private static bool IsSyncMarker(FrameInfo frame, uint version) => frame.Length == 0 && version != WalFormat.Version1;

    /// <summary>A version 2 header's synced LSN; a version 1 header has none (read as "everything", see <see cref="ScanAfterTear"/>).</summary>
    private static long SyncedLsnOf(ReadOnlySpan<byte> header) =>
        header.Length >= WalFormat.FrameHeaderSize ? BinaryPrimitives.ReadInt64LittleEndian(header[16..]) : long.MaxValue;

    /// <summary>What follows a torn frame.</summary>
    /// <param name="Count">Intact, newer frames found after it (up to the proof, when there is one).</param>
    /// <param name="FirstLsn">The LSN of the first of them.</param>
    /// <param name="LastLsn">The LSN of the last of them.</param>
    /// <param name="Proof">
    /// The first of them that records the torn frame as synced, or the first of them when it leaves no LSN missing (in a
    /// version 1 log, the first of them); null when none does.
    /// </param>
    private readonly record struct AfterTear(int Count, long FirstLsn, long LastLsn, FrameInfo? Proof);

    /// <summary>
    /// Finds the intact frames newer than <paramref name="newestSeen"/> after a tear, stopping at the first that records
    /// <paramref name="tornLsn"/> as synced. A chain of frames is followed by its lengths; where it breaks, every byte
    /// offset is tried again (<see cref="FindIntactFrame"/>).
    /// </summary>
    private static AfterTear ScanAfterTear(SafeFileHandle handle, long from, long fileLength, long newestSeen, long checkpointLsn, long tornLsn, uint version, int headerSize, ref byte[] buffer)
    {
        int count = 0;
        long first = 0, newest = newestSeen, start = from;
        bool firstFound = true;
        while (FindIntactFrame(handle, from, fileLength, newest, checkpointLsn, headerSize) is { } found)
        {
            FrameInfo frame = found;
            while (true)
            {
                bool marker = IsSyncMarker(frame, version);
                // The first frame after the tear carrying the torn frame's LSN (a marker: the one before it) means no
                // batch is missing: the bad bytes never were a batch. Unless they are as long as sync markers would be:
                // an unsynced marker a power cut lost while keeping a later page is within the loss window too.
                bool nothingMissing = firstFound && (marker ? frame.Lsn < tornLsn : frame.Lsn <= tornLsn)
                    && (version == WalFormat.Version1 || (frame.Offset - (start - 1)) % WalFormat.FrameHeaderSize != 0);
                firstFound = false;
                if (!marker)
                {
                    count++;
                    first = count == 1 ? frame.Lsn : first;
                }
                if (version == WalFormat.Version1 || nothingMissing || frame.SyncedLsn >= tornLsn)
                {
                    return new AfterTear(count, first, Math.Max(newest, frame.Lsn), frame);
                }
                newest = Math.Max(newest, frame.Lsn);
                from = frame.Offset + headerSize + frame.Length;
                if (from >= fileLength || TryReadFrame(handle, from, fileLength, headerSize, ref buffer, out frame) is not null
                    || frame.Lsn != (IsSyncMarker(frame, version) ? newest : newest + 1))
                {
                    break;
                }
            }
        }
        return new AfterTear(count, first, newest, null);
    }

    private static WalReadResult Damaged(string path, WalDamage damage, long offset, int batches, long fileLength, long lastLsn, bool salvage, uint version)
    {
        if (!salvage)
        {
            throw new CorruptFileException(path, damage.Offset, damage.Offset == damage.IntactOffset
                ? $"{damage.Problem}. Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before it"
                : $"{damage.Problem}, and an intact batch (LSN {damage.IntactLsn}) follows at byte {damage.IntactOffset}: the log was damaged after it was written, so this is not a torn write. Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before the damage");
        }
        return new WalReadResult(offset, batches, fileLength - offset, $"{damage.Problem} at byte {damage.Offset}", lastLsn, damage, Version: version);
    }

    /// <summary>
    /// Looks for a frame after <paramref name="from"/> that is intact (length in range, checksum right) and newer than
    /// <paramref name="newestSeen"/>, or a sync marker (version 2) at or after it and newer than
    /// <paramref name="checkpointLsn"/> (a marker the checkpoint covers proves nothing is missing). Every byte offset is a candidate,
    /// since a damaged length field hides where the next frame starts; cheap checks on length and LSN reject nearly all
    /// of them before a checksum is computed.
    /// </summary>
    private static FrameInfo? FindIntactFrame(SafeFileHandle handle, long from, long fileLength, long newestSeen, long checkpointLsn, int headerSize)
    {
        bool markers = headerSize == WalFormat.FrameHeaderSize;
        const int Window = 1 << 20;
        int minFrameBytes = headerSize + sizeof(int); // a header and a batch holding only its operation count
        long maxLsn = newestSeen + ((fileLength - from) / minFrameBytes) + 1;
        byte[] window = ArrayPool<byte>.Shared.Rent(Window + headerSize);
        byte[] batch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long start = from; fileLength - start >= minFrameBytes; start += Window)
            {
                int read = (int)Math.Min(Window + headerSize - 1, fileLength - start);
                Span<byte> bytes = window.AsSpan(0, read);
                RandomAccess.Read(handle, bytes, start);
                int candidates = Math.Min(Window, read - headerSize + 1);
                for (int i = 0; i < candidates; i++)
                {
                    long at = start + i;
                    int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]);
                    long lsn = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i + 8)..]);
                    if (length == 0 && markers)
                    {
                        // a sync marker: it repeats an LSN already written, so it may equal the newest seen
                        if (lsn < newestSeen || lsn <= checkpointLsn || lsn > maxLsn || lsn != BinaryPrimitives.ReadInt64LittleEndian(bytes[(i + 16)..]))
                        {
                            continue;
                        }
                    }
                    else if (length < sizeof(int) || length > fileLength - at - headerSize || lsn <= newestSeen || lsn > maxLsn)
                    {
                        continue;
                    }
                    if (batch.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                        batch = ArrayPool<byte>.Shared.Rent(length);
                    }
                    Span<byte> body = batch.AsSpan(0, length);
                    RandomAccess.Read(handle, body, at + headerSize);
                    ReadOnlySpan<byte> frameHeader = bytes.Slice(i, headerSize);
                    if (WalWriter.FrameChecksum(frameHeader[..4], frameHeader[8..], body) == BinaryPrimitives.ReadUInt32LittleEndian(frameHeader[4..]))
                    {
                        return new FrameInfo(at, length, lsn, SyncedLsnOf(frameHeader));
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

    /// <summary>
    /// Hands every frame of an intact log (already read with <see cref="Read(string, long, FrameHandler, bool)"/>) up to
    /// <paramref name="validLength"/> to <paramref name="onFrame"/> with its LSN; for rewriting a log in another version.
    /// </summary>
    public static void ForEachFrame(string path, long validLength, Action<long, ReadOnlyMemory<byte>> onFrame)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        uint version = ReadHeader(handle, path, RandomAccess.GetLength(handle));
        int headerSize = WalFormat.FrameHeaderSizeOf(version);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long offset = WalFormat.FileHeaderSize; offset < validLength;)
            {
                if (TryReadFrame(handle, offset, validLength, headerSize, ref buffer, out FrameInfo frame) is { } problem)
                {
                    throw new CorruptFileException(path, offset, $"{problem} while rewriting the log");
                }
                onFrame(frame.Lsn, buffer.AsMemory(0, frame.Length));
                offset += headerSize + frame.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static uint ReadHeader(SafeFileHandle handle, string path, long fileLength)
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
        if (version is not (WalFormat.Version or WalFormat.Version1))
        {
            throw new CorruptFileException(path, 8, $"unsupported log format version {version} (this build reads versions {WalFormat.Version1} and {WalFormat.Version})");
        }
        return version;
    }
}
