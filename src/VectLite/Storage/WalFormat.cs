namespace VectLite.Storage;

/// <summary>
/// Byte layout of the write-ahead log (all integers little-endian). See docs/file-format.md.
/// <code>
/// file header, 32 bytes
///   [0..8)    magic "VLWALOG1"
///   [8..12)   format version
///   [12..28)  reserved, zero
///   [28..32)  CRC32C of bytes [0..28)
/// frame, 16-byte header + payload, repeated
///   [0..4)    payload length n
///   [4..8)    CRC32C of frame bytes [0..4) ++ [8..16) ++ payload
///   [8..16)   log sequence number (LSN) of the batch; consecutive frames have consecutive LSNs
///   [16..16+n) the batch (see <see cref="WalBatchCodec"/>)
/// </code>
/// </summary>
internal static class WalFormat
{
    public const int FileHeaderSize = 32;
    public const int FrameHeaderSize = 16;

    /// <summary>A frame claiming more than this is treated as damage, not as a request to allocate it.</summary>
    public const int MaxBatchBytes = 1 << 30;
}
