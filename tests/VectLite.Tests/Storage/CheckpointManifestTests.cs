using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The checkpoint manifest's body (docs/file-format.md, "Manifests"): manifests written here by hand as JSON, framed
/// and checksummed with System.IO.Hashing, read by <see cref="CheckpointManifest.Read"/>; and the checks that keep a
/// damaged or crafted manifest from pointing the collection at files it did not write (names by position and
/// generation, earlier vector segments tiling the rows, token counts). Each damage is one field, the rest valid.
/// </summary>
public sealed class CheckpointManifestTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-manifest-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string ManifestPath => Path.Combine(_dir.FullName, "checkpoint.vlck");

    private void Put(string body, uint version = 3)
    {
        byte[] json = Encoding.UTF8.GetBytes(body);
        var bytes = new byte[16 + json.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 0x31544E504B434C56); // "VLCKPNT1"
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), json.Length);
        json.CopyTo(bytes, 16);
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(bytes.AsSpan(0, 16 + json.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16 + json.Length), crc.GetCurrentHashAsUInt32());
        File.WriteAllBytes(ManifestPath, bytes);
    }

    private static string FileList(params string[] names) =>
        string.Join(",", names.Select((n, i) => $$"""{"name":"{{n}}","length":{{100 + i}},"crc32c":{{7 + i}}}"""));

    /// <summary>Generation 5, 10 records, two vectors, one multi-vector space, no text index unless given.</summary>
    private static string Body(string files, string? segments = null, string tokens = "[6]", string texts = "") => $$"""
        {"generation":5,"lsn":42,"recordCount":10,"createdAt":"2026-11-23T13:40:00+00:00",
         "vectors":[{"name":"a","dimension":2,"metric":"L2"},
                    {"name":"b","dimension":3,"metric":"Cosine","quantization":"Pq","oversampling":2.5,"pqSubvectors":3,"storage":"Disk"}],
         "sparseVectors":[{"name":"s","modifier":"Idf"}],
         "multiVectors":[{"name":"m","dimension":4,"metric":"Dot"}],
         "multiVectorTokens":{{tokens}},
         "hnsw":{"m":12,"efConstruction":80,"efSearch":40,"minIndexedVectors":100,"parallelInsertThreshold":500,"maxInsertThreads":2,
                 "tombstoneRebuildPercent":30,"buildOnCodes":true,"valueGraphs":false,"indexing":"Deferred","deferredBatchSize":64,"deferredMaxLag":640},
         "payloadIndexes":[{"field":"k","kind":"Keyword"},{"field":"n","kind":"Numeric"}],
         {{texts}}
         "files":[{{files}}]
         {{(segments is null ? "" : $",\"vectorSegments\":{segments}")}}}
        """;

    private static readonly string ValidFiles = FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.hnsw1.vlhnsw", "g5.mv0.vlhnsw", "g5.q1.vlq", "g5.hnsw0.vlhnsw");

    private const string ValidSegments = """
        [[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4},{"name":"g4.vec0.vlvec","length":3,"crc32c":4,"firstRow":4,"rows":6}],[]]
        """;

    private CorruptFileException ReadFails()
    {
        var ex = Assert.Throws<CorruptFileException>(() => CheckpointManifest.Read(_dir.FullName));
        Assert.Equal((ManifestPath, 16L), (ex.FilePath, ex.Offset));
        return ex;
    }

    /// <summary>
    /// The name and segment checks throw their own <see cref="CorruptFileException"/> inside the body's parse, which
    /// wraps it ("the manifest body is not valid: ..."); the check's own problem is the inner one.
    /// </summary>
    private string NameCheckFails()
    {
        CorruptFileException outer = ReadFails();
        var inner = Assert.IsType<CorruptFileException>(outer.InnerException);
        Assert.Equal((ManifestPath, 16L), (inner.FilePath, inner.Offset));
        return inner.Problem;
    }

    [Fact]
    public void Every_field_of_a_hand_written_manifest_is_read()
    {
        Put(Body(ValidFiles, ValidSegments));
        CheckpointManifest m = CheckpointManifest.Read(_dir.FullName);

        Assert.Equal((5L, 42L, 10L), (m.Generation, m.Lsn, m.RecordCount));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 13, 40, 0, TimeSpan.Zero), m.CreatedAt);
        VectorSpec a = m.Schema.Vectors[0], b = m.Schema.Vectors[1];
        Assert.Equal(("a", 2, Metric.L2, QuantizationKind.None, VectorStorage.Auto), (a.Name, a.Dimension, a.Metric, a.Quantization.Kind, a.Storage));
        Assert.Equal(("b", 3, Metric.Cosine, QuantizationKind.Pq, 2.5f, 3, VectorStorage.Disk),
            (b.Name, b.Dimension, b.Metric, b.Quantization.Kind, b.Quantization.Oversampling, b.Quantization.PqSubvectors, b.Storage));
        Assert.Equal(("s", SparseModifier.Idf), (m.Schema.SparseVectors.Single().Name, m.Schema.SparseVectors.Single().Modifier));
        MultiVectorSpec mv = m.Schema.MultiVectors.Single();
        Assert.Equal(("m", 4, Metric.Dot), (mv.Name, mv.Dimension, mv.Metric));
        Assert.Equal([6], m.MultiVectorTokens);
        HnswOptions h = m.Schema.Hnsw;
        Assert.Equal((12, 80, 40, 100, 500, 2, 30), (h.M, h.EfConstruction, h.EfSearch, h.MinIndexedVectors, h.ParallelInsertThreshold, h.MaxInsertThreads, h.TombstoneRebuildPercent));
        Assert.Equal((true, IndexingMode.Deferred, 64, 640), (h.BuildOnCodes, h.Indexing, h.DeferredBatchSize, h.DeferredMaxLag));
        Assert.False(h.ValueGraphs);
        Assert.Equal([("k", PayloadIndexKind.Keyword), ("n", PayloadIndexKind.Numeric)], m.PayloadIndexes);
        Assert.Equal(7, m.Files.Count);
        Assert.Equal(new CheckpointFile("g5.vec1.vlvec", 102, 9), m.Files[2]);
        Assert.Equal(
            [new VectorSegment(new CheckpointFile("g2.vec0.vlvec", 1, 2), 0, 4), new VectorSegment(new CheckpointFile("g4.vec0.vlvec", 3, 4), 4, 6)],
            m.EarlierSegments[0]);
        Assert.Empty(m.EarlierSegments[1]);
        Assert.True(m.HasEarlierSegments);

        // Vector 0's rows: the two segments, then this generation's file from row 10 (none); vector 1's: its file only.
        Assert.Equal([.. m.EarlierSegments[0], new VectorSegment(m.Files[1], 10, 0)], m.SegmentsOf(0));
        Assert.Equal([new VectorSegment(m.Files[2], 0, 10)], m.SegmentsOf(1));
        Assert.Equal(9, m.DataFiles.Count());
    }

    [Fact]
    public void A_manifest_without_the_optional_sections_reads_with_their_defaults()
    {
        Put("""
            {"generation":1,"lsn":0,"recordCount":0,"createdAt":"2026-11-23T13:40:00+00:00","vectors":[],"payloadIndexes":[],
             "files":[{"name":"g1.records.vlrec","length":32,"crc32c":1}]}
            """, version: 1);
        CheckpointManifest m = CheckpointManifest.Read(_dir.FullName);
        HnswOptions defaults = new();
        Assert.Equal((defaults.M, defaults.Indexing, defaults.DeferredBatchSize, defaults.DeferredMaxLag, defaults.BuildOnCodes),
            (m.Schema.Hnsw.M, m.Schema.Hnsw.Indexing, m.Schema.Hnsw.DeferredBatchSize, m.Schema.Hnsw.DeferredMaxLag, m.Schema.Hnsw.BuildOnCodes));
        Assert.True(m.Schema.Hnsw.ValueGraphs); // on unless a manifest says "valueGraphs": false
        Assert.Empty(m.MultiVectorTokens);
        Assert.Empty(m.EarlierSegments);
        Assert.False(m.HasEarlierSegments);
    }

    [Fact]
    public void Serialize_writes_version_3_with_segments_2_with_extended_spaces_and_1_otherwise_and_reads_back()
    {
        Put(Body(ValidFiles, ValidSegments));
        CheckpointManifest full = CheckpointManifest.Read(_dir.FullName);

        byte[] written = full.Serialize();
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(written.AsSpan(8)));
        File.WriteAllBytes(ManifestPath, written);
        CheckpointManifest again = CheckpointManifest.Read(_dir.FullName);
        Assert.Equal(full.Schema.Vectors, again.Schema.Vectors);
        Assert.Equal(full.Schema.SparseVectors, again.Schema.SparseVectors);
        Assert.Equal(full.Schema.MultiVectors, again.Schema.MultiVectors);
        Assert.Equal(full.Schema.Hnsw, again.Schema.Hnsw);
        Assert.Equal(full.MultiVectorTokens, again.MultiVectorTokens);
        Assert.Equal(full.PayloadIndexes, again.PayloadIndexes);
        Assert.Equal(full.Files, again.Files);
        Assert.Equal(full.EarlierSegments[0], again.EarlierSegments[0]);
        Assert.Equal((full.Generation, full.Lsn, full.RecordCount, full.CreatedAt), (again.Generation, again.Lsn, again.RecordCount, again.CreatedAt));

        CheckpointManifest noSegments = full with { EarlierSegments = [[], []] };
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(noSegments.Serialize().AsSpan(8)));

        var plain = new CheckpointManifest
        {
            Generation = 1, Lsn = 0, RecordCount = 0, CreatedAt = new DateTimeOffset(2026, 11, 23, 13, 40, 0, TimeSpan.Zero),
            Schema = CollectionSchema.SingleVector(2, Metric.L2, "v"), PayloadIndexes = [],
            Files = [new CheckpointFile("g1.records.vlrec", 32, 1), new CheckpointFile("g1.vec0.vlvec", 32, 2)],
        };
        byte[] plainBytes = plain.Serialize();
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(plainBytes.AsSpan(8)));
        // Written exactly as before the optional sections existed: none of them appears.
        string body = Encoding.UTF8.GetString(plainBytes, 16, plainBytes.Length - 20);
        string expected =
            """{"generation":1,"lsn":0,"recordCount":0,"createdAt":"2026-11-23T13:40:00+00:00","vectors":[{"name":"v","dimension":2,"metric":"L2"}],"hnsw":{"m":16,"efConstruction":200,"efSearch":0,"minIndexedVectors":128,"parallelInsertThreshold":1000,"maxInsertThreads":0,"tombstoneRebuildPercent":30},"payloadIndexes":[],"files":[{"name":"g1.records.vlrec","length":32,"crc32c":1},{"name":"g1.vec0.vlvec","length":32,"crc32c":2}]}""";
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(body)), body);
    }

    public static TheoryData<string, string> BadFileLists => new()
    {
        { FileList("g4.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec"), "file 0 of generation 5 is named 'g4.records.vlrec', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec1.vlvec", "g5.vec0.vlvec"), "file 1 of generation 5 is named 'g5.vec1.vlvec', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "../g5.vec1.vlvec"), "file 2 of generation 5 is named '../g5.vec1.vlvec', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.hnsw0.vlhnsw", "g5.hnsw0.vlhnsw"), "file 4 of generation 5 is named 'g5.hnsw0.vlhnsw', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.hnsw2.vlhnsw"), "file 3 of generation 5 is named 'g5.hnsw2.vlhnsw', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.q2.vlq"), "file 3 of generation 5 is named 'g5.q2.vlq', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.mv1.vlhnsw"), "file 3 of generation 5 is named 'g5.mv1.vlhnsw', which is not a name this generation's files can have" },
        { FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g4.hnsw0.vlhnsw"), "file 3 of generation 5 is named 'g4.hnsw0.vlhnsw', which is not a name this generation's files can have" },
        // Too few files with no text index too (found by the Storage mutation pass: only text indexes were counted).
        { FileList("g5.records.vlrec", "g5.vec0.vlvec"), "generation 5 lists 2 files, too few for 2 vectors and 0 text indexes" },
        { FileList("g5.records.vlrec"), "generation 5 lists 1 files, too few for 2 vectors and 0 text indexes" },
        { FileList(), "generation 5 lists 0 files, too few for 2 vectors and 0 text indexes" },
    };

    [Theory]
    [MemberData(nameof(BadFileLists))]
    public void A_file_not_named_as_its_place_and_generation_require_is_damage(string files, string problem)
    {
        Put(Body(files));
        Assert.Equal(problem, NameCheckFails());
    }

    [Fact]
    public void The_value_graphs_file_is_read_apart_from_the_file_list_and_is_the_last_data_file()
    {
        Put(Body(ValidFiles, texts: """ "valueGraphFile":{"name":"g5.valuegraphs.vlvg","length":300,"crc32c":11}, """));
        CheckpointManifest m = CheckpointManifest.Read(_dir.FullName);

        Assert.Equal(new CheckpointFile("g5.valuegraphs.vlvg", 300, 11), m.ValueGraphFile);
        Assert.Equal(7, m.Files.Count); // not one of "files", which builds before value graphs check by position
        Assert.Equal(m.ValueGraphFile, m.DataFiles.Last());
        Assert.Equal(8, m.DataFiles.Count());
    }

    [Theory]
    [InlineData("g4.valuegraphs.vlvg")] // another generation's
    [InlineData("../g5.valuegraphs.vlvg")] // outside the collection's directory
    [InlineData("g5.records.vlrec")] // a file of this generation with another job
    public void A_value_graphs_file_not_named_for_its_generation_is_damage(string name)
    {
        Put(Body(ValidFiles, texts: $$""" "valueGraphFile":{"name":"{{name}}","length":300,"crc32c":11}, """));
        Assert.Equal($"its value graphs file is named '{name}', not 'g5.valuegraphs.vlvg'", NameCheckFails());
    }

    private const string Text = """{"name":"body","fields":["t"],"language":"english","lowercase":true,"foldToAscii":true,"removeStopWords":true,"stem":true,"ngramMin":0,"ngramMax":0,"k1":1.2,"b":0.75}""";

    [Fact]
    public void Text_index_files_come_last_in_the_order_of_the_text_indexes()
    {
        string texts = $"\"textIndexes\":[{Text},{Text.Replace("body", "title")}],";
        Put(Body(FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.hnsw0.vlhnsw", "g5.text0.vltext", "g5.text1.vltext"), texts: texts));
        Assert.Equal(["body", "title"], CheckpointManifest.Read(_dir.FullName).TextIndexes.Select(t => t.Name));

        Put(Body(FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.text1.vltext", "g5.text0.vltext"), texts: texts));
        Assert.Equal("file 3 of generation 5 is named 'g5.text1.vltext', not text index 0's file", NameCheckFails());

        // Just enough files (records, two vectors, two texts) is valid; one fewer is too few.
        Put(Body(FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.vec1.vlvec", "g5.text0.vltext", "g5.text1.vltext"), texts: texts));
        Assert.Equal(5, CheckpointManifest.Read(_dir.FullName).Files.Count);
        Put(Body(FileList("g5.records.vlrec", "g5.vec0.vlvec", "g5.text0.vltext", "g5.text1.vltext"), texts: texts));
        Assert.Equal("generation 5 lists 4 files, too few for 2 vectors and 2 text indexes", NameCheckFails());
    }

    public static TheoryData<string, string> BadSegments => new()
    {
        { "[[]]", "it lists the segments of 1 vectors, the schema has 2" },
        { """[[{"name":"g5.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g5.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g2.vec1.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g2.vec1.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g02.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g02.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g+2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g+2.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"x2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'x2.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g2.vec0.vlvecx","length":1,"crc32c":2,"firstRow":0,"rows":4}],[]]""", "vector 0's segment 'g2.vec0.vlvecx' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4},{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":4,"rows":1}],[]]""", "vector 0's segment 'g2.vec0.vlvec' is not the vectors file of vector 0 of an earlier generation" },
        { """[[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":1,"rows":4}],[]]""", "vector 0's segment 'g2.vec0.vlvec' holds rows 1 to 5; the segments must follow each other from row 0 within the 10 records" },
        { """[[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":4},{"name":"g3.vec0.vlvec","length":1,"crc32c":2,"firstRow":5,"rows":1}],[]]""", "vector 0's segment 'g3.vec0.vlvec' holds rows 5 to 6; the segments must follow each other from row 0 within the 10 records" },
        { """[[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":-1}],[]]""", "vector 0's segment 'g2.vec0.vlvec' holds rows 0 to -1; the segments must follow each other from row 0 within the 10 records" },
        { """[[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":11}],[]]""", "vector 0's segment 'g2.vec0.vlvec' holds rows 0 to 11; the segments must follow each other from row 0 within the 10 records" },
        { """[[],[{"name":"g2.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":1}]]""", "vector 1's segment 'g2.vec0.vlvec' is not the vectors file of vector 1 of an earlier generation" },
    };

    [Theory]
    [MemberData(nameof(BadSegments))]
    public void Earlier_segments_the_writer_cannot_have_written_are_damage(string segments, string problem)
    {
        Put(Body(ValidFiles, segments));
        Assert.Equal(problem, NameCheckFails());
    }

    [Fact]
    public void Segments_ending_at_the_record_count_of_an_earlier_generation_each_are_valid()
    {
        Put(Body(ValidFiles, """
            [[{"name":"g1.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":0},{"name":"g4.vec0.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":10}],
             [{"name":"g10.vec1.vlvec","length":1,"crc32c":2,"firstRow":0,"rows":3}]]
            """.Replace("g10", "g3")));
        CheckpointManifest m = CheckpointManifest.Read(_dir.FullName);
        Assert.Equal([0, 10], m.EarlierSegments[0].Select(s => s.EndRow));
        Assert.Equal("g3.vec1.vlvec", m.EarlierSegments[1].Single().File.Name);
    }

    [Theory]
    [InlineData("[-1]", "a multi-vector token count of -1")]
    [InlineData("[1,2]", "it counts the tokens of 2 multi-vector spaces, the schema has 1")]
    [InlineData("[]", "it counts the tokens of 0 multi-vector spaces, the schema has 1")]
    public void Token_counts_that_do_not_fit_the_schema_are_damage(string tokens, string problem)
    {
        Put(Body(ValidFiles, tokens: tokens));
        Assert.Equal($"the manifest body is not valid: {problem}", ReadFails().Problem);
    }

    [Fact]
    public void A_zero_token_count_is_valid()
    {
        Put(Body(ValidFiles, tokens: "[0]"));
        Assert.Equal([0], CheckpointManifest.Read(_dir.FullName).MultiVectorTokens);
    }

    [Theory]
    [InlineData("\"vectors\":[{\"name\":\"a\",\"dimension\":2,\"metric\":\"L2\"},", "\"vectors\":[{\"name\":\"a\",\"dimension\":2,\"metric\":\"L3\"},")]
    [InlineData("\"lsn\":42,", "")]
    [InlineData("\"kind\":\"Keyword\"", "\"kind\":\"Text\"")]
    public void A_body_that_does_not_parse_is_damage_at_the_body(string from, string to)
    {
        Put(Body(ValidFiles).Replace(from, to));
        Assert.StartsWith("the manifest body is not valid: ", ReadFails().Problem);
    }

    [Fact]
    public void The_graph_stamp_mixes_generation_lsn_and_record_count()
    {
        // 3 * 0x9E3779B97F4A7C15 ^ 7 * 0xC2B2AE3D27D4EB4F ^ 11, each product modulo 2^64 (computed with Python's integers).
        Assert.Equal(0xDAA66D2C7DDF743FUL ^ 0x52E2C3AC16D26F29UL ^ 11UL, CheckpointManifest.ComputeGraphStamp(3, 7, 11));
    }
}
