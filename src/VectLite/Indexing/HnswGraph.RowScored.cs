using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Search;

namespace VectLite.Indexing;

// The search over a row scorer instead of the arena's float32 vectors: the same descent and level-0 best-first walk as
// HnswGraph.Search, scored through an IRowScorer (quantized codes). Kept apart from the float path so that path, tuned
// for prefetching and early-abandoned distances, stays as it is.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// Finds about the <paramref name="ef"/> best rows by <paramref name="scorer"/> among the rows
    /// <paramref name="filter"/> accepts, walking the graph as <see cref="Search{TFilter}(ReadOnlySpan{float}, int, int, ref TFilter, TopKHeap, HnswFilterWalk, int)"/>
    /// does with <see cref="HnswFilterWalk.Through"/>, and offers them to <paramref name="results"/> as (scorer score, row).
    /// </summary>
    /// <param name="scorer">Scores rows; the graph's links were built on the float32 vectors.</param>
    /// <param name="ef">The candidate list size, at least 1.</param>
    /// <param name="filter">Decides which rows may be results; rejected rows are still walked through.</param>
    /// <param name="results">Receives the candidates.</param>
    /// <param name="budget">The most level-0 scores the walk may compute: past it the walk offers nothing and returns -1.</param>
    /// <returns>The number of level-0 scores computed, or -1 when the budget ran out.</returns>
    internal int SearchScored<TRow, TFilter>(ref TRow scorer, int ef, ref TFilter filter, TopKHeap results, int budget)
        where TRow : struct, IRowScorer
        where TFilter : struct, IRowFilter
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfLessThan(ef, 1);
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
            int entryRow = view.Row(current);
            float currentScore = entryRow >= 0 ? scorer.Score(entryRow) : float.NegativeInfinity;
            (current, currentScore) = DescendScored(view, ref scorer, current, currentScore, (int)(entry >> 32));
            int scored = SearchLayerScored(context, view, ref scorer, current, currentScore, ef, ref filter, budget);
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

    /// <summary>Greedy descent from <paramref name="fromLevel"/> down to the level above <paramref name="toLevel"/>, as <c>Descend</c> on scorer scores.</summary>
    private static (int Node, float Score) DescendScored<TRow>(in GraphView view, ref TRow scorer, int node, float score, int fromLevel, int toLevel = 0)
        where TRow : struct, IRowScorer
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

                    float s = scorer.Score(row);
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
    /// Best-first search of <paramref name="level"/> (level 0 for searches; every level for an insert on decoded vectors)
    /// keeping the best <paramref name="ef"/> accepted nodes, never <paramref name="exclude"/> (an inserting node, or -1);
    /// as <c>SearchLayer</c>: neighbours gathered and their codes prefetched, then scored (no bounded scores: a code score
    /// is cheap).
    /// </summary>
    private static int SearchLayerScored<TRow, TFilter>(HnswSearchContext context, in GraphView view, ref TRow scorer, int entry, float entryScore, int ef, ref TFilter filter, int budget, int level = 0, int exclude = -1)
        where TRow : struct, IRowScorer
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

        float bound = results.Count >= ef ? results.WorstScore : float.NegativeInfinity;
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

            // Pass 1: mark and gather the unvisited live neighbours, starting the load of each one's code (as the float
            // walk does with vectors: the scores that follow are memory-bound).
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
                    candidates.Push(current.Score, neighbor); // dead: walked through with its parent's score
                    continue;
                }

                scorer.Prefetch(row);
                pending[gathered++] = neighbor;
                pending[gathered++] = row;
            }

            // Pass 2: score them.
            scored += gathered >> 1;
            for (int i = 0; i < gathered; i += 2)
            {
                int neighbor = pending[i];
                int row = pending[i + 1];
                float score = scorer.Score(row);
                if (score > bound)
                {
                    candidates.Push(score, neighbor);
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
}
