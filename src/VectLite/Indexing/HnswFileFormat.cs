namespace VectLite.Indexing;

/// <summary>
/// The layout of a saved HNSW graph file (one per named vector per checkpoint). Everything is
/// little-endian. The big arrays are the in-memory arrays byte for byte, so loading is a handful of large
/// reads with no per-element parsing.
/// </summary>
/// <remarks>
/// <code>
/// Header, 128 bytes:
///   [0, 8)     magic "VLHNSW01" (ulong)
///   [8, 12)    format version (uint)
///   [12, 16)   header size in bytes (uint, 128)
///   [16, 20)   M
///   [20, 24)   ef_construction
///   [24, 28)   ef_search at save time (informational: the loader takes the caller's)
///   [28, 32)   metric (VectLite.Metric as int)
///   [32, 40)   seed of the level assignment (ulong)
///   [40, 44)   dimension
///   [44, 48)   node count n
///   [48, 52)   entry node, or -1
///   [52, 56)   maximum level, or -1
///   [56, 64)   stamp (ulong, opaque: the engine's checkpoint LSN / record count)
///   [64, 68)   dead node count (nodes whose row is -1)
///   [68, 72)   upper pool length in ints (u)
///   [72, 76)   upper pool chunk length in ints (4,096)
///   [76, 128)  reserved, zero
/// Sections, in order, each starting on a 4-byte boundary:
///   levels           n bytes, zero-padded to a multiple of 4
///   level-0 links    n x (1 + 2M) int32: [count, neighbour ids, unused slots]
///   upper offsets    n x int32: the node's first upper block in the pool, -1 for level-0 nodes
///   upper pool       u x int32: per node above level 0, `level` blocks of (1 + M) int32 [count, ids]
///   node -> row      n x int32, -1 for dead nodes
/// Trailer:
///   CRC32C (uint) of every byte before it
/// </code>
/// </remarks>
internal static class HnswFileFormat
{
    /// <summary>"VLHNSW01" read as a little-endian ulong, so a hex dump shows the name.</summary>
    internal const ulong Magic = Storage.FileMagic.HnswGraph;

    /// <summary>The format version written; readers reject any other.</summary>
    internal const uint Version = 1;

    /// <summary>The size of the header in bytes.</summary>
    internal const int HeaderSize = 128;

    /// <summary>The size of the trailer (the CRC) in bytes.</summary>
    internal const int TrailerSize = 4;

    internal const int MagicOffset = 0;
    internal const int VersionOffset = 8;
    internal const int HeaderSizeOffset = 12;
    internal const int MOffset = 16;
    internal const int EfConstructionOffset = 20;
    internal const int EfSearchOffset = 24;
    internal const int MetricOffset = 28;
    internal const int SeedOffset = 32;
    internal const int DimensionOffset = 40;
    internal const int CountOffset = 44;
    internal const int EntryOffset = 48;
    internal const int MaxLevelOffset = 52;
    internal const int StampOffset = 56;
    internal const int DeadCountOffset = 64;
    internal const int UpperUsedOffset = 68;
    internal const int PoolChunkOffset = 72;
    internal const int ReservedOffset = 76;

    /// <summary>Returns the bytes of the levels section for <paramref name="count"/> nodes, padding included.</summary>
    internal static long LevelsBytes(int count) => ((long)count + 3) & ~3L;

    /// <summary>Returns the total file length for a graph of <paramref name="count"/> nodes with <paramref name="upperUsed"/> pool ints.</summary>
    internal static long FileLength(int count, int block0Ints, int upperUsed) =>
        HeaderSize
        + LevelsBytes(count)
        + ((long)count * block0Ints * sizeof(int))
        + ((long)count * sizeof(int))
        + ((long)upperUsed * sizeof(int))
        + ((long)count * sizeof(int))
        + TrailerSize;
}
