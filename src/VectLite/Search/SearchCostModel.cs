using System.Diagnostics;

namespace VectLite.Search;

/// <summary>
/// What the searches on one named vector of one collection actually cost, measured by the searches themselves: the
/// time per scanned row of the exact scan, the time per level-0 distance of each graph walk, and how many distances a
/// walk really computed against what <see cref="SearchPlanner"/>'s formulas predicted. The planner prices its paths
/// with these once they rest on <see cref="MinObservations"/> searches, and with its fixed constants (measured once on
/// Fashion-MNIST) until then.
/// </summary>
/// <remarks>
/// <para><b>Why measured.</b> The constant <see cref="SearchPlanner.GraphDistanceCost"/> (a graph distance costs 2.4 scan
/// distances) holds for 784-d vectors on the machine it was measured on. In 8 dimensions a graph distance is mostly the
/// walk's bookkeeping (visited set, candidate queue) and costs many scan rows; a two-hop walk tests the filter on up to
/// 64 nodes per distance; a scan of a sparse row set reads rows at random. And the distance-count formulas (power laws
/// in the pass rate and ef) are fits that miss some regions by several times (a two-hop walk at 20% and ef 160).</para>
/// <para><b>What is kept</b>, per cell: an exponentially weighted mean (weight <see cref="Weight"/>) of the log of the
/// time per unit of work (Stopwatch ticks per scanned row, or per graph distance) and of the log of the distance ratio
/// (computed / predicted; for the scan, unused). Logs, so the mean is geometric and one slow search (a preemption on a
/// busy machine, a GC) cannot dominate; each observation is also clamped to <see cref="MaxStep"/> of the current mean,
/// so one outlier moves the estimate by at most 4.4%. Cells are keyed by path, by pass-rate band (a factor of 2 each:
/// a two-hop walk's tests per distance and a set scan's access pattern depend on it) and, for the walks, by ef band
/// (a factor of 2 each, from 10): the formulas' error differs between regimes, and one regime's error must not price
/// another. Each path also has one cell over all bands, whose time per unit stands in while a band has too few
/// observations (a time per distance carries over between regimes far better than a formula's error, which does not
/// stand in: an unmeasured band's ratio is 1).</para>
/// <para><b>A walk that runs out of budget</b> and falls back to the scan still teaches the model: its time per distance
/// is the walk's time over the budget it spent, and its ratio counts the fallback scan as extra distances (the search
/// cost walk + scan), so the planner learns that a walk there costs more than the scan and stops choosing it, instead
/// of learning "half a scan" (the budget) and choosing it again. A walk a filter's neighbourhood probe turned into a
/// scan ran no walk and teaches only the scan.</para>
/// <para><b>A path that is never chosen</b> keeps the estimate that made it lose, which can go stale when the workload
/// changes. So once every <see cref="ExploreEvery"/> plans, the planner takes the cheapest other path instead, when
/// the model's measurements (not the defaults) priced it and it is predicted within <see cref="ExploreWithin"/> of the
/// chosen one: at most 1/64 of the searches pay up to 4x, a bounded cost (under 5% on average, far less when the other
/// path is near), and a stale estimate is refreshed, one clamped step at a time. A path priced by the defaults is not
/// stale (nothing was learned) and is not explored. Exploring never changes a result's correctness: every path returns
/// passing rows, the scan exactly.</para>
/// <para><b>Threads.</b> Many searches record at once without a lock: each field is one 8-byte (atomic) write, and a
/// lost update between two racing searches drops one observation, which an average does not miss. Recording is two
/// timestamps and a few multiplications per search, without allocation.</para>
/// </remarks>
internal sealed class SearchCostModel
{
    /// <summary>Observations a cell needs before the planner uses it instead of the defaults.</summary>
    public const int MinObservations = 16;

    /// <summary>The weight of a new observation in the running mean: about the last 32 searches count.</summary>
    public const double Weight = 1.0 / 32;

    /// <summary>The most one observation may differ from the running mean, as a factor (4), before it is averaged in.</summary>
    public static readonly double MaxStep = Math.Log(4);

    /// <summary>One plan in this many may take the cheapest other path, to refresh its estimate (see remarks).</summary>
    public const int ExploreEvery = 64;

    /// <summary>The other path is explored only when predicted at most this many times the chosen path's cost.</summary>
    public const double ExploreWithin = 4;

    /// <summary>Pass-rate bands: 1 to 1/2, 1/2 to 1/4, ... the last holds every rate below 1/512 (0.2%).</summary>
    public const int PassBands = 10;

    /// <summary>ef bands: below 20, 20 to 39, 40 to 79, ... the last holds 320 and above.</summary>
    public const int EfBands = 6;

    private const int Paths = 3; // the exact scan, the walk through rejected nodes, the two-hop walk
    private const int CellsPerPath = (PassBands * EfBands) + 1; // the bands, then the path-wide cell

    private readonly Cell[] _cells = new Cell[Paths * CellsPerPath];
    private long _plans;
    private bool _frozen;

    /// <summary>One running estimate: the log of the time per unit of work and the log of the distance ratio.</summary>
    private struct Cell
    {
        public double LogCost;
        public double LogRatio;
        public int Count;
    }

    /// <summary>
    /// What a search needs to record its cost and the planner's prediction: the model, the planned path's band, and the
    /// distances the formulas predicted for a planned walk (0 when nothing was planned: a forced or unfiltered walk).
    /// </summary>
    internal readonly record struct Band(int Pass, int Ef)
    {
        /// <summary>The band of a pass rate and an ef.</summary>
        public static Band Of(double passRate, int ef) => new(PassBand(passRate), EfBand(ef));
    }

    /// <summary>The band of a pass rate: 0 for 1/2 and above, 1 below 1/2, ... (a factor of 2 each).</summary>
    public static int PassBand(double passRate) =>
        passRate >= 0.5 ? 0 : passRate <= 0 ? PassBands - 1 : Math.Min(PassBands - 1, (int)-Math.Log2(passRate));

    /// <summary>The band of an ef: 0 below 20, 1 below 40, ... (a factor of 2 each from 10).</summary>
    public static int EfBand(int ef) => ef < 20 ? 0 : Math.Min(EfBands - 1, (int)Math.Log2(ef / 10.0));

    /// <summary>
    /// The cost of one graph distance of <paramref name="path"/>, in scanned rows of the exact scan at this pass rate:
    /// measured when both the walk's and the scan's estimates rest on enough observations, else
    /// <see cref="SearchPlanner.GraphDistanceCost"/>. The second value says whether measurements gave it.
    /// </summary>
    public (double Cost, bool Measured) DistanceCost(SearchPath path, Band band)
    {
        if (TryCost(path, band, out double walk) && TryCost(SearchPath.Exact, band, out double scan))
        {
            return (walk / scan, true);
        }
        return (SearchPlanner.GraphDistanceCost, false);
    }

    /// <summary>
    /// The computed / predicted ratio of <paramref name="path"/>'s level-0 distances in this band, when enough walks
    /// measured it there; 1 (the formula as it is) until then. The second value says whether it was measured. Only the
    /// band's own cell counts: the formulas' error in one regime (a two-hop walk at 20% and ef 160) says nothing about
    /// another (the same walk at 10% and ef 10), and borrowing it would price a good walk out.
    /// </summary>
    public (double Ratio, bool Measured) DistanceRatio(SearchPath path, Band band)
    {
        ref Cell cell = ref _cells[Index(path, band)];
        return cell.Count >= MinObservations ? (Math.Exp(cell.LogRatio), true) : (1, false);
    }

    /// <summary>
    /// Counts a plan and says whether this one should explore (see remarks): every <see cref="ExploreEvery"/>-th plan of
    /// a model that is not frozen. Racing searches may count one plan twice or not at all; the cadence stays about right.
    /// </summary>
    public bool NextPlanExplores()
    {
        if (_frozen)
        {
            return false;
        }
        long plan = ++_plans;
        return plan % ExploreEvery == 0;
    }

    /// <summary>Records an exact scan: <paramref name="ticks"/> (Stopwatch) over <paramref name="rows"/> scanned-row units.</summary>
    public void RecordScan(Band band, long ticks, double rows)
    {
        if (_frozen || rows < 1 || ticks <= 0)
        {
            return; // an empty scan measures the timestamps, not the scan
        }
        double logCost = Math.Log(ticks / rows);
        Observe(ref _cells[Index(SearchPath.Exact, band with { Ef = 0 })], logCost, 0);
        Observe(ref _cells[PathWide(SearchPath.Exact)], logCost, 0);
    }

    /// <summary>
    /// Records a planned walk of <paramref name="path"/>: <paramref name="walkTicks"/> for <paramref name="distances"/>
    /// level-0 distances (the budget, for a walk that ran out of it), where the formulas predicted
    /// <paramref name="predicted"/>; <paramref name="fallbackTicks"/> is the scan that followed a walk that ran out of
    /// budget or found fewer than k rows (0: none), counted as extra distances at the walk's own rate.
    /// </summary>
    public void RecordWalk(SearchPath path, Band band, long walkTicks, int distances, double predicted, long fallbackTicks)
    {
        if (_frozen || distances < 1 || walkTicks <= 0 || predicted <= 0 || path is not (SearchPath.GraphThrough or SearchPath.GraphTwoHop))
        {
            return;
        }
        double logCost = Math.Log((double)walkTicks / distances);
        double effective = distances * (1 + ((double)Math.Max(0, fallbackTicks) / walkTicks));
        double logRatio = Math.Log(effective / predicted);
        Observe(ref _cells[Index(path, band)], logCost, logRatio);
        Observe(ref _cells[PathWide(path)], logCost, logRatio);
    }

    private static void Observe(ref Cell cell, double logCost, double logRatio)
    {
        int count = cell.Count;
        if (count == 0)
        {
            cell.LogCost = logCost;
            cell.LogRatio = logRatio;
        }
        else
        {
            // The first observations are averaged evenly (1/n), then with the fixed weight: a cell is not stuck with its
            // first, possibly cold (JIT, caches), search.
            double weight = count < 1 / Weight ? 1.0 / (count + 1) : Weight;
            cell.LogCost += weight * Math.Clamp(logCost - cell.LogCost, -MaxStep, MaxStep);
            cell.LogRatio += weight * Math.Clamp(logRatio - cell.LogRatio, -MaxStep, MaxStep);
        }
        cell.Count = count == int.MaxValue ? count : count + 1;
    }

    /// <summary>The time per unit of <paramref name="path"/> in this band (or over all bands), when measured enough.</summary>
    private bool TryCost(SearchPath path, Band band, out double cost)
    {
        ref Cell cell = ref Usable(path, band);
        cost = Math.Exp(cell.LogCost);
        return cell.Count >= MinObservations;
    }

    /// <summary>The band's cell when it has enough observations, else the path-wide cell.</summary>
    private ref Cell Usable(SearchPath path, Band band)
    {
        ref Cell cell = ref _cells[Index(path, path == SearchPath.Exact ? band with { Ef = 0 } : band)];
        return ref cell.Count >= MinObservations ? ref cell : ref _cells[PathWide(path)];
    }

    private static int PathIndex(SearchPath path) => path switch
    {
        SearchPath.Exact => 0,
        SearchPath.GraphThrough => 1,
        SearchPath.GraphTwoHop => 2,
        _ => throw new UnreachableException($"The cost model has no cell for {path}."),
    };

    private static int Index(SearchPath path, Band band) =>
        (PathIndex(path) * CellsPerPath) + (Math.Clamp(band.Pass, 0, PassBands - 1) * EfBands) + Math.Clamp(band.Ef, 0, EfBands - 1);

    private static int PathWide(SearchPath path) => (PathIndex(path) * CellsPerPath) + CellsPerPath - 1;

    // ---- The seam for tests: deterministic costs, no learning, no exploration. ----

    /// <summary>
    /// For tests: stops learning and exploring, so the planner prices every path with what the model holds now (nothing,
    /// on a fresh collection: the defaults).
    /// </summary>
    internal void FreezeForTests() => _frozen = true;

    /// <summary>
    /// For tests: sets every cell of <paramref name="path"/> to <paramref name="costPerUnit"/> (ticks per scanned row or
    /// per graph distance) and <paramref name="ratio"/> (walks), as if <see cref="MinObservations"/> searches had
    /// measured them, and freezes the model (<see cref="FreezeForTests"/>).
    /// </summary>
    internal void SetForTests(SearchPath path, double costPerUnit, double ratio = 1)
    {
        int first = PathIndex(path) * CellsPerPath;
        for (int i = first; i < first + CellsPerPath; i++)
        {
            _cells[i] = new Cell { LogCost = Math.Log(costPerUnit), LogRatio = Math.Log(ratio), Count = MinObservations };
        }
        _frozen = true;
    }

    /// <summary>For tests: the observations of <paramref name="path"/> over all bands, and their running estimates.</summary>
    internal (int Count, double CostPerUnit, double Ratio) ObservedForTests(SearchPath path)
    {
        Cell cell = _cells[PathWide(path)];
        return (cell.Count, Math.Exp(cell.LogCost), Math.Exp(cell.LogRatio));
    }
}
