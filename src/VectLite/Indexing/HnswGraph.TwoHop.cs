using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Indexing;

// The filtered level-0 walk for selective filters (HnswFilterWalk.TwoHop): ACORN-1's neighbour expansion
// (Patel et al., "ACORN: Performant and Predicate-Agnostic Search Over Vector Embeddings and Structured Data",
// SIGMOD 2024) on the ordinary graph, with seeds so that a filter that avoids the query's neighbourhood still
// finds its rows.
internal sealed partial class HnswGraph
{
    /// <summary>Accepted nodes, spread over the graph, added to the candidates at the start of a two-hop walk.</summary>
    private const int SeedCount = 8;

    /// <summary>
    /// Seeds of a walk over passing nodes only (<see cref="HnswFilterWalk.Passing"/>): its only footholds when the
    /// filter avoids the query's neighbourhood, so more of them than a two-hop walk needs.
    /// </summary>
    private const int PassingSeedCount = 16;

    /// <summary>Nodes probed (evenly spaced) to find the seeds: with a 1% filter about five of them pass.</summary>
    private const int SeedProbes = 512;

    /// <summary>Prefetches every cache line of the <paramref name="bytes"/> bytes from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchBlock(ref int start, int bytes)
    {
        nint first = (nint)Unsafe.AsPointer(ref start);
        for (nint line = first & ~(nint)63; line < first + bytes; line += 64)
        {
            Prefetch((void*)line);
        }
    }

    /// <summary>
    /// Best-first search of level 0 that scores only the nodes <paramref name="filter"/> accepts. Returns the number
    /// of distances computed. <paramref name="throughRejected"/> false is <see cref="HnswFilterWalk.Passing"/>: no steps
    /// through rejected regions (pass 1c), <see cref="PassingSeedCount"/> seeds, and the passing nodes the descent scored
    /// (<paramref name="found"/>) as seeds too.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Per expanded node: every unvisited neighbour is marked visited and tested; accepted ones are gathered. When fewer
    /// than half of the neighbours were accepted, the neighbours of the rejected (and dead) ones are looked at too: the
    /// accepted ones among them are gathered and marked, the rejected ones are left unmarked (another path may reach
    /// them as direct neighbours). Gathering stops at twice the expanded node's link count, so an expansion scores at
    /// most twice what an unfiltered one does. Then the gathered nodes are scored exactly as in <c>SearchLayer</c>
    /// (prefetching ahead) and enter the candidates and results when they beat the bound.
    /// </para>
    /// <para>
    /// Rejected nodes are never scored, so the cost follows the accepted nodes the walk meets, not the graph: at a 1%
    /// filter an expansion that would score 32 neighbours scores the few accepted nodes within two hops instead. The
    /// walk can lose its way when the accepted nodes near the query are not linked within two hops of each other; the
    /// seeds (up to <see cref="SeedCount"/> accepted nodes found among <see cref="SeedProbes"/> evenly spaced ones)
    /// give it footholds anywhere in the accepted set, and the best-first order then moves from them towards the query.
    /// </para>
    /// </remarks>
    private static unsafe int SearchLayerTwoHop<TScorer, TFilter>(HnswSearchContext context, in GraphView view, ReadOnlySpan<float> query, int entry, float entryScore, int ef, int budget, ref TFilter filter, bool throughRejected = true, ReadOnlySpan<ScoredNode> found = default)
        where TScorer : struct, IBoundedScorer
        where TFilter : struct, IRowFilter
    {
        CandidateHeap candidates = context.Candidates;
        ResultHeap results = context.Results;
        candidates.Clear();
        results.Clear();

        int nodeLimit = view.Limit;
        uint limit = (uint)nodeLimit;
        ref ushort visited = ref MemoryMarshal.GetArrayDataReference(context.BeginVisit(nodeLimit, out ushort epoch));
        int scored = 0;

        // The entry leads the walk even when rejected: it is the best-placed node the descent found.
        Unsafe.Add(ref visited, entry) = epoch;
        candidates.Push(entryScore, entry);
        int entryRow = view.Row(entry);
        if (entryRow >= 0 && filter.Accept(entryRow))
        {
            results.Push(entryScore, entry);
        }

        // Passing nodes the descent already scored (a walk over passing nodes only): the best-placed seeds.
        foreach (ScoredNode seed in found)
        {
            ref ushort mark = ref Unsafe.Add(ref visited, seed.Node);
            if (mark == epoch)
            {
                continue;
            }

            mark = epoch;
            candidates.Push(seed.Score, seed.Node);
            results.Push(seed.Score, seed.Node);
            if (results.Count > ef)
            {
                results.Pop();
            }
        }

        int step = Math.Max(1, nodeLimit / SeedProbes);
        int seedCount = throughRejected ? SeedCount : PassingSeedCount;
        for (int node = step / 2, seeds = 0; node < nodeLimit && seeds < seedCount; node += step)
        {
            ref ushort mark = ref Unsafe.Add(ref visited, node);
            int row = view.Row(node);
            if (mark == epoch || row < 0 || !filter.Accept(row))
            {
                continue;
            }

            mark = epoch;
            float score = TScorer.Score(query, view.VectorSpan(row));
            scored++;
            seeds++;
            candidates.Push(score, node);
            results.Push(score, node);
            if (results.Count > ef)
            {
                results.Pop();
            }
        }

        float bound = results.Count >= ef ? results.WorstScore : float.NegativeInfinity;
        int dimension = view.Dimension;
        int vectorLines = (dimension + FloatsPerLine - 1) / FloatsPerLine;

        int capacity = 2 * HnswParameters.MaxM;
        Span<int> pending = stackalloc int[2 * capacity];
        Span<int> rejected = stackalloc int[capacity];


        while (candidates.Count > 0 && scored <= budget)
        {
            ScoredNode current = candidates.Top;
            if (current.Score < bound)
            {
                break;
            }

            candidates.Pop();
            ref int list = ref view.Links.Level0(current.Node);
            int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;

            // Pass 1: the direct neighbours. A rejected (or dead) one is a bridge for pass 1b whether or not it was
            // visited before: it is never scored, and the accepted nodes behind it may be reachable only through it.
            // Accepted ones are counted whether or not they were visited: pass 1c asks whether this node lies among
            // rejected nodes, not whether it has anything new to offer.
            int gathered = 0;
            int bridges = 0;
            int accepted = 0;
            for (int j = 1; j <= count; j++)
            {
                int neighbor = Unsafe.Add(ref list, j);
                if ((uint)neighbor >= limit)
                {
                    continue;
                }

                int row = view.Row(neighbor);
                if (row < 0 || !filter.Accept(row))
                {
                    // Pass 1b will most likely read this node's list (when fewer than half pass): start loading it, so
                    // the lists of all the bridges arrive together instead of one cache miss after another.
                    PrefetchBlock(ref view.Links.Level0(neighbor), view.Links.Level0Bytes);
                    rejected[bridges++] = neighbor;
                    continue;
                }

                accepted++;
                ref ushort mark = ref Unsafe.Add(ref visited, neighbor);
                if (mark == epoch)
                {
                    continue;
                }

                mark = epoch;
                PrefetchLines(view.Vector(row), 0, Math.Min(LeadLines, vectorLines));
                pending[gathered++] = neighbor;
                pending[gathered++] = row;
            }

            // Pass 1b: fewer than half passed, so look two hops out through the rejected ones, up to the level-0
            // capacity in all (ACORN-1 truncates the expanded list the same way).
            int cap = Math.Min(pending.Length, 4 * Math.Max(count, 1)); // two ints per node: 2 x count nodes
            if (bridges > count / 2)
            {
                for (int r = 0; r < bridges && gathered < cap; r++)
                {
                    ref int list2 = ref view.Links.Level0(rejected[r]);
                    int count2 = Volatile.Read(ref list2) & HnswLinkStore.CountMask;
                    for (int j = 1; j <= count2 && gathered < cap; j++)
                    {
                        int neighbor = Unsafe.Add(ref list2, j);
                        if ((uint)neighbor >= limit)
                        {
                            continue;
                        }

                        ref ushort mark = ref Unsafe.Add(ref visited, neighbor);
                        if (mark == epoch)
                        {
                            continue;
                        }

                        int row = view.Row(neighbor);
                        if (row >= 0 && filter.Accept(row))
                        {
                            mark = epoch;
                            PrefetchLines(view.Vector(row), 0, Math.Min(LeadLines, vectorLines));
                            pending[gathered++] = neighbor;
                            pending[gathered++] = row;
                        }
                    }
                }
            }

            // Pass 1c: no direct neighbour passes and nothing new passed two hops out: the walk is among rejected nodes
            // (the filter avoids this part of the graph). Walk through them as SearchLayer does: score the unvisited
            // direct neighbours and queue them, never as results (their rows are stored complemented to say so), until
            // passing nodes appear. A node with a passing neighbour already visited is not among rejected nodes: late in
            // every walk all the passing nodes near the query are visited, and stepping through rejected ones there (as
            // this did until 2026-12-02) scored them until the budget ran out. Not in a walk over passing nodes only:
            // there the query's rejected neighbourhood is what it must not explore (every rejected node nearer than the
            // passing rows would be expanded before any of them).
            if (gathered == 0 && accepted == 0 && throughRejected)
            {
                for (int r = 0; r < bridges; r++)
                {
                    int neighbor = rejected[r];
                    ref ushort mark = ref Unsafe.Add(ref visited, neighbor);
                    if (mark == epoch)
                    {
                        continue;
                    }

                    mark = epoch;
                    int row = view.Row(neighbor);
                    if (row < 0)
                    {
                        candidates.Push(current.Score, neighbor); // dead: no vector, followed at its parent's score
                        continue;
                    }

                    PrefetchLines(view.Vector(row), 0, Math.Min(LeadLines, vectorLines));
                    pending[gathered++] = neighbor;
                    pending[gathered++] = ~row;
                }
            }

            // Pass 2: score, as SearchLayer does.
            scored += gathered >> 1;
            for (int a = 0; a < PrefetchAhead && 2 * a < gathered; a++)
            {
                int aheadRow = pending[(2 * a) + 1];
                PrefetchLines(view.Vector(aheadRow < 0 ? ~aheadRow : aheadRow), LeadLines, vectorLines);
            }

            for (int i = 0; i < gathered; i += 2)
            {
                int ahead = i + (2 * PrefetchAhead);
                if (ahead < gathered)
                {
                    int aheadRow = pending[ahead + 1];
                    PrefetchLines(view.Vector(aheadRow < 0 ? ~aheadRow : aheadRow), LeadLines, vectorLines);
                }

                int neighbor = pending[i];
                int row = pending[i + 1];
                bool passes = row >= 0;
                float score = TScorer.ScoreAbove(query, new ReadOnlySpan<float>(view.Vector(passes ? row : ~row), dimension), bound);
                if (score > bound)
                {
                    candidates.Push(score, neighbor);
                    Prefetch(Unsafe.AsPointer(ref view.Links.Level0(candidates.Top.Node)));
                    if (!passes)
                    {
                        continue;
                    }

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

        return scored;
    }
}
