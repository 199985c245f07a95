using System.Runtime.CompilerServices;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Indexing;

// The entry point of filtered graph searches: the same descent as HnswGraph.Search, then a look at how often the
// filter passes around the node the descent reached, which decides whether the planned walk suits this query or the
// filter avoids the query's neighbourhood (anti-correlated) and only a walk over passing nodes is cheap.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// The entry's neighbourhood is "avoided" when its pass rate is below this share of the filter's overall pass rate
    /// (an uncorrelated filter passes there at about the overall rate, a correlated one more often).
    /// </summary>
    internal const double AvoidedShare = 0.25;

    /// <summary>
    /// What <see cref="SearchFiltered"/> returns when the probe finds that the filter avoids the query's neighbourhood
    /// and no walk ran (a budget that ran out is -1): the cost model learns from a walk that ran, not from this.
    /// </summary>
    internal const int AvoidedNeighbourhood = int.MinValue;

    /// <summary>Passing nodes the descent scored, kept as seeds of a walk over passing nodes (<see cref="DescendCollecting"/>).</summary>
    private const int DescentSeeds = 16;

    /// <summary>Level-0 neighbours of the entry whose own neighbours are looked at too by the neighbourhood probe.</summary>
    private const int ProbeSecondHops = 8;

    /// <summary>
    /// The probe needs at least this many passing rows expected in its sample (sample x overall pass rate) to call a
    /// neighbourhood avoided: below it, seeing none is not evidence.
    /// </summary>
    private const double ProbeExpectedPasses = 8;

    /// <summary>
    /// The probe stops once its sample holds this many expected passing rows (sample x overall pass rate): enough to tell
    /// an avoided neighbourhood (below <see cref="AvoidedShare"/> of them pass) from an ordinary one (for independent
    /// rows, a binomial miss chance below one in a million), so at a 50% filter it tests 64 rows instead of up to 288.
    /// Measured on Fashion-MNIST at 50%: the probe's filter tests were most of the filter tests a query made.
    /// </summary>
    internal const double ProbeEnoughPasses = 32;

    /// <summary>
    /// A filtered search: descends as <see cref="Search{TFilter}(ReadOnlySpan{float}, int, int, ref TFilter, TopKHeap, HnswFilterWalk, int)"/>
    /// does, then walks level 0 the way <paramref name="walk"/> says, unless the filter avoids the query's
    /// neighbourhood, in which case it returns <see cref="AvoidedNeighbourhood"/> at once so that the caller scans exactly.
    /// </summary>
    /// <param name="query">The query, of the graph's dimension (normalised for cosine).</param>
    /// <param name="k">The number of results wanted, at least 1.</param>
    /// <param name="ef">The candidate list size (raised to k).</param>
    /// <param name="filter">Decides which rows may be results; called before scoring in the two-hop and passing walks.</param>
    /// <param name="results">Receives up to ef (score, row) pairs.</param>
    /// <param name="walk">On entry, the planned walk; on return, the walk that ran.</param>
    /// <param name="budget">The most level-0 distances the walk may compute: past it, nothing is offered and -1 returned.</param>
    /// <param name="passRate">The filter's overall pass rate (the planner's estimate); at 0 or 1 and above, no probe.</param>
    /// <returns>The level-0 distances computed, -1 when the budget ran out, or <see cref="AvoidedNeighbourhood"/> when the
    /// filter avoids the neighbourhood (no walk ran).</returns>
    /// <remarks>
    /// <para><b>How it works.</b> After the descent, the entry (the node nearest the query found above level 0) and
    /// its neighbourhood stand for the query's neighbourhood. The probe tests the filter on the entry's level-0
    /// neighbours and on the neighbours of the first <see cref="ProbeSecondHops"/> of them (up to 288 rows with M 16,
    /// fewer once <see cref="ProbeEnoughPasses"/> passing rows are expected among those tested; tests only, no
    /// distances) and compares the share that passes with <paramref name="passRate"/>. Below
    /// <see cref="AvoidedShare"/> of it the filter avoids the neighbourhood: a walk through rejected nodes would
    /// explore every rejected node nearer than the nearest passing one (at a 50% filter of the five classes farthest
    /// from the query, most of the collection), and the two-hop walk's steps through rejected regions would do the
    /// same, so the exact scan of the passing rows is cheaper than either, and exact. (The walk over passing nodes,
    /// <see cref="HnswFilterWalk.Passing"/>, is cheaper still, but measured on Fashion-MNIST its recall stops near 0.93,
    /// below what filtered search keeps: the planner never chooses it; <see cref="SearchPlanner.ForcedPath"/> can, for
    /// measurement.)</para>
    /// <para>Any thread, beside inserts; allocates nothing once the context pool is warm.</para>
    /// </remarks>
    internal int SearchFiltered<TFilter>(ReadOnlySpan<float> query, int k, int ef, ref TFilter filter, TopKHeap results, ref HnswFilterWalk walk, int budget, double passRate)
        where TFilter : struct, IRowFilter
    {
        ArgumentNullException.ThrowIfNull(results);
        if (query.Length != _dimension)
        {
            ThrowQueryLength(query.Length, _dimension);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ef);
        int size = _parameters.EffectiveEf(k, ef);
        return _metric switch
        {
            Metric.L2 => SearchFilteredCore<L2Scorer, TFilter>(query, size, ref filter, results, ref walk, budget, passRate),
            Metric.L1 => SearchFilteredCore<L1Scorer, TFilter>(query, size, ref filter, results, ref walk, budget, passRate),
            Metric.Cosine => SearchFilteredCore<CosineScorer, TFilter>(query, size, ref filter, results, ref walk, budget, passRate),
            _ => SearchFilteredCore<DotScorer, TFilter>(query, size, ref filter, results, ref walk, budget, passRate),
        };
    }

    private int SearchFilteredCore<TScorer, TFilter>(ReadOnlySpan<float> query, int ef, ref TFilter filter, TopKHeap results, ref HnswFilterWalk walk, int budget, double passRate)
        where TScorer : struct, IBoundedScorer
        where TFilter : struct, IRowFilter
    {
        long entry = Volatile.Read(ref _entry);
        if (entry == NoEntry)
        {
            return 0;
        }

        GraphView view = GetView();
        HnswSearchContext context = _contexts.Rent();
        try
        {
            int current = (int)entry;
            float currentScore = ScoreNode<TScorer>(view, query, current);
            Span<ScoredNode> seeds = stackalloc ScoredNode[DescentSeeds];
            int seedCount = 0;
            // Only the walk over passing nodes (forced: the planner never picks it) uses seeds; every other filtered search
            // descends as the plain search does, without a filter test per node scored on the way.
            (current, currentScore) = walk == HnswFilterWalk.Passing
                ? DescendCollecting<TScorer, TFilter>(view, query, current, currentScore, (int)(entry >> 32), ref filter, seeds, ref seedCount)
                : Descend<TScorer>(view, query, current, currentScore, (int)(entry >> 32), 0);
            if (walk != HnswFilterWalk.Passing && passRate > 0 && passRate < 1 && AvoidsNeighbourhood(view, current, ref filter, passRate))
            {
                // The filter avoids the query's neighbourhood: the planned walk would spend its budget (half an exact
                // scan) wandering through rejected nodes before falling back, so answer with the exact scan at once.
                // Not with the walk over passing nodes: it is cheap, but its recall stops near 0.93 (Fashion-MNIST, 50%
                // anti-correlated, whatever the ef up to 640 and the seeds up to 64), below what filtered search keeps.
                return AvoidedNeighbourhood;
            }

            int scored = walk switch
            {
                HnswFilterWalk.Through => SearchLayer<TScorer, TFilter>(context, view, query, current, currentScore, 0, ef, -1, ref filter, budget),
                HnswFilterWalk.TwoHop => SearchLayerTwoHop<TScorer, TFilter>(context, view, query, current, currentScore, ef, budget, ref filter),
                _ => SearchLayerTwoHop<TScorer, TFilter>(context, view, query, current, currentScore, ef, budget, ref filter, throughRejected: false, seeds[..seedCount]),
            };
            if (scored > budget)
            {
                return -1;
            }

            foreach (ScoredNode found in context.Results.Items)
            {
                results.Push(found.Score, view.Row(found.Node));
            }

            return scored;
        }
        finally
        {
            _contexts.Return(context);
        }
    }

    /// <summary>
    /// The greedy descent of <c>Descend</c> (the same moves, the same node reached), which also keeps the
    /// <see cref="DescentSeeds"/> best-scoring passing nodes it scored on the way in <paramref name="seeds"/>, best
    /// first. The upper levels' long links reach across the collection, so these are passing nodes in the direction of
    /// the query: the walk over passing nodes starts from them at no extra distance.
    /// </summary>
    private static (int Node, float Score) DescendCollecting<TScorer, TFilter>(in GraphView view, ReadOnlySpan<float> query, int node, float score, int fromLevel,
        ref TFilter filter, Span<ScoredNode> seeds, ref int seedCount)
        where TScorer : struct, IBoundedScorer
        where TFilter : struct, IRowFilter
    {
        int entryRow = view.Row(node);
        if (entryRow >= 0 && filter.Accept(entryRow))
        {
            OfferSeed(seeds, ref seedCount, score, node);
        }

        uint limit = (uint)view.Limit;
        for (int level = fromLevel; level > 0; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                ref int list = ref view.Links.Upper(node, level);
                int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;
                for (int j = 1; j <= count; j++)
                {
                    int neighbor = Unsafe.Add(ref list, j);
                    if ((uint)neighbor >= limit)
                    {
                        continue;
                    }

                    int row = view.Row(neighbor);
                    if (row < 0)
                    {
                        continue;
                    }

                    float s = TScorer.Score(query, view.VectorSpan(row));
                    if ((seedCount < seeds.Length || s > seeds[seedCount - 1].Score) && filter.Accept(row))
                    {
                        OfferSeed(seeds, ref seedCount, s, neighbor);
                    }

                    if (s > score)
                    {
                        score = s;
                        node = neighbor;
                        changed = true;
                    }
                }
            }
        }

        return (node, score);
    }

    /// <summary>Inserts (score, node) into the best-first list <paramref name="seeds"/> unless the node is there or the list is full of better ones.</summary>
    private static void OfferSeed(Span<ScoredNode> seeds, ref int count, float score, int node)
    {
        for (int i = 0; i < count; i++)
        {
            if (seeds[i].Node == node)
            {
                return; // a node on several levels is scored once per level
            }
        }

        int at;
        if (count == seeds.Length)
        {
            if (seeds[count - 1].Score >= score)
            {
                return;
            }
            at = count - 1; // the worst gives way
        }
        else
        {
            at = count++;
        }

        while (at > 0 && seeds[at - 1].Score < score)
        {
            seeds[at] = seeds[at - 1];
            at--;
        }

        seeds[at] = new ScoredNode(score, node);
    }

    /// <summary>
    /// True when the rows around <paramref name="entry"/> pass <paramref name="filter"/> far less often than
    /// <paramref name="passRate"/> (see <see cref="SearchFiltered"/>). Dead nodes are not counted.
    /// </summary>
    private static bool AvoidsNeighbourhood<TFilter>(in GraphView view, int entry, ref TFilter filter, double passRate)
        where TFilter : struct, IRowFilter
    {
        uint limit = (uint)view.Limit;
        int tested = 0, passed = 0;
        double enough = ProbeEnoughPasses / passRate; // a double: at a tiny pass rate it exceeds int.MaxValue
        ref int list = ref view.Links.Level0(entry);
        int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;
        for (int j = 1; j <= count && tested < enough; j++)
        {
            int neighbor = Unsafe.Add(ref list, j);
            if ((uint)neighbor >= limit)
            {
                continue;
            }

            Probe(view, neighbor, ref filter, ref tested, ref passed);
            if (j > ProbeSecondHops)
            {
                continue;
            }

            ref int list2 = ref view.Links.Level0(neighbor);
            int count2 = Volatile.Read(ref list2) & HnswLinkStore.CountMask;
            for (int i = 1; i <= count2 && tested < enough; i++)
            {
                int second = Unsafe.Add(ref list2, i);
                if ((uint)second < limit)
                {
                    Probe(view, second, ref filter, ref tested, ref passed);
                }
            }
        }

        return tested * passRate >= ProbeExpectedPasses && passed < AvoidedShare * passRate * tested;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Probe<TFilter>(in GraphView view, int node, ref TFilter filter, ref int tested, ref int passed)
        where TFilter : struct, IRowFilter
    {
        int row = view.Row(node);
        if (row < 0)
        {
            return;
        }

        tested++;
        if (filter.Accept(row))
        {
            passed++;
        }
    }
}
