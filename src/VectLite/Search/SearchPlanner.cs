using VectLite.Filtering;
using VectLite.Indexing;
using VectLite.Records;

namespace VectLite.Search;

/// <summary>How a search runs: an exact scan, or a graph walk of one kind.</summary>
internal enum SearchPath
{
    /// <summary>Score every row that passes (the set bits of the row set, or every row with a test).</summary>
    Exact,

    /// <summary>A graph walk that scores every neighbour and keeps the ones that pass (<see cref="HnswFilterWalk.Through"/>).</summary>
    GraphThrough,

    /// <summary>A graph walk that scores only passing nodes, looking two hops out (<see cref="HnswFilterWalk.TwoHop"/>).</summary>
    GraphTwoHop,

    /// <summary>
    /// A walk over passing nodes only, from seeds (<see cref="HnswFilterWalk.Passing"/>): never planned, taken by a
    /// planned walk whose probe finds that the filter avoids the query's neighbourhood; forcible for tests and calibration.
    /// </summary>
    GraphPassing,

    /// <summary>
    /// The value graphs of a keyword condition the filter implies, or of the search's namespace
    /// (<see cref="ValueGraphSearch"/>): planned for a selective search when cheaper, and taken by a planned walk whose
    /// probe finds that the filter avoids the query's neighbourhood, once the graphs are built.
    /// </summary>
    ValueGraphs,
}

/// <summary>
/// A planned search: the path, the walk's budget in level-0 distances (int.MaxValue: none), the estimated pass rate (1
/// without conditions, and for a forced walk: no neighbourhood probe), the level-0 distances the planner's formulas
/// predicted for a planned walk (0 otherwise: nothing for the cost model to compare) and the cost model's band.
/// </summary>
internal readonly record struct PlannedSearch(SearchPath Path, int Budget, double PassRate, double PredictedDistances, SearchCostModel.Band Band);

/// <summary>
/// Turns a search's filter and namespace into a row test (with a row set when the payload indexes or the namespace
/// can give one) and chooses the cheaper of an exact scan and a filtered graph walk, by a cost model in scanned rows
/// whose prices the searches measure.
/// </summary>
/// <remarks>
/// <para><b>Row set.</b> When the payload indexes answer the filter (see <see cref="PayloadIndexSet.TryMark"/>) their
/// rows become a <see cref="RowBitset"/>, built once per query without sorting (a filter searched again at the same row
/// count reuses the set the indexes kept for it, see <see cref="RowSetCache"/>); when they answer it exactly, no payload
/// is read at all. A namespace holding less than <see cref="NamespaceSetShare"/> of the rows contributes its rows too
/// (intersected), so a small tenant is planned like a small collection. Otherwise the namespace is a 4-byte compare per
/// row, and a filter no index answers is evaluated per row, its verdicts cached for the query on a two-hop walk.</para>
/// <para><b>Estimate.</b> The passing rows: the set's population (exact), times the pass rate of a sample of the set's
/// rows when the payload must still be evaluated; with no set, the pass rate of <see cref="SampleSize"/> evenly spaced
/// rows times the row count.</para>
/// <para><b>Cost model</b>, in scanned rows (one distance of the exact scan). An exact scan costs one unit per passing
/// row (<see cref="ScanCostPerRow"/>; with no row set, also a row test per row, <see cref="TestCostPerRow"/>). A graph
/// walk costs its level-0 distances times the cost of one, and its distances are modelled from counts measured on
/// Fashion-MNIST (60,000 x 784, M 16): an unfiltered walk scores <see cref="UnfilteredDistancesAtEf10"/> x
/// (ef / 10)^<see cref="EfExponent"/> (scaled by ln rows); a walk through rejected nodes
/// (<see cref="SearchPath.GraphThrough"/>) that times pass rate^-<see cref="ThroughPassExponent"/>; a two-hop walk
/// (<see cref="SearchPath.GraphTwoHop"/>) <see cref="TwoHopFactor"/> x pass rate^<see cref="TwoHopPassExponent"/> times
/// it, offered only below <see cref="ThroughPassRate"/> and while its two-hop reach holds (<see cref="MinTwoHopReach"/>).
/// With deferred indexing, every walk also pays for the exact scan of the rows the graph does not hold yet (a row test
/// each, a distance for each that passes), so a large tail tips the plan to the scan. The cheapest runs. A two-hop walk
/// that still ends with fewer than k rows is followed by the exact scan.</para>
/// <para><b>Measured costs.</b> The searches time themselves (<see cref="SearchCostModel"/>, one per named vector of a
/// collection): the time per scanned row, the time per graph distance of each walk, and the ratio of the distances each
/// walk computed to what the formulas above predicted, per pass-rate and ef band. Once a path's cells rest on
/// <see cref="SearchCostModel.MinObservations"/> searches, a distance costs the measured walk time over the measured scan
/// time (instead of <see cref="GraphDistanceCost"/>, 2.4, measured once on 784-d vectors) and the predicted distances are
/// multiplied by the measured ratio (instead of 1). Until then the constants are the defaults. One plan in
/// <see cref="SearchCostModel.ExploreEvery"/> may take the runner-up path to keep a losing path's estimate fresh.</para>
/// <para><b>At run time</b> a planned walk first probes the query's neighbourhood (HnswGraph.SearchFiltered): when
/// the rows there pass far less often than the estimated pass rate, the filter avoids the query (anti-correlated) and
/// the exact scan answers at once, or the value graphs when the filter's keyword values have them.</para>
/// <para><b>Value graphs.</b> Below <see cref="ThroughPassRate"/>, a search confined to a keyword condition's values or
/// to one namespace whose value graphs are built is also priced as their walks (<see cref="ValueGraphSearch.TryPrice"/>:
/// an unfiltered walk's distances on each value's rows, at <see cref="GraphDistanceCost"/>, plus the rows scanned
/// exactly) and takes them when that is cheapest; such a search asks for them when they are missing.
/// <see cref="LastPlannedPath"/> says which path was planned, <see cref="LastPath"/> which answered.</para>
/// </remarks>
internal static class SearchPlanner
{
    /// <summary>Rows sampled to estimate a pass rate that no row set gives.</summary>
    public const int SampleSize = 512;

    /// <summary>The interleaved rounds <see cref="SampleSize"/> rows are tested in (see <see cref="SampleRows"/>).</summary>
    internal const int SampleRounds = 4;

    /// <summary>The passing rows a sample needs before it may stop early (see <see cref="SampleRows"/>).</summary>
    internal const int SampleStopPasses = 32;

    /// <summary>
    /// At or above this sampled pass rate, a filter the typed columns answer is tested per visited row and no row set
    /// is built (building one costs a write per passing row; at 50% of 60,000 rows that is 30,000 per query).
    /// </summary>
    public const double SetlessPassRate = 0.125;

    /// <summary>A namespace holding less than this share of the rows is turned into a row set.</summary>
    public const double NamespaceSetShare = 0.5;

    /// <summary>At or above this pass rate a filtered walk goes through rejected nodes; below it, around them (measured crossover, see docs/tuning.md).</summary>
    public const double ThroughPassRate = 0.35;

    /// <summary>
    /// The passing nodes two hops out of a node, (2M)^2 x pass rate, must be at least this many for a two-hop walk to
    /// keep its recall: below it the walk loses its way (measured with M 16: recall plateaus at 0.95 at a 2% pass rate
    /// and 0.54 at 1%, whatever the ef), and the planner scans instead.
    /// </summary>
    public const double MinTwoHopReach = 40;

    /// <summary>Cost of one distance in an exact scan (sequential rows, the hardware prefetcher helps): the unit.</summary>
    public const double ScanCostPerRow = 1.0;

    /// <summary>Cost of the row test of a scan without a row set (deletion mark, namespace; no distance), in scan distances.</summary>
    public const double TestCostPerRow = 0.02;

    /// <summary>
    /// Cost of one graph distance, in exact-scan distances: random access and the walk's bookkeeping (measured 0.6 us
    /// against 0.26 us on 784-d Fashion-MNIST). The default: the collection's <see cref="SearchCostModel"/> replaces it
    /// with its measured ratio once it has enough observations.
    /// </summary>
    public const double GraphDistanceCost = 2.4;

    /// <summary>
    /// Level-0 distances of an unfiltered walk at ef 10 on 60,000 rows (measured: 152; grows with ln rows). This and the
    /// exponents and factors below are the formulas' defaults: the <see cref="SearchCostModel"/> multiplies what they
    /// predict by the ratio it measured for the path, pass rate and ef once it has enough observations.
    /// </summary>
    public const double UnfilteredDistancesAtEf10 = 150;

    /// <summary>How an unfiltered walk's distances grow with ef: (ef / 10)^0.68 (measured from ef 10 to 320).</summary>
    public const double EfExponent = 0.68;

    /// <summary>How a walk through rejected nodes grows as the pass rate p falls: p^-0.68 (measured from 50% to 1%).</summary>
    public const double ThroughPassExponent = 0.68;

    /// <summary>A two-hop walk scores 5.5 x p^0.77 times an unfiltered walk's distances (measured from 20% to 5%): only passing nodes.</summary>
    public const double TwoHopFactor = 5.5;

    /// <summary>The exponent of the pass rate in <see cref="TwoHopFactor"/>'s rule.</summary>
    public const double TwoHopPassExponent = 0.77;

    /// <summary>The share of the exact scan's cost a filtered walk may spend before it gives way to the scan.</summary>
    public const double BudgetShare = 0.5;

    /// <summary>
    /// A search whose row set holds at most this many rows is planned as the exact scan without pricing any walk (as
    /// Qdrant's full_scan_threshold, which is far larger): the scan costs at most 128 scanned rows and is exact, and the
    /// cheapest walk the formulas price, on the smallest graph (128 rows, two levels: a descent of about 16 distances)
    /// at the smallest ef (10: about 50 level-0 distances), is about 66 distances at 2.4 scanned rows each, 158. Only
    /// measured walk costs far below the default, or a value graph of a few live nodes among its dead ones (whose walk
    /// still follows them all), could price a walk lower; the scan then costs at most a few microseconds more.
    /// </summary>
    public const int TinySetRows = 128;

    /// <summary>The smallest distance budget of a filtered walk, so an estimate that is too low never starves it.</summary>
    public const int MinBudget = 256;

    /// <summary>For the benchmark's calibration only: when set, a search on this thread that could use the graph takes this path.</summary>
    [ThreadStatic]
    internal static SearchPath? ForcedPath;

    /// <summary>For the benchmark's calibration: the level-0 distances the last graph search on this thread computed.</summary>
    [ThreadStatic]
    internal static int LastGraphDistances;

    /// <summary>
    /// For tests and the benchmark: the path that answered the last search on this thread (a graph walk whose budget ran
    /// out, or a two-hop or passing walk that found fewer than k rows, is followed by the scan and reports
    /// <see cref="SearchPath.Exact"/>).
    /// </summary>
    [ThreadStatic]
    internal static SearchPath LastPath;

    /// <summary>
    /// For tests and the benchmark: the path the planner chose for the last search on this thread (before any fallback:
    /// <see cref="LastPath"/> says which path answered).
    /// </summary>
    [ThreadStatic]
    internal static SearchPath LastPlannedPath;

    /// <summary>
    /// Plans one search: sets up <paramref name="filter"/>'s row set and verdict cache and returns the path, its budget,
    /// the estimated pass rate and what the cost model needs to learn from the search. <paramref name="graph"/> null (or
    /// <paramref name="forceExact"/>) plans a scan. <paramref name="indexedRows"/> is the rows the graph holds (deferred
    /// indexing: the rest, the tail, is scanned exactly after any walk, which the cost of a walk includes).
    /// <paramref name="model"/> is the named vector's measured costs (null: the defaults).
    /// </summary>
    public static PlannedSearch Plan(CollectionState state, Snapshot snapshot, HnswGraph? graph, Filter? payloadFilter, int namespaceId,
        ref VisibleRowFilter filter, int wanted, int ef, bool forceExact, int indexedRows, SearchCostModel? model, ValueGraphSource? values = null, int ordinal = 0)
    {
        PlannedSearch plan = PlanCore(state, snapshot, graph, payloadFilter, namespaceId, ref filter, wanted, ef, forceExact, indexedRows, model, values, ordinal);
        LastPlannedPath = plan.Path;
        return plan;
    }

    private static PlannedSearch PlanCore(CollectionState state, Snapshot snapshot, HnswGraph? graph, Filter? payloadFilter, int namespaceId,
        ref VisibleRowFilter filter, int wanted, int ef, bool forceExact, int indexedRows, SearchCostModel? model, ValueGraphSource? values, int ordinal)
    {
        int rows = snapshot.RowCount;
        SearchCostModel.Band band = default; // no filter: pass band 0 (a scan's band has no ef)
        if (rows == 0)
        {
            return new PlannedSearch(SearchPath.Exact, int.MaxValue, 1, 0, band);
        }

        if (!filter.HasConditions)
        {
            // Not priced: a search without conditions walks the graph whenever there is one (the plain search).
            return new PlannedSearch(graph is null || forceExact ? SearchPath.Exact : ForcedPath ?? SearchPath.GraphThrough, int.MaxValue, 1, 0, band);
        }

        RowSample sample = BuildRowSet(state, snapshot, payloadFilter, namespaceId, ref filter);
        double passing = Estimate(snapshot, ref filter, sample, out int setRows);
        double passRate = Math.Min(1, passing / rows);
        band = SearchCostModel.Band.Of(passRate, ef);

        // In scanned rows: the unit of every cost below.
        double exactCost = (passing * ScanCostPerRow) + (filter.RowSet is null ? rows * TestCostPerRow : 0);
        if (ForcedPath is { } forced && graph is not null && !forceExact)
        {
            if (forced != SearchPath.Exact)
            {
                filter.CacheVerdicts();
            }
            // Forced means forced: no neighbourhood probe may switch the walk (pass rate 1), and nothing predicted, so
            // the cost model does not learn from a walk the planner did not choose.
            return new PlannedSearch(forced, Budget(exactCost, SearchPlanner.GraphDistanceCost), 1, 0, band);
        }
        if (graph is null || forceExact || passing <= wanted || setRows <= TinySetRows)
        {
            // A row set this small is scanned unpriced: no walk can cost meaningfully less, and pricing the walks (the
            // value graphs' lookups among them) was 4-6% of such a search's time (docs/tuning.md).
            return new PlannedSearch(SearchPath.Exact, int.MaxValue, passRate, 0, band);
        }

        // The walk covers the graph's rows; the rows the deferred indexer has not reached (the tail) are scanned exactly
        // after it, whichever walk runs: a row test each, and a distance for each that passes.
        int graphRows = Math.Clamp(indexedRows, 1, rows);
        double tailCost = (rows - graphRows) * ((passRate * ScanCostPerRow) + TestCostPerRow);
        double unfiltered = UnfilteredDistances(Math.Max(ef, wanted), graphRows);
        double throughDistances = unfiltered * Math.Pow(passRate, -ThroughPassExponent);
        Priced through = Price(model, SearchPath.GraphThrough, band, throughDistances, tailCost);
        int m0 = 2 * state.HnswParameters.M;
        bool twoHopHolds = (double)m0 * m0 * passRate >= MinTwoHopReach;
        Priced twoHop = twoHopHolds && passRate < ThroughPassRate
            ? Price(model, SearchPath.GraphTwoHop, band, unfiltered * TwoHopFactor * Math.Pow(passRate, TwoHopPassExponent), tailCost)
            : new Priced(SearchPath.GraphTwoHop, double.PositiveInfinity, GraphDistanceCost, false, 0);
        var exact = new Priced(SearchPath.Exact, exactCost, 1, false, 0);

        Priced chosen = exact.Cost <= Math.Min(through.Cost, twoHop.Cost) ? exact : through.Cost <= twoHop.Cost ? through : twoHop;
        if (values is { } source && passRate < ThroughPassRate
            && ValueGraphSearch.TryPrice(state, ordinal, source, rows, passRate, Math.Max(ef, wanted), out double valueDistances, out double valueScanned)
            && (GraphDistanceCost * valueDistances) + valueScanned < chosen.Cost)
        {
            // A selective search whose values (keywords, or its namespace) have their own graphs: walking them costs about
            // an unfiltered walk of the values' rows, whatever the filter's correlation with the query.
            return new PlannedSearch(SearchPath.ValueGraphs, int.MaxValue, passRate, 0, band);
        }
        if (model is not null && model.NextPlanExplores())
        {
            // Now and then the cheapest other path runs instead, when the model's measurements (not the defaults) made it
            // lose and it is predicted within ExploreWithin of the winner: its estimate would otherwise never be
            // refreshed (SearchCostModel's remarks).
            Priced other = chosen.Path == SearchPath.Exact ? (through.Cost <= twoHop.Cost ? through : twoHop)
                : chosen.Path == SearchPath.GraphThrough ? (exact.Cost <= twoHop.Cost ? exact : twoHop)
                : (exact.Cost <= through.Cost ? exact : through);
            if ((chosen.Measured || other.Measured) && other.Cost <= SearchCostModel.ExploreWithin * chosen.Cost)
            {
                chosen = other;
            }
        }

        if (chosen.Path == SearchPath.Exact)
        {
            return new PlannedSearch(SearchPath.Exact, int.MaxValue, passRate, 0, band);
        }

        // A walk that scores more than half of what the exact scan would cost is stopped and the scan runs instead: it
        // bounds the price of a filter that avoids the query's neighbourhood (the walk wanders through rejected nodes)
        // at about 1.5 scans. Walks that keep their way use far less (at 10%, 135 to 623 of a 1,250 budget). The two-hop
        // walk's neighbourhood probe tests up to 288 rows the walk meets again: verdicts are cached either way.
        filter.CacheVerdicts();
        return new PlannedSearch(chosen.Path, Budget(exactCost, chosen.DistanceCost), passRate, chosen.Distances, band);
    }

    /// <summary>
    /// The level-0 distances an unfiltered walk at <paramref name="ef"/> computes on a graph of <paramref name="graphRows"/>
    /// rows: <see cref="UnfilteredDistancesAtEf10"/> x (ef / 10)^<see cref="EfExponent"/>, scaled by ln rows.
    /// </summary>
    internal static double UnfilteredDistances(int ef, int graphRows) =>
        UnfilteredDistancesAtEf10 * Math.Pow(ef / 10.0, EfExponent) * Math.Log(Math.Max(graphRows, 3)) / LnCalibrationRows;

    /// <summary>ln 60,000: the constants were measured on a graph of 60,000 rows.</summary>
    private static readonly double LnCalibrationRows = Math.Log(60_000);

    /// <summary>A path's predicted cost in scanned rows, its cost per graph distance, whether measurements gave either, and its predicted distances.</summary>
    private readonly record struct Priced(SearchPath Path, double Cost, double DistanceCost, bool Measured, double Distances);

    /// <summary>
    /// A walk's cost in scanned rows: the formula's distances, times the distance ratio the model measured for the path
    /// in this band, times the cost of a distance (measured, or <see cref="GraphDistanceCost"/>), plus the tail's scan.
    /// </summary>
    private static Priced Price(SearchCostModel? model, SearchPath path, SearchCostModel.Band band, double distances, double tailCost)
    {
        if (model is null)
        {
            return new Priced(path, (GraphDistanceCost * distances) + tailCost, GraphDistanceCost, false, distances);
        }
        (double distanceCost, bool costMeasured) = model.DistanceCost(path, band);
        (double ratio, bool ratioMeasured) = model.DistanceRatio(path, band);
        return new Priced(path, (distanceCost * distances * ratio) + tailCost, distanceCost, costMeasured || ratioMeasured, distances);
    }

    /// <summary>The walk's budget in graph distances: <see cref="BudgetShare"/> of the exact scan's cost, at least <see cref="MinBudget"/>.</summary>
    private static int Budget(double exactCost, double distanceCost) =>
        (int)Math.Min(int.MaxValue, Math.Max(MinBudget, BudgetShare * exactCost / distanceCost));

    /// <summary>
    /// Gives <paramref name="filter"/> the rows the payload indexes and the namespace allow, when they narrow anything.
    /// Returns the sample of evenly spaced rows it took to decide that no set is worth building (the estimate reuses it:
    /// the same rows, the same filter), else <see cref="RowSample.None"/>.
    /// </summary>
    private static RowSample BuildRowSet(CollectionState state, Snapshot snapshot, Filter? payloadFilter, int namespaceId, ref VisibleRowFilter filter)
    {
        int rows = snapshot.RowCount;
        bool loneNamespace = namespaceId >= 0 && state.Namespaces.Count == 1; // every row is in it (ids only grow)
        bool smallNamespace = namespaceId >= 0 && !loneNamespace && state.NamespaceRows(namespaceId).Count < rows * NamespaceSetShare;
        if (loneNamespace)
        {
            filter.SkipNamespaceCheck();
        }

        RowBitset? set = null;
        bool exact = false;
        bool shared = false;
        if (payloadFilter is not null && state.Indexes.TryGetShared(payloadFilter, rows, out set, out exact))
        {
            // A filter searched again at this row count: its set was built (the sample below chose one) and kept, so
            // neither the sample nor the build runs again.
            shared = true;
            if (!exact && state.Indexes.TryCompile(payloadFilter) is { } keptColumns)
            {
                filter.UseColumns(keptColumns);
            }
        }
        else if (payloadFilter is not null)
        {
            if (state.Indexes.TryCompile(payloadFilter) is { } columns)
            {
                // The typed columns test a row in O(1) without JSON. When many rows pass, testing the rows a walk visits
                // is cheaper than building a set of every passing row; the set is built when few pass (the scan or the
                // two-hop walk wants it, and it costs little then), and when the filter repeats: the cache keeps the set
                // built on its second miss, and a bit test beats a column test (a set of 60,000 rows is 7.5 KB that stays
                // in cache; the column's values and states, 540 KB, do not beside the vectors: at a 50% filter on
                // Fashion-MNIST the column tests were 9% of a search's time).
                filter.UseColumns(columns);
                if (!smallNamespace)
                {
                    RowSample sample = SampleRows(ref filter, rows, stopAbove: SetlessPassRate);
                    if (sample.Passes >= SetlessPassRate * sample.Size && !state.Indexes.RepeatsMiss(payloadFilter, rows))
                    {
                        return sample;
                    }
                }
            }

            state.Indexes.TryMarkShared(payloadFilter, rows, out set, out exact, out shared);
        }

        bool coversNamespace = loneNamespace;
        if (namespaceId >= 0 && !loneNamespace && NamespaceSet(state, namespaceId, rows, smallNamespace, out bool namespaceShared) is { } inNamespace)
        {
            if (set is not null)
            {
                // An owned set takes the intersection: a shared set is never changed.
                RowBitset both = inNamespace;
                if (namespaceShared)
                {
                    both = RowBitset.Rent(rows);
                    both.UnionWith(inNamespace);
                }
                both.IntersectWith(set);
                if (!shared)
                {
                    RowBitset.Return(set);
                }
                set = both;
                shared = false;
            }
            else
            {
                set = inNamespace;
                shared = namespaceShared;
            }
            coversNamespace = true;
        }

        if (set is not null)
        {
            filter.UseRowSet(set, exact || payloadFilter is null, coversNamespace, shared);
        }
        return RowSample.None;
    }

    /// <summary>
    /// The rows of namespace <paramref name="namespaceId"/> below <paramref name="rows"/> as a set, or null when testing
    /// each visited row's namespace is cheaper: a namespace of at least <see cref="NamespaceSetShare"/> of the rows searched
    /// once (its set would be a write per row). A namespace searched again has its set kept
    /// (<see cref="CollectionState.NamespaceSets"/>, on its second miss, as a repeated filter's), whatever its size: a bit
    /// test is cheaper than reading the row's namespace from a 4-byte-per-row array that does not stay in cache beside
    /// the vectors. <paramref name="shared"/>: the set is the cache's (read only, never given back).
    /// </summary>
    private static RowBitset? NamespaceSet(CollectionState state, int namespaceId, int rows, bool small, out bool shared)
    {
        PostingList members = state.NamespaceRows(namespaceId);
        RowSetCache cache = state.NamespaceSets;
        if (cache.TryGet(members, rows, out RowBitset? kept, out _))
        {
            shared = true;
            return kept;
        }

        shared = false;
        if (!small && !cache.NoteMiss(members, rows))
        {
            return null;
        }

        RowBitset set = RowBitset.Rent(rows);
        members.CopyBelow(rows, new BitsetSink(set));
        shared = cache.Offer(members, rows, set, exact: true);
        return set;
    }

    /// <summary>
    /// Tests up to <see cref="SampleSize"/> (at most the row count) evenly spaced rows with <paramref name="filter"/>:
    /// evenly spaced, not the first n, because ids and payloads often correlate with insertion order. The rows are taken in
    /// <see cref="SampleRounds"/> interleaved rounds, each itself evenly spaced; after a round, the sampling stops when at
    /// least <see cref="SampleStopPasses"/> rows passed and the pass rate so far is at least twice
    /// <paramref name="stopAbove"/>, or when it is at most half of it (0: never stops early). A filter most rows pass, or
    /// few, is then told from one near the threshold in a quarter of the tests: those tests were the largest share of a
    /// 50% filter's per-query cost on Fashion-MNIST, more than the walk's own, and a selective filter gets its row set
    /// (whose count is the estimate) without them. Near the threshold both answers cost about the same, which is what
    /// makes it the threshold, so a rare wrong call there costs little.
    /// </summary>
    internal static RowSample SampleRows<TFilter>(ref TFilter filter, int rows, double stopAbove)
        where TFilter : struct, IRowFilter
    {
        int size = Math.Min(SampleSize, rows);
        double step = (double)rows / size;
        int passes = 0, tested = 0;
        for (int round = 0; round < SampleRounds; round++)
        {
            for (int i = round; i < size; i += SampleRounds)
            {
                tested++;
                if (filter.Accept((int)(i * step)))
                {
                    passes++;
                }
            }
            if (stopAbove > 0 && ((passes >= SampleStopPasses && passes >= 2 * stopAbove * tested) || passes <= stopAbove / 2 * tested))
            {
                break;
            }
        }
        return new RowSample(passes, tested);
    }

    /// <summary>
    /// The estimated number of rows that pass. <paramref name="sample"/> is the sample the row set decision took
    /// (the filter has not changed since), or <see cref="RowSample.None"/>. <paramref name="setRows"/>: the row set's
    /// members (the rows a scan tests), <see cref="int.MaxValue"/> without one.
    /// </summary>
    private static double Estimate(Snapshot snapshot, ref VisibleRowFilter filter, RowSample sample, out int setRows)
    {
        RowBitset? set = filter.RowSet;
        setRows = int.MaxValue;
        if (set is not null)
        {
            int members = set.Count();
            setRows = members;
            if (!filter.EvaluatesPayloads || members == 0)
            {
                return members;
            }

            // Sample the set's members evenly: walk the set bits in SampleSize strides of the row range.
            int sampled = 0, passed = 0;
            double stride = (double)set.RowCount / SampleSize;
            for (int i = 0; i < SampleSize; i++)
            {
                int row = set.NextAtOrAfter((int)(i * stride));
                if (row < 0)
                {
                    break;
                }
                sampled++;
                if (filter.Accept(row))
                {
                    passed++;
                }
            }
            return sampled == 0 ? members : members * Math.Max(passed, 0.5) / sampled;
        }

        int rows = snapshot.RowCount;
        if (sample.Size == 0)
        {
            sample = SampleRows(ref filter, rows, stopAbove: 0);
        }
        return rows * Math.Max(sample.Passes, 0.5) / sample.Size; // never 0: an unlucky sample must not claim "nothing passes"
    }

    /// <summary>Rows tested by <see cref="SampleRows"/> and how many passed; <see cref="None"/> when no sample was taken.</summary>
    internal readonly record struct RowSample(int Passes, int Size)
    {
        public static RowSample None => default;
    }
}
