using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace VectLite.Storage;

/// <summary>A growable little-endian byte buffer for encoding WAL batches and checkpoint records. Reused by the writer.</summary>
internal sealed class BinaryBuffer
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Whether <see cref="_buffer"/> came from <see cref="ArrayPool{T}.Shared"/> (it goes back there when replaced).</summary>
    private bool _pooled;

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

    /// <summary>The bytes the buffer holds room for.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// Makes room for <paramref name="bytes"/> in all (what is written is kept), in one step: a writer that knows about
    /// how much it will write calls this first, so a batch of hundreds of megabytes is not grown by doubling (each step
    /// a copy of everything so far into fresh memory).
    /// </summary>
    public void EnsureCapacity(long bytes)
    {
        if (bytes > _buffer.Length)
        {
            Grow((int)Math.Min(bytes, Array.MaxLength));
        }
    }

    /// <summary>
    /// Empties the buffer and, when it grew past <paramref name="keep"/> bytes, gives its array back to the shared pool
    /// for one of <paramref name="keep"/> bytes: after an outsized batch, so its memory is not held for good. (Large arrays
    /// come from <see cref="ArrayPool{T}.Shared"/>, which reuses them for the next large batch, on any collection, and
    /// lets them go when memory runs short.)
    /// </summary>
    public void Release(int keep)
    {
        _length = 0;
        if (_buffer.Length > keep)
        {
            byte[] pooled = _buffer;
            _buffer = new byte[keep];
            if (_pooled)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
            _pooled = false;
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(Math.Max(_length + count, (int)Math.Min(Array.MaxLength, _buffer.Length * 2L)));
        }
        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int capacity)
    {
        // Pooled, so not zeroed: every byte up to the length is written before it is read.
        byte[] larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = larger;
        _pooled = true;
    }
}
