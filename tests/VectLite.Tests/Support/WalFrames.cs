using System.Buffers.Binary;
using System.IO.Hashing;

namespace VectLite.Tests.Support;

/// <summary>
/// Builds and reseals write-ahead log frames as docs/file-format.md lays them out (u32 length, CRC32C of length ++ LSN
/// ++ body, i64 LSN, body), for tests that craft logs by hand. The checksum comes from System.IO.Hashing, not from the
/// engine's writer, so a test does not trust the code it checks.
/// </summary>
internal static class WalFrames
{
    public const int FileHeaderSize = 32;
    public const int FrameHeaderSize = 16;

    /// <summary>One whole frame holding <paramref name="body"/> at <paramref name="lsn"/>.</summary>
    public static byte[] Build(long lsn, ReadOnlySpan<byte> body)
    {
        var frame = new byte[FrameHeaderSize + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(8), lsn);
        body.CopyTo(frame.AsSpan(FrameHeaderSize));
        Reseal(frame, 0);
        return frame;
    }

    /// <summary>Appends a frame to the log file at <paramref name="walPath"/>.</summary>
    public static void Append(string walPath, long lsn, ReadOnlySpan<byte> body)
    {
        using var file = new FileStream(walPath, FileMode.Append, FileAccess.Write);
        file.Write(Build(lsn, body));
    }

    /// <summary>Recomputes the checksum of the frame starting at <paramref name="offset"/> after its bytes were edited.</summary>
    public static void Reseal(Span<byte> log, long offset)
    {
        Span<byte> frame = log[(int)offset..];
        int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(frame[..4]);
        crc.Append(frame[8..16]);
        crc.Append(frame.Slice(FrameHeaderSize, length));
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], crc.GetCurrentHashAsUInt32());
    }

    /// <summary>Where each frame of an intact log starts, read from the framing.</summary>
    public static List<long> Offsets(ReadOnlySpan<byte> log)
    {
        var offsets = new List<long>();
        for (long at = FileHeaderSize; at < log.Length; at += FrameHeaderSize + BinaryPrimitives.ReadInt32LittleEndian(log[(int)at..]))
        {
            offsets.Add(at);
        }
        return offsets;
    }
}
