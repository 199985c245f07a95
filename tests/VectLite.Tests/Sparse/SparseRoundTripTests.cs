using System.Buffers.Binary;
using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Sparse;

/// <summary>
/// Sparse vectors come back exactly as written (same entries, same order, same bits) from every read path: live, after
/// the log is replayed, and after a checkpoint wrote them to the records file; the files carry the versions the format
/// says; a database written before sparse vectors existed still opens and keeps its version 1 files.
/// </summary>
public sealed class SparseRoundTripTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CollectionSchema Schema() => CollectionSchema.SingleVector(2, Metric.Dot)
        .AddSparseVector("splade")
        .AddSparseVector("bm25", SparseModifier.Idf);

    /// <summary>Unsorted indices, the extremes of uint, negative, subnormal and signed-zero weights: bits a sort or a copy through double would change.</summary>
    private static readonly Dictionary<ulong, (uint[] I, float[] W)?> s_splade = new()
    {
        [1] = ([7, 3, uint.MaxValue, 0], [0.5f, -1.25f, float.Epsilon, -0f]),
        [2] = ([42], [3.4e38f]),
        [3] = ([], []),
        [4] = null,
        [5] = ([100, 5, 99, 6, 98], [1e-30f, 2f, -3f, 0.1f, 0.2f]),
    };

    private static readonly Dictionary<ulong, (uint[] I, float[] W)?> s_bm25 = new()
    {
        [1] = null,
        [2] = ([1, 2], [1f, 2f]),
        [3] = ([9], [0.333f]),
        [4] = ([4000000000], [7f]),
        [5] = null,
    };

    private static Record MakeRecord(ulong id)
    {
        var r = new Record(id, new float[] { id, 1 }, new JsonObject { ["n"] = (int)id });
        if (s_splade[id] is { } s)
        {
            r.WithSparseVector("splade", new SparseVector(s.I, s.W));
        }
        if (s_bm25[id] is { } b)
        {
            r.WithSparseVector("bm25", new SparseVector(b.I, b.W));
        }
        return r;
    }

    [Fact]
    public void Get_and_search_return_sparse_vectors_exactly_live_after_replay_and_after_a_checkpoint()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.UpsertMany(s_splade.Keys.Select(MakeRecord));
            AssertExact(c, "live");
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertExact(c, "after log replay");
            c.Compact();
            AssertExact(c, "after compact");
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(0, c.GetStats().WalBatchesSinceCheckpoint);
            AssertExact(c, "after reopening the checkpoint");
        }
    }

    [Fact]
    public void A_payload_update_and_an_expiry_change_keep_the_sparse_vectors_through_replay_and_checkpoint()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.UpsertMany(s_splade.Keys.Select(MakeRecord));
            Assert.True(c.UpdatePayload(1, new JsonObject { ["n"] = 1 }));
            Assert.True(c.SetTimeToLive(5, TimeSpan.FromDays(1)));
            AssertExact(c, "live");
            // The updated record is still found through the index, once.
            Assert.Equal([1UL], c.SearchSparse("splade", new SparseVector([7u], [1f])).Select(h => h.Id.AsNumber));
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertExact(c, "after log replay");
            c.Compact();
        }
        using (Database db = _temp.Open())
        {
            AssertExact(db.GetCollection("docs"), "after the checkpoint");
        }
    }

    private static void AssertExact(Collection c, string when)
    {
        foreach (ulong id in s_splade.Keys)
        {
            Record r = c.Get(id)!;
            AssertSpace(s_splade[id], r.SparseVectors, "splade", $"{when}: Get({id})");
            AssertSpace(s_bm25[id], r.SparseVectors, "bm25", $"{when}: Get({id})");
            Assert.Equal(new float[] { id, 1 }, r.Vector!.Value.ToArray());
        }
        // Search hits carry them too (every record holds dense vector [id, 1]).
        IReadOnlyList<SearchHit> hits = c.Search(new float[] { 1, 0 }, new SearchOptions { TopK = 10, IncludeVectors = true, Exact = true });
        Assert.Equal(s_splade.Count, hits.Count);
        foreach (SearchHit h in hits)
        {
            ulong id = h.Id.AsNumber;
            var sparse = h.SparseVectors is null ? new Dictionary<string, SparseVector>() : new Dictionary<string, SparseVector>(h.SparseVectors);
            AssertSpace(s_splade[id], sparse, "splade", $"{when}: search hit {id}");
            AssertSpace(s_bm25[id], sparse, "bm25", $"{when}: search hit {id}");
        }
        // Without IncludeVectors, none.
        Assert.All(c.Search(new float[] { 1, 0 }, new SearchOptions { TopK = 10, Exact = true }), h => Assert.Null(h.SparseVectors));
    }

    private static void AssertSpace((uint[] I, float[] W)? expected, IDictionary<string, SparseVector> actual, string space, string what)
    {
        if (expected is not { } e)
        {
            Assert.False(actual.ContainsKey(space), $"{what}: no '{space}' vector was written, one was read");
            return;
        }
        Assert.True(actual.TryGetValue(space, out SparseVector? v), $"{what}: '{space}' missing");
        Assert.Equal(e.I, v!.Indices.ToArray());
        Assert.Equal(e.W.Select(BitConverter.SingleToInt32Bits), v.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_collection_with_sparse_spaces_writes_version_2_files_and_logs_sparse_upserts_as_their_own_type()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.Upsert(MakeRecord(1));
            Assert.Equal(9, FirstLoggedOperationType("docs"));
            c.Compact();
            Assert.Equal(2u, VersionOf("docs", "checkpoint.vlck"));
            Assert.Equal(2u, VersionOf("docs", "g1.records.vlrec"));
            Assert.Equal(1u, VersionOf("docs", "g1.vec0.vlvec"));

            Collection dense = db.CreateCollection("dense", CollectionSchema.SingleVector(2, Metric.Dot));
            dense.Upsert(new Record(1, new float[] { 1, 2 }));
            Assert.Equal(1, FirstLoggedOperationType("dense"));
            dense.Compact();
            Assert.Equal(1u, VersionOf("dense", "checkpoint.vlck"));
            Assert.Equal(1u, VersionOf("dense", "g1.records.vlrec"));
        }
    }

    [Fact]
    public void Verify_reads_version_2_records_and_their_sparse_sections_as_intact()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        c.UpsertMany(s_splade.Keys.Select(MakeRecord));
        c.Compact();
        c.Upsert(MakeRecord(2)); // and a type 9 batch in the log

        VerifyReport report = db.Verify();
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        CollectionVerifyReport docs = Assert.Single(report.Collections);
        Assert.Equal(5, docs.CheckpointRecords);
        Assert.Equal(1, docs.LogBatches);
        Assert.Contains(docs.Files, f => f.Kind == VerifiedFileKind.Records);
    }

    [Fact]
    public void A_database_written_before_sparse_vectors_opens_reads_and_keeps_writing_version_1_files()
    {
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cosine-unit-vectors"), _temp.Path);
        Assert.Equal(1u, VersionOf("docs", "checkpoint.vlck"));
        Assert.Equal(1u, VersionOf("docs", "g1.records.vlrec"));
        using (Database db = _temp.Open())
        {
            Collection docs = db.GetCollection("docs");
            Assert.Equal(220, docs.Count());
            Assert.Empty(docs.Schema.SparseVectors);
            Assert.Equal(7, (int)docs.Get(7)!.Payload!["n"]!);
            Assert.Empty(docs.Get(7)!.SparseVectors);
            docs.Upsert(new Record(500, new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
            docs.Compact();
            Assert.Equal(1u, VersionOf("docs", "checkpoint.vlck"));
            Assert.Equal(1u, VersionOf("docs", "g2.records.vlrec"));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(221, db.GetCollection("docs").Count());
        }
    }

    [Fact]
    public void The_schema_with_its_sparse_spaces_and_modifiers_survives_reopen_and_a_different_one_is_refused()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", Schema());
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal([new SparseVectorSpec("splade", SparseModifier.None), new SparseVectorSpec("bm25", SparseModifier.Idf)], c.Schema.SparseVectors);
            Assert.Same(c.Engine, db.GetOrCreateCollection("docs", Schema()).Engine);
            var ex = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("docs",
                CollectionSchema.SingleVector(2, Metric.Dot).AddSparseVector("splade", SparseModifier.Idf).AddSparseVector("bm25", SparseModifier.Idf)));
            Assert.Contains("sparse vector \"splade\" modifier None (stored) vs Idf (requested)", ex.Message);
        }
    }

    private uint VersionOf(string collection, string file) =>
        BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(Path.Combine(_temp.CollectionDirectory(collection), file)).AsSpan(8));

    /// <summary>The type byte of the first operation of the log's first frame: 32-byte file header, 24-byte frame header, u32 count.</summary>
    private int FirstLoggedOperationType(string collection)
    {
        byte[] log = File.ReadAllBytes(Path.Combine(_temp.CollectionDirectory(collection), "wal.vlwal"));
        return log[32 + 24 + 4];
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (string dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
