using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using VectLite.Storage;
using VectLite.Vectors;
using F = VectLite.Indexing.HnswFileFormat;

namespace VectLite.Indexing;

// Save and Load: the graph file described in HnswFileFormat.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// Writes the graph to <paramref name="path"/> (created or overwritten) and flushes it to disk.
    /// The caller writes to a temporary name and renames, as every checkpoint file is written.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="stamp">An opaque value <see cref="Load(string, VectorArena, Metric, HnswParameters, ulong)"/> must be given back: the engine's checkpoint identity, so a stale graph is detected.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="InvalidOperationException">The graph was superseded by <see cref="Remap"/>.</exception>
    internal void Save(string path, ulong stamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        Save(stream, stamp);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Writes the graph to <paramref name="stream"/> in the format of <see cref="HnswFileFormat"/>. No insert
    /// may run during the call (the engine's writer lock); searches may.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The graph was superseded by <see cref="Remap"/>: its successor may already have linked nodes this
    /// graph does not have into the shared lists; save the successor.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    internal void Save(Stream stream, ulong stamp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfBigEndian();
        (int count, long entry, int dead) = ReadPublished("save");

        (int[][] links0, byte[][] levels, int[][] upperOffsets, int[][] upperPool) = _links.Chunks;
        int upperUsed = _links.UpperUsed;
        int[][] rows = Volatile.Read(ref _rows);

        Span<byte> header = stackalloc byte[F.HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header[F.MagicOffset..], F.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[F.VersionOffset..], F.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[F.HeaderSizeOffset..], F.HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.MOffset..], _parameters.M);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.EfConstructionOffset..], _parameters.EfConstruction);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.EfSearchOffset..], _parameters.EfSearch);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.MetricOffset..], (int)_metric);
        BinaryPrimitives.WriteUInt64LittleEndian(header[F.SeedOffset..], _parameters.Seed);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.DimensionOffset..], _dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.CountOffset..], count);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.EntryOffset..], (int)entry);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.MaxLevelOffset..], (int)(entry >> 32));
        BinaryPrimitives.WriteUInt64LittleEndian(header[F.StampOffset..], stamp);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.DeadCountOffset..], dead);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.UpperUsedOffset..], upperUsed);
        BinaryPrimitives.WriteInt32LittleEndian(header[F.PoolChunkOffset..], HnswLinkStore.PoolChunkInts);

        Crc32 crc = Checksum.CreateRunning();
        Write(stream, crc, header);

        for (int chunk = 0; chunk * HnswLinkStore.NodesPerChunk < count; chunk++)
        {
            Write(stream, crc, levels[chunk].AsSpan(0, NodesInChunk(count, chunk)));
        }

        Span<byte> padding = stackalloc byte[4];
        padding.Clear();
        Write(stream, crc, padding[..(int)(F.LevelsBytes(count) - count)]);

        WriteNodeChunks(stream, crc, links0, count, _links.Block0Ints);
        WriteNodeChunks(stream, crc, upperOffsets, count, 1);
        for (int chunk = 0; chunk * HnswLinkStore.PoolChunkInts < upperUsed; chunk++)
        {
            int ints = Math.Min(HnswLinkStore.PoolChunkInts, upperUsed - (chunk * HnswLinkStore.PoolChunkInts));
            Write(stream, crc, MemoryMarshal.AsBytes(upperPool[chunk].AsSpan(0, ints)));
        }

        WriteNodeChunks(stream, crc, rows, count, 1);

        Span<byte> trailer = stackalloc byte[F.TrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.GetCurrentHashAsUInt32());
        stream.Write(trailer);
    }

    /// <summary>
    /// The number of bytes <see cref="Save(Stream, ulong)"/> writes for the graph as it is now: for a file that holds
    /// several graphs and records each one's length before it (<see cref="ValueGraphs.ValueGraphFile"/>). Exact for a
    /// frozen graph (<see cref="Freeze"/>), which takes no inserts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was superseded by <see cref="Remap"/>.</exception>
    internal long SavedLength
    {
        get
        {
            (int count, _, _) = ReadPublished("measure");
            return F.FileLength(count, _links.Block0Ints, _links.UpperUsed);
        }
    }

    /// <summary>The node count, entry and dead count as one consistent set, for saving or freezing.</summary>
    /// <exception cref="InvalidOperationException">The graph was superseded by <see cref="Remap"/>.</exception>
    private (int Count, long Entry, int Dead) ReadPublished(string operation)
    {
        if (IsSuperseded)
        {
            throw new InvalidOperationException($"This HNSW graph was superseded by Remap; {operation} the graph Remap returned.");
        }
        lock (_growLock)
        {
            return (_count, _entry, _deadCount);
        }
    }

    /// <summary>
    /// A copy of the graph as it is now, for a checkpoint to <see cref="Save(Stream, ulong)"/> while inserts continue
    /// on this one: the links, levels and node-to-row map are copied (about 4 x (2M + 1) bytes per node; a memory copy,
    /// no distance is computed), the vectors are not (the copy reads this graph's arena, and is only saved, never added to).
    /// </summary>
    /// <remarks>No insert may run during the call (the engine's writer lock); searches may.</remarks>
    /// <exception cref="InvalidOperationException">The graph was superseded by <see cref="Remap"/>.</exception>
    internal HnswGraph Freeze()
    {
        (int count, long entry, int dead) = ReadPublished("freeze");
        (int[][] links0, byte[][] levels, int[][] upperOffsets, int[][] upperPool) = _links.Chunks;
        int upperUsed = _links.UpperUsed;
        int nodeChunks = (count + HnswLinkStore.NodeChunkMask) >> HnswLinkStore.NodeChunkShift;
        int poolChunks = (upperUsed + HnswLinkStore.PoolChunkMask) >> HnswLinkStore.PoolChunkShift;

        var links = new HnswLinkStore(_parameters.M);
        links.Adopt(CopyChunks(links0, nodeChunks), CopyChunks(levels, nodeChunks), CopyChunks(upperOffsets, nodeChunks),
            CopyChunks(upperPool, poolChunks), upperUsed);
        return new HnswGraph(_arena, _metric, _parameters, links, new HnswContextPool())
        {
            _rows = CopyChunks(Volatile.Read(ref _rows), nodeChunks),
            _count = count,
            _deadCount = dead,
            _entry = entry,
        };

        static T[][] CopyChunks<T>(T[][] chunks, int used)
        {
            var copy = new T[used][];
            for (int i = 0; i < used; i++)
            {
                copy[i] = (T[])chunks[i].Clone();
            }
            return copy;
        }
    }

    /// <summary>
    /// Loads a graph saved by <see cref="Save(string, ulong)"/> over <paramref name="arena"/>, without
    /// rebuilding, after checking that it is intact and is the graph the caller expects.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="arena">The vectors the graph's rows refer to (its dimension is the expected dimension).</param>
    /// <param name="metric">The expected metric.</param>
    /// <param name="parameters">The expected parameters: M, ef_construction and the seed must match the file; ef_search is taken from here.</param>
    /// <param name="expectedStamp">The stamp the file must carry.</param>
    /// <exception cref="CorruptFileException">
    /// The file is damaged (checksum, truncation, impossible values), is not a graph file or of another
    /// version, or does not match the expected dimension, metric, parameters or stamp.
    /// </exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    internal static HnswGraph Load(string path, VectorArena arena, Metric metric, HnswParameters parameters, ulong expectedStamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // No FileStream buffer: the sections are read straight into the arrays, in large reads.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return Load(stream, path, arena, metric, parameters, expectedStamp);
    }

    /// <summary>
    /// Loads a graph from <paramref name="stream"/>, positioned at the start of a graph file;
    /// <paramref name="fileName"/> names it in errors. See <see cref="Load(string, VectorArena, Metric, HnswParameters, ulong)"/>.
    /// </summary>
    /// <exception cref="CorruptFileException">See <see cref="Load(string, VectorArena, Metric, HnswParameters, ulong)"/>.</exception>
    internal static HnswGraph Load(Stream stream, string fileName, VectorArena arena, Metric metric, HnswParameters parameters, ulong expectedStamp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(arena);
        parameters.Validate();
        ThrowIfBigEndian();

        var reader = new SectionReader(stream, fileName);
        Span<byte> header = stackalloc byte[F.HeaderSize];

        // The header is checksummed after its checks, so a wrong magic or version is named as such.
        reader.ReadUnchecked(header, "the header");

        if (BinaryPrimitives.ReadUInt64LittleEndian(header[F.MagicOffset..]) != F.Magic)
        {
            throw Corrupt(fileName, F.MagicOffset, "it is not an HNSW graph file (wrong magic number)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[F.VersionOffset..]);
        if (version != F.Version)
        {
            throw Corrupt(fileName, F.VersionOffset, $"graph format version {version} is not supported (this build reads version {F.Version})");
        }

        Expect(fileName, header, F.HeaderSizeOffset, F.HeaderSize, "header size");
        Expect(fileName, header, F.MOffset, parameters.M, "M");
        Expect(fileName, header, F.EfConstructionOffset, parameters.EfConstruction, "ef_construction");
        Expect(fileName, header, F.MetricOffset, (int)metric, "metric");
        Expect(fileName, header, F.DimensionOffset, arena.Dimension, "dimension");
        Expect(fileName, header, F.PoolChunkOffset, HnswLinkStore.PoolChunkInts, "upper pool chunk length");
        ulong seed = BinaryPrimitives.ReadUInt64LittleEndian(header[F.SeedOffset..]);
        if (seed != parameters.Seed)
        {
            throw Corrupt(fileName, F.SeedOffset, $"the graph was built with seed {seed}, expected {parameters.Seed}");
        }

        ulong stamp = BinaryPrimitives.ReadUInt64LittleEndian(header[F.StampOffset..]);
        if (stamp != expectedStamp)
        {
            throw Corrupt(fileName, F.StampOffset, $"the graph is stale: its stamp is {stamp}, expected {expectedStamp}");
        }

        if (header[F.ReservedOffset..].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw Corrupt(fileName, F.ReservedOffset, "the reserved header bytes are not zero");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(header[F.CountOffset..]);
        int entryNode = BinaryPrimitives.ReadInt32LittleEndian(header[F.EntryOffset..]);
        int maxLevel = BinaryPrimitives.ReadInt32LittleEndian(header[F.MaxLevelOffset..]);
        int deadCount = BinaryPrimitives.ReadInt32LittleEndian(header[F.DeadCountOffset..]);
        int upperUsed = BinaryPrimitives.ReadInt32LittleEndian(header[F.UpperUsedOffset..]);
        if (count < 0 || upperUsed < 0 || deadCount < 0 || deadCount > count)
        {
            throw Corrupt(fileName, F.CountOffset, $"impossible sizes (nodes {count}, dead {deadCount}, upper pool {upperUsed})");
        }

        var links = new HnswLinkStore(parameters.M);
        long expectedLength = F.FileLength(count, links.Block0Ints, upperUsed);
        if (stream.CanSeek && stream.Length - stream.Position != expectedLength - F.HeaderSize)
        {
            long actual = stream.Length - stream.Position + F.HeaderSize;
            throw Corrupt(fileName, Math.Min(actual, expectedLength), actual < expectedLength
                ? $"the file is truncated: {actual} bytes, expected {expectedLength}"
                : $"the file has {actual - expectedLength} bytes after the graph");
        }

        reader.Crc.Append(header);
        int nodeChunks = (count + HnswLinkStore.NodeChunkMask) >> HnswLinkStore.NodeChunkShift;

        var levels = new byte[nodeChunks][];
        for (int chunk = 0; chunk < nodeChunks; chunk++)
        {
            levels[chunk] = new byte[HnswLinkStore.NodesPerChunk];
            reader.Read(levels[chunk].AsSpan(0, NodesInChunk(count, chunk)), "the levels");
        }

        Span<byte> padding = stackalloc byte[4];
        reader.Read(padding[..(int)(F.LevelsBytes(count) - count)], "the levels");

        long links0Offset = reader.Position;
        int[][] links0 = ReadNodeChunks(ref reader, nodeChunks, count, links.Block0Ints, "the level-0 links");
        long offsetsOffset = reader.Position;
        int[][] upperOffsets = ReadNodeChunks(ref reader, nodeChunks, count, 1, "the upper offsets");
        long poolOffset = reader.Position;
        int poolChunks = (int)(((long)upperUsed + HnswLinkStore.PoolChunkMask) >> HnswLinkStore.PoolChunkShift);
        var upperPool = new int[poolChunks][];
        for (int chunk = 0; chunk < poolChunks; chunk++)
        {
            upperPool[chunk] = new int[HnswLinkStore.PoolChunkInts];
            int ints = Math.Min(HnswLinkStore.PoolChunkInts, upperUsed - (chunk * HnswLinkStore.PoolChunkInts));
            reader.Read(MemoryMarshal.AsBytes(upperPool[chunk].AsSpan(0, ints)), "the upper links");
        }

        long rowsOffset = reader.Position;
        int[][] rows = ReadNodeChunks(ref reader, nodeChunks, count, 1, "the node-to-row map");

        long crcOffset = reader.Position;
        uint computed = reader.Crc.GetCurrentHashAsUInt32();
        Span<byte> trailer = stackalloc byte[F.TrailerSize];
        reader.ReadUnchecked(trailer, "the checksum");
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != computed)
        {
            throw Corrupt(fileName, crcOffset, "the checksum does not match the content");
        }

        if (reader.ReadUnchecked(padding[..1], null) != 0)
        {
            throw Corrupt(fileName, reader.Position, "there are bytes after the checksum");
        }

        links.Adopt(links0, levels, upperOffsets, upperPool, upperUsed);
        var validator = new HnswFileValidator(fileName, links, count, rows, arena.Capacity, F.HeaderSize, links0Offset, offsetsOffset, poolOffset, rowsOffset);
        int dead = validator.Validate();
        if (dead != deadCount)
        {
            throw Corrupt(fileName, F.DeadCountOffset, $"the header counts {deadCount} dead nodes but the map has {dead}");
        }

        long entry = ValidateEntry(fileName, links, rows, count, dead, entryNode, maxLevel);
        return new HnswGraph(arena, metric, parameters, links, new HnswContextPool())
        {
            _rows = rows,
            _count = count,
            _deadCount = dead,
            _entry = entry,
        };
    }

    private static long ValidateEntry(string fileName, HnswLinkStore links, int[][] rows, int count, int dead, int entryNode, int maxLevel)
    {
        if (entryNode == -1 && maxLevel == -1 && dead == count)
        {
            // Empty, or every node dead: the next insert becomes the entry point.
            return NoEntry;
        }

        if ((uint)entryNode >= (uint)count || RowOf(rows, entryNode) < 0 || links.GetLevel(entryNode) != maxLevel)
        {
            throw Corrupt(fileName, F.EntryOffset, $"the entry point (node {entryNode}, level {maxLevel}) is not a live node of that level");
        }

        return PackEntry(entryNode, maxLevel);
    }

    private static void Expect(string fileName, ReadOnlySpan<byte> header, int offset, int expected, string what)
    {
        int actual = BinaryPrimitives.ReadInt32LittleEndian(header[offset..]);
        if (actual != expected)
        {
            throw Corrupt(fileName, offset, $"the graph has {what} {actual}, expected {expected}");
        }
    }

    private static int NodesInChunk(int count, int chunk) =>
        Math.Min(HnswLinkStore.NodesPerChunk, count - (chunk << HnswLinkStore.NodeChunkShift));

    private static void WriteNodeChunks(Stream stream, Crc32 crc, int[][] chunks, int count, int intsPerNode)
    {
        for (int chunk = 0; chunk * HnswLinkStore.NodesPerChunk < count; chunk++)
        {
            Write(stream, crc, MemoryMarshal.AsBytes(chunks[chunk].AsSpan(0, NodesInChunk(count, chunk) * intsPerNode)));
        }
    }

    private static int[][] ReadNodeChunks(ref SectionReader reader, int chunks, int count, int intsPerNode, string what)
    {
        var result = new int[chunks][];
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            result[chunk] = new int[HnswLinkStore.NodesPerChunk * intsPerNode];
            reader.Read(MemoryMarshal.AsBytes(result[chunk].AsSpan(0, NodesInChunk(count, chunk) * intsPerNode)), what);
        }

        return result;
    }

    private static void Write(Stream stream, Crc32 crc, ReadOnlySpan<byte> bytes)
    {
        crc.Append(bytes);
        stream.Write(bytes);
    }

    private static CorruptFileException Corrupt(string fileName, long offset, string problem) => new(fileName, offset, problem);

    private static void ThrowIfBigEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("HNSW graph files are little-endian and are read and written as raw arrays; this machine is big-endian.");
        }
    }

    /// <summary>Reads consecutive sections, checksumming them and turning a short read into a <see cref="CorruptFileException"/>.</summary>
    private struct SectionReader(Stream stream, string fileName)
    {
        internal readonly Crc32 Crc = Checksum.CreateRunning();

        /// <summary>The file offset of the next byte.</summary>
        internal long Position { get; private set; }

        /// <summary>Fills <paramref name="destination"/> and adds it to the checksum.</summary>
        internal void Read(Span<byte> destination, string what)
        {
            ReadUnchecked(destination, what);
            Crc.Append(destination);
        }

        /// <summary>Fills <paramref name="destination"/> without checksumming it; returns the bytes read when <paramref name="what"/> is null (a probe for extra bytes).</summary>
        internal int ReadUnchecked(Span<byte> destination, string? what)
        {
            int total = 0;
            while (total < destination.Length)
            {
                int read = stream.Read(destination[total..]);
                if (read == 0)
                {
                    if (what is null)
                    {
                        break;
                    }

                    throw Corrupt(fileName, Position + total, $"the file ends inside {what}");
                }

                total += read;
            }

            Position += total;
            return total;
        }
    }
}
