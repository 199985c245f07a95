using System.Text.Json.Nodes;
using VectLite.Search;

namespace VectLite.Tests.Engine;

/// <summary>
/// The planner prices its paths with the costs the searches measured (<see cref="SearchCostModel"/>), set here through
/// the model's test seam so the plans are deterministic: a graph distance measured at 10x a scanned row makes a filter
/// the fixed constants would walk be scanned, one measured at 1x makes a filter they would scan be walked, and a walk
/// measured to compute 3x the distances its formula predicts is priced so. Real searches feed the model. Whatever the
/// plan, the hits pass the filter, and the exact path's are the brute force's.
/// </summary>
/// <remarks>
/// <para>The numbers, worked by hand (4,000 rows of 8 dimensions, all in the graph; ef 32; the unit is one scanned row).
/// An unfiltered walk is modelled at D = 150 x (32/10)^0.68 x ln 4,000 / ln 60,000 = 150 x 2.205 x 0.7539 = 249.4
/// level-0 distances.</para>
/// <para><c>bucket &lt; 50</c> (p about 0.5; no row set above 12.5%): the scan costs 4,000 p + 4,000 x 0.02, 1,880 to
/// 2,280 for p in 0.45..0.55; the walk through rejected nodes D x p^-0.68 = 374 to 429 distances (two hops are not offered
/// at or above p = 0.35). At the constant 2.4 per distance that is 898 to 1,030: walked. At 10x, 3,740 to 4,290: scanned.</para>
/// <para><c>bucket &lt; 8</c> (p = 0.08; a row set, so the scan costs its 320-odd members): the two-hop walk
/// D x 5.5 x 0.08^0.77 = 249.4 x 5.5 x 0.1430 = 196 distances ((2M)^2 p = 82 >= 40, so it is offered), the walk through
/// 249.4 x 0.08^-0.68 = 1,389. At 2.4 per distance: 471 and 3,334, both above 320: scanned. At 1x: 196, walked in two
/// hops. At 1x with the two-hop walk measured at 3x its formula's distances: 589: scanned again.</para>
/// </remarks>
public sealed class SearchCostModelTests : IDisposable
{
    private const int Dimension = 8;
    private const int Count = 4000;
    private const int TopK = 10;
    private const int Ef = 32;
    private const double ScanTicks = 100; // ticks per scanned row: any positive value, only ratios matter
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;
    private readonly List<(ulong Id, int Bucket, float[] Vector)> _rows = [];

    public SearchCostModelTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 100, MinIndexedVectors = 100, MaxInsertThreads = 1 }));
        _docs.CreatePayloadIndex("bucket", PayloadIndexKind.Numeric);
        var random = new Random(41);
        var records = new List<Record>();
        for (int i = 0; i < Count; i++)
        {
            float[] v = TestData.RandomVector(random, Dimension);
            int bucket = (int)((uint)(i * 2654435761u) % 100);
            _rows.Add(((ulong)i, bucket, v));
            records.Add(new Record((ulong)i, v, new JsonObject { ["bucket"] = bucket }));
        }
        _docs.UpsertMany(records);
        Assert.True(_docs.GetStats().VectorIndexes[0].Indexed);
        // The worked numbers assume these pass rates (the buckets come from a hash, so they are near, not exact).
        Assert.InRange(_rows.Count(r => r.Bucket < 50) / (double)Count, 0.47, 0.53);
        Assert.InRange(_rows.Count(r => r.Bucket < 8) / (double)Count, 0.07, 0.09);
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private SearchCostModel Model => _docs.Engine.StateForTests.CostModel(0);

    [Fact]
    public void With_nothing_measured_the_planner_prices_with_its_constants()
    {
        Model.FreezeForTests();
        Assert.Equal(SearchPath.GraphThrough, Plans(50)); // 898-1,030 against the scan's 1,880-2,280
        Assert.Equal(SearchPath.Exact, Plans(8));         // two hops 471 against the scan's 320
    }

    [Fact]
    public void A_graph_distance_measured_at_ten_scanned_rows_makes_a_filter_the_constants_walk_be_scanned()
    {
        Model.SetForTests(SearchPath.Exact, ScanTicks);
        Model.SetForTests(SearchPath.GraphThrough, 10 * ScanTicks);
        Model.SetForTests(SearchPath.GraphTwoHop, 10 * ScanTicks);
        Assert.Equal(SearchPath.Exact, Plans(50, checkExact: true)); // 3,740-4,290 against 1,880-2,280
    }

    [Fact]
    public void A_graph_distance_measured_at_one_scanned_row_makes_a_filter_the_constants_scan_be_walked()
    {
        Model.SetForTests(SearchPath.Exact, ScanTicks);
        Model.SetForTests(SearchPath.GraphThrough, ScanTicks);
        Model.SetForTests(SearchPath.GraphTwoHop, ScanTicks);
        Assert.Equal(SearchPath.GraphTwoHop, Plans(8)); // 196 against 320
    }

    [Fact]
    public void A_walk_measured_to_compute_three_times_its_predicted_distances_is_priced_so()
    {
        Model.SetForTests(SearchPath.Exact, ScanTicks);
        Model.SetForTests(SearchPath.GraphThrough, ScanTicks);
        Model.SetForTests(SearchPath.GraphTwoHop, ScanTicks, ratio: 3);
        Assert.Equal(SearchPath.Exact, Plans(8, checkExact: true)); // 589 against 320
    }

    [Fact]
    public void Filtered_searches_feed_the_model_and_a_checkpoint_keeps_it()
    {
        SearchCostModel model = Model;
        Assert.Equal(0, model.ObservedForTests(SearchPath.Exact).Count);
        Assert.Equal(0, model.ObservedForTests(SearchPath.GraphThrough).Count);

        // Nothing measured yet: bucket < 50 is walked through (the constants' plan) until the scan has been measured too,
        // and bucket < 2 (80 rows) is scanned.
        Plans(50, queries: 30);
        Plans(2, queries: 30);

        (int scans, double perRow, _) = model.ObservedForTests(SearchPath.Exact);
        (int walks, double perDistance, double ratio) = model.ObservedForTests(SearchPath.GraphThrough);
        Assert.True(scans >= 30, $"{scans} scans recorded");
        // Walked through until the walk's ratio has MinObservations (the scan is not measured yet, so the constants price it).
        Assert.True(walks >= SearchCostModel.MinObservations, $"{walks} walks recorded");
        foreach (double value in new[] { perRow, perDistance, ratio })
        {
            Assert.True(value > 0 && double.IsFinite(value), $"{value} is not a positive finite estimate");
        }

        // A checkpoint with a dead row swaps in a compacted state (without one it keeps the state): the measured costs stay.
        Assert.True(_docs.Delete(0UL));
        object before = _docs.Engine.StateForTests;
        _docs.Compact();
        Assert.NotSame(before, _docs.Engine.StateForTests);
        Assert.Same(model, Model);
        Assert.Equal(scans, Model.ObservedForTests(SearchPath.Exact).Count);
    }

    [Fact]
    public void Observations_are_averaged_robustly_and_a_fallback_scan_counts_against_the_walk()
    {
        var model = new SearchCostModel();
        var band = SearchCostModel.Band.Of(0.1, 10);
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            model.RecordScan(band, ticks: 1000, rows: 100);                                                             // 10 ticks a row
            model.RecordWalk(SearchPath.GraphTwoHop, band, walkTicks: 2000, distances: 100, predicted: 50, fallbackTicks: 2000); // out of budget
        }
        (int count, double perRow, _) = model.ObservedForTests(SearchPath.Exact);
        Assert.Equal(SearchCostModel.MinObservations, count);
        Assert.Equal(10, perRow, 6);
        (_, double perDistance, double ratio) = model.ObservedForTests(SearchPath.GraphTwoHop);
        Assert.Equal(20, perDistance, 6); // the walk's own time over its distances
        Assert.Equal(4, ratio, 6);        // (100 distances + a scan as long as the walk: 200) / 50 predicted
        (double distanceCost, bool measured) = model.DistanceCost(SearchPath.GraphTwoHop, band);
        Assert.True(measured);
        Assert.Equal(2, distanceCost, 6); // 20 ticks a distance over 10 a scanned row

        // One search 1,000x slower (a preemption) moves the estimate by at most a factor 4^(1/17).
        model.RecordScan(band, ticks: 1_000_000, rows: 100);
        Assert.InRange(model.ObservedForTests(SearchPath.Exact).CostPerUnit, 10, 10 * Math.Pow(4, 1.0 / 17) + 1e-9);
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.5, 0)]
    [InlineData(0.3, 1)]
    [InlineData(0.08, 3)]
    [InlineData(0.01, 6)]
    [InlineData(0.0001, 9)]
    public void Pass_bands_halve(double passRate, int band) => Assert.Equal(band, SearchCostModel.PassBand(passRate));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(19, 0)]
    [InlineData(20, 1)]
    [InlineData(32, 1)]
    [InlineData(40, 2)]
    [InlineData(160, 4)]
    [InlineData(320, 5)]
    [InlineData(5000, 5)]
    public void Ef_bands_double_from_ten(int ef, int band) => Assert.Equal(band, SearchCostModel.EfBand(ef));

    /// <summary>
    /// Runs <paramref name="queries"/> searches with <c>bucket &lt; limit</c>; every hit must pass, and a search the
    /// planner scanned must equal the brute force (with <paramref name="checkExact"/>, every one must have been scanned).
    /// Returns the path the planner chose, the same for every query (asserted).
    /// </summary>
    private SearchPath Plans(int limit, bool checkExact = false, int queries = 10)
    {
        var random = new Random(3);
        var planned = new HashSet<SearchPath>();
        for (int q = 0; q < queries; q++)
        {
            float[] query = TestData.RandomVector(random, Dimension);
            List<ulong> actual = [.. _docs.Search(query, new SearchOptions { TopK = TopK, Ef = Ef, Filter = Filter.Lt("bucket", limit), IncludePayload = false }).Select(h => h.Id.AsNumber)];
            planned.Add(SearchPlanner.LastPlannedPath);
            Assert.All(actual, id => Assert.True(_rows[(int)id].Bucket < limit, $"Row {id} does not pass bucket < {limit}."));
            if (SearchPlanner.LastPath == SearchPath.Exact)
            {
                List<ulong> truth = [.. _rows.Where(r => r.Bucket < limit)
                    .OrderBy(r => r.Vector.Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum()).ThenBy(r => r.Id)
                    .Take(TopK).Select(r => r.Id)];
                Assert.Equal(truth, actual);
            }
            else
            {
                Assert.False(checkExact, $"Query {q} was answered by {SearchPlanner.LastPath}, not the exact scan.");
            }
        }
        return queries <= 10 ? Assert.Single(planned) : planned.First();
    }
}
