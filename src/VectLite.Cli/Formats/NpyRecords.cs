using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VectLite.Cli.Formats;

/// <summary>
/// Records from an .npy matrix of float32 vectors (N x D, little-endian, C order), as <c>numpy.save</c> writes it: row i
/// (from 0) is record id i, or the i-th id of a companion file; and the reverse for export. Streamed: one row in memory.
/// </summary>
/// <remarks>
/// The companion ids file is either a 1-D .npy of integers (<c>&lt;i8</c>, <c>&lt;u8</c>, <c>&lt;i4</c>, <c>&lt;u4</c>;
/// negative values are refused) or a text file with one id per line (digits are numeric ids, anything else a string id).
/// It must have exactly one id per row.
/// </remarks>
internal static class NpyRecords
{
    /// <summary>Reads the rows as records; the "line" of each is its 1-based row number.</summary>
    /// <exception cref="CliUsageException">The file is not a 2-D float32 .npy, is cut short, or the ids file does not match; the message names the row.</exception>
    public static IEnumerable<(long Line, Record? Record)> Read(string path, string? idsPath)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        NpyFile header = NpyFile.ReadHeader(stream, path);
        if (header.Descr != "<f4")
        {
            throw new CliUsageException($"'{path}': dtype '{header.Descr}' is not little-endian float32 ('<f4'); convert with array.astype('<f4').");
        }
        if (header.FortranOrder)
        {
            throw new CliUsageException($"'{path}' is in Fortran order; save a C-order array (numpy.ascontiguousarray).");
        }
        if (header.Shape.Length != 2 || header.Shape[1] is < 1 or > VectorSpec.MaxDimension)
        {
            throw new CliUsageException($"'{path}': shape ({string.Join(", ", header.Shape)}) is not (rows, dimension) with a dimension of 1 to {VectorSpec.MaxDimension}.");
        }
        long rows = header.Shape[0];
        int dimension = (int)header.Shape[1];
        long expectedLength = header.DataOffset + rows * dimension * sizeof(float);
        if (stream.Length < expectedLength)
        {
            long complete = (stream.Length - header.DataOffset) / (dimension * sizeof(float));
            throw new CliUsageException($"'{path}': row {complete + 1} of {rows:N0} is cut short (the file has {stream.Length:N0} bytes, the shape needs {expectedLength:N0}).");
        }
        using IEnumerator<RecordId>? ids = idsPath is null ? null : ReadIds(idsPath).GetEnumerator();
        byte[] bytes = new byte[dimension * sizeof(float)];
        for (long row = 0; row < rows; row++)
        {
            stream.ReadExactly(bytes);
            var vector = new float[dimension];
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(vector);
            }
            else
            {
                for (int i = 0; i < dimension; i++)
                {
                    vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
                }
            }
            for (int i = 0; i < dimension; i++)
            {
                if (!float.IsFinite(vector[i]))
                {
                    throw new CliUsageException($"'{path}': row {row + 1}, column {i + 1} is {vector[i]}, not a finite number.");
                }
            }
            RecordId id = (ulong)row;
            if (ids is not null)
            {
                id = ids.MoveNext() ? ids.Current : throw new CliUsageException($"'{idsPath}' has {row:N0} ids but '{path}' has {rows:N0} rows.");
            }
            yield return (row + 1, new Record(id) { Vector = vector });
        }
        if (ids is not null && ids.MoveNext())
        {
            throw new CliUsageException($"'{idsPath}' has more ids than the {rows:N0} rows of '{path}'.");
        }
    }

    /// <summary>The ids of a companion file: a 1-D integer .npy or one id per text line.</summary>
    private static IEnumerable<RecordId> ReadIds(string path)
    {
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            long line = 0;
            foreach (string text in File.ReadLines(path))
            {
                line++;
                if (text.Length == 0)
                {
                    throw new CliUsageException($"'{path}' line {line}: an empty id.");
                }
                yield return RecordJson.ParseId(text, asString: false);
            }
            yield break;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        NpyFile header = NpyFile.ReadHeader(stream, path);
        int size = header.Descr switch
        {
            "<i8" or "<u8" => 8,
            "<i4" or "<u4" => 4,
            _ => throw new CliUsageException($"'{path}': ids of dtype '{header.Descr}' are not little-endian integers (<i8, <u8, <i4, <u4)."),
        };
        if (header.Shape.Length != 1 || header.FortranOrder && header.Shape.Length > 1)
        {
            throw new CliUsageException($"'{path}': the ids must be a 1-D array, not shape ({string.Join(", ", header.Shape)}).");
        }
        byte[] bytes = new byte[size];
        bool signed = header.Descr[1] == 'i';
        for (long i = 0; i < header.Shape[0]; i++)
        {
            if (stream.ReadAtLeast(bytes, size, throwOnEndOfStream: false) < size)
            {
                throw new CliUsageException($"'{path}': id {i + 1} is cut short.");
            }
            long value = size == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : signed ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            if (signed && value < 0)
            {
                throw new CliUsageException($"'{path}': id {i + 1} is {value}; record ids are unsigned.");
            }
            yield return new RecordId(size == 8 && !signed ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : (ulong)value);
        }
    }

    /// <summary>
    /// Writes one named vector of every record as an N x D float32 .npy, and the ids one per line to
    /// <paramref name="idsOutput"/> if given. The header is written first with 0 rows and rewritten with the real count
    /// at the end, so the records stream through once.
    /// </summary>
    /// <exception cref="CliUsageException">A record lacks the vector; the message names it.</exception>
    public static long Write(string path, string? idsOutput, string vectorName, int dimension, IEnumerable<Record> records, Action<long> progress)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        using StreamWriter? ids = idsOutput is null ? null : new StreamWriter(idsOutput);
        NpyFile.WriteHeader(stream, 0, dimension);
        byte[] bytes = new byte[dimension * sizeof(float)];
        long rows = 0;
        foreach (Record record in records)
        {
            if (!record.Vectors.TryGetValue(vectorName, out ReadOnlyMemory<float> vector))
            {
                throw new CliUsageException($"record {record.Id} has no vector '{vectorName}'; an .npy matrix needs one in every row.");
            }
            for (int i = 0; i < dimension; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector.Span[i]);
            }
            stream.Write(bytes);
            ids?.WriteLine(record.Id.ToString());
            progress(++rows);
        }
        stream.Position = 0;
        NpyFile.WriteHeader(stream, rows, dimension);
        return rows;
    }
}
