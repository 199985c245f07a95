namespace VectLite.Storage;

/// <summary>
/// Byte layout of the write-ahead log (all integers little-endian). See docs/file-format.md.
/// <code>
/// file header, 32 bytes
///   [0..8)    magic "VLWALOG1"
///   [8..12)   format version: 2 (version 1 is read, and upgraded when a writer opens it)
///   [12..28)  reserved, zero
///   [28..32)  CRC32C of bytes [0..28)
/// frame, 24-byte header + payload, repeated (version 1: 16-byte header, no synced LSN)
///   [0..4)    payload length n
///   [4..8)    CRC32C of frame bytes [0..4) ++ [8..24) ++ payload
///   [8..16)   log sequence number (LSN) of the batch; consecutive frames have consecutive LSNs
///   [16..24)  synced LSN: the newest LSN the writer had fsynced when it wrote this frame (0: none)
///   [24..24+n) the batch (see <see cref="WalBatchCodec"/>)
/// </code>
/// </summary>
/// <remarks>
/// The synced LSN is what tells a power cut from damage. In EveryN and OnFlush modes a disk may write back unsynced
/// pages in any order, so after a power cut a later unsynced frame can survive an earlier one that did not. Such a
/// gap is within the sync mode's loss window exactly when no surviving frame records the lost one as synced; damage to
/// a frame that a later frame records as synced is corruption.
/// </remarks>
internal static class WalFormat
{
    public const int FileHeaderSize = 32;

    /// <summary>The version new logs are written with.</summary>
    public const uint Version = 2;

    /// <summary>The first version, read for compatibility: frames without a synced LSN.</summary>
    public const uint Version1 = 1;

    /// <summary>The frame header of <see cref="Version"/>.</summary>
    public const int FrameHeaderSize = 24;

    /// <summary>The frame header of <see cref="Version1"/>.</summary>
    public const int Version1FrameHeaderSize = 16;

    /// <summary>A frame claiming more than this is treated as damage, not as a request to allocate it.</summary>
    public const int MaxBatchBytes = 1 << 30;

    /// <summary>The frame header size of a log of <paramref name="version"/>.</summary>
    public static int FrameHeaderSizeOf(uint version) => version == Version1 ? Version1FrameHeaderSize : FrameHeaderSize;
}
