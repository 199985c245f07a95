using System.Buffers.Binary;
using VectLite.Indexing;
using VectLite.Indexing.ValueGraphs;
using VectLite.Vectors;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// The value graphs file (docs/file-format.md, "Value graphs file"): two fields (a keyword field with two values and the
/// namespace field with one), written and read back graph for graph, and each kind of damage refused with a
/// <see cref="CorruptFileException"/> that names it.
/// </summary>
public sealed class ValueGraphFileTests : IDisposable
{
    private const ulong Stamp = 0x0123_4567_89AB_CDEF;
    private const int Rows = 600;
    private const int Dimension = 8;
    private readonly float[][] _vectors;
    private readonly float[][] _queries;
    private readonly VectorArena _arena;
    private readonly ValueGraphField[] _fields;

    public ValueGraphFileTests()
    {
        (_vectors, _queries) = WithQueries(seed: 7, Rows, 10, Dimension);
        _arena = Arena(_vectors);
        // "red": even rows below 500, "blue": odd rows below 500 (the mark), namespace "t": rows 100 to 399.
        _fields =
        [
            ValueGraphField.Loaded(0, "colour", 500, new(StringComparer.Ordinal)
            {
                ["red"] = Graph(Enumerable.Range(0, 500).Where(r => r % 2 == 0)),
                ["blue"] = Graph(Enumerable.Range(0, 500).Where(r => r % 2 == 1)),
            }),
            ValueGraphField.Loaded(0, ValueGraphField.Namespaces, 400, new(StringComparer.Ordinal) { ["t"] = Graph(Enumerable.Range(100, 300)) }),
        ];
    }

    public void Dispose() => _arena.Dispose();

    private HnswGraph Graph(IEnumerable<int> rows)
    {
        var graph = new HnswGraph(_arena, Metric.L2, Quick);
        graph.AddMany(rows.ToArray(), 1);
        return graph;
    }

    private byte[] Written()
    {
        using var stream = new MemoryStream();
        ValueGraphFile.Write(stream, [.. _fields.Select(f => f.Freeze())], Stamp);
        return stream.ToArray();
    }

    private ValueGraphField[] Read(byte[] bytes, ulong stamp = Stamp, int rows = Rows, int vectors = 1) =>
        ValueGraphFile.Read(new MemoryStream(bytes), "test.vlvg", vectors, _ => (_arena, Metric.L2), Quick, stamp, rows);

    [Fact]
    public void Written_and_read_back_every_field_mark_and_graph_is_the_same()
    {
        byte[] bytes = Written();

        Assert.Equal("VLVGRF01"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(Stamp, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        // The first field follows the header: ordinal 0, mark 500, 2 graphs, the 6-byte name "colour".
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(500, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(6, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(44)));
        Assert.Equal("colour"u8.ToArray(), bytes[48..54]);
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(54))); // values in ordinal order: "blue" first
        Assert.Equal("blue"u8.ToArray(), bytes[58..62]);

        ValueGraphField[] read = Read(bytes);

        Assert.Equal(["colour", ValueGraphField.Namespaces], read.Select(f => f.Field));
        Assert.Equal([500, 400], read.Select(f => f.CoveredRows));
        for (int f = 0; f < _fields.Length; f++)
        {
            Assert.Equal(_fields[f].Graphs.Keys.Order(), read[f].Graphs.Keys.Order());
            foreach ((string value, HnswGraph graph) in _fields[f].Graphs)
            {
                HnswGraph loaded = read[f].Graphs[value];
                Assert.Equal(graph.Count, loaded.Count);
                Assert.Equal(Enumerable.Range(0, graph.Count).Select(graph.GetRow), Enumerable.Range(0, loaded.Count).Select(loaded.GetRow));
                foreach (float[] query in _queries)
                {
                    Assert.Equal(Query(graph, query, 10, 40), Query(loaded, query, 10, 40));
                }
            }
        }
        Assert.Equal(bytes, Written()); // the same graphs give the same bytes
    }

    [Fact]
    public void A_file_stamped_for_another_checkpoint_is_stale()
    {
        var ex = Assert.Throws<CorruptFileException>(() => Read(Written(), stamp: Stamp + 1));
        Assert.Equal(16, ex.Offset);
        Assert.Contains("stale", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mark_beyond_the_checkpoint_rows_is_refused()
    {
        var ex = Assert.Throws<CorruptFileException>(() => Read(Written(), rows: 499)); // the first field's mark is 500
        Assert.Equal(32, ex.Offset);
        Assert.Contains("mark 500", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vector_ordinal_the_schema_does_not_have_is_refused()
    {
        var ex = Assert.Throws<CorruptFileException>(() => Read(Written(), vectors: 0));
        Assert.Contains("vector ordinal 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_byte_outside_every_graph_is_caught_by_the_file_checksum()
    {
        byte[] bytes = Written();
        bytes[49] ^= 0x01; // "colour" becomes "cplour": the graphs' own checksums do not cover the field's name

        var ex = Assert.Throws<CorruptFileException>(() => Read(bytes));
        Assert.Equal(bytes.Length - 4, ex.Offset);
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)] // truncated by a byte
    [InlineData(+1)] // a byte after the checksum
    public void A_file_of_the_wrong_length_is_refused(int change)
    {
        byte[] bytes = Written();
        byte[] damaged = change < 0 ? bytes[..^1] : [.. bytes, 0];

        Assert.Throws<CorruptFileException>(() => Read(damaged));
    }

    [Fact]
    public void A_graph_length_past_the_end_of_the_file_is_refused_before_anything_is_read()
    {
        byte[] bytes = Written();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(62), long.MaxValue); // "blue"'s graph length

        var ex = Assert.Throws<CorruptFileException>(() => Read(bytes));
        Assert.Equal(62, ex.Offset);
    }
}
