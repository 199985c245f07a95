using System.Buffers.Binary;
using System.IO.Hashing;

namespace VectLite.Storage;

/// <summary>
/// Reads one checkpoint data file front to back, verifying its header, its length against the manifest and, at
/// <see cref="Verify"/>, the CRC32C of its whole content. Any mismatch is a <see cref="CorruptFileException"/> naming the file.
/// </summary>
internal sealed class CheckpointFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly Crc32 _crc = Checksum.CreateRunning();
    private readonly CheckpointFile _expected;
    private long _position;

    /// <summary>Opens and checks the file <paramref name="expected"/> names in <paramref name="directory"/>, or reads
    /// <paramref name="opened"/> (a stream already open on it, which the reader then owns) when given.</summary>
    public CheckpointFileReader(string directory, CheckpointFile expected, ulong magic, FileStream? opened = null)
    {
        _expected = expected;
        Path = System.IO.Path.Combine(directory, expected.Name);
        try
        {
            _stream = opened is null
                ? new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 20)
                : new BufferedStream(opened, 1 << 20);
        }
        catch (FileNotFoundException ex)
        {
            throw new CorruptFileException(Path, -1, "the file the checkpoint manifest lists is missing", ex);
        }
        long length = _stream.Length;
        if (length != expected.Length)
        {
            _stream.Dispose();
            throw new CorruptFileException(Path, -1, $"it is {length} bytes, the checkpoint manifest says {expected.Length}");
        }

        Span<byte> header = stackalloc byte[CheckpointFileWriter.HeaderSize];
        Read(header);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != magic)
        {
            _stream.Dispose();
            throw new CorruptFileException(Path, 0, "bad magic number");
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Checksum.Compute(header[..28]))
        {
            _stream.Dispose();
            throw new CorruptFileException(Path, 28, "header checksum mismatch");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (!FileMagic.IsKnownVersion(magic, version))
        {
            _stream.Dispose();
            throw new CorruptFileException(Path, 8, $"unsupported format version {version}");
        }
        Version = version;
        Field1 = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        Count = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
    }

    public string Path { get; }

    /// <summary>The format version in the header: 1, or for a records file also <see cref="FileMagic.SparseVersion"/>, or
    /// for a vectors file also <see cref="FileMagic.MappedVectorsVersion"/>.</summary>
    public uint Version { get; }

    /// <summary>The format-specific u32 at bytes [12..16).</summary>
    public uint Field1 { get; }

    /// <summary>The record or row count from the header.</summary>
    public long Count { get; }

    public long Position => _position;

    public long Remaining => _expected.Length - _position;

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes.</summary>
    public void Read(Span<byte> buffer)
    {
        if (buffer.Length > Remaining)
        {
            throw new CorruptFileException(Path, _position, $"needed {buffer.Length} bytes, only {Remaining} remain");
        }
        _stream.ReadExactly(buffer);
        _crc.Append(buffer);
        _position += buffer.Length;
    }

    /// <summary>Skips <paramref name="count"/> bytes, still checksumming them (a mapped vectors file's padding).</summary>
    public void Skip(int count)
    {
        Span<byte> buffer = stackalloc byte[Math.Min(count, 256)];
        while (count > 0)
        {
            int n = Math.Min(count, buffer.Length);
            Read(buffer[..n]);
            count -= n;
        }
    }

    /// <summary>Checks that everything was consumed and the whole-file checksum matches the manifest.</summary>
    public void Verify()
    {
        if (Remaining != 0)
        {
            throw new CorruptFileException(Path, _position, $"{Remaining} unexpected bytes after the last entry");
        }
        if (_crc.GetCurrentHashAsUInt32() != _expected.Crc)
        {
            throw new CorruptFileException(Path, -1, "checksum mismatch: the content differs from what the checkpoint wrote");
        }
    }

    public void Dispose() => _stream.Dispose();
}
