using System.Buffers.Binary;
using System.Text;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Text;

/// <summary>
/// The checkpoint file of one text index ("VLTEXT01"): what a reopen loads instead of analyzing every record again.
/// </summary>
/// <remarks>
/// Layout, little-endian (docs/file-format.md):
/// <code>
///   0..8    magic "VLTEXT01"
///   8..12   format version (1)
///  12..16   reserved (0)
///  16..24   stamp: the checkpoint's graph stamp (generation, LSN, record count), so a file of other data is refused
///  24..28   rows: the checkpoint's record count
///  28..32   terms
///  32..     rows x i32 document length (terms counted by position; 0: no text)
///           per term: u16 UTF-8 length, the bytes, i32 posting count, then per posting i32 row (ascending), i32 frequency
///  end-4    CRC32C of every byte before it
/// </code>
/// Every row of a checkpoint is live, so the statistics (N, total length, document frequencies) are recomputed from the
/// lengths and posting counts on load; they are not stored twice.
/// </remarks>
internal static class TextIndexFile
{
    /// <summary>"VLTEXT01".</summary>
    public const ulong Magic = 0x3130_5458_4554_4C56;

    private const int HeaderSize = 32;

    /// <summary>The file's bytes for the first <paramref name="rows"/> rows of <paramref name="index"/> (all live at the checkpoint).</summary>
    public static byte[] Serialize(TextIndex index, int rows, ulong stamp, CancellationToken cancellationToken)
    {
        var buffer = new BinaryBuffer(HeaderSize + (rows * 4) + 1024);
        buffer.WriteUInt64(Magic);
        buffer.WriteUInt32(FileMagic.CurrentVersion);
        buffer.WriteUInt32(0);
        buffer.WriteUInt64(stamp);
        buffer.WriteInt32(rows);
        int termsAt = buffer.ReserveInt32();
        for (int row = 0; row < rows; row++)
        {
            buffer.WriteInt32(index.LengthOf(row));
        }
        int terms = 0;
        foreach (KeyValuePair<string, TermPostings> term in index.Terms)
        {
            var (postingRows, frequencies, count) = term.Value.Read();
            int end = Array.BinarySearch(postingRows, 0, count, rows);
            end = end >= 0 ? end : ~end;
            if (end == 0)
            {
                continue; // only rows written after the checkpoint's image hold it
            }
            if ((++terms & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            buffer.WriteShortString(term.Key);
            buffer.WriteInt32(end);
            for (int i = 0; i < end; i++)
            {
                buffer.WriteInt32(postingRows[i]);
                buffer.WriteInt32(frequencies[i]);
            }
        }
        buffer.PatchInt32(termsAt, terms);
        buffer.WriteUInt32(Checksum.Compute(buffer.WrittenSpan));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a text index file for <paramref name="definition"/> over the loaded rows of <paramref name="state"/>.</summary>
    /// <exception cref="CorruptFileException">The file is damaged, of another checkpoint, or disagrees with the rows.</exception>
    public static TextIndex Load(string path, ReadOnlySpan<byte> data, TextIndexDefinition definition, CollectionState state, ulong stamp)
    {
        Check(path, data, state.RowCount, stamp);
        var index = new TextIndex(definition, "loaded");
        int rows = BinaryPrimitives.ReadInt32LittleEndian(data[24..]);
        int terms = BinaryPrimitives.ReadInt32LittleEndian(data[28..]);
        var cursor = new BinaryCursor(data[HeaderSize..^4]);
        for (int row = 0; row < rows; row++)
        {
            int length = cursor.ReadInt32();
            if (length < 0)
            {
                throw new CorruptFileException(path, HeaderSize + (row * 4L), $"row {row} has length {length}");
            }
            index.AddLoadedRow(row, length, state.ExpiresAtTicks(row) != 0);
        }
        var rowBuffer = new List<int>();
        var frequencyBuffer = new List<int>();
        for (int t = 0; t < terms; t++)
        {
            long offset = HeaderSize + cursor.Position;
            string term;
            int count;
            try
            {
                term = cursor.ReadShortString();
                count = cursor.ReadInt32();
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or DecoderFallbackException or FormatException)
            {
                throw new CorruptFileException(path, offset, $"term {t} does not decode", ex);
            }
            if (count <= 0 || count > rows || (long)count * 8 > cursor.Remaining)
            {
                throw new CorruptFileException(path, offset, $"term '{term}' claims {count} postings");
            }
            rowBuffer.Clear();
            frequencyBuffer.Clear();
            int previous = -1;
            for (int i = 0; i < count; i++)
            {
                int row = cursor.ReadInt32(), frequency = cursor.ReadInt32();
                if (row <= previous || row >= rows || frequency <= 0)
                {
                    throw new CorruptFileException(path, offset, $"term '{term}' has posting {i} (row {row}, frequency {frequency}) out of order or range");
                }
                previous = row;
                rowBuffer.Add(row);
                frequencyBuffer.Add(frequency);
            }
            index.LoadPostings(term, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowBuffer),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frequencyBuffer));
        }
        if (cursor.Remaining != 0)
        {
            throw new CorruptFileException(path, HeaderSize + cursor.Position, $"{cursor.Remaining} bytes follow the last term");
        }
        return index;
    }

    /// <summary>Checks the header, the stamp, the row count and the checksum; the verifier's check too.</summary>
    /// <exception cref="CorruptFileException">Any of them is wrong.</exception>
    public static void Check(string path, ReadOnlySpan<byte> data, long expectedRows, ulong stamp)
    {
        if (data.Length < HeaderSize + 4)
        {
            throw new CorruptFileException(path, 0, $"it has {data.Length} bytes, fewer than a text index file's header");
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(data) != Magic)
        {
            throw new CorruptFileException(path, 0, "it is not a text index file (bad magic number)");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (version != FileMagic.CurrentVersion)
        {
            throw new CorruptFileException(path, 8, $"unknown format version {version}");
        }
        if (Checksum.Compute(data[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]))
        {
            throw new CorruptFileException(path, data.Length - 4, "checksum mismatch");
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(data[16..]) != stamp)
        {
            throw new CorruptFileException(path, 16, "it was written for another checkpoint (stamp mismatch)");
        }
        int rows = BinaryPrimitives.ReadInt32LittleEndian(data[24..]);
        if (rows != expectedRows || (long)rows * 4 > data.Length - HeaderSize - 4)
        {
            throw new CorruptFileException(path, 24, $"it covers {rows} rows; the checkpoint has {expectedRows}");
        }
    }
}
