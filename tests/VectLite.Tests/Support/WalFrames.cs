using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace VectLite.Tests.Support;

/// <summary>
/// Builds and reseals write-ahead log frames as docs/file-format.md lays them out (version 2: u32 length, CRC32C of
/// length ++ LSN ++ synced LSN ++ body, i64 LSN, i64 synced LSN, body; version 1: the same without the synced LSN), for
/// tests that craft logs by hand. The checksum comes from System.IO.Hashing, not from the engine's writer, so a test
/// does not trust the code it checks. Functions that take a log or a log file read its version from its header.
/// </summary>
internal static class WalFrames
{
    public const int FileHeaderSize = 32;

    /// <summary>The frame header of the version the engine writes (2).</summary>
    public const int FrameHeaderSize = 24;

    /// <summary>The frame header of version 1 logs.</summary>
    public const int Version1FrameHeaderSize = 16;

    /// <summary>The frame header size of the log whose bytes (from the file header on) are <paramref name="log"/>.</summary>
    public static int FrameHeaderSizeOf(ReadOnlySpan<byte> log) =>
        BinaryPrimitives.ReadUInt32LittleEndian(log[8..]) == 1 ? Version1FrameHeaderSize : FrameHeaderSize;

    /// <summary>"VLWALOG1" read as a little-endian u64, the log's magic number.</summary>
    public const ulong Magic = 0x31474F4C41574C56;

    /// <summary>The log's 32-byte file header: magic, version, 16 reserved zero bytes, CRC32C of bytes 0..28.</summary>
    public static byte[] FileHeader(ulong magic = Magic, uint version = 2)
    {
        var header = new byte[FileHeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        ResealHeader(header);
        return header;
    }

    /// <summary>Recomputes the file header's checksum (bytes 28..32) after its bytes were edited.</summary>
    public static void ResealHeader(Span<byte> log) =>
        BinaryPrimitives.WriteUInt32LittleEndian(log[28..], Crc32C(log[..28]));

    /// <summary>A whole version 2 log: the file header, then <paramref name="frames"/> (from <see cref="Build"/>) in order.</summary>
    public static byte[] Log(params IEnumerable<byte[]> frames) => [.. FileHeader(), .. frames.SelectMany(f => f)];

    /// <summary>A whole version 1 log: the file header, then <paramref name="frames"/> (from <see cref="BuildVersion1"/>) in order.</summary>
    public static byte[] LogVersion1(params IEnumerable<byte[]> frames) => [.. FileHeader(version: 1), .. frames.SelectMany(f => f)];

    /// <summary>
    /// The body of a batch holding one upsert of a numeric id in the default namespace, with no expiry, one vector and
    /// the payload given as JSON text (null: none), encoded as docs/file-format.md lays it out.
    /// </summary>
    public static byte[] UpsertBody(ulong id, ReadOnlySpan<float> vector, string? payloadJson)
    {
        byte[] payload = payloadJson is null ? [] : Encoding.UTF8.GetBytes(payloadJson);
        var body = new byte[UpsertBodyLength(vector.Length, payload.Length)];
        Span<byte> at = body;
        BinaryPrimitives.WriteInt32LittleEndian(at, 1);                 // one operation
        at[4] = 1;                                                      // upsert
        at[5] = 0;                                                      // numeric id
        BinaryPrimitives.WriteUInt64LittleEndian(at[6..], id);
        BinaryPrimitives.WriteUInt16LittleEndian(at[14..], 0);          // namespace "" (u16 length + UTF-8)
        BinaryPrimitives.WriteInt64LittleEndian(at[16..], 0);           // no expiry
        BinaryPrimitives.WriteInt32LittleEndian(at[24..], payloadJson is null ? -1 : payload.Length);
        payload.CopyTo(at[28..]);
        at = at[(28 + payload.Length)..];
        BinaryPrimitives.WriteUInt16LittleEndian(at, 1);                // one vector
        BinaryPrimitives.WriteInt32LittleEndian(at[2..], vector.Length);
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(at[(6 + (4 * i))..], vector[i]);
        }
        return body;
    }

    /// <summary>The size of <see cref="UpsertBody"/>'s result for a vector of <paramref name="dimension"/> and a payload of <paramref name="payloadBytes"/> UTF-8 bytes.</summary>
    public static int UpsertBodyLength(int dimension, int payloadBytes) => 28 + payloadBytes + 6 + (4 * dimension);

    /// <summary>
    /// An upsert body of exactly <paramref name="bodyLength"/> bytes: the payload <c>{"pad":"xx...x"}</c> is as long as
    /// it takes.
    /// </summary>
    public static byte[] PaddedUpsertBody(ulong id, ReadOnlySpan<float> vector, int bodyLength)
    {
        int pad = bodyLength - UpsertBodyLength(vector.Length, """{"pad":""}""".Length);
        ArgumentOutOfRangeException.ThrowIfNegative(pad, nameof(bodyLength));
        byte[] body = UpsertBody(id, vector, $$"""{"pad":"{{new string('x', pad)}}"}""");
        if (body.Length != bodyLength)
        {
            throw new InvalidOperationException($"padded body is {body.Length} bytes, not {bodyLength}");
        }
        return body;
    }

    /// <summary>Whether the frame at <paramref name="offset"/> of <paramref name="log"/> (a whole log) is whole and its checksum right.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> log, long offset)
    {
        int headerSize = FrameHeaderSizeOf(log);
        if (log.Length - offset < headerSize)
        {
            return false;
        }
        ReadOnlySpan<byte> frame = log[(int)offset..];
        int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (length < 0 || frame.Length - headerSize < length)
        {
            return false;
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]) == FrameChecksum(frame[..(headerSize + length)]);
    }

    /// <summary>
    /// One whole version 2 frame holding <paramref name="body"/> at <paramref name="lsn"/>, recording batches through
    /// <paramref name="syncedLsn"/> as synced (default <paramref name="lsn"/> - 1, as a PerOp writer does).
    /// </summary>
    public static byte[] Build(long lsn, ReadOnlySpan<byte> body, long? syncedLsn = null)
    {
        var frame = new byte[FrameHeaderSize + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(8), lsn);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(16), syncedLsn ?? lsn - 1);
        body.CopyTo(frame.AsSpan(FrameHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), FrameChecksum(frame));
        return frame;
    }

    /// <summary>One whole version 1 frame (no synced LSN) holding <paramref name="body"/> at <paramref name="lsn"/>.</summary>
    public static byte[] BuildVersion1(long lsn, ReadOnlySpan<byte> body)
    {
        var frame = new byte[Version1FrameHeaderSize + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(8), lsn);
        body.CopyTo(frame.AsSpan(Version1FrameHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), FrameChecksum(frame));
        return frame;
    }

    /// <summary>Writes a version 2 log of <paramref name="frames"/> to <paramref name="walPath"/>; returns where each frame starts.</summary>
    public static List<long> WriteLog(string walPath, params byte[][] frames)
    {
        File.WriteAllBytes(walPath, Log(frames));
        var offsets = new List<long>();
        long at = FileHeaderSize;
        foreach (byte[] frame in frames)
        {
            offsets.Add(at);
            at += frame.Length;
        }
        return offsets;
    }

    /// <summary>Flips one bit (0x04) of the byte at <paramref name="offset"/> of the file at <paramref name="path"/>.</summary>
    public static void FlipBit(string path, long offset)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x04;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Appends a frame, in the log's own version, to the log file at <paramref name="walPath"/>.</summary>
    public static void Append(string walPath, long lsn, ReadOnlySpan<byte> body, long? syncedLsn = null)
    {
        byte[] header = new byte[FileHeaderSize];
        using (var read = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            read.ReadExactly(header);
        }
        byte[] frame = FrameHeaderSizeOf(header) == Version1FrameHeaderSize ? BuildVersion1(lsn, body) : Build(lsn, body, syncedLsn);
        using var file = new FileStream(walPath, FileMode.Append, FileAccess.Write);
        file.Write(frame);
    }

    /// <summary>Recomputes the checksum of the frame starting at <paramref name="offset"/> of <paramref name="log"/> (a whole log) after its bytes were edited.</summary>
    public static void Reseal(Span<byte> log, long offset)
    {
        int headerSize = FrameHeaderSizeOf(log);
        Span<byte> frame = log[(int)offset..];
        int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], FrameChecksum(frame[..(headerSize + length)]));
    }

    /// <summary>The synced LSN a version 2 frame at <paramref name="offset"/> records.</summary>
    public static long SyncedLsnAt(ReadOnlySpan<byte> log, long offset) => BinaryPrimitives.ReadInt64LittleEndian(log[((int)offset + 16)..]);

    /// <summary>The LSN of the frame at <paramref name="offset"/>.</summary>
    public static long LsnAt(ReadOnlySpan<byte> log, long offset) => BinaryPrimitives.ReadInt64LittleEndian(log[((int)offset + 8)..]);

    /// <summary>The CRC32C a whole frame (header and body) should carry: over its length, the rest of its header after the checksum, and its body.</summary>
    private static uint FrameChecksum(ReadOnlySpan<byte> frame)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(frame[..4]);
        crc.Append(frame[8..]);
        return crc.GetCurrentHashAsUInt32();
    }

    private static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(bytes);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>
    /// Where each batch frame of an intact log starts, read from the framing; sync markers (version 2 frames with no
    /// batch, which the writer appends after an explicit sync) are skipped unless <paramref name="includeMarkers"/>.
    /// </summary>
    public static List<long> Offsets(ReadOnlySpan<byte> log, bool includeMarkers = false)
    {
        var offsets = new List<long>();
        int headerSize = FrameHeaderSizeOf(log);
        for (long at = FileHeaderSize; at < log.Length;)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(log[(int)at..]);
            if (length > 0 || includeMarkers)
            {
                offsets.Add(at);
            }
            at += headerSize + length;
        }
        return offsets;
    }
}
