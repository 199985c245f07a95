using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Sparse;

/// <summary>
/// The token graph of a multi-vector space across its life: payload updates re-point tokens instead of adding nodes, a
/// checkpoint renumbers the graph and saves it, an open loads it (no token is inserted again), a damaged file is
/// reported by verify and rebuilt by an open, and rows a bulk load has not indexed yet are still found.
/// </summary>
public sealed class TokenGraphPersistenceTests : IDisposable
{
    private const int Dimension = 8;
    private const int TokensPerRecord = 4;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CollectionSchema Schema() =>
        new CollectionSchema().AddMultiVector("colbert", Dimension, Metric.Cosine).WithHnsw(new HnswOptions { M = 16, EfConstruction = 100 });

    /// <summary>Record <paramref name="id"/>'s tokens: a function of the id alone, so a test can rebuild any of them.</summary>
    private static float[][] TokensOf(long id)
    {
        var rng = new Random((int)id * 7919 + 17);
        return [.. Enumerable.Range(0, TokensPerRecord).Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray())];
    }

    private static Record MakeRecord(long id) =>
        new Record((ulong)id) { Payload = new JsonObject { ["v"] = 0 } }.WithMultiVector("colbert", [.. TokensOf(id).Select(t => new ReadOnlyMemory<float>(t))]);

    private static ReadOnlyMemory<float>[] Query(long id) => [.. TokensOf(id).Take(2).Select(t => new ReadOnlyMemory<float>(t))];

    private static VectorIndexStats TokenGraph(Collection c) => c.GetStats().MultiVectorIndexes.Single();

    /// <summary>The top hit for a query made of two of record <paramref name="id"/>'s own tokens.</summary>
    private static SearchHit Top(Collection c, long id) => c.SearchMultiVector("colbert", Query(id), new SearchOptions { TopK = 1 }).Single();

    [Fact]
    public void A_payload_update_repoints_the_tokens_instead_of_adding_nodes()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        c.UpsertMany(Enumerable.Range(0, 50).Select(i => MakeRecord(i)));
        Assert.Equal(50 * TokensPerRecord, TokenGraph(c).Nodes);

        for (int i = 0; i < 10; i++)
        {
            c.UpdatePayload((ulong)i, new JsonObject { ["v"] = i + 100 });
        }
        c.SetExpiry(11, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(50 * TokensPerRecord, TokenGraph(c).Nodes); // one node per token, not one per token per version
        SearchHit hit = Top(c, 3);
        Assert.Equal(new RecordId(3), hit.Id);
        Assert.Equal(103, (int)hit.Payload!["v"]!); // the node names the new version
        Assert.Equal(new RecordId(11), Top(c, 11).Id);
    }

    [Fact]
    public void A_checkpoint_saves_the_token_graph_and_an_open_loads_it_with_the_same_results()
    {
        long[] probes = [0, 7, 42, 150, 299];
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.UpsertMany(Enumerable.Range(0, 300).Select(i => MakeRecord(i)));
            c.Delete(5);
            c.UpdatePayload(7, new JsonObject { ["v"] = 7 });
            c.Compact(); // 1 of 300 records gone: the graph is renumbered (remapped), not built again
            VectorIndexStats stats = TokenGraph(c);
            Assert.Equal("remapped", stats.Origin);
            Assert.Equal(300 * TokensPerRecord, stats.Nodes); // one node per token stored: record 7's update re-pointed its tokens
            Assert.Equal(TokensPerRecord, stats.DeadNodes);    // record 5's tokens
            foreach (long id in probes)
            {
                Assert.Equal(new RecordId((ulong)id), Top(c, id).Id);
            }
            c.Upsert(MakeRecord(1000)); // after the checkpoint: replayed from the log on open
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            VectorIndexStats stats = TokenGraph(c);
            Assert.Equal("loaded", stats.Origin);
            Assert.Equal(301 * TokensPerRecord, stats.Nodes); // the saved graph (record 5's tokens dead) + record 1000's
            Assert.True(stats.Indexed);
            foreach (long id in probes.Append(1000))
            {
                Assert.Equal(new RecordId((ulong)id), Top(c, id).Id);
            }
            Assert.Equal(7, (int)Top(c, 7).Payload!["v"]!);
            Assert.DoesNotContain(c.SearchMultiVector("colbert", Query(5), new SearchOptions { TopK = 300 }), h => h.Id == new RecordId(5));
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
    }

    [Fact]
    public void A_damaged_token_graph_is_reported_by_verify_and_rebuilt_by_an_open()
    {
        string graphFile;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.UpsertMany(Enumerable.Range(0, 200).Select(i => MakeRecord(i)));
            c.Compact();
            graphFile = Directory.GetFiles(_temp.CollectionDirectory("docs"), "*.mv0.vlhnsw").Single();
        }
        using (var stream = new FileStream(graphFile, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            int b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0x10));
        }
        VerifyReport report = Database.Verify(_temp.Path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Findings, f => f.FilePath == graphFile && f.Severity == VerifySeverity.Damage);

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal("built", TokenGraph(c).Origin);
            Assert.Equal(200 * TokensPerRecord, TokenGraph(c).Nodes);
            Assert.Equal(new RecordId(123), Top(c, 123).Id);
        }
    }

    [Fact]
    public void Rows_a_bulk_load_has_not_indexed_yet_are_found_by_scanning_them()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        c.UpsertMany(Enumerable.Range(0, 20).Select(i => MakeRecord(i)));
        SearchHit? duringLoad = null;
        bool indexedDuringLoad = true;
        IEnumerable<Record> Load()
        {
            for (int i = 20; i < 60; i++)
            {
                if (i == 45)
                {
                    // Batches of 10: records 20-39 are committed and visible, but their tokens are not in the graph.
                    indexedDuringLoad = TokenGraph(c).Indexed;
                    duringLoad = Top(c, 33);
                }
                yield return MakeRecord(i);
            }
        }
        c.UpsertBulk(Load(), batchSize: 10);

        Assert.False(indexedDuringLoad);
        Assert.Equal(new RecordId(33), duringLoad!.Id);
        Assert.True(TokenGraph(c).Indexed);
        Assert.Equal(60 * TokensPerRecord, TokenGraph(c).Nodes);
        Assert.Equal(new RecordId(55), Top(c, 55).Id);
    }
}
