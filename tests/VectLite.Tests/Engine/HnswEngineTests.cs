using System.Text.Json.Nodes;
using VectLite.Tests.Support;

namespace VectLite.Tests.Engine;

/// <summary>The HNSW index as users meet it: automatic, accurate under filters and namespaces, durable, self-healing.</summary>
public sealed class HnswEngineTests : IDisposable
{
    private const int Dimension = 24;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Clustered vectors (a fair stand-in for embeddings) with payloads whose fields select 50/10/1/0.1%.</summary>
    private static List<Record> ClusteredRecords(int count, int seed, string? @namespace = null)
    {
        var random = new Random(seed);
        var centroids = Enumerable.Range(0, 20).Select(_ => TestData.RandomVector(random, Dimension)).ToArray();
        var records = new List<Record>(count);
        for (int i = 0; i < count; i++)
        {
            float[] c = centroids[random.Next(centroids.Length)];
            var v = new float[Dimension];
            for (int d = 0; d < Dimension; d++)
            {
                v[d] = c[d] + (float)(random.NextDouble() - 0.5) * 0.6f;
            }
            records.Add(new Record(i, v, new JsonObject
            {
                ["half"] = i % 2 == 0,
                ["tenth"] = i % 10,
                ["hundredth"] = i % 100,
                ["thousandth"] = i % 1000,
            })
            { Namespace = @namespace });
        }
        return records;
    }

    private static double Recall(Collection c, IReadOnlyList<float[]> queries, SearchOptions options)
    {
        double found = 0, wanted = 0;
        foreach (float[] q in queries)
        {
            var truth = c.Search(q, new SearchOptions { TopK = options.TopK, Filter = options.Filter, Namespace = options.Namespace, AllNamespaces = options.AllNamespaces, Exact = true, IncludePayload = false })
                .Select(h => (h.Namespace, h.Id)).ToHashSet();
            var got = c.Search(q, options).Select(h => (h.Namespace, h.Id));
            found += got.Count(truth.Contains);
            wanted += truth.Count;
        }
        return wanted == 0 ? 1 : found / wanted;
    }

    /// <summary>Queries from the same clusters as <c>ClusteredRecords(stored, seed)</c> but not among the stored records.</summary>
    private static List<float[]> Queries(int count, int seed, int stored = 6000) =>
        ClusteredRecords(stored + count, seed).Skip(stored).Select(r => r.Vector!.Value.ToArray()).ToList();

    [Theory]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.L1)]
    public void The_index_takes_over_past_the_threshold_with_high_recall(Metric metric)
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, metric));
        c.UpsertMany(ClusteredRecords(100, 1));
        Assert.False(c.GetStats().VectorIndexes[0].Indexed); // below 128: exact scans
        c.UpsertMany(ClusteredRecords(3000, 1));
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.True(index.Indexed);
        Assert.Equal("built", index.Origin);
        Assert.Equal(3000, index.Nodes - index.DeadNodes);
        double recall = Recall(c, Queries(50, 1), new SearchOptions { TopK = 10 });
        Assert.True(recall >= 0.95, $"recall {recall:0.000}");
    }

    [Theory]
    [InlineData("half", true)]
    [InlineData("tenth", false)]
    [InlineData("hundredth", false)]
    [InlineData("thousandth", false)]
    [InlineData("tenth", true)]
    [InlineData("thousandth", true)]
    public void Filtered_search_keeps_recall_at_every_selectivity(string field, bool indexed)
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        if (indexed)
        {
            c.CreatePayloadIndex(field, field == "half" ? PayloadIndexKind.Bool : PayloadIndexKind.Numeric);
        }
        c.UpsertMany(ClusteredRecords(6000, 2));
        Filter filter = field == "half" ? Filter.Eq("half", true) : Filter.Eq(field, 3);
        double recall = Recall(c, Queries(40, 2), new SearchOptions { TopK = 10, Filter = filter });
        Assert.True(recall >= 0.95, $"recall {recall:0.000} for {filter}");
        Assert.All(c.Search(Queries(1, 2)[0], new SearchOptions { TopK = 10, Filter = filter }), h =>
            Assert.True(field == "half" ? (bool)h.Payload![field]! : (int)h.Payload![field]! == 3));
    }

    [Fact]
    public void Namespace_scoped_search_returns_only_that_namespace_with_high_recall()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.Cosine));
        c.UpsertMany(ClusteredRecords(3000, 3, "big"));
        c.UpsertMany(ClusteredRecords(600, 4, "small"));
        foreach (string ns in new[] { "big", "small" })
        {
            var options = new SearchOptions { TopK = 10, Namespace = ns };
            Assert.True(Recall(c, Queries(30, 3), options) >= 0.95);
            Assert.All(c.Search(Queries(1, 3)[0], options), h => Assert.Equal(ns, h.Namespace));
        }
    }

    [Fact]
    public void Deleted_and_replaced_records_are_tombstones_never_results()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        List<Record> records = ClusteredRecords(2000, 5);
        c.UpsertMany(records);
        c.DeleteMany(Enumerable.Range(0, 1000).Select(i => (RecordId)i));
        c.UpdatePayload(1500, new JsonObject { ["updated"] = true });
        foreach (float[] q in records.Take(50).Select(r => r.Vector!.Value.ToArray()))
        {
            var hits = c.Search(q, new SearchOptions { TopK = 10 });
            Assert.Equal(10, hits.Count); // over-fetches past the tombstones
            Assert.All(hits, h => Assert.True(h.Id.AsNumber >= 1000));
        }
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.Equal(2000, index.Nodes); // the payload update re-pointed record 1500's node: no node added
        Assert.Equal(1000, index.DeadNodes);
        Assert.True(c.Search(records[1500].Vector!.Value.Span, new SearchOptions { TopK = 1 })[0].Payload!.ContainsKey("updated"));
    }

    [Fact]
    public void Compact_keeps_a_mostly_live_graph_and_rebuilds_a_mostly_dead_one()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        c.UpsertMany(ClusteredRecords(2000, 6));
        c.DeleteMany(Enumerable.Range(0, 200).Select(i => (RecordId)i)); // 10% dead
        c.Compact();
        VectorIndexStats kept = c.GetStats().VectorIndexes[0];
        Assert.Equal(("remapped", 2000, 200), (kept.Origin, kept.Nodes, kept.DeadNodes));
        Assert.True(Recall(c, Queries(30, 6), new SearchOptions { TopK = 10 }) >= 0.95);

        c.DeleteMany(Enumerable.Range(200, 600).Select(i => (RecordId)i)); // now 40% dead
        c.Compact();
        VectorIndexStats rebuilt = c.GetStats().VectorIndexes[0];
        Assert.Equal(("built", 1200, 0), (rebuilt.Origin, rebuilt.Nodes, rebuilt.DeadNodes));
        Assert.True(Recall(c, Queries(30, 6), new SearchOptions { TopK = 10 }) >= 0.95);
    }

    [Fact]
    public void Reopening_a_checkpoint_loads_the_graph_and_gives_identical_results()
    {
        List<float[]> queries = Queries(20, 7);
        List<List<(RecordId, float)>> before;
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.Cosine));
            c.UpsertMany(ClusteredRecords(3000, 7));
            c.Compact();
            before = queries.Select(q => c.Search(q, new SearchOptions { TopK = 10 }).Select(h => (h.Id, h.Score)).ToList()).ToList();
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal("loaded", c.GetStats().VectorIndexes[0].Origin);
            Assert.Equal(before, queries.Select(q => c.Search(q, new SearchOptions { TopK = 10 }).Select(h => (h.Id, h.Score)).ToList()).ToList());

            // Writes after the checkpoint replay into the loaded graph.
            c.Upsert(new Record(99_999, queries[0]));
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal("loaded", c.GetStats().VectorIndexes[0].Origin);
            Assert.Equal(99_999UL, c.Search(queries[0], new SearchOptions { TopK = 1 })[0].Id.AsNumber);
        }
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("delete")]
    [InlineData("stale")]
    public void A_damaged_missing_or_stale_graph_is_rebuilt_never_used(string damage)
    {
        List<float[]> queries = Queries(10, 8);
        string dir = _temp.CollectionDirectory("docs");
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(ClusteredRecords(1000, 8));
            c.Compact();
            if (damage == "stale")
            {
                string old = Path.Combine(dir, "g1.hnsw0.vlhnsw");
                byte[] oldGraph = File.ReadAllBytes(old);
                c.Upsert(new Record(5000, queries[0]));
                c.Compact();
                File.WriteAllBytes(Path.Combine(dir, "g2.hnsw0.vlhnsw"), oldGraph); // a graph of other data
            }
        }
        string graphFile = Directory.GetFiles(dir, "*.vlhnsw").Single();
        byte[] bytes = File.ReadAllBytes(graphFile);
        switch (damage)
        {
            case "flip": bytes[bytes.Length / 2] ^= 0x40; File.WriteAllBytes(graphFile, bytes); break;
            case "truncate": File.WriteAllBytes(graphFile, bytes.AsSpan(0, bytes.Length - 100).ToArray()); break;
            case "delete": File.Delete(graphFile); break;
        }

        var log = new ListLogger();
        using (Database db = _temp.Open(new DatabaseOptions { Logger = log }))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal("built", c.GetStats().VectorIndexes[0].Origin);
            Assert.Contains(log.Messages, m => m.Contains("rebuilding", StringComparison.Ordinal) && m.Contains("docs", StringComparison.Ordinal));
            Assert.True(Recall(c, queries, new SearchOptions { TopK = 10 }) >= 0.95);
        }
    }

    [Fact]
    public async Task Searches_run_during_inserts_and_always_find_k_visible_records()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        List<Record> records = ClusteredRecords(6000, 9);
        c.UpsertMany(records.Take(1000));
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long searches = 0;
        int readersExited = 0;
        using var readersRunning = new CountdownEvent(2);

        void Read(int seed)
        {
            try
            {
                var random = new Random(seed);
                readersRunning.Signal();
                while (!stop.IsCancellationRequested)
                {
                    var hits = c.Search(records[random.Next(1000)].Vector!.Value.Span, new SearchOptions { TopK = 10 });
                    if (hits.Count != 10)
                    {
                        failures.Enqueue($"{hits.Count} hits");
                    }
                    Interlocked.Increment(ref searches);
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue("reader: " + ex);
            }
            finally
            {
                Interlocked.Increment(ref readersExited);
            }
        }

        // Dedicated threads, running before the writer starts: pool tasks might start only after it is done.
        Task[] readers = [.. Enumerable.Range(0, 2).Select(seed => Task.Factory.StartNew(() => Read(seed), TaskCreationOptions.LongRunning))];
        readersRunning.Wait();
        long before = Interlocked.Read(ref searches);
        int waits = 0;
        for (int i = 1000; i < 6000; i += 50)
        {
            c.UpsertMany(records.Skip(i).Take(50)); // small batches: incremental inserts
            if (i % 500 == 450)
            {
                // No timing: wait until both readers could have searched the graph as it grows (or one died).
                long target = before + (++waits * 2);
                SpinWait.SpinUntil(() => Interlocked.Read(ref searches) >= target || Volatile.Read(ref readersExited) > 0);
            }
        }
        c.UpsertMany(records.Take(2000)); // a large batch: parallel insert
        long during = Interlocked.Read(ref searches) - before;
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.True(during >= waits * 2, $"only {during} searches ran during the inserts");
    }

    [Fact]
    public void Bulk_upsert_builds_the_index_once_at_the_end()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        Assert.Equal(5000, c.UpsertBulk(ClusteredRecords(5000, 10), batchSize: 700));
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.Equal(("built", 5000, 0), (index.Origin, index.Nodes, index.DeadNodes));
        Assert.Equal(5000, c.Count());
        Assert.True(Recall(c, Queries(30, 10), new SearchOptions { TopK = 10 }) >= 0.95);
        Assert.Equal(2000, c.UpsertBulk(ClusteredRecords(2000, 10), batchSize: 300)); // replaces ids 0..1999
        index = c.GetStats().VectorIndexes[0];
        Assert.Equal((7000, 2000), (index.Nodes, index.DeadNodes));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.UpsertBulk([], batchSize: 0));
    }

    [Fact]
    public void Parameters_and_presets_are_validated_and_persisted()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(4).WithHnsw(new HnswOptions { M = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(4).WithHnsw(new HnswOptions { M = 16, EfConstruction = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(4).WithHnsw(new HnswOptions { TombstoneRebuildPercent = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollectionSchema.SingleVector(4).WithHnsw(new HnswOptions { EfSearch = -1 }));
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(4).WithHnsw(HnswOptions.HighRecall));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(HnswOptions.HighRecall, db.GetCollection("docs").Schema.Hnsw);
        }
    }
}
