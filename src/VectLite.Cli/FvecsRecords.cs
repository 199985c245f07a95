using System.Buffers.Binary;

namespace VectLite.Cli;

/// <summary>
/// Records from an .fvecs file (TEXMEX: each vector is an int32 dimension, then that many float32, little-endian), as
/// ann-benchmarks and faiss use: vector i (from 1) becomes record id i - 1 with no payload. Streamed: one vector in memory.
/// </summary>
internal static class FvecsRecords
{
    /// <exception cref="CliUsageException">The file is cut short or a dimension is not positive; the message names the vector.</exception>
    public static IEnumerable<(long Line, Record? Record)> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        byte[] header = new byte[4];
        byte[] bytes = [];
        long number = 0;
        while (true)
        {
            int read = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
            if (read == 0)
            {
                yield break;
            }
            number++;
            if (read < 4)
            {
                throw new CliUsageException($"vector {number}: the file ends inside its dimension field.");
            }
            int dimension = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (dimension <= 0 || dimension > VectorSpec.MaxDimension)
            {
                throw new CliUsageException($"vector {number}: dimension {dimension} is not between 1 and {VectorSpec.MaxDimension}; not an .fvecs file?");
            }
            int length = dimension * sizeof(float);
            if (bytes.Length < length)
            {
                bytes = new byte[length]; // one buffer for the file: every vector is copied out of it into its record
            }
            if (stream.ReadAtLeast(bytes.AsSpan(0, length), length, throwOnEndOfStream: false) < length)
            {
                throw new CliUsageException($"vector {number}: the file ends inside its {dimension} values.");
            }
            var vector = new float[dimension];
            for (int i = 0; i < dimension; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }
            yield return (number, new Record((ulong)(number - 1), vector));
        }
    }
}
