using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Indexing;

// Searches: the public k-NN search, the greedy descent through the upper levels and the best-first
// layer search that both searches and inserts run (hnswlib's searchKnn, searchBaseLayer(ST)).
internal sealed partial class HnswGraph
{
    /// <summary>
    /// Finds the approximate <paramref name="k"/> nearest rows to <paramref name="query"/> among the rows
    /// <paramref name="filter"/> accepts and offers them to <paramref name="results"/> as (score, row),
    /// higher score better (the metric's <see cref="IVectorScorer"/> score, not yet a user score).
    /// </summary>
    /// <param name="query">The query vector; cosine graphs expect it at unit length (the stored vectors may have any length).</param>
    /// <param name="k">The number of results wanted; the candidate list is never shorter.</param>
    /// <param name="ef">The candidate list size; 0 uses <see cref="HnswParameters.EfSearch"/> (or the automatic size).</param>
    /// <param name="filter">Decides which rows may be results. Rejected rows are still traversed, so the
    /// search keeps finding accepted rows behind them; a very selective filter makes the search visit much
    /// of the graph (the engine scans exactly instead). Called at most once per row, after the row's
    /// distance (the search needs it to navigate anyway), and only for rows good enough to be results.</param>
    /// <param name="results">Receives up to ef pairs and keeps the best it was built for.</param>
    /// <remarks>Allocates nothing once the context pool is warm. Any thread, beside inserts.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> does not have the graph's dimension.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1 or <paramref name="ef"/> is negative.</exception>
    internal void Search<TFilter>(ReadOnlySpan<float> query, int k, int ef, ref TFilter filter, TopKHeap results)
        where TFilter : struct, IRowFilter =>
        Search(query, k, ef, ref filter, results, HnswFilterWalk.Through, int.MaxValue);

    /// <summary>
    /// As <see cref="Search{TFilter}(ReadOnlySpan{float}, int, int, ref TFilter, TopKHeap)"/>, with the way rejected
    /// nodes are treated chosen by <paramref name="walk"/> (see <see cref="HnswFilterWalk"/>). With
    /// <see cref="HnswFilterWalk.TwoHop"/> the filter is called before a node is scored, possibly more than once per
    /// row (a filter that evaluates payloads should cache its verdicts), and only accepted nodes are scored.
    /// </summary>
    /// <param name="query">As in the overload without <paramref name="walk"/>.</param>
    /// <param name="k">As in the overload without <paramref name="walk"/>.</param>
    /// <param name="ef">As in the overload without <paramref name="walk"/>.</param>
    /// <param name="filter">As in the overload without <paramref name="walk"/>, except for when it is called.</param>
    /// <param name="results">As in the overload without <paramref name="walk"/>.</param>
    /// <param name="walk">How rejected nodes are treated.</param>
    /// <param name="budget">The most level-0 distances the walk may compute: past it the walk stops, offers nothing and
    /// returns -1 (the caller answers another way; the planner passes the exact scan's cost).</param>
    /// <returns>The number of distances computed at level 0 (the walk's cost), or -1 when the budget ran out.</returns>
    internal int Search<TFilter>(ReadOnlySpan<float> query, int k, int ef, ref TFilter filter, TopKHeap results, HnswFilterWalk walk, int budget)
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
            Metric.L2 => SearchCore<L2Scorer, TFilter>(query, size, ref filter, results, walk, budget),
            Metric.L1 => SearchCore<L1Scorer, TFilter>(query, size, ref filter, results, walk, budget),
            Metric.Cosine => SearchCore<CosineScorer, TFilter>(query, size, ref filter, results, walk, budget),
            _ => SearchCore<DotScorer, TFilter>(query, size, ref filter, results, walk, budget),
        };
    }

    private int SearchCore<TScorer, TFilter>(ReadOnlySpan<float> query, int ef, ref TFilter filter, TopKHeap results, HnswFilterWalk walk, int budget)
        where TScorer : struct, IBoundedScorer
        where TFilter : struct, IRowFilter
    {
        // The entry first: an insert publishes it after the count that covers it, so the count the view
        // reads next includes the entry node.
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
            (current, currentScore) = Descend<TScorer>(view, query, current, currentScore, (int)(entry >> 32), 0);
            int scored = walk == HnswFilterWalk.TwoHop
                ? SearchLayerTwoHop<TScorer, TFilter>(context, view, query, current, currentScore, ef, budget, ref filter)
                : SearchLayer<TScorer, TFilter>(context, view, query, current, currentScore, 0, ef, -1, ref filter, budget);
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

    /// <summary>Scores node <paramref name="node"/> against <paramref name="query"/>; negative infinity for a dead node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScoreNode<TScorer>(in GraphView view, ReadOnlySpan<float> query, int node)
        where TScorer : struct, IBoundedScorer
    {
        int row = view.Row(node);
        return row >= 0 ? TScorer.Score(query, view.VectorSpan(row)) : float.NegativeInfinity;
    }

    /// <summary>
    /// Greedy descent from level <paramref name="fromLevel"/> down to just above <paramref name="toLevel"/>:
    /// on each level, moves to the best-scoring live neighbour until none improves. Returns the node
    /// reached and its score.
    /// </summary>
    private static (int Node, float Score) Descend<TScorer>(in GraphView view, ReadOnlySpan<float> query, int node, float score, int fromLevel, int toLevel)
        where TScorer : struct, IBoundedScorer
    {
        uint limit = (uint)view.Limit;
        for (int level = fromLevel; level > toLevel; level--)
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

    /// <summary>
    /// Best-first search of one level from <paramref name="entry"/>, keeping the best <paramref name="ef"/>
    /// live nodes whose rows <paramref name="filter"/> accepts in the context's result heap.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The loop pops the best candidate; it stops when that candidate scores below the worst of a full
    /// result heap (nothing better can be behind it). Otherwise each unvisited neighbour is scored once,
    /// and enters the candidates (and, if accepted, the results) when it beats the worst result.
    /// </para>
    /// <para>
    /// Rejected nodes are candidates like any other, so a filter never disconnects the graph. A dead node
    /// (row -1) has no vector: it enters the candidates with the score of the node that led to it, so its
    /// links are still followed, and it is never a result.
    /// </para>
    /// <para>
    /// Memory, not arithmetic, bounds this loop: a vector of a few hundred floats is dozens of cache lines
    /// that are rarely cached. So the neighbours of the popped node are gathered first (marking them
    /// visited) with a prefetch of each vector's first lines, then scored while the whole vector two
    /// places ahead is prefetched, and the link block of the best candidate is prefetched as soon as it is
    /// known. Measured on Fashion-MNIST (784 floats): one line ahead, as hnswlib does, was 30% slower;
    /// whole vectors one or three ahead, or every vector at once, were slower too.
    /// </para>
    /// <para>
    /// About three in four scored neighbours do not beat the bound. For L2 and L1 the distance stops as
    /// soon as its partial sum loses (<see cref="IBoundedScorer.ScoreAbove"/>), which is exact, and saved
    /// about 10% of the search time on Fashion-MNIST.
    /// </para>
    /// </remarks>
    private static unsafe int SearchLayer<TScorer, TFilter>(HnswSearchContext context, in GraphView view, ReadOnlySpan<float> query, int entry, float entryScore, int level, int ef, int exclude, ref TFilter filter, int budget = int.MaxValue)
        where TScorer : struct, IBoundedScorer
        where TFilter : struct, IRowFilter
    {
        CandidateHeap candidates = context.Candidates;
        ResultHeap results = context.Results;
        candidates.Clear();
        results.Clear();

        uint limit = (uint)view.Limit;
        ref ushort visited = ref MemoryMarshal.GetArrayDataReference(context.BeginVisit(view.Limit, out ushort epoch));
        if (exclude >= 0)
        {
            Unsafe.Add(ref visited, exclude) = epoch;
        }

        Unsafe.Add(ref visited, entry) = epoch;
        candidates.Push(entryScore, entry);
        int entryRow = view.Row(entry);
        if (entryRow >= 0 && filter.Accept(entryRow))
        {
            results.Push(entryScore, entry);
        }

        // The score a neighbour must beat: the worst result once ef are held, minus infinity before.
        float bound = results.Count >= ef ? results.WorstScore : float.NegativeInfinity;
        int dimension = view.Dimension;
        int vectorLines = (dimension + FloatsPerLine - 1) / FloatsPerLine;

        // The unvisited live neighbours of the node being expanded, as (node, row) pairs.
        Span<int> pending = stackalloc int[2 * HnswParameters.MaxM * 2];
        int scored = 0;

        while (candidates.Count > 0 && scored <= budget)
        {
            ScoredNode current = candidates.Top;
            if (current.Score < bound)
            {
                break;
            }

            candidates.Pop();
            ref int list = ref view.Links.List(current.Node, level);
            int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;

            // Pass 1: mark and gather the unvisited neighbours and start fetching their vectors.
            int gathered = 0;
            for (int j = 1; j <= count; j++)
            {
                int neighbor = Unsafe.Add(ref list, j);
                if ((uint)neighbor >= limit)
                {
                    continue;
                }

                ref ushort mark = ref Unsafe.Add(ref visited, neighbor);
                if (mark == epoch)
                {
                    continue;
                }

                mark = epoch;
                int row = view.Row(neighbor);
                if (row < 0)
                {
                    candidates.Push(current.Score, neighbor);
                    continue;
                }

                PrefetchLines(view.Vector(row), 0, Math.Min(LeadLines, vectorLines));
                pending[gathered++] = neighbor;
                pending[gathered++] = row;
            }

            // Pass 2: score each once, with the vector two places ahead streaming in meanwhile.
            scored += gathered >> 1;
            for (int a = 0; a < PrefetchAhead && 2 * a < gathered; a++)
            {
                PrefetchLines(view.Vector(pending[(2 * a) + 1]), LeadLines, vectorLines);
            }

            for (int i = 0; i < gathered; i += 2)
            {
                int ahead = i + (2 * PrefetchAhead);
                if (ahead < gathered)
                {
                    PrefetchLines(view.Vector(pending[ahead + 1]), LeadLines, vectorLines);
                }

                int neighbor = pending[i];
                int row = pending[i + 1];
                // Exact when it beats the bound; for L2 and L1 a vector that cannot is abandoned part-way.
                float score = TScorer.ScoreAbove(query, new ReadOnlySpan<float>(view.Vector(row), dimension), bound);
                if (score > bound)
                {
                    candidates.Push(score, neighbor);

                    // The best candidate is expanded next; start loading its links.
                    Prefetch(Unsafe.AsPointer(ref view.Links.Level0(candidates.Top.Node)));
                    if (filter.Accept(row))
                    {
                        results.Push(score, neighbor);
                        if (results.Count > ef)
                        {
                            results.Pop();
                        }

                        if (results.Count >= ef)
                        {
                            bound = results.WorstScore;
                        }
                    }
                }
            }
        }

        return scored;
    }

    /// <summary>Prefetches cache lines <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) of the vector at <paramref name="vector"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLines(float* vector, int from, int to)
    {
        for (int line = from; line < to; line++)
        {
            Prefetch(vector + (line * FloatsPerLine));
        }
    }

    /// <summary>The floats in a 64-byte cache line.</summary>
    private const int FloatsPerLine = 16;

    /// <summary>The lines of each gathered neighbour's vector prefetched before scoring starts.</summary>
    private const int LeadLines = 2;

    /// <summary>How many vectors ahead of the one being scored the rest of a vector is prefetched.</summary>
    private const int PrefetchAhead = 2;

    /// <summary>Hints the memory system to bring the cache line at <paramref name="address"/> into every cache level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }
}
