using System.IO.Hashing;

namespace VectLite.Storage;

/// <summary>
/// A write-only pass-through stream that keeps the CRC32C and length of everything written, so a file produced by
/// another component (an index's own serializer) gets its checkpoint-manifest entry without being read back.
/// </summary>
internal sealed class ChecksummingStream(Stream inner) : Stream
{
    private readonly Crc32 _crc = Checksum.CreateRunning();
    private long _length;

    public uint Crc => _crc.GetCurrentHashAsUInt32();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("A checksumming stream only appends.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _crc.Append(buffer);
        _length += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
