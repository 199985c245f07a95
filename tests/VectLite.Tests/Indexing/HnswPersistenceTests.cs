using System.Buffers.Binary;
using VectLite.Indexing;
using VectLite.Storage;
using VectLite.Vectors;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

public sealed class HnswPersistenceTests : IDisposable
{
    private const int K = 10;
    private const ulong Stamp = 0x0123_4567_89AB_CDEF;
    private const int N = 1500;
    private const int Dimension = 16;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vectlite-hnsw-" + Guid.NewGuid().ToString("N"));
    private readonly float[][] _vectors;
    private readonly float[][] _queries;
    private readonly VectorArena _arena;
    private readonly HnswGraph _graph;

    public HnswPersistenceTests()
    {
        Directory.CreateDirectory(_directory);
        (_vectors, _queries) = WithQueries(seed: 201, N, 30, Dimension);
        _arena = Arena(_vectors);
        _graph = Build(_arena, Metric.L2, N);
    }

    public void Dispose()
    {
        _arena.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Round_trip_gives_identical_graph_and_search_results()
    {
        string path = Save(_graph);

        HnswGraph loaded = HnswGraph.Load(path, _arena, Metric.L2, Quick, Stamp);

        Assert.Equal(_graph.Count, loaded.Count);
        Assert.Equal(_graph.EntryNode, loaded.EntryNode);
        Assert.Equal(_graph.MaxLevel, loaded.MaxLevel);
        for (int node = 0; node < N; node++)
        {
            Assert.Equal(_graph.GetRow(node), loaded.GetRow(node));
            Assert.Equal(_graph.GetLevel(node), loaded.GetLevel(node));
            for (int level = 0; level <= _graph.GetLevel(node); level++)
            {
                Assert.Equal(_graph.GetNeighbors(node, level), loaded.GetNeighbors(node, level));
            }
        }

        foreach (float[] query in _queries)
        {
            Assert.Equal(Query(_graph, query, K, 40), Query(loaded, query, K, 40));
        }

        // A loaded graph keeps growing like a built one.
        using VectorArena bigger = Arena(_vectors, extraCapacity: 10);
        HnswGraph reloaded = HnswGraph.Load(path, bigger, Metric.L2, Quick, Stamp);
        bigger.Write(N, _vectors[3]);
        reloaded.Add(N);
        Assert.Contains(N, Query(reloaded, _vectors[3], 2, 40).Select(f => f.Row));
    }

    [Fact]
    public void Round_trip_keeps_dead_nodes_and_an_empty_graph()
    {
        int[] map = Enumerable.Range(0, N).Select(r => r < N / 2 ? -1 : r - (N / 2)).ToArray();
        using VectorArena compacted = Arena(_vectors[(N / 2)..]);
        HnswGraph remapped = _graph.Remap(map, compacted);
        string path = Save(remapped);

        HnswGraph loaded = HnswGraph.Load(path, compacted, Metric.L2, Quick, Stamp);

        Assert.Equal(N / 2, loaded.DeadCount);
        Assert.Equal(remapped.EntryNode, loaded.EntryNode);
        Assert.Equal(Query(remapped, _vectors[N - 1], K, 40), Query(loaded, _vectors[N - 1], K, 40));

        var empty = new HnswGraph(_arena, Metric.Cosine, Quick);
        HnswGraph loadedEmpty = HnswGraph.Load(Save(empty), _arena, Metric.Cosine, Quick, Stamp);
        Assert.Equal(0, loadedEmpty.Count);
        Assert.Empty(Query(loadedEmpty, _vectors[0], K, 0));
    }

    [Fact]
    public void Stream_round_trip_matches_the_file()
    {
        using var stream = new MemoryStream();
        _graph.Save(stream, Stamp);
        Assert.Equal(File.ReadAllBytes(Save(_graph)), stream.ToArray());

        stream.Position = 0;
        HnswGraph loaded = HnswGraph.Load(stream, "memory", _arena, Metric.L2, Quick, Stamp);
        Assert.Equal(Query(_graph, _vectors[5], K, 40), Query(loaded, _vectors[5], K, 40));
    }

    [Fact]
    public void Any_flipped_byte_is_detected()
    {
        byte[] original = File.ReadAllBytes(Save(_graph));
        var rng = new Random(203);

        // Every header byte, then a sample across the sections and the checksum.
        IEnumerable<int> offsets = Enumerable.Range(0, HnswFileFormat.HeaderSize)
            .Concat(Enumerable.Range(0, 200).Select(_ => rng.Next(HnswFileFormat.HeaderSize, original.Length)))
            .Concat(Enumerable.Range(original.Length - 4, 4));
        foreach (int offset in offsets)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[offset] ^= (byte)(1 << rng.Next(8));
            AssertCorrupt(damaged);
        }
    }

    [Fact]
    public void Truncated_and_extended_files_are_detected()
    {
        byte[] original = File.ReadAllBytes(Save(_graph));
        foreach (int length in new[] { 0, 7, 64, HnswFileFormat.HeaderSize - 1, HnswFileFormat.HeaderSize, 1000, original.Length / 2, original.Length - 1 })
        {
            AssertCorrupt(original[..length]);
        }

        AssertCorrupt([.. original, 0]);

        // Without a known length (a stream that cannot seek), the short read itself is caught.
        using var stream = new NonSeekableStream(original[..(original.Length / 2)]);
        Assert.Throws<CorruptFileException>(() => HnswGraph.Load(stream, "pipe", _arena, Metric.L2, Quick, Stamp));
        using var longer = new NonSeekableStream([.. original, 1, 2]);
        Assert.Throws<CorruptFileException>(() => HnswGraph.Load(longer, "pipe", _arena, Metric.L2, Quick, Stamp));
    }

    [Fact]
    public void Wrong_magic_and_version_are_named()
    {
        byte[] bytes = File.ReadAllBytes(Save(_graph));
        byte[] magic = (byte[])bytes.Clone();
        "NOTHNSW!"u8.CopyTo(magic);
        CorruptFileException e = AssertCorrupt(magic);
        Assert.Equal(0, e.Offset);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);

        byte[] version = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(version.AsSpan(HnswFileFormat.VersionOffset), 2);
        e = AssertCorrupt(version);
        Assert.Equal(HnswFileFormat.VersionOffset, e.Offset);
        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stale_stamp_and_mismatched_expectations_are_detected()
    {
        string path = Save(_graph);
        using var otherDimension = new VectorArena(Dimension + 1);

        CorruptFileException stale = Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L2, Quick, Stamp + 1));
        Assert.Equal(HnswFileFormat.StampOffset, stale.Offset);
        Assert.Equal(path, stale.FilePath);
        Assert.Equal(HnswFileFormat.DimensionOffset, Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, otherDimension, Metric.L2, Quick, Stamp)).Offset);
        Assert.Equal(HnswFileFormat.MetricOffset, Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L1, Quick, Stamp)).Offset);
        Assert.Equal(HnswFileFormat.MOffset, Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L2, Quick with { M = 16 }, Stamp)).Offset);
        Assert.Equal(HnswFileFormat.EfConstructionOffset, Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L2, Quick with { EfConstruction = 200 }, Stamp)).Offset);
        Assert.Equal(HnswFileFormat.SeedOffset, Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L2, Quick with { Seed = 5 }, Stamp)).Offset);

        // ef_search is a search-time setting: the caller's wins.
        HnswGraph loaded = HnswGraph.Load(path, _arena, Metric.L2, Quick with { EfSearch = 77 }, Stamp);
        Assert.Equal(77, loaded.Parameters.EfSearch);
    }

    [Fact]
    public void Impossible_values_under_a_valid_checksum_are_refused()
    {
        byte[] original = File.ReadAllBytes(Save(_graph));
        int block0Ints = 1 + (2 * Quick.M);
        long links0 = HnswFileFormat.HeaderSize + HnswFileFormat.LevelsBytes(N);
        long rows = links0 + ((long)N * block0Ints * 4) + ((long)N * 4) + ((long)UpperPoolInts() * 4);

        // A neighbour id beyond the node count.
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)links0 + 4), N + 5)));

        // A level-0 count larger than the block, and a lock bit left set.
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)links0), (2 * Quick.M) + 1)));
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)links0), int.MinValue | 3)));

        // A level above 31.
        AssertCorrupt(Resealed(original, b => b[HnswFileFormat.HeaderSize] = 40));

        // A row outside the arena, and a row below -1.
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)rows), _arena.Capacity)));
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan((int)rows), -2)));

        // A dead count that disagrees with the map, and an entry point that is not on the max level.
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(HnswFileFormat.DeadCountOffset), 1)));
        AssertCorrupt(Resealed(original, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(HnswFileFormat.EntryOffset), NodeBelowTop())));
    }

    private int UpperPoolInts() => (int)((new FileInfo(Save(_graph)).Length - HnswFileFormat.FileLength(N, 1 + (2 * Quick.M), 0)) / 4);

    private int NodeBelowTop() => Enumerable.Range(0, N).First(node => _graph.GetLevel(node) < _graph.MaxLevel);

    /// <summary>Applies <paramref name="edit"/> to a copy and recomputes the trailing CRC, as a buggy writer would have.</summary>
    private static byte[] Resealed(byte[] original, Action<byte[]> edit)
    {
        byte[] bytes = (byte[])original.Clone();
        edit(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Checksum.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    private string Save(HnswGraph graph)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".hnsw");
        graph.Save(path, Stamp);
        return path;
    }

    private CorruptFileException AssertCorrupt(byte[] bytes)
    {
        string path = Path.Combine(_directory, "damaged.hnsw");
        File.WriteAllBytes(path, bytes);
        CorruptFileException e = Assert.Throws<CorruptFileException>(() => HnswGraph.Load(path, _arena, Metric.L2, Quick, Stamp));
        Assert.Equal(path, e.FilePath);
        return e;
    }

    /// <summary>A read-only stream that hides its length, like a pipe.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
