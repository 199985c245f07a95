using System.Runtime.InteropServices;

namespace VectLite.Bench;

/// <summary>Rows of equal length read from a TEXMEX file (<c>.fvecs</c> or <c>.ivecs</c>), stored contiguously.</summary>
/// <typeparam name="T"><see cref="float"/> for fvecs, <see cref="int"/> for ivecs.</typeparam>
internal sealed class TexmexFile<T> where T : unmanaged
{
    private TexmexFile(T[] data, int count, int dimension)
    {
        Data = data;
        Count = count;
        Dimension = dimension;
    }

    /// <summary>All rows, row-major.</summary>
    public T[] Data { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>Row <paramref name="i"/>, without copying.</summary>
    public ReadOnlyMemory<T> Row(int i) => Data.AsMemory(i * Dimension, Dimension);

    /// <summary>Wraps <paramref name="data"/> (row-major, not copied) as rows of <paramref name="dimension"/> values.</summary>
    /// <exception cref="ArgumentException">The data is not a whole, non-zero number of rows.</exception>
    public static TexmexFile<T> FromRows(T[] data, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (data.Length == 0 || data.Length % dimension != 0)
        {
            throw new ArgumentException($"{data.Length} values are not a whole, non-zero number of rows of {dimension}.", nameof(data));
        }
        return new TexmexFile<T>(data, data.Length / dimension, dimension);
    }

    /// <summary>The first <paramref name="count"/> rows, copied.</summary>
    public TexmexFile<T> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return count == Count ? this : new TexmexFile<T>(Data.AsSpan(0, count * Dimension).ToArray(), count, Dimension);
    }

    /// <summary>Writes every row in the format <see cref="Read"/> reads (int32 length, then the values, little-endian).</summary>
    public void Write(string path)
    {
        if (!BitConverter.IsLittleEndian || Marshal.SizeOf<T>() != 4)
        {
            throw new PlatformNotSupportedException("TEXMEX files are written as little-endian 4-byte values.");
        }
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        Span<byte> header = stackalloc byte[4];
        BitConverter.TryWriteBytes(header, Dimension);
        for (int i = 0; i < Count; i++)
        {
            stream.Write(header);
            stream.Write(MemoryMarshal.AsBytes(Data.AsSpan(i * Dimension, Dimension)));
        }
    }

    /// <summary>Reads a whole file: each row is an int32 length then that many 4-byte values, little-endian.</summary>
    /// <exception cref="InvalidDataException">The file is empty, truncated, or its rows differ in length.</exception>
    public static TexmexFile<T> Read(string path)
    {
        if (!BitConverter.IsLittleEndian || Marshal.SizeOf<T>() != 4)
        {
            throw new PlatformNotSupportedException("TEXMEX files are read as little-endian 4-byte values.");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        int dimension = BitConverter.ToInt32(header);
        long rowBytes = 4L * (dimension + 1);
        if (dimension < 1 || stream.Length % rowBytes != 0)
        {
            throw new InvalidDataException($"{path}: first row has dimension {dimension}, and {stream.Length} bytes is not a whole number of such rows.");
        }
        long count = stream.Length / rowBytes;
        if (count * dimension > Array.MaxLength)
        {
            throw new InvalidDataException($"{path}: {count} x {dimension} values do not fit one array.");
        }

        var data = new T[count * dimension];
        stream.Position = 0;
        for (int i = 0; i < count; i++)
        {
            stream.ReadExactly(header);
            int rowDimension = BitConverter.ToInt32(header);
            if (rowDimension != dimension)
            {
                throw new InvalidDataException($"{path}: row {i} has dimension {rowDimension}, row 0 has {dimension}.");
            }
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan(i * dimension, dimension)));
        }
        return new TexmexFile<T>(data, (int)count, dimension);
    }
}
