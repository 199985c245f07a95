using VectLite.Indexing;
using VectLite.Search;
using VectLite.Vectors;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// A filtered search tests rows with the filter before it walks: the planner samples rows for the pass rate, and the
/// graph probes the entry's neighbourhood for a filter that avoids it. Both stop once they have enough evidence, since
/// at a 50% filter those tests cost more than the walk's own (Fashion-MNIST, 2026-12-01). The counts below are the
/// documented rules worked out by hand.
/// </summary>
public sealed class FilterTestBudgetTests
{
    [Fact]
    public void The_neighbourhood_probe_of_a_half_filter_tests_64_rows()
    {
        (int withProbe, int withoutProbe) = FilterCalls(passRate: 0.5, percent: 50);

        // 32 expected passes / 0.5 = 64 rows probed; everything else the two searches do is the same walk.
        Assert.Equal(64, withProbe - withoutProbe);
    }

    [Fact]
    public void The_neighbourhood_probe_of_a_selective_filter_tests_its_whole_sample()
    {
        (int withProbe, int withoutProbe) = FilterCalls(passRate: 0.1, percent: 10);

        // 32 / 0.1 = 320 is more than the sample holds (the entry's level-0 neighbours and the neighbours of the first 8,
        // at most 24 + 8 x 24 = 216 with M 12): every row of it is tested.
        int probed = withProbe - withoutProbe;
        Assert.InRange(probed, 100, 216);
    }

    [Theory]
    [InlineData(SearchPlanner.SetlessPassRate, 128)] // stops after its first round: 128 of 128 passed
    [InlineData(0.0, 512)] // no threshold: every row of the sample
    public void A_sample_where_every_row_passes_stops_after_its_first_round_unless_it_has_no_threshold(double stopAbove, int tested)
    {
        var filter = new CountingFilter(percent: 100);

        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows: 60_000, stopAbove);

        Assert.Equal(new SearchPlanner.RowSample(tested, tested), sample);
        Assert.Equal(tested, filter.Calls);
    }

    [Theory]
    // About 1% pass: at most half the 12.5% threshold after the first 128 rows, so a row set will be built anyway.
    [InlineData(1, 128, 0, 8)]
    // About 20% pass: below 2 x 12.5% and above half of it, so no round may stop the sample (20% of 512 is 102).
    [InlineData(20, 512, 70, 135)]
    public void A_sample_stops_early_only_well_away_from_the_threshold(int percent, int tested, int fewestPasses, int mostPasses)
    {
        var filter = new CountingFilter(percent);

        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows: 60_000, stopAbove: SearchPlanner.SetlessPassRate);

        Assert.Equal(tested, sample.Size);
        Assert.Equal(tested, filter.Calls);
        Assert.InRange(sample.Passes, fewestPasses, mostPasses);
    }

    [Fact]
    public void A_sample_at_the_threshold_tests_every_row()
    {
        // row % 1000 < 100: 16 of the first round's 128 rows pass (12.5%: neither at most half the threshold nor twice
        // it), 52 of all 512 (counted outside the engine, over row = (int)(i x 117.1875)).
        var filter = new ModuloFilter(1000, 100);

        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows: 60_000, stopAbove: SearchPlanner.SetlessPassRate);

        Assert.Equal(new SearchPlanner.RowSample(52, 512), sample);
    }

    [Fact]
    public void Each_round_of_a_sample_spans_every_row()
    {
        // Only the last three quarters pass. The first round's rows (i = 0, 4, ..., 508 of 512, row = i x 117.1875) lie
        // all over the collection, and 96 of them (i >= 128) are in the passing part: 75%, enough to stop.
        var filter = new AtLeastFilter(15_000);

        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows: 60_000, stopAbove: SearchPlanner.SetlessPassRate);

        Assert.Equal(new SearchPlanner.RowSample(96, 128), sample);
    }

    [Fact]
    public void A_small_collection_samples_each_row_once_and_stops_once_32_passed()
    {
        // 100 rows: rounds of 25 rows each; after the first 25 pass (fewer than 32), after the second 50 (enough).
        var filter = new CountingFilter(percent: 100);

        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows: 100, stopAbove: SearchPlanner.SetlessPassRate);

        Assert.Equal(new SearchPlanner.RowSample(50, 50), sample);
        Assert.Equal(50, filter.Distinct);
    }

    [Theory]
    [InlineData(128, 1, 32, 32)]  // 128 rows: rounds of 32; all pass: exactly 32 passes, at 100%: stops after the first round
    [InlineData(512, 16, 32, 128)] // 512 rows (row = i): the first round is the multiples of 4, of which every 4th passes:
                                   // 32 of 128, exactly twice the 12.5% threshold: stops there
    [InlineData(512, 64, 8, 128)]  // every 16th of the first round: 8 of 128, exactly half the threshold: stops there
    public void A_sample_stops_at_exactly_32_passes_twice_the_threshold_or_half_of_it(int rows, int divisor, int passes, int tested)
    {
        // The stop rule's three bounds are inclusive (at least 32 passes and at least twice the threshold, or at most half
        // of it): each case sits on one of them after the first round; the later rounds pass no row (i = 1, 2, 3 mod 4
        // are not multiples of 4), so a sample that went on would test more rows and find no more passes.
        var filter = new ModuloFilter(divisor, 1);
        SearchPlanner.RowSample sample = SearchPlanner.SampleRows(ref filter, rows, stopAbove: SearchPlanner.SetlessPassRate);
        Assert.Equal(new SearchPlanner.RowSample(passes, tested), sample);
    }

    /// <summary>The filter calls of one filtered search with the neighbourhood probe (at <paramref name="passRate"/>) and without it (pass rate 1).</summary>
    private static (int WithProbe, int WithoutProbe) FilterCalls(double passRate, int percent)
    {
        float[][] vectors = Clustered(seed: 73, 3000, 16);
        using VectorArena arena = Arena(vectors);
        HnswGraph graph = Build(arena, Metric.L2, vectors.Length);
        float[] query = Clustered(seed: 74, 1, 16)[0];

        var probed = new CountingFilter(percent);
        var walk = HnswFilterWalk.Through;
        int scored = graph.SearchFiltered(query, 10, 10, ref probed, new TopKHeap(10), ref walk, int.MaxValue, passRate);
        Assert.True(scored > 0, "the probe must not have called the neighbourhood avoided");

        var plain = new CountingFilter(percent);
        walk = HnswFilterWalk.Through;
        graph.SearchFiltered(query, 10, 10, ref plain, new TopKHeap(10), ref walk, int.MaxValue, passRate: 1);
        return (probed.Calls, plain.Calls);
    }

    /// <summary>Accepts the rows whose remainder by <c>divisor</c> is below <c>below</c>.</summary>
    private readonly struct ModuloFilter(int divisor, int below) : IRowFilter
    {
        public bool Accept(int row) => row % divisor < below;
    }

    /// <summary>Accepts the rows from <c>first</c> on.</summary>
    private readonly struct AtLeastFilter(int first) : IRowFilter
    {
        public bool Accept(int row) => row >= first;
    }

    /// <summary><see cref="PercentFilter"/> that counts its calls and the distinct rows it was asked about.</summary>
    private struct CountingFilter(int percent) : IRowFilter
    {
        private HashSet<int>? _rows;

        public int Calls { get; private set; }

        public readonly int Distinct => _rows?.Count ?? 0;

        public bool Accept(int row)
        {
            Calls++;
            (_rows ??= []).Add(row);
            return new PercentFilter(percent).Accept(row);
        }
    }
}
