using System.Buffers.Binary;

namespace VectLite.Storage;

/// <summary>
/// The framing of VectLite's small manifest files (the database manifest and each collection's checkpoint manifest):
/// magic (8 bytes), format version (u32), body length (u32), body (UTF-8 JSON), CRC32C of all preceding bytes (u32).
/// </summary>
internal static class ManifestEnvelope
{
    /// <summary>Frames <paramref name="body"/> with the magic, <paramref name="version"/>, the length and the checksum.</summary>
    public static byte[] Wrap(ulong magic, ReadOnlySpan<byte> body, uint version = FileMagic.CurrentVersion)
    {
        var bytes = new byte[16 + body.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), body.Length);
        body.CopyTo(bytes.AsSpan(16));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16 + body.Length), Checksum.Compute(bytes.AsSpan(0, 16 + body.Length)));
        return bytes;
    }

    /// <summary>Reads and verifies the file; returns the JSON body.</summary>
    /// <exception cref="CorruptFileException">The file is missing, damaged or of an unknown version.</exception>
    /// <param name="path">The file.</param>
    /// <param name="magic">The magic it must start with.</param>
    /// <param name="what">What it is, for messages.</param>
    /// <param name="newestVersion">The newest version this kind of file has (versions 1 to it are read).</param>
    public static ReadOnlyMemory<byte> Unwrap(string path, ulong magic, string what, uint newestVersion = FileMagic.CurrentVersion)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CorruptFileException(path, -1, $"the {what} is missing", ex);
        }

        if (bytes.Length < 20 || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != magic)
        {
            throw new CorruptFileException(path, 0, $"not a VectLite {what} (bad magic number or too short)");
        }
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (bodyLength < 0 || 16 + (long)bodyLength + 4 != bytes.Length)
        {
            throw new CorruptFileException(path, 12, $"body length {bodyLength} does not match the file size {bytes.Length}");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16 + bodyLength)) != Checksum.Compute(bytes.AsSpan(0, 16 + bodyLength)))
        {
            throw new CorruptFileException(path, 16 + bodyLength, "checksum mismatch");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version < FileMagic.CurrentVersion || version > newestVersion)
        {
            throw new CorruptFileException(path, 8, newestVersion == FileMagic.CurrentVersion
                ? $"unsupported format version {version} (this build reads version {FileMagic.CurrentVersion})"
                : $"unsupported format version {version} (this build reads versions {FileMagic.CurrentVersion} to {newestVersion})");
        }
        return bytes.AsMemory(16, bodyLength);
    }
}
