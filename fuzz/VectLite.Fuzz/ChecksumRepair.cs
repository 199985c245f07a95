using System.Buffers.Binary;
using VectLite.Indexing;
using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// Rewrites the checksums inside a mutated file so that it passes them: a random mutation almost never keeps a CRC32C
/// valid, so without this the fuzzer would spend its time on the first checksum comparison and never reach the
/// decoders behind it. Only checksum fields are rewritten; every other byte stays as the fuzzer chose it.
/// </summary>
internal static class ChecksumRepair
{
    /// <summary>The header CRC of a checkpoint data file (bytes [28, 32) cover [0, 28)).</summary>
    public static void CheckpointFileHeader(Span<byte> file)
    {
        if (file.Length >= CheckpointFileWriter.HeaderSize)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file[28..], Checksum.Compute(file[..28]));
        }
    }

    /// <summary>The per-record CRCs of a records file: each record is a u32 length, a u32 CRC and the body.</summary>
    public static void RecordFrames(Span<byte> file)
    {
        int offset = CheckpointFileWriter.HeaderSize;
        while (file.Length - offset >= 8)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(file[offset..]);
            if (length < 0 || length > file.Length - offset - 8)
            {
                return;
            }
            BinaryPrimitives.WriteUInt32LittleEndian(file[(offset + 4)..], Checksum.Compute(file.Slice(offset + 8, length)));
            offset += 8 + length;
        }
    }

    /// <summary>The CRC trailer of an HNSW graph file (the last 4 bytes cover everything before them).</summary>
    public static void GraphTrailer(Span<byte> file)
    {
        if (file.Length >= HnswFileFormat.HeaderSize + HnswFileFormat.TrailerSize)
        {
            int end = file.Length - HnswFileFormat.TrailerSize;
            BinaryPrimitives.WriteUInt32LittleEndian(file[end..], Checksum.Compute(file[..end]));
        }
    }

    /// <summary>
    /// The header CRC of a write-ahead log and the CRC of every frame whose length fits the file: the frames' bodies
    /// and LSNs stay as mutated, so the reader's sequence checks and the batch decoder see them.
    /// </summary>
    public static void WalFrames(Span<byte> file)
    {
        if (file.Length >= WalFormat.FileHeaderSize)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file[28..], Checksum.Compute(file[..28]));
        }
        int offset = WalFormat.FileHeaderSize;
        while (file.Length - offset >= WalFormat.FrameHeaderSize)
        {
            Span<byte> header = file.Slice(offset, WalFormat.FrameHeaderSize);
            int length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length < 0 || length > file.Length - offset - WalFormat.FrameHeaderSize)
            {
                return;
            }
            Span<byte> batch = file.Slice(offset + WalFormat.FrameHeaderSize, length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], WalWriter.FrameChecksum(header[..4], header[8..16], batch));
            offset += WalFormat.FrameHeaderSize + length;
        }
    }
}
