using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using VectLite.Storage;
using VectLite.Vectors;

namespace VectLite.Indexing.ValueGraphs;

/// <summary>
/// A checkpoint's value graphs file (<c>gN.valuegraphs.vlvg</c>): every value graph the builder had built when the
/// checkpoint was taken, with each field's mark, so a reopened collection walks them at once instead of building them
/// again (10.7 s for Fashion-MNIST's ten labels, during which the filtered searches that need them scan exactly).
/// </summary>
/// <remarks>
/// <code>
/// Header, 32 bytes:
///   [0, 8)    magic "VLVGRF01" (ulong)
///   [8, 12)   format version (uint, 1)
///   [12, 16)  field count f
///   [16, 24)  stamp (ulong: the checkpoint's graph stamp, also in every graph's own header)
///   [24, 32)  reserved, zero
/// f fields, each:
///   int32 named vector ordinal, int32 covered rows (the builder's mark), int32 graph count g,
///   int32 field length, the field's path (UTF-8; "$namespaces" for the namespace graphs)
///   g graphs, each: int32 value length, the value (UTF-8), int64 graph length L,
///                   then L bytes: an HNSW graph file (HnswFileFormat, its own checksum) over the value's rows
/// Trailer: CRC32C (uint) of every byte before it.
/// </code>
/// Derived data, like the collection's graph file: an open that cannot use the file logs why and goes on without it
/// (searches ask for the graphs again and the builder makes them).
/// </remarks>
internal static class ValueGraphFile
{
    /// <summary>The format version written; readers reject any other.</summary>
    internal const uint Version = 1;

    /// <summary>The size of the header in bytes.</summary>
    internal const int HeaderSize = 32;

    /// <summary>
    /// Writes <paramref name="fields"/> (frozen: <see cref="ValueGraphField.Freeze"/>) to <paramref name="stream"/>,
    /// each graph stamped with <paramref name="stamp"/>. Fields and values in ordinal order, so equal graphs give
    /// equal files.
    /// </summary>
    /// <exception cref="IOException">The stream could not be written.</exception>
    public static void Write(Stream stream, IReadOnlyList<ValueGraphField> fields, ulong stamp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fields);
        var body = new ChecksummingStream(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, FileMagic.ValueGraphs);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], fields.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], stamp);
        body.Write(header);

        Span<byte> number = stackalloc byte[8];
        foreach (ValueGraphField field in fields)
        {
            IReadOnlyDictionary<string, HnswGraph> graphs = field.Graphs;
            WriteInt32(body, number, field.Ordinal);
            WriteInt32(body, number, field.CoveredRows);
            WriteInt32(body, number, graphs.Count);
            WriteText(body, number, field.Field);
            foreach ((string value, HnswGraph graph) in graphs.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteText(body, number, value);
                long length = graph.SavedLength;
                BinaryPrimitives.WriteInt64LittleEndian(number, length);
                body.Write(number);
                long start = body.Length;
                graph.Save(body, stamp);
                if (body.Length - start != length)
                {
                    // The length written before the graph must be the graph's: a defect otherwise, never a file.
                    throw new InvalidOperationException($"the graph of value '{value}' wrote {body.Length - start} bytes, not the {length} it announced");
                }
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(number, body.Crc);
        stream.Write(number[..4]);
    }

    /// <summary>
    /// Reads a value graphs file from <paramref name="stream"/> (seekable, at the file's start; <paramref name="path"/>
    /// names it in errors): every field's graphs over the arenas <paramref name="arenas"/> gives per named vector ordinal,
    /// each checked as a saved graph is (<see cref="HnswGraph.Load(Stream, string, VectorArena, Metric, HnswParameters, ulong)"/>)
    /// and holding no more live nodes than its field's mark, which is at most <paramref name="rows"/>.
    /// </summary>
    /// <param name="stream">The file, seekable, positioned at its start.</param>
    /// <param name="path">The file's path, for errors.</param>
    /// <param name="vectorCount">The named vectors of the schema: a field's ordinal must be one of them.</param>
    /// <param name="arenas">The arena and metric of a named vector ordinal.</param>
    /// <param name="parameters">The graphs' expected parameters (as for the collection's graph).</param>
    /// <param name="stamp">The checkpoint's graph stamp, which the file and each graph must carry.</param>
    /// <param name="rows">The checkpoint's rows: no field's mark may exceed them.</param>
    /// <exception cref="CorruptFileException">The file is damaged, of another version or stamp, or disagrees with the checkpoint.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static ValueGraphField[] Read(Stream stream, string path, int vectorCount, Func<int, (VectorArena Arena, Metric Metric)> arenas,
        HnswParameters parameters, ulong stamp, int rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arenas);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The value graphs file is read from a seekable stream.", nameof(stream));
        }
        var reader = new Section(stream, path, stream.Length - stream.Position);
        Span<byte> header = stackalloc byte[HeaderSize];
        reader.ReadExactly(header, "the header");
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != FileMagic.ValueGraphs)
        {
            throw new CorruptFileException(path, 0, "it is not a value graphs file (wrong magic number)");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new CorruptFileException(path, 8, $"value graphs format version {version} is not supported (this build reads version {Version})");
        }
        int fieldCount = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        ulong fileStamp = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (fileStamp != stamp)
        {
            throw new CorruptFileException(path, 16, $"the value graphs are stale: their stamp is {fileStamp}, expected {stamp}");
        }
        if (header[24..].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new CorruptFileException(path, 24, "the reserved header bytes are not zero");
        }
        // Each field takes at least 16 bytes: a count that the file cannot hold is damage, not an allocation to try.
        if (fieldCount < 0 || fieldCount > reader.Remaining / 16)
        {
            throw new CorruptFileException(path, 12, $"it counts {fieldCount} fields, which {reader.Remaining} bytes cannot hold");
        }

        var fields = new ValueGraphField[fieldCount];
        var seen = new HashSet<(int, string)>();
        for (int f = 0; f < fieldCount; f++)
        {
            long at = reader.Position;
            int ordinal = reader.ReadInt32("a field's vector ordinal");
            int covered = reader.ReadInt32("a field's mark");
            int graphCount = reader.ReadInt32("a field's graph count");
            string field = reader.ReadText("a field's path");
            if ((uint)ordinal >= (uint)vectorCount || covered < 0 || covered > rows || graphCount < 0 || graphCount > reader.Remaining / 12)
            {
                throw new CorruptFileException(path, at,
                    $"field '{field}' has vector ordinal {ordinal}, mark {covered} and {graphCount} graphs; the checkpoint has {vectorCount} vectors and {rows} rows");
            }
            if (!seen.Add((ordinal, field)))
            {
                throw new CorruptFileException(path, at, $"field '{field}' of vector {ordinal} is listed twice");
            }
            (VectorArena arena, Metric metric) = arenas(ordinal);
            var graphs = new Dictionary<string, HnswGraph>(graphCount, StringComparer.Ordinal);
            for (int g = 0; g < graphCount; g++)
            {
                string value = reader.ReadText("a value");
                long graphAt = reader.Position;
                long length = reader.ReadInt64("a graph's length");
                if (length < HnswFileFormat.HeaderSize || length > reader.Remaining)
                {
                    throw new CorruptFileException(path, graphAt, $"the graph of value '{value}' is said to take {length} bytes; {reader.Remaining} remain");
                }
                string where = $"{path} (value '{value}' of field '{field}', at byte {reader.Position})";
                HnswGraph graph = HnswGraph.Load(reader.Window(length), where, arena, metric, parameters, stamp);
                if (graph.Count - graph.DeadCount > covered)
                {
                    throw new CorruptFileException(path, graphAt, $"the graph of value '{value}' has {graph.Count - graph.DeadCount} live nodes, more than the field's mark of {covered} rows");
                }
                if (!graphs.TryAdd(value, graph))
                {
                    throw new CorruptFileException(path, graphAt, $"value '{value}' of field '{field}' has two graphs");
                }
            }
            fields[f] = ValueGraphField.Loaded(ordinal, field, covered, graphs);
        }

        long trailerAt = reader.Position;
        uint computed = reader.Crc;
        Span<byte> trailer = stackalloc byte[4];
        reader.ReadExactly(trailer, "the checksum");
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != computed)
        {
            throw new CorruptFileException(path, trailerAt, "the checksum does not match the content");
        }
        if (reader.Remaining != 0)
        {
            throw new CorruptFileException(path, reader.Position, $"there are {reader.Remaining} bytes after the checksum");
        }
        return fields;
    }

    private static void WriteInt32(Stream stream, Span<byte> scratch, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(scratch, value);
        stream.Write(scratch[..4]);
    }

    private static void WriteText(Stream stream, Span<byte> scratch, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text); // strings reach here validated (no lone surrogate): the bytes round-trip
        WriteInt32(stream, scratch, bytes.Length);
        stream.Write(bytes);
    }

    /// <summary>
    /// Reads the file front to back, keeping the checksum of every byte read and turning a short read into a
    /// <see cref="CorruptFileException"/>; hands out windows over the embedded graphs that feed the same checksum.
    /// </summary>
    private sealed class Section(Stream stream, string path, long length)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly Crc32 _crc = Checksum.CreateRunning();

        public long Position { get; private set; }

        public long Remaining => length - Position;

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public void ReadExactly(Span<byte> destination, string what)
        {
            if (destination.Length > Remaining)
            {
                throw new CorruptFileException(path, length, $"the file ends inside {what}");
            }
            stream.ReadExactly(destination);
            _crc.Append(destination);
            Position += destination.Length;
        }

        public int ReadInt32(string what)
        {
            Span<byte> bytes = stackalloc byte[4];
            ReadExactly(bytes, what);
            return BinaryPrimitives.ReadInt32LittleEndian(bytes);
        }

        public long ReadInt64(string what)
        {
            Span<byte> bytes = stackalloc byte[8];
            ReadExactly(bytes, what);
            return BinaryPrimitives.ReadInt64LittleEndian(bytes);
        }

        public string ReadText(string what)
        {
            long at = Position;
            int byteCount = ReadInt32(what);
            if (byteCount < 0 || byteCount > Remaining)
            {
                throw new CorruptFileException(path, at, $"{what} is said to take {byteCount} bytes; {Remaining} remain");
            }
            byte[] bytes = new byte[byteCount];
            ReadExactly(bytes, what);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new CorruptFileException(path, at, $"{what} is not valid UTF-8", ex);
            }
        }

        /// <summary>The next <paramref name="bytes"/> bytes as a stream of that length (a graph for <see cref="HnswGraph.Load(Stream, string, VectorArena, Metric, HnswParameters, ulong)"/>).</summary>
        public Stream Window(long bytes) => new GraphWindow(this, bytes);

        /// <summary>A read-only view of the next bytes of the file: what it reads is checksummed and counted by the section.</summary>
        private sealed class GraphWindow(Section section, long length) : Stream
        {
            private long _read;

            public override bool CanRead => true;

            public override bool CanSeek => false; // read front to back: the loader's reads find a short graph, its probe a long one

            public override bool CanWrite => false;

            public override long Length => length;

            public override long Position
            {
                get => _read;
                set => throw new NotSupportedException("A graph window is read front to back.");
            }

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

            public override int Read(Span<byte> buffer)
            {
                int take = (int)Math.Min(buffer.Length, length - _read);
                if (take == 0)
                {
                    return 0;
                }
                section.ReadExactly(buffer[..take], "a graph");
                _read += take;
                return take;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A graph window is read front to back.");

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
