using System.Text.Json.Nodes;
using VectLite.Indexing.ValueGraphs;
using VectLite.Search;
using VectLite.Tests.Support;

namespace VectLite.Tests.Engine;

/// <summary>
/// Value graphs (docs/tuning.md, "Value graphs"): a keyword filter that avoids the query's neighbourhood, or keeps few
/// rows, asks for the field's value graphs; once the background builder has built them, such searches walk them
/// (<see cref="SearchPath.ValueGraphs"/>) instead of scanning every passing row. Expected hits come from a brute force
/// over the test's own copy of the data.
/// </summary>
/// <remarks>
/// Data: 4 well-separated clusters of 2,100 rows (16-d, above <see cref="ValueGraphField.MinRows"/>), label = cluster.
/// Queries sit in cluster 0; "far" filters pass the clusters whose centres are farthest from cluster 0's.
/// </remarks>
public sealed class ValueGraphTests : IDisposable
{
    private const int Dimension = 16;
    private const int Clusters = 4;
    private const int PerCluster = 2_100;
    private const int TopK = 10;
    private const int Queries = 30;
    private readonly TempDatabase _temp = new();
    private Database _db;
    private Collection _docs;
    private readonly Dictionary<ulong, (string[] Labels, float[] Vector)> _rows = [];
    private readonly float[][] _centers;
    private readonly int[] _byDistanceFromZero;

    public ValueGraphTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 64, MinIndexedVectors = 1, MaxInsertThreads = 2 }));
        _docs.CreatePayloadIndex("label", PayloadIndexKind.Keyword);
        _docs.Engine.StateForTests.CostModel(0).FreezeForTests(); // the planner's defaults, not this run's timings
        var random = new Random(31);
        _centers = [.. Enumerable.Range(0, Clusters).Select(_ => TestData.RandomVector(random, Dimension).Select(x => x * 10).ToArray())];
        var records = new List<Record>();
        for (int i = 0; i < Clusters * PerCluster; i++)
        {
            int label = i % Clusters;
            float[] v = [.. _centers[label].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)];
            records.Add(Put((ulong)i, v, "c" + label));
        }
        _docs.UpsertMany(records);
        _byDistanceFromZero = [.. Enumerable.Range(0, Clusters).OrderBy(c => Distance(_centers[c], _centers[0]))];
        Assert.Equal(0, _byDistanceFromZero[0]);
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private Record Put(ulong id, float[] vector, params string[] labels)
    {
        _rows[id] = (labels, vector);
        JsonNode label = labels.Length == 1 ? JsonValue.Create(labels[0]) : new JsonArray([.. labels.Select(l => (JsonNode)JsonValue.Create(l))]);
        return new Record(id, vector, new JsonObject { ["label"] = label });
    }

    private static double Distance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    private string[] Far(int count) => [.. _byDistanceFromZero.Reverse().Take(count).Select(c => "c" + c)];

    private static Filter LabelFilter(string[] labels) => Filter.In("label", labels);

    private float[] Query(Random random) => [.. _centers[0].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)];

    /// <summary>Runs the queries; returns the recall against the brute force and the paths that answered.</summary>
    private (double Recall, Dictionary<SearchPath, int> Paths) Run(string[] labels, int ef = 32, int queries = Queries)
    {
        var random = new Random(5);
        var paths = new Dictionary<SearchPath, int>();
        int found = 0, wanted = 0;
        for (int q = 0; q < queries; q++)
        {
            float[] query = Query(random);
            List<ulong> expected = [.. _rows.Where(r => r.Value.Labels.Intersect(labels).Any())
                .OrderBy(r => Distance(r.Value.Vector, query)).ThenBy(r => r.Key).Take(TopK).Select(r => r.Key)];
            List<ulong> actual = [.. _docs.Search(query, new SearchOptions { TopK = TopK, Ef = ef, Filter = LabelFilter(labels), IncludePayload = false }).Select(h => h.Id.AsNumber)];
            paths[SearchPlanner.LastPath] = paths.GetValueOrDefault(SearchPlanner.LastPath) + 1;
            Assert.Equal(actual.Count, actual.Distinct().Count());
            Assert.All(actual, id => Assert.True(_rows[id].Labels.Intersect(labels).Any(), $"Row {id} does not pass the filter."));
            found += actual.Intersect(expected).Count();
            wanted += expected.Count;
        }
        return ((double)found / wanted, paths);
    }

    /// <summary>One far search asks for the label field's value graphs; then waits for the builder to finish them.</summary>
    private void BuildValueGraphs(string[] labels)
    {
        Run(labels, queries: 1);
        _docs.WaitForIndexing();
    }

    private static string Describe(Dictionary<SearchPath, int> paths) => string.Join(", ", paths.Select(p => $"{p.Key} {p.Value}"));

    [Theory]
    // 50%: planned as a walk through rejected nodes, whose probe finds the neighbourhood avoided. ef 64: far from the
    // query, the 16-d Gaussian rows are at nearly equal distances (recall 0.90 at ef 32).
    [InlineData(2, 64)]
    [InlineData(1, 32)] // 25%: selective, so planned on the value graphs once they exist
    public void A_far_keyword_filter_is_answered_exactly_until_the_value_graphs_are_built_then_by_them(int clusters, int ef)
    {
        string[] labels = Far(clusters);
        (double before, Dictionary<SearchPath, int> pathsBefore) = Run(labels, queries: 1);
        Assert.Equal(1.0, before);
        Assert.Equal(SearchPath.Exact, Assert.Single(pathsBefore.Keys)); // the first search asked for the graphs
        long graphsBefore = _docs.GetStats().Memory!.Graphs;

        _docs.WaitForIndexing();

        ValueGraphField field = _docs.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.Equal(Clusters, field.GraphCount);
        Assert.Equal(Clusters * PerCluster, field.CoveredRows);
        Assert.True(_docs.GetStats().Memory!.Graphs > graphsBefore, "The value graphs' memory is counted.");
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels, ef);
        Assert.True(paths.GetValueOrDefault(SearchPath.ValueGraphs) == Queries, $"Paths: {Describe(paths)}");
        Assert.True(recall >= 0.95, $"Recall {recall:0.000} below 0.95.");
    }

    [Fact]
    public void Rows_written_after_the_build_are_found_and_deleted_or_relabelled_rows_are_not()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        var random = new Random(77);
        float[] near = Query(random); // rows at the queries' cluster, labelled far: they beat every other far row
        _docs.UpsertMany([.. Enumerable.Range(0, 4).Select(i => Put(100_000UL + (ulong)i, [.. near.Select(x => x + (0.01f * i))], labels[0]))]);

        // Whether or not the builder has passed them yet (rows past its mark are scanned exactly), they are found.
        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002, 100_003]);
        _docs.WaitForIndexing();
        Assert.Equal(Clusters * PerCluster + 4, _docs.Engine.StateForTests.ValueGraphs(0, "label")!.CoveredRows);
        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002, 100_003]);

        // A deleted row and a row moved to another label (an update writes a new row; the old one stays in the far
        // label's graph as a node the row test rejects) are gone from the far filter's hits.
        _docs.Delete(100_001UL);
        _docs.UpdatePayload(100_002UL, new JsonObject { ["label"] = "c0" });
        _rows.Remove(100_001UL);
        _rows[100_002UL] = (["c0"], _rows[100_002UL].Vector);
        AssertNewRowsFirst(labels, [100_000, 100_003]);
        _docs.WaitForIndexing();
        AssertNewRowsFirst(labels, [100_000, 100_003]);
        (double recall, _) = Run(labels);
        Assert.True(recall >= 0.95, $"Recall {recall:0.000} below 0.95.");
    }

    [Fact]
    public void A_search_while_the_builder_has_inserted_rows_but_not_raised_its_mark_finds_each_once()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        int checks = 0;
        _docs.Engine.ValueGraphPassForTests = () =>
        {
            // The new rows are in the far label's graph, and past the mark the search reads: the tail scan offers them,
            // so the walk must not.
            AssertNewRowsFirst(labels, [100_000, 100_001, 100_002]);
            checks++;
        };
        float[] near = Query(new Random(77));
        _docs.UpsertMany([.. Enumerable.Range(0, 3).Select(i => Put(100_000UL + (ulong)i, [.. near.Select(x => x + (0.01f * i))], labels[0]))]);
        _docs.WaitForIndexing();
        _docs.Engine.ValueGraphPassForTests = null;

        Assert.True(checks >= 1, "The builder ran no pass over the new rows.");
    }

    private void AssertNewRowsFirst(string[] labels, ulong[] expected)
    {
        float[] query = Query(new Random(77));
        List<ulong> hits = [.. _docs.Search(query, new SearchOptions { TopK = TopK, Ef = 32, Filter = LabelFilter(labels), IncludePayload = false }).Select(h => h.Id.AsNumber)];
        Assert.Equal(hits.Count, hits.Distinct().Count());
        Assert.Equal(expected, hits.Take(expected.Length).Order());
        Assert.Equal(SearchPath.ValueGraphs, SearchPlanner.LastPath);
    }

    [Fact]
    public void A_compacting_checkpoint_keeps_the_value_graphs_renumbered()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        // Delete a tenth of the far rows (and some others): the checkpoint compacts and renumbers every row after them.
        var gone = _rows.Keys.Where(id => id % 10 == 3).ToList();
        foreach (ulong id in gone)
        {
            _docs.Delete(id);
            _rows.Remove(id);
        }
        _docs.Compact();

        ValueGraphField field = _docs.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.Equal(_rows.Count, field.CoveredRows); // every surviving row, renumbered densely
        Assert.Equal(Clusters, field.GraphCount); // renumbered, never rebuilt: the gone rows are dead nodes
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels);
        Assert.True(paths.GetValueOrDefault(SearchPath.ValueGraphs) == Queries, $"Paths: {Describe(paths)}");
        Assert.True(recall >= 0.95, $"Recall {recall:0.000} below 0.95.");
    }

    [Fact]
    public void A_row_holding_several_of_the_values_is_one_hit()
    {
        string[] labels = Far(2);
        var random = new Random(78);
        float[] near = Query(random);
        _docs.Upsert(Put(200_000UL, near, labels[0], labels[1])); // in both values' graphs once built
        BuildValueGraphs(labels);

        List<SearchHit> hits = [.. _docs.Search(near, new SearchOptions { TopK = TopK, Ef = 32, Filter = LabelFilter(labels), IncludePayload = false })];

        Assert.Equal(SearchPath.ValueGraphs, SearchPlanner.LastPath);
        Assert.Equal(200_000UL, hits[0].Id.AsNumber);
        Assert.Single(hits, h => h.Id.AsNumber == 200_000UL);
        Assert.Equal(TopK, hits.Count);
    }

    [Fact]
    public void A_search_scoped_to_a_small_namespace_walks_that_namespace_graph()
    {
        // Four tenants of 2,100 rows each, their vectors spread over the same four clusters: a tenant's search keeps a
        // quarter of the rows, so it is selective, and its own graph answers once built.
        Collection tenants = _db.CreateCollection("tenants", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 64, MinIndexedVectors = 1, MaxInsertThreads = 2 }));
        tenants.Engine.StateForTests.CostModel(0).FreezeForTests();
        var rows = new List<(ulong Id, string Tenant, float[] Vector)>();
        var random = new Random(41);
        for (int i = 0; i < Clusters * PerCluster; i++)
        {
            float[] v = [.. _centers[i % Clusters].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)];
            rows.Add(((ulong)i, "t" + (i / 7 % 4), v));
        }
        tenants.UpsertMany([.. rows.Select(r => new Record(r.Id, r.Vector) { Namespace = r.Tenant })]);

        List<ulong> Search(float[] query) =>
            [.. tenants.Search(query, new SearchOptions { TopK = TopK, Ef = 32, Namespace = "t2", IncludePayload = false }).Select(h => h.Id.AsNumber)];

        float[] first = Query(new Random(9));
        Search(first);
        Assert.Equal(SearchPath.Exact, SearchPlanner.LastPath); // 25% of the rows: the row set is scanned, and the graphs asked for
        tenants.WaitForIndexing();
        ValueGraphField field = tenants.Engine.StateForTests.ValueGraphs(0, ValueGraphField.Namespaces)!;
        Assert.Equal(4, field.GraphCount);

        var queries = new Random(10);
        int found = 0, wanted = 0;
        for (int q = 0; q < Queries; q++)
        {
            float[] query = [.. _centers[q % Clusters].Zip(TestData.RandomVector(queries, Dimension), (c, n) => c + n)];
            List<ulong> expected = [.. rows.Where(r => r.Tenant == "t2").OrderBy(r => Distance(r.Vector, query)).ThenBy(r => r.Id).Take(TopK).Select(r => r.Id)];
            List<ulong> actual = Search(query);
            Assert.Equal(SearchPath.ValueGraphs, SearchPlanner.LastPath);
            Assert.All(actual, id => Assert.Equal("t2", rows[(int)id].Tenant));
            found += actual.Intersect(expected).Count();
            wanted += expected.Count;
        }
        Assert.True(found >= 0.95 * wanted, $"Recall {(double)found / wanted:0.000} below 0.95.");
    }

    [Fact]
    public void A_collection_with_one_namespace_has_no_namespace_values_to_walk()
    {
        // Its one namespace holds every row (and its row list is not kept): a namespace graph would be the collection's.
        Assert.Null(ValueGraphSource.ForNamespace(_docs.Engine.StateForTests, 0));
        _docs.Upsert(new Record(300_000UL, new float[Dimension]) { Namespace = "other" });
        Assert.NotNull(ValueGraphSource.ForNamespace(_docs.Engine.StateForTests, 0));
        Assert.Null(ValueGraphSource.ForNamespace(_docs.Engine.StateForTests, -1)); // every namespace: no one value
    }

    [Fact]
    public async Task Dropping_the_keyword_index_drops_its_value_graphs_and_the_builder_settles()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        Assert.NotNull(_docs.Engine.StateForTests.ValueGraphs(0, "label"));

        Assert.True(_docs.DropPayloadIndex("label"));
        _docs.Upsert(Put(400_000UL, new float[Dimension], "c1")); // a write wakes the builder
        // Returns: the field whose index is gone no longer counts as waiting (it was a lag that never closed).
        await Task.Run(() => _docs.WaitForIndexing()).WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException when it hangs

        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels, queries: 3);
        Assert.Equal(1.0, recall);
        Assert.DoesNotContain(SearchPath.ValueGraphs, paths.Keys);
    }

    [Fact]
    public void Searches_stay_correct_while_writes_the_builder_and_compacting_checkpoints_run_beside_them()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        float[] near = Query(new Random(77));
        int readsDuringBuilderPasses = 0;
        int passes = 0;
        using var stop = new CancellationTokenSource();
        Exception? readerError = null;
        long reads = 0;

        // A reader searching the far label over and over; every hit must carry it, once.
        var reader = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    List<SearchHit> hits = [.. _docs.Search(near, new SearchOptions { TopK = TopK, Ef = 32, Filter = LabelFilter(labels), IncludePayload = true })];
                    Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
                    Assert.All(hits, h => Assert.Equal(labels[0], h.Payload!["label"]!.GetValue<string>()));
                    Interlocked.Increment(ref reads);
                }
            }
            catch (Exception ex)
            {
                readerError = ex;
            }
        });
        // The builder's passes wait until the reader has searched during them: the overlap is proven, not hoped for.
        _docs.Engine.ValueGraphPassForTests = () =>
        {
            long before = Interlocked.Read(ref reads);
            SpinWait.SpinUntil(() => Interlocked.Read(ref reads) > before + 1 || readerError is not null, TimeSpan.FromSeconds(10));
            if (Interlocked.Read(ref reads) > before + 1)
            {
                Interlocked.Increment(ref readsDuringBuilderPasses);
            }
            Interlocked.Increment(ref passes);
        };
        reader.Start();
        var random = new Random(90);
        for (int batch = 0; batch < 6; batch++)
        {
            // New rows (some far, some not), deletes and relabels, then a compacting checkpoint.
            ulong first = 500_000UL + ((ulong)batch * 100);
            _docs.UpsertMany([.. Enumerable.Range(0, 100).Select(i => Put(first + (ulong)i, Query(random), i % 2 == 0 ? labels[0] : "c0"))]);
            _docs.Delete(first + 2);
            _docs.UpdatePayload(first + 4, new JsonObject { ["label"] = "c0" });
            _rows.Remove(first + 2);
            _rows[first + 4] = (["c0"], _rows[first + 4].Vector);
            _docs.WaitForIndexing();
            _docs.Compact();
        }
        stop.Cancel();
        reader.Join();
        _docs.Engine.ValueGraphPassForTests = null;

        Assert.Null(readerError);
        Assert.True(passes >= 6 && readsDuringBuilderPasses >= 6, $"{passes} builder passes, {readsDuringBuilderPasses} with reads inside them.");
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels);
        Assert.True(paths.GetValueOrDefault(SearchPath.ValueGraphs) == Queries, $"Paths: {Describe(paths)}");
        Assert.True(recall >= 0.95, $"Recall {recall:0.000} below 0.95.");
    }

    [Fact]
    public void Turned_off_the_value_graphs_are_dropped_stay_off_after_a_reopen_and_searches_scan()
    {
        string[] labels = Far(2);
        BuildValueGraphs(labels);
        Assert.NotNull(_docs.Engine.StateForTests.ValueGraphs(0, "label"));

        _docs.UpdateOptions(_docs.Schema.Hnsw with { ValueGraphs = false });

        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels);
        Assert.Equal(1.0, recall);
        Assert.Equal(SearchPath.Exact, Assert.Single(paths.Keys));
        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label")); // not asked for again

        _db.Dispose();
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.GetCollection("docs");
        Assert.False(_docs.Schema.Hnsw.ValueGraphs);
        Run(labels, queries: 3);
        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
    }

    /// <summary>The hits (ids and scores) of a few far searches, to compare a collection with itself after a reopen.</summary>
    private List<(ulong Id, float Score)> FarHits(string[] labels)
    {
        var random = new Random(6);
        var hits = new List<(ulong, float)>();
        for (int q = 0; q < 10; q++)
        {
            hits.AddRange(_docs.Search(Query(random), new SearchOptions { TopK = TopK, Ef = 32, Filter = LabelFilter(labels), IncludePayload = false })
                .Select(h => (h.Id.AsNumber, h.Score)));
            Assert.Equal(SearchPath.ValueGraphs, SearchPlanner.LastPath);
        }
        return hits;
    }

    private string ValueGraphFilePath => Directory.EnumerateFiles(_temp.CollectionDirectory("docs"), "*.valuegraphs.vlvg").Single();

    private ListLogger Reopen(bool readOnly = false)
    {
        _db.Dispose();
        var log = new ListLogger();
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, Logger = log, ReadOnly = readOnly });
        _docs = _db.GetCollection("docs");
        return log;
    }

    [Fact]
    public void A_checkpoint_saves_the_value_graphs_and_a_reopen_walks_them_without_building_them_again()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        // The namespace graphs too: a second tenant of 2,100 rows (ids above the label rows) makes the namespace field worth asking for.
        var random = new Random(50);
        _docs.UpsertMany([.. Enumerable.Range(0, PerCluster).Select(i =>
            new Record(500_000UL + (ulong)i, _centers[i % Clusters].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n).ToArray()) { Namespace = "t" })]);
        _docs.Engine.StateForTests.RequestValueGraphs(0, ValueGraphField.Namespaces);
        _docs.WaitForIndexing();
        _docs.Compact();
        List<(ulong Id, float Score)> before = FarHits(labels);
        ValueGraphStats built = _docs.GetStats().ValueGraphs.Single(g => g.Field == "label");
        Assert.Equal(new ValueGraphStats("default", "label", 4, 8_400, 0, built.MemoryBytes, "built"), built);
        Assert.True(built.MemoryBytes > 0);

        ListLogger log = Reopen();
        Assert.Equal(built with { Origin = "loaded" }, _docs.GetStats().ValueGraphs.Single(g => g.Field == "label"));
        Assert.Equal((2, 10_500L), _docs.GetStats().ValueGraphs.Where(g => g.Field == ValueGraphField.Namespaces).Select(g => (g.Graphs, g.Nodes)).Single());

        // Installed by the open, before any search asked: without the file neither field exists until one does.
        ValueGraphField field = _docs.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.NotNull(field);
        Assert.Equal(Clusters, field.GraphCount);
        Assert.Equal(Clusters * PerCluster + PerCluster, field.CoveredRows);
        ValueGraphField namespaces = _docs.Engine.StateForTests.ValueGraphs(0, ValueGraphField.Namespaces)!;
        Assert.NotNull(namespaces);
        Assert.Equal(2, namespaces.GraphCount); // the default namespace and "t", each of at least 2,048 rows
        Assert.Equal(before, FarHits(labels)); // the same graphs: the same hits, score for score
        Assert.DoesNotContain(log.Entries, e => e.EventId == 42);

        // Rows written after the checkpoint lie past the marks: scanned exactly at once, then inserted by the builder.
        float[] near = Query(new Random(77));
        _docs.UpsertMany([.. Enumerable.Range(0, 3).Select(i => Put(100_000UL + (ulong)i, [.. near.Select(x => x + (0.01f * i))], labels[0]))]);
        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002]);
        _docs.WaitForIndexing();
        Assert.Equal(Clusters * PerCluster + PerCluster + 3, _docs.Engine.StateForTests.ValueGraphs(0, "label")!.CoveredRows);
        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002]);
        Assert.True(Database.Verify(_temp.Path).IsIntact);
    }

    [Fact]
    public void A_damaged_value_graphs_file_is_logged_reported_by_verify_and_the_collection_opens_without_it()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        _docs.Compact();
        _db.Dispose();
        string path = ValueGraphFilePath;
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10; // inside a graph's links: only the checksums can tell
        File.WriteAllBytes(path, bytes);

        VerifyReport report = Database.Verify(_temp.Path);
        VerifyFinding finding = Assert.Single(report.Findings);
        Assert.Equal(path, finding.FilePath);
        Assert.Equal(VerifiedFileKind.ValueGraphs, report.Collections.Single().Files.Single(f => f.Path == path).Kind);

        ListLogger log = Reopen();

        Assert.Contains(log.Entries, e => e.EventId == 42 && e.Message.Contains("checksum", StringComparison.Ordinal));
        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
        (double recall, Dictionary<SearchPath, int> paths) = Run(labels, queries: 3);
        Assert.Equal(1.0, recall); // answered exactly, and the graphs asked for again
        Assert.Equal(SearchPath.Exact, Assert.Single(paths.Keys));
        _docs.WaitForIndexing();
        Assert.Equal(Clusters, _docs.Engine.StateForTests.ValueGraphs(0, "label")!.GraphCount);
    }

    [Fact]
    public void A_missing_value_graphs_file_does_not_stop_an_open_a_read_only_open_or_a_backup()
    {
        // As after a build that predates value graphs opened the collection: it ignores the manifest's "valueGraphFile"
        // and deletes the file as a leftover.
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        _docs.Compact();
        _db.Dispose();
        File.Delete(ValueGraphFilePath);

        ListLogger log = Reopen(readOnly: true);
        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
        Assert.Contains(log.Entries, e => e.EventId == 42);
        Assert.Equal(1.0, Run(labels, queries: 3).Recall);

        Reopen();
        Assert.Null(_docs.Engine.StateForTests.ValueGraphs(0, "label"));
        string target = Path.Combine(_temp.Path + "-backup");
        try
        {
            _db.Backup(target);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(target, "collections", "docs"), "*.valuegraphs.vlvg"));
        }
        finally
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
        Assert.Equal(1.0, Run(labels, queries: 3).Recall);
    }

    [Fact]
    public async Task Rows_logged_after_the_checkpoint_are_added_to_the_saved_value_graphs_after_a_reopen_with_no_write()
    {
        string[] labels = Far(1);
        BuildValueGraphs(labels);
        _docs.Compact();
        float[] near = Query(new Random(77));
        _docs.UpsertMany([.. Enumerable.Range(0, 3).Select(i => Put(100_000UL + (ulong)i, [.. near.Select(x => x + (0.01f * i))], labels[0]))]);

        Reopen(); // the three rows are replayed from the log, past the saved marks

        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002]);
        // No write and no WaitForIndexing (which would start the builder itself): the open must have woken it.
        int total = Clusters * PerCluster + 3;
        await Task.Run(async () =>
        {
            while (_docs.Engine.StateForTests.ValueGraphs(0, "label")!.CoveredRows < total)
            {
                await Task.Delay(20);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException when the builder never runs
        AssertNewRowsFirst(labels, [100_000, 100_001, 100_002]);
    }

    /// <summary>
    /// A collection "big": a value "large" of 7,000 rows beside "small" of 1,000 (16-d, the fixture's clusters), the
    /// label's value graphs built, then 40% of "large" deleted (above TombstoneRebuildPercent, 30): the next compaction
    /// drops its graph.
    /// </summary>
    /// <summary>Label searches for "large" reach recall 0.95 against a brute force over <paramref name="rows"/>.</summary>
    private void AssertLargeValueRecall(Collection big, Dictionary<ulong, (string Label, float[] Vector)> rows, int seed)
    {
        var queries = new Random(seed);
        int found = 0, wanted = 0;
        for (int q = 0; q < Queries; q++)
        {
            float[] query = [.. _centers[q % Clusters].Zip(TestData.RandomVector(queries, Dimension), (c, n) => c + n)];
            List<ulong> expected = [.. rows.Where(r => r.Value.Label == "large").OrderBy(r => Distance(r.Value.Vector, query)).ThenBy(r => r.Key).Take(TopK).Select(r => r.Key)];
            List<ulong> actual = [.. big.Search(query, new SearchOptions { TopK = TopK, Ef = 32, Filter = Filter.Eq("label", "large"), IncludePayload = false }).Select(h => h.Id.AsNumber)];
            found += actual.Intersect(expected).Count();
            wanted += expected.Count;
        }
        Assert.True(found >= 0.95 * wanted, $"Recall {(double)found / wanted:0.000} below 0.95.");
    }

    private (Collection Big, Dictionary<ulong, (string Label, float[] Vector)> Rows) LargeValueWithFortyPercentDeleted()
    {
        Collection big = _db.CreateCollection("big", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 64, MinIndexedVectors = 1, MaxInsertThreads = 2 }));
        big.CreatePayloadIndex("label", PayloadIndexKind.Keyword);
        var random = new Random(60);
        var rows = new Dictionary<ulong, (string Label, float[] Vector)>();
        for (int i = 0; i < 8_000; i++)
        {
            string label = i < 7_000 ? "large" : "small";
            rows[(ulong)i] = (label, [.. _centers[i % Clusters].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)]);
        }
        big.UpsertMany([.. rows.Select(r => new Record(r.Key, r.Value.Vector, new JsonObject { ["label"] = r.Value.Label }))]);
        big.Engine.StateForTests.RequestValueGraphs(0, "label");
        big.WaitForIndexing();
        Assert.Equal(1, big.Engine.StateForTests.ValueGraphs(0, "label")!.GraphCount); // "small" is below 2,048 rows

        foreach (ulong id in rows.Keys.Where(id => id < 7_000 && id % 5 < 2).ToList())
        {
            big.Delete(id);
            rows.Remove(id);
        }
        return (big, rows);
    }

    [Fact]
    public void A_value_graph_whose_dead_nodes_reach_the_rebuild_share_is_built_again_in_steps_and_saved_whole()
    {
        // One large value (7,000 rows) beside a small one: 40% of the large one deleted, above TombstoneRebuildPercent
        // (30): the compaction drops its graph and the builder builds it again from the 4,200 live rows, at most 2,048
        // per pass.
        (Collection big, Dictionary<ulong, (string Label, float[] Vector)> rows) = LargeValueWithFortyPercentDeleted();
        var progress = new List<(int Graphs, int WaitingFrom, int Rebuilding)>();
        big.Engine.ValueGraphPassForTests = () =>
        {
            ValueGraphField now = big.Engine.StateForTests.ValueGraphs(0, "label")!;
            progress.Add((now.GraphCount, now.WaitingFrom, now.Rebuilding));
        };
        big.Compact();
        big.WaitForIndexing();
        big.Engine.ValueGraphPassForTests = null;

        // After the compaction the large value's 4,200 live rows are rows 0 to 4,199 (the small value's 1,000 follow, to
        // the mark 5,200). Passes: 2,048 rows inserted, nothing published, rows from 2,048 waiting; then 4,096; then the
        // last 104 and the graph published (waiting from the mark).
        Assert.Equal([(0, 2_048, 1), (0, 4_096, 1), (1, 5_200, 0)], progress);
        ValueGraphStats stats = big.GetStats().ValueGraphs.Single();
        Assert.Equal(("label", 1, 4_200L, 0L, "remapped", 0, 0L), (stats.Field, stats.Graphs, stats.Nodes, stats.DeadNodes, stats.Origin, stats.Rebuilding, stats.WaitingRows));
        ValueGraphField field = big.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.True(field.TryGet("large", out VectLite.Indexing.HnswGraph? graph));
        Assert.Equal((4_200, 0), (graph!.Count, graph.DeadCount)); // built afresh: no dead node
        Assert.Equal(5_200, field.CoveredRows);

        // Walked again, with the recall of a fresh graph; and saved whole by the next checkpoint.
        AssertLargeValueRecall(big, rows, seed: 61);
        big.Upsert(new Record(900_000UL, new float[Dimension], new JsonObject { ["label"] = "small" }));
        big.Compact();
        _db.Dispose();
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Assert.True(_db.GetCollection("big").Engine.StateForTests.ValueGraphs(0, "label")!.TryGet("large", out graph));
        Assert.Equal((4_200, 0), (graph!.Count, graph.DeadCount));
        _docs = _db.GetCollection("docs");
    }

    [Fact]
    public async Task A_compaction_during_a_rebuild_starts_the_build_again_in_the_new_numbering()
    {
        (Collection big, Dictionary<ulong, (string Label, float[] Vector)> rows) = LargeValueWithFortyPercentDeleted();
        // The builder makes one step of the large value's rebuild (2,048 of its 4,200 live rows inserted, nothing
        // published) and then stops between passes: the gate closes once a pass has seen the rebuild under way.
        bool stepped = false;
        big.Engine.ValueGraphPassForTests = () => Volatile.Write(ref stepped, big.Engine.StateForTests.ValueGraphs(0, "label")!.Rebuilding == 1);
        big.Engine.ValueGraphPassGateForTests = () => !Volatile.Read(ref stepped);
        big.Compact(); // drops the large value's graph (40% dead)
        await Task.Run(async () =>
        {
            while (!Volatile.Read(ref stepped))
            {
                await Task.Delay(10);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));
        ValueGraphField during = big.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.Equal((0, 1, 2_048), (during.GraphCount, during.Rebuilding, during.WaitingFrom));

        // A third of the large value's live rows deleted and compacted away while its graph is half built: the rows
        // are renumbered, so the half-built graph cannot go on; the build starts again over the 2,800 left.
        foreach (ulong id in rows.Keys.Where(id => id < 7_000 && id % 5 == 2).ToList())
        {
            big.Delete(id);
            rows.Remove(id);
        }
        VectLite.Records.CollectionState before = big.Engine.StateForTests;
        big.Compact();
        Assert.NotSame(before, big.Engine.StateForTests); // compacted
        Assert.Equal(0, big.Engine.StateForTests.ValueGraphs(0, "label")!.GraphCount);
        big.Engine.ValueGraphPassForTests = null;
        big.Engine.ValueGraphPassGateForTests = null;
        big.WaitForIndexing();

        ValueGraphField field = big.Engine.StateForTests.ValueGraphs(0, "label")!;
        Assert.True(field.TryGet("large", out VectLite.Indexing.HnswGraph? graph), "The large value's graph was not built again.");
        Assert.Equal((2_800, 0), (graph!.Count, graph.DeadCount));
        Assert.Equal((0, 3_800), (field.Rebuilding, field.CoveredRows));
        AssertLargeValueRecall(big, rows, seed: 62);
    }

    [Fact]
    public async Task A_value_whose_graph_was_being_built_at_the_checkpoint_is_built_after_a_reopen()
    {
        (Collection big, _) = LargeValueWithFortyPercentDeleted();
        // One step of the rebuild (2,048 rows inserted, the value unpublished), then the builder stops between passes.
        bool stepped = false;
        big.Engine.ValueGraphPassForTests = () => Volatile.Write(ref stepped, big.Engine.StateForTests.ValueGraphs(0, "label")!.Rebuilding == 1);
        big.Engine.ValueGraphPassGateForTests = () => !Volatile.Read(ref stepped);
        big.Compact(); // drops the large value's graph
        await Task.Run(async () =>
        {
            while (!Volatile.Read(ref stepped))
            {
                await Task.Delay(10);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));
        big.Compact(); // nothing dead: no compaction; the file saves the label's field, its mark at every row, without a graph for "large"
        Assert.Equal((0, 1), (big.GetStats().ValueGraphs.Single().Graphs, big.GetStats().ValueGraphs.Single().Rebuilding));
        big.Engine.ValueGraphPassForTests = null;
        big.Engine.ValueGraphPassGateForTests = null;
        _db.Dispose();
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.GetCollection("docs");
        big = _db.GetCollection("big");

        // No write and no WaitForIndexing (which would start the builder): the open must have woken it to look.
        await Task.Run(async () =>
        {
            while (big.GetStats().ValueGraphs.Single().Graphs == 0)
            {
                await Task.Delay(20);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException when nothing builds the value's graph
        Assert.True(big.Engine.StateForTests.ValueGraphs(0, "label")!.TryGet("large", out VectLite.Indexing.HnswGraph? graph));
        Assert.Equal((4_200, 0), (graph!.Count, graph.DeadCount));
    }
}
