using System.Text.Json.Nodes;
using VectLite.Filtering;
using VectLite.Indexing.ValueGraphs;
using VectLite.Records;
using VectLite.Search;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Search;

/// <summary>
/// <see cref="ValueGraphSearch"/> and <see cref="ValueGraphSource"/> on a small, low-dimensional collection, fast enough
/// for mutation testing (docs/testing.md, "Quantized and value-graph search"): the merge of several values' walks (a row
/// in two graphs once), the exact scan of a value too small for a graph, the tail scan above the graphs' mark, the cases
/// where the graphs cannot answer, and the price the planner compares. Expected hits come from a brute force over the
/// test's own copy of the data; expected prices from literals and ratios computed here.
/// </summary>
/// <remarks>
/// Data (4-d, uniform in [-1, 1]): labels "a" and "b" of <see cref="Big"/> rows each (above
/// <see cref="ValueGraphField.MinRows"/>, so each gets a graph), <see cref="Both"/> of them labelled both, "s" of
/// <see cref="Small"/> rows (no graph: scanned), and "z" of <see cref="Others"/> rows no filter here passes. Searches
/// are forced onto the value graphs (<see cref="SearchPlanner.ForcedPath"/>) at an ef that makes a 2,100-row 4-d walk
/// exact, so any lost or doubled row is a failure, not recall noise.
/// </remarks>
public sealed class ValueGraphSearchTests : IDisposable
{
    private const int Dimension = 4;
    private const int Big = 2_100;
    private const int Both = 12;
    private const int Small = 40;
    private const int Others = 600;
    private const int TopK = 10;
    private const int Ef = 200;
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;
    private readonly Dictionary<ulong, (string[] Labels, float[] Vector)> _rows = [];
    private readonly Random _random = new(23);
    private ulong _nextId;

    public ValueGraphSearchTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 8, EfConstruction = 64, MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        _docs.CreatePayloadIndex("label", PayloadIndexKind.Keyword);
        var records = new List<Record>();
        for (int i = 0; i < Big - Both; i++)
        {
            records.Add(Put(Random(), "a"));
            records.Add(Put(Random(), "b"));
        }
        for (int i = 0; i < Both; i++)
        {
            records.Add(Put(Random(), "a", "b"));
        }
        for (int i = 0; i < Small; i++)
        {
            records.Add(Put(Random(), "s"));
        }
        for (int i = 0; i < Others; i++)
        {
            records.Add(Put(Random(), "z"));
        }
        _docs.UpsertMany(records);
    }

    public void Dispose()
    {
        SearchPlanner.ForcedPath = null;
        _db.Dispose();
        _temp.Dispose();
    }

    private float[] Random() => TestData.RandomVector(_random, Dimension);

    private Record Put(float[] vector, params string[] labels)
    {
        ulong id = _nextId++;
        _rows[id] = (labels, vector);
        JsonNode label = labels.Length == 1 ? JsonValue.Create(labels[0]) : new JsonArray([.. labels.Select(l => (JsonNode)JsonValue.Create(l))]);
        return new Record(id, vector, new JsonObject { ["label"] = label });
    }

    private static double Distance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    private CollectionState State => _docs.Engine.StateForTests;

    /// <summary>The first search of the labels asks for the field's value graphs; then the builder builds them.</summary>
    private void BuildValueGraphs()
    {
        SearchPlanner.ForcedPath = SearchPath.ValueGraphs;
        _docs.Search(Random(), Options(["a"]));
        Assert.Equal(SearchPath.Exact, SearchPlanner.LastPath); // asked for, not built: scanned
        _docs.WaitForIndexing();
        ValueGraphField field = State.ValueGraphs(0, "label")!;
        Assert.Equal(2, field.GraphCount); // "a" and "b"; "s" and "z" are too small
    }

    private static SearchOptions Options(string[] labels) =>
        new() { TopK = TopK, Ef = Ef, Filter = Filter.In("label", labels), IncludePayload = false };

    /// <summary>Searches and checks the hits are the brute force's top-k over the rows holding one of the labels, each once, with exact scores.</summary>
    private void AssertExact(float[] query, string[] labels, SearchPath path = SearchPath.ValueGraphs)
    {
        List<(ulong Id, double Distance)> expected = [.. _rows.Where(r => r.Value.Labels.Intersect(labels).Any())
            .Select(r => (r.Key, Distance(r.Value.Vector, query))).OrderBy(r => r.Item2).ThenBy(r => r.Key).Take(TopK)];
        IReadOnlyList<SearchHit> hits = _docs.Search(query, Options(labels));
        Assert.Equal(path, SearchPlanner.LastPath);
        Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.Id.AsNumber));
        for (int i = 0; i < hits.Count; i++)
        {
            Assert.Equal(-Math.Sqrt(expected[i].Distance), hits[i].Score, 1e-4);
        }
    }

    /// <summary>Queries at (or next to) the rows labelled both, the small value's rows, and anywhere.</summary>
    private IEnumerable<float[]> Queries()
    {
        foreach (var row in _rows.Values.Where(r => r.Labels.Length == 2 || r.Labels[0] == "s").Take(20))
        {
            yield return [.. row.Vector.Select(x => x + 0.001f)];
        }
        var random = new Random(5);
        for (int q = 0; q < 10; q++)
        {
            yield return TestData.RandomVector(random, Dimension);
        }
    }

    [Fact]
    public void Several_values_and_a_small_one_merge_into_the_exact_top_k_with_a_row_in_two_graphs_once()
    {
        BuildValueGraphs();
        foreach (float[] query in Queries())
        {
            AssertExact(query, ["a", "b", "s"]);
            AssertExact(query, ["b"]);
            AssertExact(query, ["s", "a"]);
        }
        // What the search reports it computed (the cost model's and the benchmark's measure): the walk of "a" is the same
        // with or without "s" beside it (every node of "a" passes both filters), and the small value adds its 40 rows.
        foreach (float[] query in Queries().Take(5))
        {
            AssertExact(query, ["a"]);
            int walk = SearchPlanner.LastGraphDistances;
            AssertExact(query, ["a", "s"]);
            Assert.True(walk >= Ef, $"A walk at ef {Ef} scores at least ef rows, not {walk}.");
            Assert.Equal(walk + Small, SearchPlanner.LastGraphDistances);
        }

        // The rows labelled both are in both graphs: a query at one finds it first, once.
        float[] both = _rows.Values.First(r => r.Labels.Length == 2).Vector;
        IReadOnlyList<SearchHit> hits = _docs.Search(both, Options(["a", "b"]));
        Assert.Equal(TopK, hits.Count);
        Assert.Equal(TopK, hits.Select(h => h.Id).Distinct().Count());
    }

    [Fact]
    public void Rows_past_the_graphs_mark_are_scanned_once_whether_or_not_the_builder_inserted_them()
    {
        BuildValueGraphs();
        _docs.Engine.ValueGraphPassGateForTests = () => false; // the builder stops between passes
        float[] query = Random();
        // New rows nearest the query, past the mark: one holding both big values, one of "a", one of the small value.
        _docs.UpsertMany([Put([.. query.Select(x => x + 0.001f)], "a", "b"), Put([.. query.Select(x => x + 0.002f)], "a"),
            Put([.. query.Select(x => x + 0.003f)], "s")]);
        Assert.True(State.ValueGraphs(0, "label")!.CoveredRows < State.Published.RowCount);
        AssertExact(query, ["a"]);
        AssertExact(query, ["a", "b", "s"]);
        AssertExact(query, ["s", "b"]);

        // Inside the next pass the graphs hold the new rows but the mark is not raised: the walks must leave them to the
        // tail scan, or they come twice.
        int checks = 0;
        _docs.Engine.ValueGraphPassForTests = () =>
        {
            SearchPlanner.ForcedPath = SearchPath.ValueGraphs; // the builder's thread: the forced path is per thread
            AssertExact(query, ["a"]);
            AssertExact(query, ["a", "b", "s"]);
            checks++;
        };
        _docs.Engine.ValueGraphPassGateForTests = null;
        _docs.Upsert(Put(Random(), "z")); // wakes the builder
        _docs.WaitForIndexing();
        _docs.Engine.ValueGraphPassForTests = null;
        Assert.True(checks >= 1, "The builder ran no pass over the new rows.");
        AssertExact(query, ["a", "b", "s"]);
    }

    [Fact]
    public void The_graphs_do_not_answer_before_they_are_built_nor_for_a_large_value_without_one_nor_for_small_values_alone()
    {
        SearchPlanner.ForcedPath = SearchPath.ValueGraphs;
        float[] query = Random();
        AssertExact(query, ["a", "b"], SearchPath.Exact); // asks for them
        _docs.WaitForIndexing();
        AssertExact(query, ["a", "b"]);
        AssertExact(query, ["s"], SearchPath.Exact); // no value with a graph: nothing to walk

        // A new value of exactly MinRows rows, the builder stopped: large enough for a graph it does not have yet.
        _docs.Engine.ValueGraphPassGateForTests = () => false;
        _docs.UpsertMany([.. Enumerable.Range(0, ValueGraphField.MinRows).Select(_ => Put(Random(), "c"))]);
        AssertExact(query, ["a", "c"], SearchPath.Exact);
        Assert.False(ValueGraphSearch.TryPrice(State, 0, Source(["a", "c"]), State.Published.RowCount, 0.1, Ef, out _, out _));
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), State.Published.RowCount, 0.1, Ef, out _, out _));
        _docs.Engine.ValueGraphPassGateForTests = null;
        _docs.Upsert(Put(Random(), "z"));
        _docs.WaitForIndexing();
        AssertExact(query, ["a", "c"]);
    }

    private ValueGraphSource Source(string[] labels)
    {
        Assert.True(State.Indexes.TryGetKeywordCondition(Filter.In("label", labels), out FieldCondition? condition));
        return ValueGraphSource.ForKeyword(State, condition)!.Value;
    }

    [Fact]
    public void The_price_is_the_graphs_walks_scaled_by_the_rows_the_rest_of_the_filter_rejects_plus_the_scanned_rows()
    {
        Assert.False(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), State.Published.RowCount, 0.1, Ef, out _, out _)); // never asked for
        BuildValueGraphs();
        int rows = State.Published.RowCount;
        Assert.Equal(2 * Big - Both + Small + Others, rows);

        // "a" and "s": the small value's rows are scanned; nothing is past the mark.
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, 0.1, Ef, out double walkA, out double scanned));
        Assert.Equal(Small, scanned, 1e-9);
        Assert.True(walkA > 0);
        // 100 rows past the mark: a row test each (0.02) and a distance for the share expected to pass (0.1).
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows + 100, 0.1, Ef, out _, out scanned));
        Assert.Equal(Small + (100 * (0.1 + 0.02)), scanned, 1e-9);

        // Two graphs of the same size cost twice one at the same share passing in them (the values hold the same rows
        // here: "a" and "b" have Big each, so the pass rate is scaled to keep that share).
        double shareInA = 0.1 * rows / (Big + Small);
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "b"]), rows, shareInA * (2 * Big) / rows, Ef, out double walkAB, out scanned));
        Assert.Equal(0, scanned, 1e-9);
        Assert.Equal(2 * walkA, walkAB, 1e-6 * walkAB);

        // The rest of the filter passing fewer of the values' rows costs more: (share)^-0.68, down to a share of 0.01.
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, 0.05, Ef, out double walkHalf, out _));
        Assert.Equal(Math.Pow(0.5, -0.68), walkHalf / walkA, 1e-9);
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, 0.001, Ef, out double walkFloor, out _));
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, 0.0001, Ef, out double walkBelow, out _));
        Assert.Equal(1, walkBelow / walkFloor, 1e-9); // shares of 0.0023 and 0.00023: both priced as 0.01
        Assert.Equal(Math.Pow(shareInA / 0.01, -0.68), walkA / walkFloor, 1e-9);
        // A pass rate whose share in the values' rows is 1 or more costs an unfiltered walk, not less.
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, (double)(Big + Small) / rows, Ef, out double walkAll, out _));
        Assert.True(ValueGraphSearch.TryPrice(State, 0, Source(["a", "s"]), rows, 1, Ef, out double walkMore, out _));
        Assert.Equal(walkAll, walkMore, 1e-9 * walkAll);
        // An unfiltered walk of a 2,100-row graph at ef 200, by the planner's formula (SearchPlanner.UnfilteredDistances:
        // 150 distances at ef 10, times (ef / 10)^0.68, times ln rows / ln 60,000), written out here.
        Assert.Equal(150 * Math.Pow(Ef / 10.0, 0.68) * Math.Log(Big) / Math.Log(60_000), walkAll, 1e-9 * walkAll);
        Assert.Equal(Math.Pow(shareInA, -0.68), walkA / walkAll, 1e-9);
    }

    [Fact]
    public void A_keyword_source_reads_the_index_and_a_namespace_source_the_namespace_rows()
    {
        ValueGraphSource keyword = Source(["s", "a"]);
        Assert.Equal("label", keyword.Field);
        Assert.Equal(2, keyword.Count);
        Assert.Equal("s", keyword.Value(0));
        Assert.Equal("a", keyword.Value(1));
        Assert.Equal(Small, keyword.RowCount(0));
        Assert.Equal(Big, keyword.RowCount(1));
        // Rows are numbered in write order here (one batch, no deletes): "s" follows the 2 x (Big - Both) + Both rows of "a" and "b".
        int firstSmall = (2 * (Big - Both)) + Both;
        var rows = new RowBuffer();
        keyword.CopyRows(0, firstSmall + 15, rows);
        Assert.Equal(Enumerable.Range(firstSmall, 15), rows.ToSortedUniqueArray());
        Assert.Null(ValueGraphSource.ForKeyword(State, (FieldCondition)Filter.Eq("unindexed", "x")));

        // One namespace holds every row (its row list is not kept): no namespace source; nor for "every namespace" (-1).
        Assert.Null(ValueGraphSource.ForNamespace(State, 0));
        _docs.UpsertMany([.. Enumerable.Range(0, 30).Select(i => new Record(100_000 + i, Random()) { Namespace = "t" })]);
        int t = State.Namespaces.Find("t");
        Assert.Null(ValueGraphSource.ForNamespace(State, -1));
        Assert.NotNull(ValueGraphSource.ForNamespace(State, 0));
        ValueGraphSource tenant = ValueGraphSource.ForNamespace(State, t)!.Value;
        Assert.Equal(ValueGraphField.Namespaces, tenant.Field);
        Assert.Equal(1, tenant.Count);
        Assert.Equal("t", tenant.Value(0));
        Assert.Equal(30, tenant.RowCount(0));
        int firstTenant = _rows.Count; // after every labelled row
        rows = new RowBuffer();
        tenant.CopyRows(0, firstTenant + 10, rows);
        Assert.Equal(Enumerable.Range(firstTenant, 10), rows.ToSortedUniqueArray());
    }
}
