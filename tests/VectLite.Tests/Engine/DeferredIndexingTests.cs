using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// <see cref="IndexingMode.Deferred"/>: writes return before their graph insert, a background indexer catches up, and
/// searches stay exact for the rows it has not reached (scanned and merged). Expected hits are a brute force computed
/// here over the records the test itself wrote, never by the engine.
/// </summary>
/// <remarks>
/// The indexer is held still without timing: its test hook runs inside each pass (index lock held) and either blocks
/// on a gate the test opens, or throws while the test has it "paused" (a failed pass leaves the rows queued and is
/// retried later, the same path a real failure takes).
/// </remarks>
public sealed class DeferredIndexingTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static HnswOptions Deferred(int batch = 1_000) => new()
    {
        Indexing = IndexingMode.Deferred,
        DeferredBatchSize = batch,
        MinIndexedVectors = 100,
        // One thread, so a deferred graph is built in the same order as an immediate one (levels depend on the row only).
        MaxInsertThreads = 1,
    };

    private static Collection Create(Database db, HnswOptions hnsw, string name = "docs") =>
        db.CreateCollection(name, CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(hnsw));

    private static Record MakeRecord(Random random, int id) =>
        new(id, TestData.RandomVector(random, Dimension), new JsonObject { ["color"] = TestData.Colors[id % TestData.Colors.Length] });

    /// <summary>The records the test knows to be live, by id: the model the brute force runs on.</summary>
    private sealed class Model
    {
        public Dictionary<ulong, (float[] Vector, string Color)> Live { get; } = [];

        public void Upsert(Collection c, Record r)
        {
            c.Upsert(r);
            Live[r.Id.AsNumber] = (r.Vector!.Value.ToArray(), r.Payload!["color"]!.GetValue<string>());
        }

        public void Delete(Collection c, ulong id)
        {
            Assert.True(c.Delete(id));
            Live.Remove(id);
        }

        /// <summary>The ids of the k live records nearest to <paramref name="query"/> (squared L2 in double), optionally only one color.</summary>
        public List<ulong> BruteForce(float[] query, int k, string? color = null) =>
            [.. Live.Where(e => color is null || e.Value.Color == color)
                .Select(e => (Id: e.Key, Distance: Enumerable.Range(0, Dimension).Sum(d => Math.Pow(e.Value.Vector[d] - query[d], 2))))
                .OrderBy(e => e.Distance).ThenBy(e => e.Id).Take(k).Select(e => e.Id)];
    }

    /// <summary>Holds the indexer inside its next pass until <see cref="Open"/>: the rows after that pass's range wait meanwhile.</summary>
    private sealed class Gate : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _release = new();
        private volatile bool _armed = true;

        public Gate(Collection c) => c.Engine.IndexingPassForTests = (from, upTo) =>
        {
            if (_armed)
            {
                PassRange = (from, upTo);
                _entered.Set();
                _release.Wait();
            }
        };

        public (int From, int UpTo) PassRange { get; private set; }

        /// <summary>True while the indexer is inside the held pass.</summary>
        public bool Holding => _entered.IsSet && !_release.IsSet;

        public void WaitEntered() => Assert.True(_entered.Wait(TimeSpan.FromMinutes(2)), "the indexer never started a pass");

        public void Open()
        {
            _armed = false;
            _release.Set();
        }

        public void Dispose()
        {
            Open();
            _entered.Dispose();
            _release.Dispose();
        }
    }

    private static void Pause(Collection c) =>
        c.Engine.IndexingPassForTests = (_, _) => throw new InvalidOperationException("indexing paused by the test");

    private static void Resume(Collection c)
    {
        c.Engine.IndexingPassForTests = null;
        // A pass that read the pausing hook just before may still throw: let it end (and record its failure) before the
        // test waits, or the wait would take that failure for one of its own (seen once with the cores busy).
        SpinWait.SpinUntil(() => !c.Engine.IndexerRunningForTests);
    }

    private static List<ulong> Ids(IReadOnlyList<SearchHit> hits) => [.. hits.Select(h => h.Id.AsNumber)];

    [Fact]
    public void A_search_during_a_lag_returns_exactly_the_brute_force_top_k_of_all_live_rows()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, Deferred());
        var model = new Model();
        var random = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            model.Upsert(c, MakeRecord(random, i));
        }
        c.WaitForIndexing();
        Assert.Equal((0L, 300), (c.GetStats().IndexingLag, c.GetStats().VectorIndexes[0].Nodes));

        using var gate = new Gate(c);
        model.Upsert(c, MakeRecord(random, 300)); // the indexer takes this one and stops inside its pass
        gate.WaitEntered();
        for (int i = 301; i < 600; i++)
        {
            model.Upsert(c, MakeRecord(random, i)); // queued behind the held pass
        }
        for (ulong id = 0; id < 600; id += 37)
        {
            model.Delete(c, id); // graph rows and queued rows alike
        }
        model.Upsert(c, MakeRecord(random, 5)); // a new vector for an indexed record: the old node dies, the new row queues
        for (ulong id = 1; id < 300; id += 3)
        {
            // Indexed records given a new payload: their nodes are re-pointed at rows the indexer has not reached, which
            // the exact scan also finds; each must still come back once.
            if (!model.Live.ContainsKey(id))
            {
                continue; // deleted above
            }
            Assert.True(c.UpdatePayload(id, new JsonObject { ["color"] = "red" }));
            model.Live[id] = (model.Live[id].Vector, "red");
        }

        CollectionStats stats = c.GetStats();
        Assert.True(stats.IndexingLag >= 300, $"lag {stats.IndexingLag}");
        Assert.Equal(300, stats.VectorIndexes[0].Nodes); // the held pass has inserted nothing yet

        var queries = new Random(12);
        for (int q = 0; q < 25; q++)
        {
            float[] query = TestData.RandomVector(queries, Dimension);
            // Ef 1,000 on 300 nodes: the graph half is exact, so the whole answer must be.
            Assert.Equal(model.BruteForce(query, 10), Ids(c.Search(query, new SearchOptions { TopK = 10, Ef = 1_000 })));
            Assert.Equal(model.BruteForce(query, 10, "red"),
                Ids(c.Search(query, new SearchOptions { TopK = 10, Ef = 1_000, Filter = Filter.Eq("color", "red") })));
        }

        gate.Open();
        c.WaitForIndexing();
        stats = c.GetStats();
        Assert.Equal(0L, stats.IndexingLag);
        Assert.Equal(model.Live.Count, stats.VectorIndexes[0].Nodes - stats.VectorIndexes[0].DeadNodes); // every live row is a live node, once
    }

    [Fact]
    public async Task Writes_complete_while_the_indexer_is_inside_a_pass()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, Deferred(batch: 50));
        var random = new Random(21);
        c.UpsertMany([.. Enumerable.Range(0, 200).Select(i => MakeRecord(random, i))]);
        c.WaitForIndexing();

        using var gate = new Gate(c);
        c.Upsert(MakeRecord(random, 200));
        gate.WaitEntered();

        // The indexer holds its lock and is mid-pass; each of these writes must still return (logged and applied). Run
        // on another task so a write that waits for the indexer fails the test instead of hanging it.
        var writes = Task.Run(() =>
        {
            var during = new List<bool>();
            for (int i = 201; i < 260; i++)
            {
                c.Upsert(MakeRecord(random, i));
                during.Add(gate.Holding);
            }
            c.Delete(3);
            c.UpdatePayload(4, new JsonObject { ["color"] = "white" });
            during.Add(gate.Holding);
            return during;
        });
        Task finished = await Task.WhenAny(writes, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == writes, "a write waited for the indexer's pass");
        Assert.All(await writes, Assert.True); // every write completed while the pass was held: they overlapped
        Assert.Equal((200, 201), gate.PassRange);
        Assert.NotNull(c.Get(259)); // visible at once
        Assert.Equal("white", c.Get(4)!.Payload!["color"]!.GetValue<string>());

        gate.Open();
        c.WaitForIndexing();
        Assert.Equal(0L, c.GetStats().IndexingLag);
        Assert.True(c.Engine.IndexingPassesForTests >= 2);
    }

    [Fact]
    public void Deleted_and_replaced_rows_still_queued_are_never_indexed_and_live_ones_always_are()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, Deferred());
        var model = new Model();
        var random = new Random(31);
        for (int i = 0; i < 150; i++)
        {
            model.Upsert(c, MakeRecord(random, i));
        }
        c.WaitForIndexing();
        Pause(c);
        for (int i = 150; i < 170; i++)
        {
            model.Upsert(c, MakeRecord(random, i));
        }
        model.Delete(c, 151);                               // queued, then deleted
        model.Upsert(c, MakeRecord(random, 152));           // queued, then given a new vector
        c.UpdatePayload(153, new JsonObject { ["color"] = "red" }); // queued, then a payload update (a new row, same vector)
        model.Live[153] = (model.Live[153].Vector, "red");
        c.UpdatePayload(10, new JsonObject { ["color"] = "red" });  // indexed: its node is re-pointed, not duplicated
        model.Live[10] = (model.Live[10].Vector, "red");
        Assert.Equal(150, c.GetStats().VectorIndexes[0].Nodes);

        Resume(c);
        c.WaitForIndexing();
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        // 150 + 19 live queued records, each exactly once; the dead rows of 151, 152 and 153 never became nodes.
        Assert.Equal((169, 0), (index.Nodes, index.DeadNodes));
        foreach ((ulong id, (float[] vector, _)) in model.Live)
        {
            SearchHit top = c.Search(vector, new SearchOptions { TopK = 1, Ef = 500 })[0];
            Assert.Equal(id, top.Id.AsNumber);
        }
        Assert.Equal(model.BruteForce(model.Live[153].Vector, 5, "red"),
            Ids(c.Search(model.Live[153].Vector, new SearchOptions { TopK = 5, Ef = 500, Filter = Filter.Eq("color", "red") })));
    }

    [Fact]
    public void A_reopen_with_rows_still_queued_loads_the_partial_graph_and_indexes_the_rest()
    {
        var model = new Model();
        var random = new Random(41);
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = Create(db, Deferred());
            for (int i = 0; i < 300; i++)
            {
                model.Upsert(c, MakeRecord(random, i));
            }
            c.WaitForIndexing();
            Pause(c);
            for (int i = 300; i < 500; i++)
            {
                model.Upsert(c, MakeRecord(random, i));
            }
            for (ulong id = 300; id < 500; id += 20)
            {
                model.Delete(c, id);
            }
            c.Compact(); // the saved graph holds the 300 indexed rows; the checkpoint holds 490
            Assert.Equal(300, c.GetStats().VectorIndexes[0].Nodes);
        } // disposed with 190 rows queued and the indexer failing: no exception, no hang

        VerifyReport report = Database.Verify(_temp.Path);
        Assert.True(report.IsIntact, report.ToString()); // a graph that covers a prefix of the rows is not damage

        using (Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            // A read-only open runs no indexer: it indexes the queued rows itself, before it returns.
            Collection c = reader.GetCollection("docs");
            VectorIndexStats index = c.GetStats().VectorIndexes[0];
            Assert.Equal((0L, "loaded", 490), (c.GetStats().IndexingLag, index.Origin, index.Nodes));
        }

        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(IndexingMode.Deferred, c.Schema.Hnsw.Indexing); // the setting survived the checkpoint
            c.WaitForIndexing();
            VectorIndexStats index = c.GetStats().VectorIndexes[0];
            Assert.Equal(("loaded", 490, 0), (index.Origin, index.Nodes, index.DeadNodes)); // extended, not rebuilt
            var queries = new Random(42);
            for (int q = 0; q < 20; q++)
            {
                float[] query = TestData.RandomVector(queries, Dimension);
                Assert.Equal(model.BruteForce(query, 10), Ids(c.Search(query, new SearchOptions { TopK = 10, Ef = 1_000 })));
            }
        }
    }

    [Fact]
    public void Dispose_with_rows_queued_loses_no_write()
    {
        var model = new Model();
        var random = new Random(51);
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = Create(db, Deferred());
            for (int i = 0; i < 200; i++)
            {
                model.Upsert(c, MakeRecord(random, i));
            }
            c.WaitForIndexing();
            Pause(c);
            for (int i = 200; i < 400; i++)
            {
                model.Upsert(c, MakeRecord(random, i));
            }
            Assert.Equal(200L, c.GetStats().IndexingLag);
        }

        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(400L, c.Count());
            var queries = new Random(52);
            for (int q = 0; q < 10; q++)
            {
                float[] query = TestData.RandomVector(queries, Dimension);
                // Before and after the indexer catches up: exact either way.
                Assert.Equal(model.BruteForce(query, 10), Ids(c.Search(query, new SearchOptions { TopK = 10, Ef = 1_000 })));
            }
            c.WaitForIndexing();
            Assert.Equal(400, c.GetStats().VectorIndexes[0].Nodes);
        }
    }

    [Fact]
    public void After_catching_up_results_are_identical_to_immediate_indexing()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        HnswOptions immediateOptions = Deferred() with { Indexing = IndexingMode.Immediate };
        Collection immediate = Create(db, immediateOptions, "immediate");
        Collection deferred = Create(db, Deferred(batch: 64), "deferred");
        var random = new Random(61);
        for (int i = 0; i < 1_200; i++)
        {
            Record r = MakeRecord(random, i);
            immediate.Upsert(r);
            deferred.Upsert(r);
        }
        deferred.WaitForIndexing();
        // Deletes after the catch-up: a record deleted while still queued never becomes a node in deferred mode (it
        // does, then dies, in immediate mode), so the two graphs are the same only for the same inserts.
        for (int id = 40; id < 1_200; id += 97)
        {
            immediate.Delete(id);
            deferred.Delete(id);
        }
        VectorIndexStats a = immediate.GetStats().VectorIndexes[0], b = deferred.GetStats().VectorIndexes[0];
        Assert.Equal((1_200, 12), (a.Nodes, a.DeadNodes));
        Assert.Equal((a.Nodes, a.DeadNodes), (b.Nodes, b.DeadNodes));

        var queries = new Random(62);
        for (int q = 0; q < 50; q++)
        {
            float[] query = TestData.RandomVector(queries, Dimension);
            // A small ef, so the graph's shape shows in the results: identical graphs give identical hits and scores.
            var options = new SearchOptions { TopK = 10, Ef = 12 };
            Assert.Equal(immediate.Search(query, options).Select(h => (h.Id.AsNumber, h.Score)), deferred.Search(query, options).Select(h => (h.Id.AsNumber, h.Score)));
        }
    }

    [Fact]
    public void DeferredMaxLag_makes_writes_wait_for_the_indexer()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, Deferred(batch: 10) with { DeferredMaxLag = 20 });
        var random = new Random(71);
        c.UpsertMany([.. Enumerable.Range(0, 150).Select(i => MakeRecord(random, i))]);
        c.WaitForIndexing();
        // A slow indexer (each pass sleeps; a write takes microseconds): without the limit the queue grows far past it.
        c.Engine.IndexingPassForTests = (_, _) => Thread.Sleep(20);
        long worst = 0;
        for (int i = 150; i < 300; i++)
        {
            c.Upsert(MakeRecord(random, i));
            worst = Math.Max(worst, c.GetStats().IndexingLag);
        }
        Assert.True(worst <= 21, $"the queue reached {worst} rows");
        c.Engine.IndexingPassForTests = null;
        c.WaitForIndexing();
    }

    [Fact]
    public void Switching_to_immediate_indexes_the_queue_before_UpdateOptions_returns()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = Create(db, Deferred());
        var random = new Random(81);
        c.UpsertMany([.. Enumerable.Range(0, 150).Select(i => MakeRecord(random, i))]);
        c.WaitForIndexing();
        Pause(c);
        for (int i = 150; i < 180; i++)
        {
            c.Upsert(MakeRecord(random, i));
        }
        Assert.Equal(30L, c.GetStats().IndexingLag);
        c.UpdateOptions(c.Schema.Hnsw with { Indexing = IndexingMode.Immediate });
        Assert.Equal((0L, 180), (c.GetStats().IndexingLag, c.GetStats().VectorIndexes[0].Nodes));
        c.Upsert(MakeRecord(random, 180));
        Assert.Equal(181, c.GetStats().VectorIndexes[0].Nodes); // now inside the write
    }

    [Fact]
    public void An_in_memory_collection_indexes_in_the_background_too()
    {
        using Database db = Database.OpenInMemory();
        Collection c = Create(db, Deferred(batch: 16));
        var model = new Model();
        var random = new Random(91);
        for (int i = 0; i < 300; i++)
        {
            model.Upsert(c, MakeRecord(random, i));
        }
        c.WaitForIndexing();
        Assert.Equal((0L, 300), (c.GetStats().IndexingLag, c.GetStats().VectorIndexes[0].Nodes));
        float[] query = TestData.RandomVector(new Random(92), Dimension);
        Assert.Equal(model.BruteForce(query, 10), Ids(c.Search(query, new SearchOptions { TopK = 10, Ef = 1_000 })));
    }

    [Theory]
    [InlineData(0, 0, "DeferredBatchSize")]
    [InlineData(1_000_001, 0, "DeferredBatchSize")]
    [InlineData(100, -1, "DeferredMaxLag")]
    [InlineData(100, 50, "DeferredMaxLag")]
    public void Invalid_deferred_settings_are_refused_before_anything_is_written(int batch, int maxLag, string setting)
    {
        using Database db = _temp.Open();
        var hnsw = new HnswOptions { Indexing = IndexingMode.Deferred, DeferredBatchSize = batch, DeferredMaxLag = maxLag };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(db, hnsw));
        Assert.Equal(setting, ex.ParamName);
        Assert.Empty(db.ListCollections());
    }

    [Fact]
    public void An_undefined_indexing_mode_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { Indexing = (IndexingMode)7 }.Validate());
        Assert.Equal("Indexing", ex.ParamName);
    }
}
