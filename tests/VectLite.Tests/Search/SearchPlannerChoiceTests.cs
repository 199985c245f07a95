using System.Text.Json.Nodes;
using VectLite.Filtering;
using VectLite.Records;
using VectLite.Search;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Search;

/// <summary>
/// The planner's choice of path, called directly (<see cref="SearchPlanner.Plan"/>) on one collection built once for
/// the class, so every plan is checked whole: its path, its walk budget, its estimated pass rate and the distances it
/// predicted. No search runs, so nothing is learned between plans (a model is passed in, or none: the defaults) and
/// nothing depends on timing. These pin what the engine-level tests (<c>Engine/SearchCostModelTests</c>,
/// <c>FilteredSearchTests</c>, <c>PlannerDeferredTailTests</c>) leave loose: exact estimates, budgets, the tail's
/// price, the two-hop walk's reach at its bound, a forced path against an exact search, and the exploration of the
/// runner-up path.
/// </summary>
/// <remarks>
/// <para>The collection: 4,096 rows of 8 dimensions, all in the graph (M 16), payload <c>n</c> (the row, numeric
/// index) and <c>u</c> (the row, no index). The planner samples 512 evenly spaced rows (every 8th), in 4 rounds of 128
/// (the first round is rows 0, 32, 64, ...). Namespaces: "small" holds the 64 rows i % 64 = 9 (1.6%), "half" the 2,048
/// rows whose bit 3 is 0 (exactly half, so not "under half": no namespace row set; every 8th row alternates in and out
/// of it, so the sample says 2,048), the default namespace the rest. So, worked by hand:</para>
/// <para><c>n &lt; 2048</c>: the first round has 64 passes of 128; at least 32 and at least twice 12.5%, so the sample
/// stops there, no row set is built (50% is above 12.5%) and the estimate is 4,096 x 64 / 128 = 2,048 (p = 0.5).
/// <c>n &lt; 2000</c>: 63 of the first 128 (rows 0 to 1,984), 4,096 x 63 / 128 = 2,016 (the full sample would say
/// 250 of 512, 2,000: the first round's sample is the one reused). <c>u &lt; 2000</c>: no index, so no early stop: 250 of
/// 512, 2,000. <c>n &lt; 160</c>: 5 of the first 128 (rows 0 to 128), at most half of 12.5%, so it stops and a row set
/// is built; its 160 members are the estimate (p = 160 / 4,096 = 0.0390625). <c>n &lt; 256 and u &lt; 128</c>: a set
/// of 256, then its members sampled (every 8th row: rows 0 to 248, 32 of them) against <c>u</c>: 16 pass, so
/// 256 x 16 / 32 = 128 (p = 0.03125).</para>
/// <para>The costs, in scanned rows (the planner's remarks): the scan costs the passing rows, plus 0.02 a row without a
/// row set (2,048 + 81.92 = 2,129.92 at 50%). An unfiltered walk at ef 32 on 4,096 rows is modelled at
/// D = 150 x 3.2^0.68 x ln 4,096 / ln 60,000 = 250.106 distances; through rejected nodes at p = 0.5, D x 0.5^-0.68 =
/// 400.705; two hops at p = 0.0390625, D x 5.5 x p^0.77 = 113.277, offered only when (2M)^2 p = 1,024 p &gt;= 40, which
/// holds at 160 rows (exactly 40) and not at 159. The defaults price a distance at 2.4 scanned rows. A walk's budget
/// is half the scan's cost over the cost of a distance, at least 256.</para>
/// <para>Each expectation was checked against its mutant by hand (docs/testing.md, "The search planner's path choice").</para>
/// </remarks>
public sealed class SearchPlannerChoiceTests : IClassFixture<SearchPlannerChoiceTests.PlannerCollection>
{
    private const int Rows = 4096;
    private const int Ef = 32;
    private const int TopK = 10;
    private const double ScanTicks = 10_000; // ticks per scanned row in the models built here: only ratios matter (large, so a walk can cost a millionth of it)

    private readonly PlannerCollection _collection;

    public SearchPlannerChoiceTests(PlannerCollection collection) => _collection = collection;

    /// <summary>The collection every test plans on, built once (its graph is all the planner needs of it).</summary>
    public sealed class PlannerCollection : IDisposable
    {
        private readonly TempDatabase _temp = new();
        private readonly Database _db;

        public PlannerCollection()
        {
            _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            Docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2)
                .WithHnsw(new HnswOptions { M = 16, EfConstruction = 16, MinIndexedVectors = 1 }));
            Docs.CreatePayloadIndex("n", PayloadIndexKind.Numeric);
            var random = new Random(11);
            Docs.UpsertMany([.. Enumerable.Range(0, Rows).Select(i =>
                new Record((ulong)i, TestData.RandomVector(random, 8), new JsonObject { ["n"] = i, ["u"] = i })
                {
                    Namespace = i % 64 == 9 ? "small" : ((i >> 3) & 1) == 0 ? "half" : "",
                })]);
            Assert.True(Docs.GetStats().VectorIndexes[0].Indexed);
        }

        public Collection Docs { get; }

        public void Dispose()
        {
            _db.Dispose();
            _temp.Dispose();
        }
    }

    private PlannedSearch Plan(Filter? filter, SearchCostModel? model = null, bool exact = false, int indexedRows = Rows, bool withGraph = true, int k = TopK, string? ns = null, bool repeated = false)
    {
        CollectionState state = _collection.Docs.Engine.StateForTests;
        Snapshot snapshot = state.Published;
        Assert.Equal(Rows, snapshot.RowCount);
        int nsId = ns is null ? -1 : state.Namespaces.Find(ns); // -1: every namespace
        Assert.True(ns is null || nsId >= 0);
        if (!repeated)
        {
            state.Indexes.ClearRowSetsForTests(); // every plan is a filter's (and a namespace's) first: no set kept from an earlier plan
            state.NamespaceSets.ClearForTests();
        }
        var rowFilter = new VisibleRowFilter(state, snapshot, DateTime.UtcNow.Ticks, nsId, filter);
        try
        {
            return SearchPlanner.Plan(state, snapshot, withGraph ? state.Graph(0) : null, filter, nsId, ref rowFilter, k, Ef, exact, indexedRows, model);
        }
        finally
        {
            rowFilter.Release();
        }
    }

    private static readonly SearchCostModel.Band Half = SearchCostModel.Band.Of(0.5, Ef);

    /// <summary>A model whose scan costs <see cref="ScanTicks"/> a row and whose <paramref name="path"/> walk costs <paramref name="perDistance"/> scanned rows a distance and computes <paramref name="ratio"/> times its predicted distances, in <paramref name="band"/> (16 observations each: trusted). Not frozen: it counts plans and explores.</summary>
    private static SearchCostModel Measured(SearchPath path, double perDistance, double ratio, SearchCostModel.Band band)
    {
        var model = new SearchCostModel();
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            model.RecordScan(band, ticks: (long)(ScanTicks * 100), rows: 100);
            model.RecordWalk(path, band, walkTicks: (long)(ScanTicks * perDistance * 1000), distances: 1000, predicted: 1000 / ratio, fallbackTicks: 0);
        }
        return model;
    }

    [Fact]
    public void Estimates_are_the_row_sets_count_or_the_sample_the_row_set_decision_took()
    {
        Assert.Equal(0.5, Plan(Filter.Lt("n", 2048)).PassRate);
        Assert.Equal(2016.0 / Rows, Plan(Filter.Lt("n", 2000)).PassRate);  // the first round's sample, reused
        Assert.Equal(2000.0 / Rows, Plan(Filter.Lt("u", 2000)).PassRate);  // no index: every row of the sample
        Assert.Equal(160.0 / Rows, Plan(Filter.Lt("n", 160)).PassRate);    // the row set's members
        Assert.Equal(128.0 / Rows, Plan(Filter.Lt("n", 256) & Filter.Lt("u", 128)).PassRate); // the set's members, sampled
        Assert.Equal(64.0 / Rows, Plan(Filter.Lt("n", 256) & Filter.Lt("u", 64)).PassRate);   // 8 of the 32: 256 x 8 / 32
    }

    [Fact]
    public void A_namespace_under_half_the_rows_becomes_a_row_set_and_one_of_half_is_tested_per_row()
    {
        Assert.Equal(64.0 / Rows, Plan(null, ns: "small").PassRate);                    // its 64 rows, counted
        Assert.Equal(32.0 / Rows, Plan(Filter.Lt("n", 2048), ns: "small").PassRate);    // intersected with the filter's set
        Assert.Equal(1984.0 / Rows, Plan(null, ns: "").PassRate);                       // the default namespace (id 0): 1,984 rows, a set
        // "half": no set. The sample says 2,048 and the scan is priced with a row test a row: 2,129.92, budget 443 (as a set
        // it would cost 2,048, budget 426).
        PlannedSearch half = Plan(null, ns: "half");
        Assert.Equal((SearchPath.GraphThrough, 0.5, 443), (half.Path, half.PassRate, half.Budget));
        Assert.Equal(400.705, half.PredictedDistances, 0.001);
    }

    [Fact]
    public void With_the_defaults_a_half_filter_is_walked_through_with_its_predicted_distances_and_budget()
    {
        PlannedSearch plan = Plan(Filter.Lt("n", 2048));
        Assert.Equal(SearchPath.GraphThrough, plan.Path);
        Assert.Equal(400.705, plan.PredictedDistances, 0.001);
        Assert.Equal(443, plan.Budget);            // 2,129.92 / 2 / 2.4 = 443.7
        Assert.Equal(Half, plan.Band);

        // No row set at 2,016 passing either: 2,016 + 81.92 = 2,097.92, budget 437.07.
        Assert.Equal(437, Plan(Filter.Lt("n", 2000)).Budget);
    }

    [Fact]
    public void A_half_filter_planned_again_gets_its_row_set_kept_and_its_scan_priced_without_row_tests()
    {
        // First plan: no set (the sample stops at 50%), the scan priced with a row test a row: 2,129.92, budget 443.
        // Second: the filter repeats, so its set is built and kept: 2,048 members, the scan 2,048, budget 2,048 / 2 /
        // 2.4 = 426.7. Third: the kept set, found in the cache.
        long hits = RowSetCache.HitsOnThisThreadForTests;
        PlannedSearch first = Plan(Filter.Lt("n", 2048));
        Assert.Equal((SearchPath.GraphThrough, 0.5, 443), (first.Path, first.PassRate, first.Budget));
        PlannedSearch second = Plan(Filter.Lt("n", 2048), repeated: true);
        Assert.Equal((SearchPath.GraphThrough, 0.5, 426), (second.Path, second.PassRate, second.Budget));
        Assert.Equal(hits, RowSetCache.HitsOnThisThreadForTests);
        PlannedSearch third = Plan(Filter.Lt("n", 2048), repeated: true);
        Assert.Equal((SearchPath.GraphThrough, 0.5, 426), (third.Path, third.PassRate, third.Budget));
        Assert.Equal(hits + 1, RowSetCache.HitsOnThisThreadForTests);
        Assert.Equal(400.705, third.PredictedDistances, 0.001);
    }

    [Fact]
    public void A_half_namespace_searched_again_gets_its_row_set_kept()
    {
        // As the half filter: first tested per row (2,129.92, budget 443), then its 2,048 rows as a kept set (budget 426).
        long hits = RowSetCache.HitsOnThisThreadForTests;
        PlannedSearch first = Plan(null, ns: "half");
        Assert.Equal((SearchPath.GraphThrough, 0.5, 443), (first.Path, first.PassRate, first.Budget));
        PlannedSearch second = Plan(null, ns: "half", repeated: true);
        Assert.Equal((SearchPath.GraphThrough, 0.5, 426), (second.Path, second.PassRate, second.Budget));
        PlannedSearch third = Plan(null, ns: "half", repeated: true);
        Assert.Equal((SearchPath.GraphThrough, 0.5, 426), (third.Path, third.PassRate, third.Budget));
        Assert.Equal(hits + 1, RowSetCache.HitsOnThisThreadForTests);

        // A small namespace's set is kept on its second search too, and a filter's set intersected with it is the
        // search's own: 32 rows (the small namespace's rows below 2,048), whichever set is shared.
        Assert.Equal(64.0 / Rows, Plan(null, ns: "small").PassRate);
        Assert.Equal(64.0 / Rows, Plan(null, ns: "small", repeated: true).PassRate);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(32.0 / Rows, Plan(Filter.Lt("n", 2048), ns: "small", repeated: true).PassRate);
        }
        Assert.Equal(64.0 / Rows, Plan(null, ns: "small", repeated: true).PassRate);
        Assert.Equal(hits + 1 + 5, RowSetCache.HitsOnThisThreadForTests);
    }

    [Theory]
    [InlineData(1024, "exact", 0)]           // walk 2.4 x 333.92 + tail 3,072 x 0.52 = 2,398.85 > 2,129.92
    [InlineData(1536, "exact", 0)]           // 2.4 x 353.45 + 2,560 x 0.52 = 2,179.49 > 2,129.92 (a row test less: 2,077.09)
    [InlineData(2048, "through", 367.313)]   // 2.4 x 367.31 + 2,048 x 0.52 = 1,946.51 < 2,129.92
    [InlineData(Rows, "through", 400.705)]
    public void The_tail_the_graph_does_not_hold_is_priced_into_every_walk(int indexedRows, string path, double predicted)
    {
        // Without a model and with one that has measured nothing (the engine's case): the same defaults.
        foreach (SearchCostModel? model in new[] { null, new SearchCostModel() })
        {
            PlannedSearch plan = Plan(Filter.Lt("n", 2048), model, indexedRows: indexedRows);
            Assert.Equal(path == "exact" ? SearchPath.Exact : SearchPath.GraphThrough, plan.Path);
            Assert.Equal(predicted, plan.PredictedDistances, 0.001); // a walk on the graph's rows only
        }
    }

    [Fact]
    public void A_two_hop_walk_is_offered_from_exactly_forty_passing_nodes_within_two_hops()
    {
        // Two hops priced at a tenth of a scanned row a distance (113.3 x 0.1 = 11.3, far below the 160-row scan); the walk
        // through rejected nodes at the default 2.4 (5,444): the two-hop walk wins whenever it is offered.
        var band = SearchCostModel.Band.Of(160.0 / Rows, Ef);
        SearchCostModel model = Measured(SearchPath.GraphTwoHop, 0.1, 1, band);
        model.FreezeForTests(); // one plan in 64 would explore

        PlannedSearch at = Plan(Filter.Lt("n", 160), model);        // 1,024 x 160 / 4,096 = 40
        Assert.Equal(SearchPath.GraphTwoHop, at.Path);
        Assert.Equal(113.277, at.PredictedDistances, 0.001);
        Assert.InRange(at.Budget, 799, 800);                          // 160 / 2 / 0.1 (the measured 0.1 is a ratio of two logs' exponentials)
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 159), model).Path); // 39.75: not offered, and 159 < 5,468
    }

    [Fact]
    public void A_two_hop_walk_is_offered_below_a_35_percent_pass_rate_only()
    {
        // 100 rows (the sample is every row), u unindexed: u < 35 is exactly 0.35, u < 34 is 0.34. Two hops priced at a
        // hundredth of a scanned row a distance: D = 150 x 3.2^0.68 x ln 100 / ln 60,000 = 138.4, two hops 138.4 x 5.5 x
        // 0.34^0.77 = 332 distances, 3.3 rows, below the scan's 34 + 2; through rejected nodes at half a row a distance
        // (138.4 x 0.35^-0.68 x 0.5 = 141) loses to the scan (35 + 2).
        using var temp = new TempDatabase();
        using Database db = temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 16, MinIndexedVectors = 1 }));
        var random = new Random(12);
        docs.UpsertMany([.. Enumerable.Range(0, 100).Select(i => new Record((ulong)i, TestData.RandomVector(random, 8), new JsonObject { ["u"] = i }))]);
        CollectionState state = docs.Engine.StateForTests;
        Snapshot snapshot = state.Published;
        Assert.Equal(100, snapshot.IndexedRows);

        PlannedSearch PlanOn(int below)
        {
            var band = SearchCostModel.Band.Of(below / 100.0, Ef);
            SearchCostModel model = Measured(SearchPath.GraphTwoHop, 0.01, 1, band);
            for (int i = 0; i < SearchCostModel.MinObservations; i++)
            {
                model.RecordWalk(SearchPath.GraphThrough, band, walkTicks: (long)(ScanTicks * 0.5 * 1000), distances: 1000, predicted: 1000, fallbackTicks: 0);
            }
            model.FreezeForTests();
            Filter filter = Filter.Lt("u", below);
            var rowFilter = new VisibleRowFilter(state, snapshot, DateTime.UtcNow.Ticks, -1, filter);
            try
            {
                return SearchPlanner.Plan(state, snapshot, state.Graph(0), filter, -1, ref rowFilter, TopK, Ef, false, 100, model);
            }
            finally
            {
                rowFilter.Release();
            }
        }

        PlannedSearch at = PlanOn(35);
        Assert.Equal((SearchPath.Exact, 0.35), (at.Path, at.PassRate));
        PlannedSearch below = PlanOn(34);
        Assert.Equal((SearchPath.GraphTwoHop, 0.34), (below.Path, below.PassRate));
    }

    [Fact]
    public void A_row_set_of_at_most_128_rows_or_at_most_k_passing_is_scanned_however_cheap_a_walk_is()
    {
        // A walk priced at a millionth of a scanned row a distance (measured in the bands of 128, 129, 200 and 201 passing
        // rows: 5, 4, 4 and 4), far below any scan.
        var model = new SearchCostModel();
        foreach (int passing in new[] { 128, 129, 200, 201 })
        {
            var band = SearchCostModel.Band.Of((double)passing / Rows, Ef);
            for (int i = 0; i < SearchCostModel.MinObservations; i++)
            {
                model.RecordScan(band, ticks: (long)(ScanTicks * 100), rows: 100);
                model.RecordWalk(SearchPath.GraphThrough, band, walkTicks: (long)(ScanTicks * 1e-6 * 1000), distances: 1000, predicted: 1000, fallbackTicks: 0);
            }
        }
        model.FreezeForTests();
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 10), model).Path);          // 10 pass, 10 wanted
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 128), model).Path);         // a set of 128
        Assert.Equal(SearchPath.GraphThrough, Plan(Filter.Lt("n", 129), model).Path);  // 129: priced, and the walk wins
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 200), model, k: 200).Path); // 200 pass, 200 wanted
        Assert.Equal(SearchPath.GraphThrough, Plan(Filter.Lt("n", 201), model, k: 200).Path);
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 128) & Filter.Lt("u", 128), model).Path); // payloads evaluated: the set's 128 rows decide
    }

    [Fact]
    public void An_exact_search_or_a_collection_without_a_graph_is_scanned_whatever_the_filter_or_the_forced_path()
    {
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 2048), exact: true).Path);
        Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 2048), withGraph: false).Path);
        Assert.Equal(SearchPath.Exact, Plan(null, exact: true).Path);
        Assert.Equal(SearchPath.Exact, Plan(null, withGraph: false).Path);
        PlannedSearch plain = Plan(null);
        Assert.Equal((SearchPath.GraphThrough, int.MaxValue, 1.0, 0.0), (plain.Path, plain.Budget, plain.PassRate, plain.PredictedDistances));
        Assert.Equal(SearchPath.GraphThrough, SearchPlanner.LastPlannedPath);

        SearchPlanner.ForcedPath = SearchPath.GraphTwoHop;
        try
        {
            Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 2048), exact: true).Path);
            Assert.Equal(SearchPath.Exact, Plan(Filter.Lt("n", 2048), withGraph: false).Path);
            Assert.Equal(SearchPath.Exact, Plan(null, exact: true).Path);
            Assert.Equal(SearchPath.Exact, Plan(null, withGraph: false).Path);
            Assert.Equal(SearchPath.GraphTwoHop, Plan(null).Path);

            // Forced: the walk's budget at the default distance cost, whatever the model says; pass rate 1 (no probe); nothing predicted.
            PlannedSearch forced = Plan(Filter.Lt("n", 2048), Measured(SearchPath.GraphTwoHop, 0.1, 1, Half));
            Assert.Equal((SearchPath.GraphTwoHop, 443, 1.0, 0.0), (forced.Path, forced.Budget, forced.PassRate, forced.PredictedDistances));
            Assert.Equal(SearchPath.GraphTwoHop, SearchPlanner.LastPlannedPath);
        }
        finally
        {
            SearchPlanner.ForcedPath = null;
        }
    }

    [Theory]
    // Through measured at 3 scanned rows a distance and 2x its distances: 3 x 400.7 x 2 = 2,404 against the scan's 2,129.92;
    // the scan wins, the walk is measured and within 4x: every 64th plan walks, with the budget 2,129.92 / 2 / 3 = 354.
    [InlineData(2.0, "exact", "through", 354)]
    // 1x its distances: 1,202, the walk wins; the scan (unmeasured, but the walk is) is within 4x: every 64th plan scans.
    [InlineData(1.0, "through", "exact", int.MaxValue)]
    // 8x: 9,617, more than 4 x 2,129.92 = 8,519.7: never explored.
    [InlineData(8.0, "exact", "exact", int.MaxValue)]
    // Measured at 10%, not at 50%: the cost a distance carries over (the path-wide cell), the 2x ratio does not (only the
    // band's own cell counts): 3 x 400.7 x 1 = 1,202, walked; measured (its cost), so every 64th plan scans.
    [InlineData(2.0, "through", "exact", int.MaxValue, 0.1)]
    public void Every_64th_plan_takes_the_runner_up_when_measurements_priced_it_within_four_times(double ratio, string chosen, string explored, int exploredBudget, double measuredAt = 0.5)
    {
        SearchCostModel model = Measured(SearchPath.GraphThrough, 3, ratio, SearchCostModel.Band.Of(measuredAt, Ef));
        var paths = new List<SearchPath>();
        var budgets = new List<int>();
        for (int i = 0; i < 2 * SearchCostModel.ExploreEvery; i++)
        {
            PlannedSearch plan = Plan(Filter.Lt("n", 2048), model);
            paths.Add(plan.Path);
            budgets.Add(plan.Budget);
        }

        SearchPath usual = PathOf(chosen), other = PathOf(explored);
        for (int i = 0; i < paths.Count; i++)
        {
            bool explores = (i + 1) % SearchCostModel.ExploreEvery == 0;
            Assert.True(paths[i] == (explores ? other : usual), $"Plan {i + 1}: {paths[i]}");
        }
        Assert.Equal(exploredBudget, budgets[SearchCostModel.ExploreEvery - 1]);
    }

    [Theory]
    // n < 160 (the scan: 160 rows; through rejected nodes: 2,268.4 distances; two hops: 113.28), walks priced per distance:
    // two hops at 2 (226.6) and through at 100 (226,844): the scan wins and two hops (within 4x) are explored.
    [InlineData(2.0, 100.0, "exact", "two-hop")]
    // through at 0.01 (22.7), two hops at 0.5 (56.6, within 4 x 22.7 = 90.7), the scan beyond it: two hops explored.
    [InlineData(0.5, 0.01, "through", "two-hop")]
    // two hops at 0.1 (11.3), through at 0.015 (34.0, within 45.3), the scan beyond it: through explored.
    [InlineData(0.1, 0.015, "two-hop", "through")]
    public void The_runner_up_explored_is_the_cheaper_of_the_other_two_paths(double twoHopCost, double throughCost, string chosen, string explored)
    {
        var band = SearchCostModel.Band.Of(160.0 / Rows, Ef);
        SearchCostModel model = Measured(SearchPath.GraphTwoHop, twoHopCost, 1, band);
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            model.RecordWalk(SearchPath.GraphThrough, band, walkTicks: (long)(ScanTicks * throughCost * 1000), distances: 1000, predicted: 1000, fallbackTicks: 0);
        }
        for (int i = 1; i <= SearchCostModel.ExploreEvery; i++)
        {
            Assert.Equal(PathOf(i == SearchCostModel.ExploreEvery ? explored : chosen), Plan(Filter.Lt("n", 160), model).Path);
        }
    }

    [Fact]
    public void A_two_hop_walk_explores_the_scan_and_paths_priced_by_the_defaults_are_never_explored()
    {
        // Two hops at 0.4 scanned rows a distance: 45.3 against the 160-row scan (within 4x: explored); the walk through
        // rejected nodes is priced by the defaults at 5,444, out of reach.
        var band = SearchCostModel.Band.Of(160.0 / Rows, Ef);
        SearchCostModel model = Measured(SearchPath.GraphTwoHop, 0.4, 1, band);
        // Nothing measured at all: the defaults' plans, never explored.
        var fresh = new SearchCostModel();
        for (int i = 1; i <= SearchCostModel.ExploreEvery; i++)
        {
            Assert.Equal(i == SearchCostModel.ExploreEvery ? SearchPath.Exact : SearchPath.GraphTwoHop, Plan(Filter.Lt("n", 160), model).Path);
            Assert.Equal(SearchPath.GraphThrough, Plan(Filter.Lt("n", 2048), fresh).Path);
        }
    }

    private static SearchPath PathOf(string name) => name switch
    {
        "exact" => SearchPath.Exact,
        "through" => SearchPath.GraphThrough,
        _ => SearchPath.GraphTwoHop,
    };
}
