using System.IO.Hashing;

namespace VectLite.Storage;

/// <summary>CRC32C (Castagnoli), the checksum on every WAL frame and every file VectLite writes.</summary>
/// <remarks>CRC32C rather than the zlib CRC32 because x86 and ARM compute it in hardware.</remarks>
internal static class Checksum
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(data);
        return crc.GetCurrentHashAsUInt32();
    }

    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(first);
        crc.Append(second);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>A running CRC over data written in pieces (vector files are checksummed as they stream out).</summary>
    public static Crc32 CreateRunning() => new(Crc32ParameterSet.Crc32C);
}
