using System.Text.Json;

namespace VectLite.Storage;

/// <summary>One data file a checkpoint consists of, with the length and CRC32C its whole content must have.</summary>
internal sealed record CheckpointFile(string Name, long Length, uint Crc);

/// <summary>
/// The commit point of a collection: which generation of data files is current, the LSN they include, the schema and
/// the payload index definitions. Replacing this one small file atomically is what makes a checkpoint take effect.
/// </summary>
/// <remarks>
/// Framed by <see cref="ManifestEnvelope"/> with magic "VLCKPNT1"; the body is JSON, readable in a hex dump and a
/// few hundred bytes long.
/// </remarks>
internal sealed record CheckpointManifest
{
    public const string FileName = "checkpoint.vlck";

    public required long Generation { get; init; }

    /// <summary>The LSN of the last batch the data files include; replay starts after it.</summary>
    public required long Lsn { get; init; }

    public required long RecordCount { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required CollectionSchema Schema { get; init; }

    public required IReadOnlyList<(string Field, PayloadIndexKind Kind)> PayloadIndexes { get; init; }

    /// <summary>The text index definitions; each has a file (<see cref="TextFileName"/>) after the graph files, in this order.</summary>
    public IReadOnlyList<Text.TextIndexDefinition> TextIndexes { get; init; } = [];

    /// <summary>The records file first, then one vectors file per named vector in schema order, then the HNSW graph
    /// files (<see cref="GraphFileName"/>) of the vectors that had one, the quantized codes files
    /// (<see cref="CodesFileName"/>) of the quantized vectors that were trained and the token graph files
    /// (<see cref="TokenGraphFileName"/>) of the multi-vector spaces (these three kinds in any order), then one file per text index
    /// (<see cref="TextFileName"/>) in the order of <see cref="TextIndexes"/>.</summary>
    public required IReadOnlyList<CheckpointFile> Files { get; init; }

    /// <summary>
    /// Per named vector (schema order), the vectors files of earlier generations that still hold its first rows, in row
    /// order: the vector's rows are these segments, then <see cref="Files"/>' vectors file for it (see
    /// <see cref="SegmentsOf"/>). Empty (or an empty list per vector) when each vectors file holds every row, as every
    /// manifest written before segments did.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<VectorSegment>> EarlierSegments { get; init; } = [];

    /// <summary>
    /// The value graphs file (<see cref="ValueGraphFileName"/>), or null when no value graph was asked for. Listed apart
    /// from <see cref="Files"/> (under its own JSON property): a build that predates value graphs ignores it, opens the
    /// collection and deletes the file as a leftover; this build then finds it missing and goes on without it, as for
    /// any graph file it cannot use.
    /// </summary>
    public CheckpointFile? ValueGraphFile { get; init; }

    /// <summary>Whether any vector keeps rows in an earlier generation's file (the manifest is then format version 3).</summary>
    public bool HasEarlierSegments => EarlierSegments.Any(s => s.Count > 0);

    /// <summary>Every file this checkpoint consists of: <see cref="Files"/>, the earlier segments' files, then the value graphs file.</summary>
    public IEnumerable<CheckpointFile> DataFiles => Files.Concat(EarlierSegments.SelectMany(s => s.Select(segment => segment.File)))
        .Concat(ValueGraphFile is { } valueGraphs ? [valueGraphs] : []);

    /// <summary>
    /// Returns vector <paramref name="ordinal"/>'s segments in row order: the earlier ones, then this generation's file,
    /// which holds the rows from the end of the earlier ones to <see cref="RecordCount"/>.
    /// </summary>
    public VectorSegment[] SegmentsOf(int ordinal)
    {
        IReadOnlyList<VectorSegment> earlier = ordinal < EarlierSegments.Count ? EarlierSegments[ordinal] : [];
        int first = earlier.Count == 0 ? 0 : earlier[^1].EndRow;
        return [.. earlier, new VectorSegment(Files[1 + ordinal], first, (int)(RecordCount - first))];
    }

    public static string RecordsFileName(long generation) => $"g{generation}.records.vlrec";

    public static string VectorsFileName(long generation, int ordinal) => $"g{generation}.vec{ordinal}.vlvec";

    public static string GraphFileName(long generation, int ordinal) => $"g{generation}.hnsw{ordinal}.vlhnsw";

    /// <summary>The file of text index <paramref name="ordinal"/> (its place in <see cref="TextIndexes"/>).</summary>
    public static string TextFileName(long generation, int ordinal) => $"g{generation}.text{ordinal}.vltext";

    /// <summary>The token graph file of multi-vector space <paramref name="ordinal"/> (its HNSW graph over every token vector).</summary>
    public static string TokenGraphFileName(long generation, int ordinal) => $"g{generation}.mv{ordinal}.vlhnsw";

    /// <summary>
    /// Per multi-vector space, the token vectors the checkpoint's records hold (numbered in record order): what a token
    /// graph file (<see cref="TokenGraphFileName"/>) must index. Empty for manifests written before token graphs were saved.
    /// </summary>
    public IReadOnlyList<int> MultiVectorTokens { get; init; } = [];

    /// <summary>The value graphs file of a generation (<see cref="Indexing.ValueGraphs.ValueGraphFile"/>).</summary>
    public static string ValueGraphFileName(long generation) => $"g{generation}.valuegraphs.vlvg";

    /// <summary>The quantized codes file of vector <paramref name="ordinal"/>.</summary>
    public static string CodesFileName(long generation, int ordinal) => $"g{generation}.q{ordinal}.vlq";

    /// <summary>
    /// The value stamped into this checkpoint's graph files: a graph carrying another stamp was saved for other data
    /// (an older generation, or a file copied in from elsewhere) and must not be used.
    /// </summary>
    public ulong GraphStamp => ComputeGraphStamp(Generation, Lsn, RecordCount);

    public static ulong ComputeGraphStamp(long generation, long lsn, long recordCount) =>
        ((ulong)generation * 0x9E3779B97F4A7C15UL) ^ ((ulong)lsn * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)recordCount;

    public void WriteAtomic(IStorageDevice storage, string directory) => DurableFile.WriteAtomic(storage, Path.Combine(directory, FileName), Serialize());

    public byte[] Serialize()
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("generation", Generation);
            json.WriteNumber("lsn", Lsn);
            json.WriteNumber("recordCount", RecordCount);
            json.WriteString("createdAt", CreatedAt);
            json.WriteStartArray("vectors");
            foreach (VectorSpec v in Schema.Vectors)
            {
                json.WriteStartObject();
                json.WriteString("name", v.Name);
                json.WriteNumber("dimension", v.Dimension);
                json.WriteString("metric", v.Metric.ToString());
                if (v.Quantization.Kind != QuantizationKind.None)
                {
                    // Written only when set, so a manifest without quantization is byte for byte what it was before.
                    json.WriteString("quantization", v.Quantization.Kind.ToString());
                    json.WriteNumber("oversampling", v.Quantization.Oversampling);
                    if (v.Quantization.PqSubvectors != 0)
                    {
                        json.WriteNumber("pqSubvectors", v.Quantization.PqSubvectors);
                    }
                }
                if (v.Storage != VectorStorage.Auto)
                {
                    // Written only when set, like quantization. A build that predates it reads the collection with its
                    // vectors in RAM; a Disk vector's files are version 2, which such a build refuses by its version.
                    json.WriteString("storage", v.Storage.ToString());
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (Schema.SparseVectors.Count > 0)
            {
                json.WriteStartArray("sparseVectors");
                foreach (SparseVectorSpec v in Schema.SparseVectors)
                {
                    json.WriteStartObject();
                    json.WriteString("name", v.Name);
                    json.WriteString("modifier", v.Modifier.ToString());
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (Schema.MultiVectors.Count > 0)
            {
                json.WriteStartArray("multiVectors");
                foreach (MultiVectorSpec v in Schema.MultiVectors)
                {
                    json.WriteStartObject();
                    json.WriteString("name", v.Name);
                    json.WriteNumber("dimension", v.Dimension);
                    json.WriteString("metric", v.Metric.ToString());
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (MultiVectorTokens.Count > 0)
            {
                json.WriteStartArray("multiVectorTokens");
                foreach (int tokens in MultiVectorTokens)
                {
                    json.WriteNumberValue(tokens);
                }
                json.WriteEndArray();
            }
            HnswOptions h = Schema.Hnsw;
            json.WriteStartObject("hnsw");
            json.WriteNumber("m", h.M);
            json.WriteNumber("efConstruction", h.EfConstruction);
            json.WriteNumber("efSearch", h.EfSearch);
            json.WriteNumber("minIndexedVectors", h.MinIndexedVectors);
            json.WriteNumber("parallelInsertThreshold", h.ParallelInsertThreshold);
            json.WriteNumber("maxInsertThreads", h.MaxInsertThreads);
            json.WriteNumber("tombstoneRebuildPercent", h.TombstoneRebuildPercent);
            if (h.BuildOnCodes)
            {
                json.WriteBoolean("buildOnCodes", true); // written only when set: older manifests stay as they were
            }
            if (!h.ValueGraphs)
            {
                json.WriteBoolean("valueGraphs", false); // written only when turned off: older manifests stay as they were
            }
            if (h.Indexing != IndexingMode.Immediate || h.DeferredBatchSize != 1_000 || h.DeferredMaxLag != 0)
            {
                // Written only when set, so a manifest of a collection that never used deferred indexing stays as before.
                json.WriteString("indexing", h.Indexing.ToString());
                json.WriteNumber("deferredBatchSize", h.DeferredBatchSize);
                json.WriteNumber("deferredMaxLag", h.DeferredMaxLag);
            }
            json.WriteEndObject();
            json.WriteStartArray("payloadIndexes");
            foreach ((string field, PayloadIndexKind kind) in PayloadIndexes)
            {
                json.WriteStartObject();
                json.WriteString("field", field);
                json.WriteString("kind", kind.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (TextIndexes.Count > 0)
            {
                json.WriteStartArray("textIndexes");
                foreach (Text.TextIndexDefinition text in TextIndexes)
                {
                    text.WriteJson(json);
                }
                json.WriteEndArray();
            }
            json.WriteStartArray("files");
            foreach (CheckpointFile f in Files)
            {
                json.WriteStartObject();
                json.WriteString("name", f.Name);
                json.WriteNumber("length", f.Length);
                json.WriteNumber("crc32c", f.Crc);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (ValueGraphFile is { } valueGraphs)
            {
                // Written only when there is one, apart from "files": see ValueGraphFile.
                json.WriteStartObject("valueGraphFile");
                json.WriteString("name", valueGraphs.Name);
                json.WriteNumber("length", valueGraphs.Length);
                json.WriteNumber("crc32c", valueGraphs.Crc);
                json.WriteEndObject();
            }
            if (HasEarlierSegments)
            {
                // Written only when some vector has them: a manifest whose vectors files hold every row stays as before.
                json.WriteStartArray("vectorSegments");
                foreach (IReadOnlyList<VectorSegment> segments in EarlierSegments)
                {
                    json.WriteStartArray();
                    foreach (VectorSegment segment in segments)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", segment.File.Name);
                        json.WriteNumber("length", segment.File.Length);
                        json.WriteNumber("crc32c", segment.File.Crc);
                        json.WriteNumber("firstRow", segment.FirstRow);
                        json.WriteNumber("rows", segment.Rows);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        // Version 3 when vectors keep rows in earlier generations' files: a build that predates segments would read only
        // the newest file of each vector, so it must refuse the collection by its version.
        if (HasEarlierSegments)
        {
            return ManifestEnvelope.Wrap(FileMagic.Checkpoint, body.ToArray(), FileMagic.SegmentedManifestVersion);
        }
        // Version 2 only when it matters: a build that predates sparse vectors refuses the collection by its version
        // instead of opening it without them; every other collection stays readable by such builds.
        return ManifestEnvelope.Wrap(FileMagic.Checkpoint, body.ToArray(), Schema.HasExtendedSpaces ? FileMagic.SparseVersion : FileMagic.CurrentVersion);
    }

    /// <exception cref="CorruptFileException">The manifest is missing, damaged or of an unknown version.</exception>
    public static CheckpointManifest Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        ReadOnlyMemory<byte> body = ManifestEnvelope.Unwrap(path, FileMagic.Checkpoint, "checkpoint manifest", FileMagic.SegmentedManifestVersion);
        try
        {
            using var doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            var schema = new CollectionSchema();
            foreach (JsonElement v in root.GetProperty("vectors").EnumerateArray())
            {
                var quantization = QuantizationOptions.None;
                if (v.TryGetProperty("quantization", out JsonElement q))
                {
                    quantization = new QuantizationOptions
                    {
                        Kind = Enum.Parse<QuantizationKind>(q.GetString()!),
                        Oversampling = v.GetProperty("oversampling").GetSingle(),
                        PqSubvectors = v.TryGetProperty("pqSubvectors", out JsonElement pq) ? pq.GetInt32() : 0,
                    };
                }
                VectorStorage storage = v.TryGetProperty("storage", out JsonElement st) ? Enum.Parse<VectorStorage>(st.GetString()!) : VectorStorage.Auto;
                schema = schema.AddVector(v.GetProperty("name").GetString()!, v.GetProperty("dimension").GetInt32(),
                    Enum.Parse<Metric>(v.GetProperty("metric").GetString()!), quantization, storage);
            }
            if (root.TryGetProperty("sparseVectors", out JsonElement sparse))
            {
                foreach (JsonElement v in sparse.EnumerateArray())
                {
                    schema = schema.AddSparseVector(v.GetProperty("name").GetString()!, Enum.Parse<SparseModifier>(v.GetProperty("modifier").GetString()!));
                }
            }
            if (root.TryGetProperty("multiVectors", out JsonElement multi))
            {
                foreach (JsonElement v in multi.EnumerateArray())
                {
                    schema = schema.AddMultiVector(v.GetProperty("name").GetString()!, v.GetProperty("dimension").GetInt32(), Enum.Parse<Metric>(v.GetProperty("metric").GetString()!));
                }
            }
            var tokenCounts = new List<int>();
            if (root.TryGetProperty("multiVectorTokens", out JsonElement tokens))
            {
                foreach (JsonElement t in tokens.EnumerateArray())
                {
                    int count = t.GetInt32();
                    if (count < 0)
                    {
                        throw new FormatException($"a multi-vector token count of {count}");
                    }
                    tokenCounts.Add(count);
                }
                if (tokenCounts.Count != schema.MultiVectors.Count)
                {
                    throw new FormatException($"it counts the tokens of {tokenCounts.Count} multi-vector spaces, the schema has {schema.MultiVectors.Count}");
                }
            }
            if (root.TryGetProperty("hnsw", out JsonElement h))
            {
                schema = schema.WithHnsw(new HnswOptions
                {
                    M = h.GetProperty("m").GetInt32(),
                    EfConstruction = h.GetProperty("efConstruction").GetInt32(),
                    EfSearch = h.GetProperty("efSearch").GetInt32(),
                    MinIndexedVectors = h.GetProperty("minIndexedVectors").GetInt32(),
                    ParallelInsertThreshold = h.GetProperty("parallelInsertThreshold").GetInt32(),
                    MaxInsertThreads = h.GetProperty("maxInsertThreads").GetInt32(),
                    TombstoneRebuildPercent = h.GetProperty("tombstoneRebuildPercent").GetInt32(),
                    Indexing = h.TryGetProperty("indexing", out JsonElement mode) ? Enum.Parse<IndexingMode>(mode.GetString()!) : IndexingMode.Immediate,
                    DeferredBatchSize = h.TryGetProperty("deferredBatchSize", out JsonElement batch) ? batch.GetInt32() : 1_000,
                    DeferredMaxLag = h.TryGetProperty("deferredMaxLag", out JsonElement lag) ? lag.GetInt32() : 0,
                    BuildOnCodes = h.TryGetProperty("buildOnCodes", out JsonElement onCodes) && onCodes.GetBoolean(),
                    ValueGraphs = !h.TryGetProperty("valueGraphs", out JsonElement valueGraphs) || valueGraphs.GetBoolean(),
                });
            }
            var indexes = new List<(string, PayloadIndexKind)>();
            foreach (JsonElement i in root.GetProperty("payloadIndexes").EnumerateArray())
            {
                indexes.Add((i.GetProperty("field").GetString()!, Enum.Parse<PayloadIndexKind>(i.GetProperty("kind").GetString()!)));
            }
            var texts = new List<Text.TextIndexDefinition>();
            if (root.TryGetProperty("textIndexes", out JsonElement textIndexes))
            {
                foreach (JsonElement t in textIndexes.EnumerateArray())
                {
                    texts.Add(Text.TextIndexDefinition.ReadJson(t));
                }
            }
            var files = new List<CheckpointFile>();
            foreach (JsonElement f in root.GetProperty("files").EnumerateArray())
            {
                files.Add(new CheckpointFile(f.GetProperty("name").GetString()!, f.GetProperty("length").GetInt64(), f.GetProperty("crc32c").GetUInt32()));
            }
            long generation = root.GetProperty("generation").GetInt64();
            CheckFileNames(path, generation, schema.Vectors.Count, tokenCounts.Count, texts.Count, files);
            long recordCount = root.GetProperty("recordCount").GetInt64();
            var earlier = new List<IReadOnlyList<VectorSegment>>();
            if (root.TryGetProperty("vectorSegments", out JsonElement segmentLists))
            {
                foreach (JsonElement list in segmentLists.EnumerateArray())
                {
                    var segments = new List<VectorSegment>();
                    foreach (JsonElement s in list.EnumerateArray())
                    {
                        segments.Add(new VectorSegment(
                            new CheckpointFile(s.GetProperty("name").GetString()!, s.GetProperty("length").GetInt64(), s.GetProperty("crc32c").GetUInt32()),
                            s.GetProperty("firstRow").GetInt32(), s.GetProperty("rows").GetInt32()));
                    }
                    earlier.Add(segments);
                }
                CheckSegments(path, generation, recordCount, schema.Vectors.Count, earlier);
            }
            CheckpointFile? valueGraphFile = null;
            if (root.TryGetProperty("valueGraphFile", out JsonElement vg))
            {
                valueGraphFile = new CheckpointFile(vg.GetProperty("name").GetString()!, vg.GetProperty("length").GetInt64(), vg.GetProperty("crc32c").GetUInt32());
                if (valueGraphFile.Name != ValueGraphFileName(generation))
                {
                    // Joined to the directory and opened: a crafted name must not reach another file.
                    throw new CorruptFileException(path, 16, $"its value graphs file is named '{valueGraphFile.Name}', not '{ValueGraphFileName(generation)}'");
                }
            }
            return new CheckpointManifest
            {
                Generation = generation,
                Lsn = root.GetProperty("lsn").GetInt64(),
                RecordCount = recordCount,
                CreatedAt = root.GetProperty("createdAt").GetDateTimeOffset(),
                Schema = schema,
                PayloadIndexes = indexes,
                TextIndexes = texts,
                MultiVectorTokens = tokenCounts,
                Files = files,
                EarlierSegments = earlier,
                ValueGraphFile = valueGraphFile,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or VectLiteException)
        {
            throw new CorruptFileException(path, 16, $"the manifest body is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks that every listed file has the name its position implies (records, then vectors by ordinal, then graphs
    /// of distinct vectors, codes files of trained quantized vectors and token graphs (in any order), then one file per text index in order), all inside the collection's directory. The names are joined to the directory and opened,
    /// so a damaged or crafted manifest could otherwise make a collection read another collection's files, or any
    /// file the process can reach ("../../x", "/etc/x").
    /// </summary>
    /// <exception cref="CorruptFileException">A name is not the one the generation and position require.</exception>
    private static void CheckFileNames(string path, long generation, int vectorCount, int tokenGraphCount, int textCount, List<CheckpointFile> files)
    {
        // Records, one vectors file per vector and one file per text index at least: with fewer, a load would reach past
        // the list (a vector's file by its ordinal) instead of reporting the damage.
        int graphFiles = files.Count - 1 - vectorCount - textCount;
        if (graphFiles < 0)
        {
            throw new CorruptFileException(path, 16, $"generation {generation} lists {files.Count} files, too few for {vectorCount} vectors and {textCount} text indexes");
        }
        for (int t = 0; t < textCount; t++)
        {
            int at = files.Count - textCount + t;
            if (files[at].Name != TextFileName(generation, t))
            {
                throw new CorruptFileException(path, 16, $"file {at} of generation {generation} is named '{files[at].Name}', not text index {t}'s file");
            }
        }
        files = files.GetRange(0, files.Count - textCount);
        var graphs = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < vectorCount; i++)
        {
            graphs.Add(GraphFileName(generation, i));
            graphs.Add(CodesFileName(generation, i));
        }
        for (int i = 0; i < tokenGraphCount; i++)
        {
            graphs.Add(TokenGraphFileName(generation, i));
        }
        for (int i = 0; i < files.Count; i++)
        {
            string name = files[i].Name;
            bool expected = i == 0 ? name == RecordsFileName(generation)
                : i <= vectorCount ? name == VectorsFileName(generation, i - 1)
                : graphs.Remove(name);
            if (!expected)
            {
                throw new CorruptFileException(path, 16, $"file {i} of generation {generation} is named '{name}', which is not a name this generation's files can have");
            }
        }
    }

    /// <summary>
    /// Checks the earlier segments: one list per named vector, each segment's file named as vector's vectors file of an
    /// earlier generation (so a crafted name cannot reach outside the directory or another vector's file), the segments
    /// tiling the rows from 0 in order, and ending within the record count.
    /// </summary>
    /// <exception cref="CorruptFileException">A segment list is not one the writer can have written.</exception>
    private static void CheckSegments(string path, long generation, long recordCount, int vectorCount, List<IReadOnlyList<VectorSegment>> earlier)
    {
        if (earlier.Count != vectorCount)
        {
            throw new CorruptFileException(path, 16, $"it lists the segments of {earlier.Count} vectors, the schema has {vectorCount}");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int v = 0; v < vectorCount; v++)
        {
            int end = 0;
            foreach (VectorSegment segment in earlier[v])
            {
                if (!IsVectorsFileOf(segment.File.Name, v, generation) || !names.Add(segment.File.Name))
                {
                    throw new CorruptFileException(path, 16, $"vector {v}'s segment '{segment.File.Name}' is not the vectors file of vector {v} of an earlier generation");
                }
                if (segment.FirstRow != end || segment.Rows < 0 || (long)segment.EndRow > recordCount)
                {
                    throw new CorruptFileException(path, 16,
                        $"vector {v}'s segment '{segment.File.Name}' holds rows {segment.FirstRow} to {(long)segment.FirstRow + segment.Rows}; the segments must follow each other from row 0 within the {recordCount} records");
                }
                end = segment.EndRow;
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is vector <paramref name="ordinal"/>'s vectors file of a generation before <paramref name="generation"/>.</summary>
    private static bool IsVectorsFileOf(string name, int ordinal, long generation)
    {
        string suffix = $".vec{ordinal}.vlvec";
        if (name.Length <= 1 + suffix.Length || name[0] != 'g' || !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        ReadOnlySpan<char> digits = name.AsSpan(1, name.Length - 1 - suffix.Length);
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long g)
            && g < generation && VectorsFileName(g, ordinal) == name;
    }
}
