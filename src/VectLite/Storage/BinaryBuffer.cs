using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace VectLite.Storage;

/// <summary>A growable little-endian byte buffer for encoding WAL batches and checkpoint records. Reused by the writer.</summary>
internal sealed class BinaryBuffer
{
    private byte[] _buffer;
    private int _length;

    public BinaryBuffer(int initialCapacity = 1024) => _buffer = new byte[initialCapacity];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A string as a u16 byte length and UTF-8 bytes (names, namespaces, ids: all bounded well below 64 KiB).</summary>
    public void WriteShortString(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        if (count > ushort.MaxValue)
        {
            throw new InvalidRecordException($"A name or id of {count} UTF-8 bytes exceeds the limit of {ushort.MaxValue}.");
        }
        WriteUInt16((ushort)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>Floats as raw little-endian IEEE 754 bytes (VectLite supports little-endian hosts only).</summary>
    public void WriteFloats(ReadOnlySpan<float> values) => WriteBytes(MemoryMarshal.AsBytes(values));

    /// <summary>Reserves room for a value written later (a length prefix) and returns its offset.</summary>
    public int ReserveInt32()
    {
        _ = Reserve(4);
        return _length - 4;
    }

    public void PatchInt32(int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(offset), value);

    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset), value);

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_length + count, _buffer.Length * 2));
        }
        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
