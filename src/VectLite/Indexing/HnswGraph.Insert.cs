using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Indexing;

// Inserts: Add, AddMany, and the linking steps behind them (hnswlib's addPoint and
// mutuallyConnectNewElement).
internal sealed partial class HnswGraph
{
    /// <summary>
    /// <see cref="AddMany"/> inserts this many nodes one by one before it goes parallel: in a tiny graph
    /// every thread would fight over the same few nodes' locks, and the top of the graph is better formed
    /// when it is built in order.
    /// </summary>
    internal const int SerialPrefix = 64;

    /// <summary>
    /// Inserts row <paramref name="row"/> (whose vector is already in the arena) as a new node and returns
    /// the node id. Safe to call from many threads at once and beside searches.
    /// </summary>
    /// <remarks>Adding the same row twice creates two nodes, so the row may come back twice from a search; the engine adds each row once.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative or not below the arena's capacity.</exception>
    /// <exception cref="InvalidOperationException">The graph has been superseded by <see cref="Remap"/>, or holds <see cref="int.MaxValue"/> nodes.</exception>
    internal int Add(int row)
    {
        ThrowIfSuperseded();
        ValidateRow(row, _arena.Capacity);
        Volatile.Write(ref _lastInsertThreads, 1);
        return AddCore(row);
    }

    /// <summary>
    /// Inserts every row of <paramref name="rows"/> (vectors already in the arena) on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (0: one per core), the calling thread and
    /// dedicated helper threads. The first <see cref="SerialPrefix"/> nodes of a graph are inserted in
    /// order; the rest in parallel, in an order that depends on thread timing. A batch of at least
    /// <see cref="LocalityOrderMinimumRows"/> rows that at least doubles the graph is inserted in locality order
    /// instead of the given one (HnswGraph.BuildOrder.cs). All rows are checked before any is inserted. Safe
    /// beside searches and other inserts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A row is negative or not below the arena's capacity, or <paramref name="maxDegreeOfParallelism"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The graph has been superseded by <see cref="Remap"/>.</exception>
    /// <exception cref="AggregateException">An insert failed on a helper thread (only on an internal error or out of memory).</exception>
    internal void AddMany(ReadOnlySpan<int> rows, int maxDegreeOfParallelism)
    {
        ThrowIfSuperseded();
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        int capacity = _arena.Capacity;
        foreach (int row in rows)
        {
            ValidateRow(row, capacity);
        }

        if (UsesLocalityOrder(rows.Length))
        {
            AddInLocalityOrder(rows, maxDegreeOfParallelism);
        }
        else
        {
            AddInOrder(rows, maxDegreeOfParallelism);
        }
    }

    /// <summary>
    /// <see cref="AddMany"/>'s inserts in the order given (checked rows): the first nodes of a graph one by one, the rest
    /// on the threads, each taking the next row.
    /// </summary>
    private void AddInOrder(ReadOnlySpan<int> rows, int maxDegreeOfParallelism)
    {
        int serial = Math.Min(rows.Length, Math.Max(0, SerialPrefix - Count));
        for (int i = 0; i < serial; i++)
        {
            AddCore(rows[i]);
        }

        ReadOnlySpan<int> rest = rows[serial..];
        int threads = Math.Min(maxDegreeOfParallelism == 0 ? Environment.ProcessorCount : maxDegreeOfParallelism, rest.Length);
        Volatile.Write(ref _lastInsertThreads, Math.Max(1, threads));
        if (threads <= 1)
        {
            foreach (int row in rest)
            {
                AddCore(row);
            }

            return;
        }

        // Each worker takes the next row from a shared cursor: inserts vary in cost, so fixed ranges
        // would leave a thread idle at the end. The calling thread is one worker; the others get
        // dedicated threads (DedicatedWorkers says why).
        int[] work = rest.ToArray();
        var cursor = new StrongBox<int>(-1);
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref cursor.Value)) < work.Length)
            {
                try
                {
                    AddCore(work[i]);
                }
                catch
                {
                    // Stop the other workers at their next row.
                    Volatile.Write(ref cursor.Value, work.Length);
                    throw;
                }
            }
        }

        // Never returns while a helper may still be inserting; its exception, if any, surfaces here.
        DedicatedWorkers.Run(threads, Work);
    }

    private static void ValidateRow(int row, int capacity)
    {
        if ((uint)row >= (uint)capacity)
        {
            ThrowRowOutOfRange(row, capacity);
        }
    }

    [DoesNotReturn]
    private static void ThrowRowOutOfRange(int row, int capacity) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside the arena's {capacity} rows.");

    private void ThrowIfSuperseded()
    {
        if (Volatile.Read(ref _superseded) != 0)
        {
            throw new InvalidOperationException("This HNSW graph was superseded by Remap; insert into the graph Remap returned.");
        }
    }

    private int AddCore(int row)
    {
        int level = LevelFor(_parameters.Seed, row, _levelMultiplier);

        // hnswlib's pattern: the growth lock hands out the id and is released at once, unless the new
        // node raises the maximum level; then it is held until the node is linked and becomes the entry
        // point, so two level-raising inserts never race (this happens about log_M(n) times in a build).
        _growLock.Enter();
        bool holding = true;
        try
        {
            ThrowIfSuperseded();
            int node = _count;
            if (node == int.MaxValue)
            {
                throw new InvalidOperationException("The HNSW graph holds the maximum number of nodes.");
            }

            _links.EnsureNodeCapacity(node + 1);
            EnsureRowCapacity(node + 1);
            _rows[node >> HnswLinkStore.NodeChunkShift][node & HnswLinkStore.NodeChunkMask] = row;
            _links.InitializeNode(node, level);
            long entry = _entry;

            // Publish the node: from here searches may reach it once something links to it.
            Volatile.Write(ref _count, node + 1);

            if (entry == NoEntry)
            {
                Volatile.Write(ref _entry, PackEntry(node, level));
                return node;
            }

            int maxLevel = (int)(entry >> 32);
            if (level <= maxLevel)
            {
                _growLock.Exit();
                holding = false;
            }

            GraphBuildVectors? decoded = Volatile.Read(ref _buildVectors);
            switch (_metric)
            {
                case Metric.L2 when decoded is not null:
                    InsertDecoded<L2Scorer>(node, row, level, entry, decoded);
                    break;
                case Metric.L1 when decoded is not null:
                    InsertDecoded<L1Scorer>(node, row, level, entry, decoded);
                    break;
                case Metric.Cosine when decoded is not null:
                    InsertDecoded<CosineScorer>(node, row, level, entry, decoded);
                    break;
                case Metric.Dot when decoded is not null:
                    InsertDecoded<DotScorer>(node, row, level, entry, decoded);
                    break;
                case Metric.L2:
                    Insert<L2Scorer>(node, row, level, entry);
                    break;
                case Metric.L1:
                    Insert<L1Scorer>(node, row, level, entry);
                    break;
                case Metric.Cosine:
                    Insert<CosineScorer>(node, row, level, entry);
                    break;
                default:
                    Insert<DotScorer>(node, row, level, entry);
                    break;
            }

            if (holding)
            {
                Volatile.Write(ref _entry, PackEntry(node, level));
            }

            return node;
        }
        finally
        {
            if (holding)
            {
                _growLock.Exit();
            }
        }
    }

    private void EnsureRowCapacity(int nodes)
    {
        int needed = (int)(((long)nodes + HnswLinkStore.NodeChunkMask) >> HnswLinkStore.NodeChunkShift);
        int[][] current = _rows;
        if (needed <= current.Length)
        {
            return;
        }

        var grown = new int[needed][];
        Array.Copy(current, grown, current.Length);
        for (int i = current.Length; i < needed; i++)
        {
            grown[i] = new int[HnswLinkStore.NodesPerChunk];
        }

        Volatile.Write(ref _rows, grown);
    }

    /// <summary>
    /// Links a published node: greedy descent to its level, a search and a neighbour choice per level from
    /// the top down, then the links from the bottom up.
    /// </summary>
    /// <remarks>
    /// The links go in bottom-up so that a node becomes reachable on a level (through a neighbour's reverse
    /// link) only once its lists on every level below are in place. Linked top-down, as hnswlib does, a
    /// node of level 1 or more is reachable on its upper levels while its level-0 search still runs; a
    /// concurrent query descending onto it would start level 0 from an empty list and, with the new row
    /// not yet visible to it, find nothing. The searches still run top-down, since each level's choice
    /// seeds the next level's search.
    /// </remarks>
    private void Insert<TScorer>(int node, int row, int level, long entry)
        where TScorer : struct, IGraphScorer
    {
        HnswSearchContext context = _contexts.Rent();
        try
        {
            GraphView view = GetView();
            ReadOnlySpan<float> vector = AsQuery<TScorer>(view.VectorSpan(row), context.UnitQuery(view.Dimension));
            int current = (int)entry;
            int maxLevel = (int)(entry >> 32);
            float currentScore = ScoreNode<TScorer>(view, vector, current);

            (current, currentScore) = Descend<TScorer>(view, vector, current, currentScore, maxLevel, level);

            int m = _parameters.M;
            int top = Math.Min(level, maxLevel);
            Span<ScoredNode> chosen = context.LevelChoices(top + 1, m);
            Span<int> chosenCounts = stackalloc int[top + 1];
            var accept = default(AcceptAllRows);
            var arena = default(ArenaVectors);
            for (int l = top; l >= 0; l--)
            {
                SearchLayer<TScorer, AcceptAllRows>(context, view, vector, current, currentScore, l, _parameters.EfConstruction, node, ref accept);
                chosenCounts[l] = Choose<TScorer, ArenaVectors>(context, view, chosen.Slice(l * m, m), ref arena);
                if (chosenCounts[l] > 0)
                {
                    // The closest choice seeds the next level's search.
                    (current, currentScore) = (chosen[l * m].Node, chosen[l * m].Score);
                }
            }

            for (int l = 0; l <= top; l++)
            {
                Link<TScorer, ArenaVectors>(node, l, chosen.Slice(l * m, chosenCounts[l]), ref arena);
            }
        }
        finally
        {
            _contexts.Return(context);
        }
    }

    /// <summary>
    /// Picks up to M neighbours with the heuristic from the search results in the context (which it
    /// empties) into <paramref name="destination"/>, best first; returns how many.
    /// </summary>
    private int Choose<TScorer, TVectors>(HnswSearchContext context, in GraphView view, Span<ScoredNode> destination, ref TVectors vectors)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        int found = context.Results.Count;
        if (found == 0)
        {
            return 0;
        }

        context.EnsureScratch(found);
        Span<ScoredNode> sorted = context.Sorted.AsSpan(0, found);
        context.Results.DrainBestFirst(sorted);
        int chosen = SelectNeighbors<TScorer, TVectors>(view, sorted, _parameters.M, context.Selected, context.SelectedAddresses, context.SelectedFactors, ref vectors);
        context.Selected.AsSpan(0, chosen).CopyTo(destination);
        return chosen;
    }

    /// <summary>Links the new node to its chosen neighbours on <paramref name="level"/> and each of them back to it.</summary>
    private void Link<TScorer, TVectors>(int node, int level, ReadOnlySpan<ScoredNode> selected, ref TVectors vectors)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        int maxLinks = level == 0 ? _parameters.MaxLinks0 : _parameters.M;

        // Its own list first: once a reverse link makes the node reachable, its list must be there.
        MergeLinks<TScorer, TVectors>(node, level, selected, maxLinks, ref vectors);
        foreach (ScoredNode neighbor in selected)
        {
            // The scores are symmetric: the neighbour scores the new node as the new node scores it (for
            // cosine up to rounding: each side divides by the other's norm).
            MergeLinks<TScorer, TVectors>(neighbor.Node, level, [new ScoredNode(neighbor.Score, node)], maxLinks, ref vectors);
        }
    }

    /// <summary>
    /// Adds <paramref name="additions"/> (scored against <paramref name="target"/>) to
    /// <paramref name="target"/>'s list on <paramref name="level"/> under the target's lock; when the list
    /// would exceed <paramref name="maxLinks"/>, re-selects the whole list with the heuristic.
    /// </summary>
    private void MergeLinks<TScorer, TVectors>(int target, int level, ReadOnlySpan<ScoredNode> additions, int maxLinks, ref TVectors vectors)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        HnswLinkStore.LinkView links = _links.GetView();
        ref int header = ref links.Level0(target);
        int count0 = HnswLinkStore.Lock(ref header);
        try
        {
            ref int list = ref level == 0 ? ref header : ref links.Upper(target, level);
            int count = level == 0 ? count0 : list;
            bool overflow = false;
            foreach (ScoredNode addition in additions)
            {
                if (Contains(ref list, count, addition.Node))
                {
                    continue;
                }

                if (count < maxLinks)
                {
                    Unsafe.Add(ref list, ++count) = addition.Node;
                }
                else
                {
                    overflow = true;
                }
            }

            if (overflow)
            {
                count = Reselect<TScorer, TVectors>(target, ref list, count, additions, maxLinks, ref vectors);
            }

            if (level == 0)
            {
                count0 = count;
            }
            else
            {
                // A release: the ids are visible before the count that covers them.
                Volatile.Write(ref list, count);
            }
        }
        finally
        {
            HnswLinkStore.Unlock(ref header, count0);
        }
    }

    private static bool Contains(ref int list, int count, int node)
    {
        for (int i = 1; i <= count; i++)
        {
            if (Unsafe.Add(ref list, i) == node)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Rewrites a full list: scores its live members against <paramref name="target"/>, adds the
    /// additions not already in it, keeps at most <paramref name="maxLinks"/> with the heuristic and returns
    /// the new count. Runs under the target's lock. Dead members (no vector) are dropped.
    /// </summary>
    private unsafe int Reselect<TScorer, TVectors>(int target, ref int list, int count, ReadOnlySpan<ScoredNode> additions, int maxLinks, ref TVectors vectors)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        // A fresh view: members may have been linked by inserts newer than this insert's own view, and
        // taking the lock made their publication visible.
        GraphView view = GetView();
        int dimension = view.Dimension;
        var targetVector = new ReadOnlySpan<float>(vectors.Load(view, view.Row(target), DecodedVectors.TargetSlot), dimension);
        float targetFactor = TScorer.StoredFactor(targetVector);

        Span<ScoredNode> candidates = stackalloc ScoredNode[count + additions.Length];
        int n = 0;
        for (int i = 1; i <= count; i++)
        {
            int member = Unsafe.Add(ref list, i);
            if ((uint)member >= (uint)view.Limit)
            {
                Debug.Fail("A linked node is always below the published count.");
                continue;
            }

            int row = view.Row(member);
            if (row >= 0)
            {
                var memberVector = new ReadOnlySpan<float>(vectors.Load(view, row, DecodedVectors.ScratchSlot), dimension);
                candidates[n++] = new ScoredNode(TScorer.ScoreStored(targetVector, targetFactor, memberVector), member);
            }
        }

        foreach (ScoredNode addition in additions)
        {
            if (!Contains(ref list, count, addition.Node))
            {
                candidates[n++] = addition;
            }
        }

        candidates = candidates[..n];
        SortBestFirst(candidates);

        Span<ScoredNode> chosen = stackalloc ScoredNode[maxLinks];
        Span<nint> addresses = stackalloc nint[maxLinks];
        Span<float> factors = stackalloc float[maxLinks];
        int kept = SelectNeighbors<TScorer, TVectors>(view, candidates, maxLinks, chosen, addresses, factors, ref vectors);
        for (int i = 0; i < kept; i++)
        {
            Unsafe.Add(ref list, i + 1) = chosen[i].Node;
        }

        return kept;
    }

    /// <summary>
    /// Returns <paramref name="stored"/> in the form <typeparamref name="TScorer"/> wants as a query: itself, or
    /// for a scorer that needs a unit query (cosine) a unit-length copy written to <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<float> AsQuery<TScorer>(ReadOnlySpan<float> stored, Span<float> scratch)
        where TScorer : struct, IGraphScorer
    {
        if (!TScorer.NeedsUnitQuery)
        {
            return stored;
        }

        stored.CopyTo(scratch);

        // Stored cosine vectors are finite and nonzero (the writer refuses others), so this always succeeds.
        bool normalized = VectorKernels.TryNormalize(scratch);
        Debug.Assert(normalized, "A stored cosine vector is finite and nonzero, so it normalises.");
        return scratch;
    }

    /// <summary>Sorts a short span best first (insertion sort: lists hold at most 2M + M entries).</summary>
    private static void SortBestFirst(Span<ScoredNode> items)
    {
        for (int i = 1; i < items.Length; i++)
        {
            ScoredNode item = items[i];
            int j = i - 1;
            while (j >= 0 && items[j].Score < item.Score)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }

    /// <summary>Tests: the neighbour heuristic computes every score in full (as before the bounded scores), to compare the links.</summary>
    internal static bool FullNeighborScoresForTests;

    /// <summary>
    /// hnswlib's getNeighborsByHeuristic2: walks <paramref name="candidates"/> (live nodes, best first) and
    /// keeps a candidate only if it scores better against the base node than against every candidate
    /// kept so far, up to <paramref name="max"/>. Fewer than <paramref name="max"/> candidates are all kept.
    /// Returns the number kept in <paramref name="chosen"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The rule prefers links in different directions over several links into one cluster, which is what
    /// keeps the graph navigable on clustered data.
    /// </para>
    /// <para>
    /// Both sides of the comparison must be the metric's score between two stored vectors. For cosine the
    /// arena holds the caller's vectors, not unit ones, so a kept neighbour is compared through
    /// <see cref="IGraphScorer.ScoreStored"/> with its inverse norm, computed once when it is kept (in
    /// <paramref name="factors"/>); a raw dot product between stored vectors would rank long vectors as close.
    /// </para>
    /// <para>
    /// Only whether a kept neighbour's score beats the candidate's matters, and most do not: for L2 and L1 the score
    /// is bounded by the candidate's (<see cref="IBoundedScorer.ScoreAbove"/>), so such a distance stops part-way.
    /// It is exact whenever it beats the bound, so every decision is the full scores' (the graph of 20,000
    /// Fashion-MNIST rows built on one thread was byte for byte the same file).
    /// </para>
    /// </remarks>
    private static unsafe int SelectNeighbors<TScorer, TVectors>(in GraphView view, ReadOnlySpan<ScoredNode> candidates, int max, Span<ScoredNode> chosen, Span<nint> addresses, Span<float> factors, ref TVectors vectors)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        if (candidates.Length < max)
        {
            candidates.CopyTo(chosen);
            return candidates.Length;
        }

        int dimension = view.Dimension;
        int kept = 0;
        foreach (ScoredNode candidate in candidates)
        {
            if (kept >= max)
            {
                break;
            }

            // Slot `kept`: a candidate that is kept keeps its slot (decoded vectors), one that is not is overwritten.
            float* vector = vectors.Load(view, view.Row(candidate.Node), kept);
            var candidateSpan = new ReadOnlySpan<float>(vector, dimension);
            bool good = true;
            for (int i = 0; i < kept; i++)
            {
                // Closer to a kept neighbour than to the base node: that neighbour already covers it. Only whether the
                // score beats the candidate's matters, so where a stored vector is a query as it is (L2, L1, dot) the
                // bounded score answers: for L2 and L1 it stops as soon as the partial sum shows it cannot (most pairs).
                var keptSpan = new ReadOnlySpan<float>((void*)addresses[i], dimension);
                float score = TScorer.NeedsUnitQuery || FullNeighborScoresForTests
                    ? TScorer.ScoreStored(keptSpan, factors[i], candidateSpan)
                    : TScorer.ScoreAbove(keptSpan, candidateSpan, candidate.Score);
                if (score > candidate.Score)
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                chosen[kept] = candidate;
                addresses[kept] = (nint)vector;
                factors[kept] = TScorer.StoredFactor(candidateSpan);
                kept++;
            }
        }

        return kept;
    }
}
