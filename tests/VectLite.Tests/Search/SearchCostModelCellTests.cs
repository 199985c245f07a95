using VectLite.Search;

namespace VectLite.Tests.Search;

/// <summary>
/// <see cref="SearchCostModel"/> on its own, without a database (the planner's use of it is
/// <c>Engine/SearchCostModelTests</c>, whose every test builds a 4,000-row collection first): what an observation is
/// and is not, how the running means move (evenly for the first 32, then with weight 1/32, each step clamped to a
/// factor 4), when a cell is trusted (16 observations), which cell answers (the band's, else the path-wide one for the
/// cost, never for the ratio), and the exploration cadence. Expected values are worked from the rules in the class's
/// remarks, with the arithmetic written out in the test.
/// </summary>
public sealed class SearchCostModelCellTests
{
    private static readonly SearchCostModel.Band Tenth = SearchCostModel.Band.Of(0.1, 10);      // pass band 3, ef band 0
    private static readonly SearchCostModel.Band Hundredth = SearchCostModel.Band.Of(0.01, 100); // pass band 6, ef band 3

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.75, 0)]
    [InlineData(0.5, 0)]
    [InlineData(0.0, 9)]
    [InlineData(-1.0, 9)]
    [InlineData(0.4999, 1)]
    [InlineData(0.2501, 1)]
    [InlineData(0.25, 2)] // -log2(1/4) = 2: each power of 2 below 1/2 opens the next band
    [InlineData(0.2499, 2)]
    [InlineData(1.0 / 512, 9)]
    [InlineData(1.0 / 4096, 9)]
    public void Pass_bands_at_their_edges(double passRate, int band) => Assert.Equal(band, SearchCostModel.PassBand(passRate));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(20, 1)]
    [InlineData(39, 1)]
    [InlineData(79, 2)]
    [InlineData(80, 3)]
    [InlineData(319, 4)]
    [InlineData(5000, 5)]
    public void Ef_bands_at_their_edges(int ef, int band) => Assert.Equal(band, SearchCostModel.EfBand(ef));

    [Fact]
    public void Empty_or_timeless_searches_and_walks_nothing_predicted_are_not_observations()
    {
        var model = new SearchCostModel();
        model.RecordScan(Tenth, ticks: 100, rows: 0.5);
        model.RecordScan(Tenth, ticks: 0, rows: 100);
        model.RecordScan(Tenth, ticks: -5, rows: 100);
        Assert.Equal(0, model.ObservedForTests(SearchPath.Exact).Count);

        model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 100, distances: 0, predicted: 10, fallbackTicks: 0);
        model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 0, distances: 10, predicted: 10, fallbackTicks: 0);
        model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 100, distances: 10, predicted: 0, fallbackTicks: 0);
        model.RecordWalk(SearchPath.GraphPassing, Tenth, walkTicks: 100, distances: 10, predicted: 10, fallbackTicks: 0);
        Assert.Throws<System.Diagnostics.UnreachableException>(() => model.ObservedForTests(SearchPath.GraphPassing));
        Assert.Equal(0, model.ObservedForTests(SearchPath.GraphThrough).Count);

        // The smallest that count: one row, one distance, one tick.
        model.RecordScan(Tenth, ticks: 7, rows: 1);
        model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1, distances: 1, predicted: 0.5, fallbackTicks: 0);
        Assert.Equal((1, 7.0), (model.ObservedForTests(SearchPath.Exact).Count, Math.Round(model.ObservedForTests(SearchPath.Exact).CostPerUnit, 9)));
        (int count, double cost, double ratio) = model.ObservedForTests(SearchPath.GraphThrough);
        Assert.Equal(1, count);
        Assert.Equal(1.0, cost, 9);
        Assert.Equal(2.0, ratio, 9); // 1 computed / 0.5 predicted
    }

    [Fact]
    public void A_frozen_model_learns_nothing_and_never_explores()
    {
        var model = new SearchCostModel();
        model.FreezeForTests();
        model.RecordScan(Tenth, ticks: 100, rows: 10);
        model.RecordWalk(SearchPath.GraphTwoHop, Tenth, walkTicks: 100, distances: 10, predicted: 10, fallbackTicks: 0);
        Assert.Equal(0, model.ObservedForTests(SearchPath.Exact).Count);
        Assert.Equal(0, model.ObservedForTests(SearchPath.GraphTwoHop).Count);
        for (int i = 0; i < 3 * SearchCostModel.ExploreEvery; i++)
        {
            Assert.False(model.NextPlanExplores());
        }
    }

    [Fact]
    public void Every_64th_plan_explores()
    {
        var model = new SearchCostModel();
        var explored = new List<int>();
        for (int plan = 1; plan <= 200; plan++)
        {
            if (model.NextPlanExplores())
            {
                explored.Add(plan);
            }
        }
        Assert.Equal([64, 128, 192], explored);
    }

    [Fact]
    public void The_first_32_observations_are_averaged_evenly_then_each_weighs_a_32nd()
    {
        var model = new SearchCostModel();

        // 16 scans at 10 ticks a row and 16 at 20, alternating (each within a factor 4 of the mean, so unclamped): the
        // geometric mean of all 32, sqrt(200) = 14.142.
        for (int i = 0; i < 16; i++)
        {
            model.RecordScan(Tenth, ticks: 1000, rows: 100);
            model.RecordScan(Tenth, ticks: 2000, rows: 100);
        }
        (int count, double cost, _) = model.ObservedForTests(SearchPath.Exact);
        Assert.Equal(32, count);
        Assert.Equal(Math.Sqrt(200), cost, 9);

        // The 33rd, at 40 (a factor 2.83 above): the log moves by a 32nd of the distance.
        model.RecordScan(Tenth, ticks: 4000, rows: 100);
        double expected = Math.Exp(Math.Log(Math.Sqrt(200)) + (Math.Log(40 / Math.Sqrt(200)) / 32));
        Assert.Equal(expected, model.ObservedForTests(SearchPath.Exact).CostPerUnit, 9);
    }

    [Fact]
    public void One_observation_moves_the_mean_by_at_most_a_factor_of_four_weighted()
    {
        // Mean 10 after one observation; the second (count 1, weight 1/2) at 1,000x and at 1/1,000x is clamped to a
        // factor 4: the mean becomes 10 x 4^(1/2) = 20, or 10 / 2 = 5. The ratio is clamped the same way.
        var up = new SearchCostModel();
        up.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1000, distances: 100, predicted: 100, fallbackTicks: 0);
        up.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1_000_000, distances: 100, predicted: 0.1, fallbackTicks: 0);
        (_, double upCost, double upRatio) = up.ObservedForTests(SearchPath.GraphThrough);
        Assert.Equal(20, upCost, 9);
        Assert.Equal(2, upRatio, 9);

        var down = new SearchCostModel();
        down.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1000, distances: 100, predicted: 100, fallbackTicks: 0);
        down.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1, distances: 100, predicted: 100_000, fallbackTicks: 0);
        (_, double downCost, double downRatio) = down.ObservedForTests(SearchPath.GraphThrough);
        Assert.Equal(5, downCost, 9);
        Assert.Equal(0.5, downRatio, 9);
    }

    [Fact]
    public void A_fallback_scan_adds_distances_at_the_walks_rate_and_a_negative_one_adds_none()
    {
        var model = new SearchCostModel();
        // 100 distances in 400 ticks, then a 200-tick scan: 100 x (1 + 200 / 400) = 150 effective, over 50 predicted = 3.
        model.RecordWalk(SearchPath.GraphTwoHop, Tenth, walkTicks: 400, distances: 100, predicted: 50, fallbackTicks: 200);
        Assert.Equal(3, model.ObservedForTests(SearchPath.GraphTwoHop).Ratio, 9);
        Assert.Equal(4, model.ObservedForTests(SearchPath.GraphTwoHop).CostPerUnit, 9);

        var negative = new SearchCostModel();
        negative.RecordWalk(SearchPath.GraphTwoHop, Tenth, walkTicks: 400, distances: 100, predicted: 50, fallbackTicks: -200);
        Assert.Equal(2, negative.ObservedForTests(SearchPath.GraphTwoHop).Ratio, 9);
    }

    [Fact]
    public void A_distance_cost_is_measured_once_walk_and_scan_have_16_observations()
    {
        var model = new SearchCostModel();
        for (int i = 0; i < SearchCostModel.MinObservations - 1; i++)
        {
            model.RecordScan(Tenth, ticks: 500, rows: 100);                                                                  // 5 a row
            model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1500, distances: 100, predicted: 200, fallbackTicks: 0); // 15 a distance, ratio 0.5
        }
        Assert.Equal((SearchPlanner.GraphDistanceCost, false), model.DistanceCost(SearchPath.GraphThrough, Tenth));
        Assert.Equal((1.0, false), model.DistanceRatio(SearchPath.GraphThrough, Tenth));

        model.RecordWalk(SearchPath.GraphThrough, Tenth, walkTicks: 1500, distances: 100, predicted: 200, fallbackTicks: 0);
        Assert.Equal((SearchPlanner.GraphDistanceCost, false), model.DistanceCost(SearchPath.GraphThrough, Tenth)); // the scan has 15

        model.RecordScan(Tenth, ticks: 500, rows: 100);
        (double cost, bool measured) = model.DistanceCost(SearchPath.GraphThrough, Tenth);
        Assert.True(measured);
        Assert.Equal(3, cost, 9); // 15 / 5
        (double ratio, bool ratioMeasured) = model.DistanceRatio(SearchPath.GraphThrough, Tenth);
        Assert.True(ratioMeasured);
        Assert.Equal(0.5, ratio, 9);
    }

    [Fact]
    public void A_band_without_enough_observations_borrows_the_paths_cost_but_not_its_ratio()
    {
        var model = new SearchCostModel();
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            // Scans: 8 ticks a row in the hundredth's pass band; 2 a row in the tenth's, half of them at ef 100, which
            // share the tenth's cell: a scan's band has no ef. (Over both bands the path-wide scan cell is about 4.)
            model.RecordScan(SearchCostModel.Band.Of(0.01, 10), ticks: 800, rows: 100);
            model.RecordScan(i % 2 == 0 ? Tenth : SearchCostModel.Band.Of(0.1, 100), ticks: 200, rows: 100);
            model.RecordWalk(SearchPath.GraphTwoHop, Tenth, walkTicks: 800, distances: 100, predicted: 25, fallbackTicks: 0); // 8, ratio 4
        }
        Assert.Equal((4.0, true), Round(model.DistanceCost(SearchPath.GraphTwoHop, Tenth)));  // 8 / 2
        Assert.Equal((4.0, true), Round(model.DistanceRatio(SearchPath.GraphTwoHop, Tenth)));

        // At ef 100 the walk's band has nothing: its cost is the path-wide 8, over the tenth's scan, 2. Its ratio is not
        // borrowed.
        Assert.Equal((4.0, true), Round(model.DistanceCost(SearchPath.GraphTwoHop, SearchCostModel.Band.Of(0.1, 100))));
        Assert.Equal((1.0, false), model.DistanceRatio(SearchPath.GraphTwoHop, SearchCostModel.Band.Of(0.1, 100)));
        // The hundredth: the path-wide walk, 8, over its own scan, 8.
        Assert.Equal((1.0, true), Round(model.DistanceCost(SearchPath.GraphTwoHop, Hundredth)));
        Assert.Equal((1.0, false), model.DistanceRatio(SearchPath.GraphTwoHop, Hundredth));
        // The other walk learned nothing.
        Assert.Equal((SearchPlanner.GraphDistanceCost, false), model.DistanceCost(SearchPath.GraphThrough, Tenth));

        // The band's own cell wins once it has enough: 16 walks in the hundredth band at 32 a distance (ratio 0.5).
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            model.RecordWalk(SearchPath.GraphTwoHop, Hundredth, walkTicks: 3200, distances: 100, predicted: 200, fallbackTicks: 0);
        }
        Assert.Equal((4.0, true), Round(model.DistanceCost(SearchPath.GraphTwoHop, Hundredth))); // 32 / 8
        Assert.Equal((0.5, true), Round(model.DistanceRatio(SearchPath.GraphTwoHop, Hundredth)));
        Assert.Equal((4.0, true), Round(model.DistanceCost(SearchPath.GraphTwoHop, Tenth)));
    }

    [Fact]
    public void Bands_out_of_range_fall_in_the_nearest_cell()
    {
        var model = new SearchCostModel();
        for (int i = 0; i < SearchCostModel.MinObservations; i++)
        {
            model.RecordWalk(SearchPath.GraphThrough, new SearchCostModel.Band(Pass: 40, Ef: 40), walkTicks: 100, distances: 100, predicted: 300, fallbackTicks: 0);
            model.RecordWalk(SearchPath.GraphThrough, new SearchCostModel.Band(Pass: -4, Ef: -4), walkTicks: 100, distances: 100, predicted: 50, fallbackTicks: 0);
        }
        Assert.Equal(1.0 / 3, model.DistanceRatio(SearchPath.GraphThrough, new SearchCostModel.Band(SearchCostModel.PassBands - 1, SearchCostModel.EfBands - 1)).Ratio, 9);
        Assert.Equal(2, model.DistanceRatio(SearchPath.GraphThrough, new SearchCostModel.Band(0, 0)).Ratio, 9);
        Assert.False(model.DistanceRatio(SearchPath.GraphThrough, new SearchCostModel.Band(SearchCostModel.PassBands - 1, 0)).Measured);
        Assert.False(model.DistanceRatio(SearchPath.GraphTwoHop, new SearchCostModel.Band(0, 0)).Measured);
    }

    [Fact]
    public void The_test_seam_sets_every_cell_of_a_path()
    {
        var model = new SearchCostModel();
        model.SetForTests(SearchPath.Exact, 2);
        model.SetForTests(SearchPath.GraphThrough, 12, ratio: 3);
        Assert.Equal((6.0, true), Round(model.DistanceCost(SearchPath.GraphThrough, Hundredth)));
        Assert.Equal((3.0, true), Round(model.DistanceRatio(SearchPath.GraphThrough, Tenth)));
        Assert.Equal((SearchCostModel.MinObservations, 2.0, 1.0), Round(model.ObservedForTests(SearchPath.Exact)));
        Assert.False(model.DistanceRatio(SearchPath.GraphTwoHop, new SearchCostModel.Band(0, 0)).Measured); // not the next path's cells

        // Frozen: it learns nothing more and never explores.
        model.RecordScan(Tenth, ticks: 1_000_000, rows: 1);
        Assert.Equal((SearchCostModel.MinObservations, 2.0, 1.0), Round(model.ObservedForTests(SearchPath.Exact)));
        for (int i = 0; i < 2 * SearchCostModel.ExploreEvery; i++)
        {
            Assert.False(model.NextPlanExplores());
        }
    }

    [Fact]
    public void Every_band_of_every_walk_has_a_cell_of_its_own()
    {
        // 16 walks in each of the 60 bands of the two-hop walk, each band with its own ratio 1 + pass / 10 + ef / 100
        // (within a factor 4 of every other, so a shared cell would average them, not clamp them away); read back, each
        // band has its own ratio, and nothing reached the other paths' cells.
        var model = new SearchCostModel();
        for (int pass = 0; pass < SearchCostModel.PassBands; pass++)
        {
            for (int ef = 0; ef < SearchCostModel.EfBands; ef++)
            {
                double ratio = 1 + (pass / 10.0) + (ef / 100.0);
                for (int i = 0; i < SearchCostModel.MinObservations; i++)
                {
                    model.RecordWalk(SearchPath.GraphTwoHop, new SearchCostModel.Band(pass, ef), walkTicks: 100, distances: 100, predicted: 100 / ratio, fallbackTicks: 0);
                }
            }
        }
        for (int pass = 0; pass < SearchCostModel.PassBands; pass++)
        {
            for (int ef = 0; ef < SearchCostModel.EfBands; ef++)
            {
                var band = new SearchCostModel.Band(pass, ef);
                Assert.Equal(1 + (pass / 10.0) + (ef / 100.0), model.DistanceRatio(SearchPath.GraphTwoHop, band).Ratio, 9);
                Assert.False(model.DistanceRatio(SearchPath.GraphThrough, band).Measured);
            }
        }
        Assert.Equal(0, model.ObservedForTests(SearchPath.GraphThrough).Count);
        Assert.Equal(0, model.ObservedForTests(SearchPath.Exact).Count);
        Assert.Equal(60 * SearchCostModel.MinObservations, model.ObservedForTests(SearchPath.GraphTwoHop).Count);
    }

    private static (double, bool) Round((double Value, bool Measured) x) => (Math.Round(x.Value, 9), x.Measured);

    private static (int, double, double) Round((int Count, double Cost, double Ratio) x) => (x.Count, Math.Round(x.Cost, 9), Math.Round(x.Ratio, 9));
}
