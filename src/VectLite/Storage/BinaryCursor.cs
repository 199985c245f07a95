using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace VectLite.Storage;

/// <summary>
/// Reads little-endian values from a span with bounds checks. A read past the end throws <see cref="FormatException"/>,
/// which the owner of the bytes turns into a <see cref="CorruptFileException"/> naming its file and offset.
/// </summary>
internal ref struct BinaryCursor
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public BinaryCursor(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public string ReadShortString() => Encoding.UTF8.GetString(Take(ReadUInt16()));

    public float[] ReadFloats(int count)
    {
        if (count < 0 || count > Remaining / sizeof(float))
        {
            throw new FormatException($"a vector of {count} floats runs past the end of the data");
        }
        var values = new float[count];
        Take(count * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw new FormatException($"needed {count} bytes at offset {_position}, only {Math.Max(0, _data.Length - _position)} remain");
        }
        ReadOnlySpan<byte> span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
