using VectLite.Filtering;
using VectLite.Indexing;
using VectLite.Indexing.ValueGraphs;
using VectLite.Records;
using VectLite.Vectors;

namespace VectLite.Search;

/// <summary>
/// A filtered search over value graphs (<see cref="ValueGraphField"/>): for a search whose passing rows hold one of a
/// keyword field's values, or belong to one namespace (<see cref="ValueGraphSource"/>), a walk of each value's own graph,
/// the exact scan of the values too small for a graph, and the exact scan of the rows written since the graphs' mark,
/// merged into one top-k.
/// </summary>
/// <remarks>
/// <para><b>When.</b> Planned for a selective search (below <see cref="SearchPlanner.ThroughPassRate"/>) when it costs
/// less than the other paths (<see cref="TryPrice"/>), and taken by a filtered graph walk whose neighbourhood probe finds
/// that the filter avoids the query's neighbourhood (HnswGraph.SearchFiltered), instead of the exact scan of every
/// passing row, once the field's value graphs are built. Such searches ask for them
/// (<see cref="CollectionState.RequestValueGraphs"/>); until the builder's first pass ends they are answered as
/// before.</para>
/// <para><b>Exactness of the merge.</b> Each source offers only rows the row test accepts, with exact float32 scores:
/// the graphs only rows below the mark (<see cref="VisibleRowFilter.LimitToIndexed"/>), the tail scan only rows at or
/// above it, so no row comes twice, except a row whose array holds several of the values: it is in several graphs,
/// and the walks' results are then merged through a set of the rows already offered.</para>
/// <para>Each walk runs at the search's ef (as an unfiltered search of a collection the size of the value's rows), through
/// rejected nodes when at least <see cref="SearchPlanner.ThroughPassRate"/> of the value's rows are expected to pass the
/// rest of the filter, around them (two hops) when fewer.</para>
/// </remarks>
internal static class ValueGraphSearch
{
    [ThreadStatic]
    private static HashSet<int>? t_offered;

    /// <summary>
    /// What a value-graph search of <paramref name="source"/> would cost: the level-0 distances of its walks (an
    /// unfiltered walk of each value's rows, more when the rest of the filter rejects some of them) and the rows it
    /// would scan exactly (the values too small for a graph and the rows past the mark, a row test each plus a distance
    /// for those expected to pass). False when the graphs cannot answer yet (not asked for, not built, or a value with
    /// enough rows for a graph still lacks one); the caller then plans as without them.
    /// </summary>
    public static bool TryPrice(CollectionState state, int ordinal, in ValueGraphSource source, int rowCount, double passRate, int ef, out double distances, out double scanned)
    {
        distances = 0;
        scanned = 0;
        if (state.ValueGraphs(ordinal, source.Field) is not { } field)
        {
            return false;
        }
        int covered = Math.Min(field.CoveredRows, rowCount);
        Span<int> valueRows = source.Count <= 64 ? stackalloc int[source.Count] : new int[source.Count];
        Span<int> graphNodes = source.Count <= 64 ? stackalloc int[source.Count] : new int[source.Count];
        if (covered == 0 || !Covers(field, source, valueRows, graphNodes, out long rowsWithValues))
        {
            return false;
        }
        double rejectedFactor = Math.Pow(Math.Max(PassInGraph(passRate, rowCount, rowsWithValues), 0.01), -SearchPlanner.ThroughPassExponent);
        for (int i = 0; i < valueRows.Length; i++)
        {
            if (graphNodes[i] >= 0)
            {
                distances += SearchPlanner.UnfilteredDistances(ef, Math.Max(1, graphNodes[i])) * rejectedFactor;
            }
            else
            {
                scanned += valueRows[i];
            }
        }
        scanned += (rowCount - covered) * (passRate + SearchPlanner.TestCostPerRow);
        return true;
    }

    /// <summary>
    /// Fills <paramref name="valueRows"/> with each value's rows (live or not) and sums them, and
    /// <paramref name="graphNodes"/> with the nodes of each value's graph (-1: none); true when some value has a
    /// graph and every value without one is small enough to scan (fewer than <see cref="ValueGraphField.MinRows"/> rows:
    /// a larger one is a value the builder has not reached yet).
    /// </summary>
    private static bool Covers(ValueGraphField field, in ValueGraphSource source, Span<int> valueRows, Span<int> graphNodes, out long rowsWithValues)
    {
        rowsWithValues = 0;
        bool anyGraph = false;
        for (int i = 0; i < valueRows.Length; i++)
        {
            valueRows[i] = source.RowCount(i);
            rowsWithValues += valueRows[i];
            graphNodes[i] = -1;
            if (field.TryGet(source.Value(i), out HnswGraph? graph))
            {
                anyGraph = true;
                graphNodes[i] = graph.Count;
            }
            else if (valueRows[i] >= ValueGraphField.MinRows)
            {
                return false;
            }
        }
        return anyGraph;
    }

    /// <summary>The share of the values' rows expected to pass the whole filter (the rest of it, beside the values' condition).</summary>
    private static double PassInGraph(double passRate, int rowCount, long rowsWithValues) =>
        rowsWithValues > 0 ? Math.Min(1, passRate * rowCount / rowsWithValues) : 1;

    /// <summary>
    /// Answers the search from the value graphs of <paramref name="source"/>'s field, when they are built and cover
    /// every value; otherwise asks for them (the first time) and returns false, changing nothing.
    /// </summary>
    /// <param name="state">The state searched.</param>
    /// <param name="ordinal">The named vector searched.</param>
    /// <param name="source">The values the passing rows are confined to.</param>
    /// <param name="arena">The named vector's rows.</param>
    /// <param name="query">The prepared query (normalised for cosine).</param>
    /// <param name="ef">The search's ef.</param>
    /// <param name="passRate">The filter's estimated pass rate over all rows.</param>
    /// <param name="rowCount">The snapshot's rows.</param>
    /// <param name="filter">The search's row test; its indexed-rows limit is changed and restored.</param>
    /// <param name="heap">Receives the hits (empty on entry).</param>
    /// <param name="distances">The distances computed (walks and scans).</param>
    public static bool TryRun<TScorer>(CollectionState state, int ordinal, in ValueGraphSource source, VectorArena arena, ReadOnlySpan<float> query, int ef,
        double passRate, int rowCount, ref VisibleRowFilter filter, TopKHeap heap, out int distances)
        where TScorer : struct, IVectorScorer
    {
        distances = 0;
        ValueGraphField? field = state.ValueGraphs(ordinal, source.Field);
        if (field is null || !state.Schema.Hnsw.ValueGraphs)
        {
            state.RequestValueGraphs(ordinal, source.Field);
            return false;
        }

        int covered = Math.Min(field.CoveredRows, rowCount);
        int values = source.Count;
        Span<int> valueRows = values <= 64 ? stackalloc int[values] : new int[values];
        Span<int> graphNodes = values <= 64 ? stackalloc int[values] : new int[values];
        if (covered == 0 || !Covers(field, source, valueRows, graphNodes, out long rowsWithValues))
        {
            return false;
        }

        // The share of the values' rows that also pass the rest of the filter decides how each graph is walked.
        double passInGraph = PassInGraph(passRate, rowCount, rowsWithValues);
        bool merge = values > 1;
        TopKHeap into = heap;
        HashSet<int>? offered = null;
        if (merge)
        {
            offered = t_offered ??= [];
            offered.Clear();
            into = new TopKHeap(heap.K * values); // a row in several graphs may fill several slots
        }

        filter.LimitToIndexed(covered);
        try
        {
            for (int i = 0; i < values; i++)
            {
                if (field.TryGet(source.Value(i), out HnswGraph? graph))
                {
                    HnswFilterWalk walk = passInGraph >= SearchPlanner.ThroughPassRate ? HnswFilterWalk.Through : HnswFilterWalk.TwoHop;
                    int walked = graph.SearchFiltered(query, heap.K, ef, ref filter, into, ref walk, int.MaxValue, passRate: 1);
                    distances += Math.Max(0, walked);
                }
                else if (valueRows[i] > 0)
                {
                    // Too few rows for a graph: scan them (below the mark; the tail scan below takes the rest).
                    var rows = new RowBuffer();
                    source.CopyRows(i, covered, rows);
                    int[] listed = rows.ToSortedUniqueArray();
                    ExactScanner.ScanRows<TScorer, VisibleRowFilter>(arena, query, listed, ref filter, into);
                    distances += listed.Length;
                }
            }
        }
        finally
        {
            filter.LimitToIndexed(int.MaxValue);
        }

        if (merge)
        {
            var drained = new (float Score, int Row)[into.Count];
            int count = into.DrainDescending(drained);
            for (int i = 0; i < count; i++)
            {
                if (offered!.Add(drained[i].Row))
                {
                    heap.Push(drained[i].Score, drained[i].Row);
                }
            }
        }

        if (covered < rowCount)
        {
            distances += ExactScanner.ScanRange<TScorer, VisibleRowFilter>(arena, query, covered, rowCount, ref filter, heap);
        }
        return true;
    }
}
