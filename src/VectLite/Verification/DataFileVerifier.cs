using System.Buffers;
using System.Buffers.Binary;
using VectLite.Storage;

namespace VectLite.Verification;

/// <summary>
/// Checks a checkpoint's records and vectors files (layouts in <see cref="Records.CollectionFiles"/>) from streams the caller
/// opened, in two passes: the whole file's length and CRC32C against the checkpoint manifest, then its structure
/// (header, and for records every record's frame, checksum and payload), which locates damage the first pass only
/// detects. Nothing is loaded into a collection: memory stays at one record.
/// </summary>
internal static class DataFileVerifier
{
    private const int BufferSize = 1 << 20;

    /// <summary>Compares the file's length and whole-file CRC32C with the manifest entry; false on a mismatch.</summary>
    public static bool CheckAgainstManifest(Stream stream, CheckpointFile expected, FileCheck check, CancellationToken cancellationToken)
    {
        check.Length = stream.Length;
        if (stream.Length != expected.Length)
        {
            check.Damage(-1, $"it is {stream.Length} bytes, the checkpoint manifest says {expected.Length}");
            return false;
        }
        var crc = Checksum.CreateRunning();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            stream.Position = 0;
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                crc.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (crc.GetCurrentHashAsUInt32() != expected.Crc)
        {
            check.Damage(-1, "checksum mismatch: the content differs from what the checkpoint wrote");
            return false;
        }
        return true;
    }

    /// <summary>Checks the records file's header and every record; the count must be the manifest's.</summary>
    public static void CheckRecords(Stream stream, long expectedCount, FileCheck check, CancellationToken cancellationToken)
    {
        stream.Position = 0;
        if (!TryReadHeader(stream, FileMagic.Records, check, out _, out long count, out uint version))
        {
            return;
        }
        if (count != expectedCount)
        {
            check.Damage(16, $"record count {count} disagrees with the checkpoint manifest's {expectedCount}");
            return;
        }
        Span<byte> frame = stackalloc byte[8];
        byte[] body = new byte[4096];
        for (long i = 0; i < count; i++)
        {
            if ((i & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            long offset = stream.Position;
            if (!TryRead(stream, frame, check, $"record {i}"))
            {
                return;
            }
            int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
            if (length < 0 || length > stream.Length - stream.Position)
            {
                check.Damage(offset, $"record {i} claims {length} bytes, more than the file holds");
                return;
            }
            if (body.Length < length)
            {
                body = new byte[Math.Max(length, body.Length * 2)];
            }
            Span<byte> span = body.AsSpan(0, length);
            if (!TryRead(stream, span, check, $"record {i}"))
            {
                return;
            }
            if (Checksum.Compute(span) != crc)
            {
                check.Damage(offset, $"record {i} checksum mismatch");
                return;
            }
            string? problem = DecodeRecord(span, version == FileMagic.SparseVersion);
            if (problem is not null)
            {
                check.Damage(offset, $"record {i} passes its checksum but {problem}");
                return;
            }
        }
        if (stream.Position != stream.Length)
        {
            check.Damage(stream.Position, $"{stream.Length - stream.Position} unexpected bytes after the last record");
        }
    }

    /// <summary>Checks the vectors file's header: magic, version, checksum, dimension and row count.</summary>
    public static void CheckVectors(Stream stream, int dimension, long expectedRows, FileCheck check)
    {
        stream.Position = 0;
        if (!TryReadHeader(stream, FileMagic.Vectors, check, out uint fileDimension, out long rows, out uint version))
        {
            return;
        }
        if (fileDimension != dimension || rows != expectedRows)
        {
            check.Damage(12, $"it holds {rows} vectors of dimension {fileDimension}; the checkpoint needs {expectedRows} of dimension {dimension}");
            return;
        }
        bool mapped = version == FileMagic.MappedVectorsVersion;
        long expectedLength = mapped
            ? Vectors.MappedVectorFile.FileLength(dimension, rows)
            : CheckpointFileWriter.HeaderSize + (rows * dimension * sizeof(float));
        if (stream.Length != expectedLength)
        {
            check.Damage(Math.Min(stream.Length, expectedLength), mapped
                ? $"it is {stream.Length} bytes; {rows} vectors of dimension {dimension}, each padded to {Vectors.VectorArena.StrideFor(dimension)} floats after a {Vectors.MappedVectorFile.DataOffset}-byte header, take {expectedLength}"
                : $"it is {stream.Length} bytes; {rows} vectors of dimension {dimension} take {expectedLength}");
            return;
        }
        if (mapped)
        {
            CheckMappedPadding(stream, dimension, rows, check);
        }
    }

    /// <summary>
    /// Checks that the bytes a mapped vectors file (version 2) keeps zero are zero: the header's padding and each row's
    /// padding after its dimension. Searches read the padding (kernels run over the whole stride), so a non-zero byte
    /// there would change scores while every stored value still reads back right.
    /// </summary>
    private static void CheckMappedPadding(Stream stream, int dimension, long rows, FileCheck check)
    {
        stream.Position = CheckpointFileWriter.HeaderSize;
        Span<byte> gap = stackalloc byte[Vectors.MappedVectorFile.DataOffset - CheckpointFileWriter.HeaderSize];
        if (!TryRead(stream, gap, check, "the header's padding"))
        {
            return;
        }
        if (gap.IndexOfAnyExcept((byte)0) is int at and >= 0)
        {
            check.Damage(CheckpointFileWriter.HeaderSize + at, "the padding after the header is not zero");
            return;
        }
        int stride = Vectors.VectorArena.StrideFor(dimension);
        if (stride == dimension)
        {
            return;
        }
        byte[] row = new byte[stride * sizeof(float)];
        for (long r = 0; r < rows; r++)
        {
            long offset = stream.Position;
            if (!TryRead(stream, row, check, $"row {r}"))
            {
                return;
            }
            if (row.AsSpan(dimension * sizeof(float)).IndexOfAnyExcept((byte)0) is int nonZero and >= 0)
            {
                check.Damage(offset + (dimension * sizeof(float)) + nonZero, $"row {r}'s padding after its {dimension} values is not zero");
                return;
            }
        }
    }

    /// <summary>Decodes a record body as the loader does (key, expiry, payload parsed as JSON); returns the problem or null.</summary>
    private static string? DecodeRecord(ReadOnlySpan<byte> body, bool withSparse)
    {
        try
        {
            var cursor = new BinaryCursor(body);
            (_, _, _, byte[]? payload) = StoredRecord.ReadKeyAndPayload(ref cursor);
            if (payload is not null)
            {
                PayloadJson.Parse(payload);
            }
            if (withSparse)
            {
                StoredRecord.ReadExtendedSpaces(ref cursor);
            }
            return null;
        }
        catch (Exception ex) when (ex is FormatException or VectLiteException)
        {
            return $"does not decode: {ex.Message}";
        }
    }

    private static bool TryReadHeader(Stream stream, ulong magic, FileCheck check, out uint field1, out long count, out uint version)
    {
        field1 = 0;
        count = 0;
        version = 0;
        Span<byte> header = stackalloc byte[CheckpointFileWriter.HeaderSize];
        if (!TryRead(stream, header, check, "the header"))
        {
            return false;
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != magic)
        {
            check.Damage(0, "bad magic number");
            return false;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Checksum.Compute(header[..28]))
        {
            check.Damage(28, "header checksum mismatch");
            return false;
        }
        version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (!FileMagic.IsKnownVersion(magic, version))
        {
            check.Damage(8, $"unsupported format version {version} (this build reads version {FileMagic.CurrentVersion})");
            return false;
        }
        field1 = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        count = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        return true;
    }

    private static bool TryRead(Stream stream, Span<byte> destination, FileCheck check, string what)
    {
        long offset = stream.Position;
        int read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
        {
            check.Damage(offset + read, $"the file ends inside {what}");
            return false;
        }
        return true;
    }
}
