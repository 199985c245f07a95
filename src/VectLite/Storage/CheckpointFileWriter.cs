using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace VectLite.Storage;

/// <summary>
/// Writes one checkpoint data file under its temporary name, keeping a running CRC32C of every byte, and fsyncs it
/// on <see cref="Complete"/>. The caller renames all of a checkpoint's files into place only after each completed.
/// </summary>
internal sealed class CheckpointFileWriter : IDisposable
{
    public const int HeaderSize = 32;

    private readonly StorageWriteStream _stream;
    private readonly Crc32 _crc = Checksum.CreateRunning();
    private readonly string _name;
    private long _length;

    /// <summary>Starts the file <paramref name="name"/> (written as name + ".tmp") with the standard 32-byte header.</summary>
    /// <param name="storage">The device the file is written through.</param>
    /// <param name="directory">The collection directory.</param>
    /// <param name="name">The file's final name.</param>
    /// <param name="magic">The format's magic number.</param>
    /// <param name="field1">Format-specific u32 at bytes [12..16) (vectors: the dimension).</param>
    /// <param name="count">Format-specific u64 at bytes [16..24) (the number of records or rows).</param>
    /// <param name="version">The format version in the header (<see cref="FileMagic.SparseVersion"/> for a records file with sparse vectors).</param>
    /// <exception cref="StorageException">The file could not be created or written.</exception>
    public CheckpointFileWriter(IStorageDevice storage, string directory, string name, ulong magic, uint field1, long count, uint version = FileMagic.CurrentVersion)
    {
        _name = name;
        TempPath = Path.Combine(directory, name + DurableFile.TempSuffix);
        FinalPath = Path.Combine(directory, name);
        _stream = new StorageWriteStream(storage.Create(TempPath), bufferSize: 1 << 20);

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], field1);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Checksum.Compute(header[..28]));
        Write(header);
    }

    public string TempPath { get; }

    public string FinalPath { get; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _crc.Append(bytes);
        _length += bytes.Length;
    }

    public void WriteFloats(ReadOnlySpan<float> values) => Write(MemoryMarshal.AsBytes(values));

    /// <summary>Flushes and fsyncs the file; returns its entry for the manifest.</summary>
    public CheckpointFile Complete()
    {
        _stream.Sync();
        _stream.Dispose();
        return new CheckpointFile(_name, _length, _crc.GetCurrentHashAsUInt32());
    }

    public void Dispose() => _stream.Dispose();
}
