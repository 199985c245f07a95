using System.Buffers;
using System.Diagnostics;
using VectLite.Filtering;
using VectLite.Indexing;
using VectLite.Quantization;
using VectLite.Records;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>The largest <see cref="SearchOptions.TopK"/> plus <see cref="SearchOptions.Offset"/>.</summary>
    public const int MaxSearchResults = 10_000;

    /// <summary>
    /// Finds the records nearest to <paramref name="query"/>, best first. Scores are higher-is-better for every metric
    /// (see <see cref="Metric"/>). Small collections, and filters or namespaces that leave few rows, are answered by an
    /// exact scan (of the payload indexes' candidate rows when they can answer the filter); otherwise the HNSW graph is
    /// searched, skipping deleted and non-matching records while still walking through them. <see cref="SearchOptions.Exact"/>
    /// forces the scan; <see cref="SearchOptions.Ef"/> trades speed for recall.
    /// </summary>
    /// <remarks>
    /// Searches one namespace: <see cref="SearchOptions.Namespace"/>, where null (the default) and "" mean the default
    /// namespace, as in every call. <see cref="SearchOptions.AllNamespaces"/> searches all of them.
    /// </remarks>
    /// <exception cref="DimensionMismatchException">The query's length differs from the vector's dimension.</exception>
    /// <exception cref="InvalidVectorException">The query holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="SchemaException">The collection has no vectors, or several and <see cref="SearchOptions.VectorName"/> is not set or unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">TopK below 1, a negative Offset, TopK + Offset or Ef outside 1..<see cref="MaxSearchResults"/>, or a NaN ScoreThreshold.</exception>
    /// <exception cref="ArgumentException"><see cref="SearchOptions.AllNamespaces"/> is set together with a non-null <see cref="SearchOptions.Namespace"/>.</exception>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, SearchOptions? options = null)
    {
        options ??= DefaultSearchOptions;
        NamespaceScope scope = ValidateSearchOptions(options);
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            int ordinal = ResolveVector(state.Schema, options.VectorName);
            return SearchIn(state, state.Published, DateTime.UtcNow.Ticks, ordinal, scope, query, options, excludedRow: -1);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// Finds the records nearest to <paramref name="query"/> as <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>
    /// does, and writes their ids and scores, best first, into <paramref name="destination"/> instead of returning hit
    /// objects: with a buffer the caller reuses, a search without a filter allocates nothing once warm.
    /// </summary>
    /// <param name="query">The query vector, of the searched vector's dimension.</param>
    /// <param name="destination">Receives the hits from index 0; must hold at least <see cref="SearchOptions.TopK"/>.
    /// Entries past the returned count are left as they were.</param>
    /// <param name="options">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>: TopK, Offset,
    /// ScoreThreshold, Filter, Namespace, AllNamespaces, VectorName, Ef and Exact apply. IncludePayload and
    /// IncludeVectors are ignored: only ids and scores are written. Null: the defaults.</param>
    /// <returns>The number of hits written: at most TopK, fewer when fewer records pass.</returns>
    /// <remarks>
    /// <para>The hits are the ones <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/> returns for the same state
    /// and options, in the same order, with the same scores.</para>
    /// <para>Allocation: none on a warm thread for a search with no filter; a filter may allocate while it is evaluated.
    /// A string id is the stored record's string, not a copy.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SearchOptions.TopK"/>.</exception>
    /// <exception cref="DimensionMismatchException">The query's length differs from the vector's dimension.</exception>
    /// <exception cref="InvalidVectorException">The query holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="SchemaException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    public int Search(ReadOnlySpan<float> query, Span<ScoredId> destination, SearchOptions? options = null)
    {
        options ??= DefaultSearchOptions;
        NamespaceScope scope = ValidateSearchOptions(options);
        if (destination.Length < options.TopK)
        {
            throw new ArgumentException($"The destination holds {destination.Length} hits but SearchOptions.TopK is {options.TopK}.", nameof(destination));
        }
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            int ordinal = ResolveVector(state.Schema, options.VectorName);
            Snapshot snapshot = state.Published;
            TopKHeap heap = TopKHeap.ForThisThread(options.TopK + options.Offset);
            return Collect(state, snapshot, DateTime.UtcNow.Ticks, ordinal, scope, query, options, heap)
                ? WriteScored(state, snapshot, state.Schema.Vectors[ordinal].Metric, heap, options, destination)
                : 0;
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>The options of a search given none: never changed (init-only), so one instance serves every call.</summary>
    private static readonly SearchOptions DefaultSearchOptions = new();

    /// <summary>
    /// Finds the records nearest to a stored record, using its vector as the query and leaving the record itself out of
    /// the hits ("more like this"). Everything else is as <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>: the filter, <see cref="SearchOptions.TopK"/>,
    /// offset, threshold, the vector named by <see cref="SearchOptions.VectorName"/> (the record's vector of that name is
    /// the query) and the scope.
    /// </summary>
    /// <remarks>
    /// <para>The record is looked up in <see cref="SearchOptions.Namespace"/> (null or "": the default namespace, as in
    /// every call), and the search runs in that namespace, or in all of them with <see cref="SearchOptions.AllNamespaces"/>
    /// (the record is then looked up in the default namespace). Only that one record is left out: another record with the
    /// same vector is a hit with the top score.</para>
    /// <para>A missing record is an error, as in Qdrant's recommend API (404 "No point with id ... found", kept on purpose
    /// because a missing example would give unexpected results, qdrant/qdrant#5115), not an empty result: an empty list
    /// would be indistinguishable from "nothing similar passes the filter".</para>
    /// <para>The lookup and the search read the same snapshot: a write between them cannot make the record's vector and
    /// the searched state disagree.</para>
    /// </remarks>
    /// <exception cref="RecordNotFoundException">No live record (absent, deleted or expired) has <paramref name="id"/> in that namespace.</exception>
    /// <exception cref="SchemaException">The collection has no vectors, or several and <see cref="SearchOptions.VectorName"/> is not set or unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="SearchOptions.AllNamespaces"/> is set together with a non-null <see cref="SearchOptions.Namespace"/>.</exception>
    /// <exception cref="InvalidNameException">The namespace is longer than <see cref="MaxNamespaceLength"/> or not valid text.</exception>
    public IReadOnlyList<SearchHit> SearchById(RecordId id, SearchOptions? options = null)
    {
        options ??= new SearchOptions();
        NamespaceScope scope = ValidateSearchOptions(options);
        string ns = NormalizeNamespace(options.Namespace);
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            int ordinal = ResolveVector(state.Schema, options.VectorName);
            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            int nsId = state.Namespaces.Find(ns);
            int row = nsId < 0 ? -1 : state.FindVisibleRow(new RecordKey(nsId, id), snapshot, now);
            if (row < 0)
            {
                throw new RecordNotFoundException(id, ns);
            }

            // The arena row is never moved or rewritten while the state is held; SearchIn copies it before normalising.
            return SearchIn(state, snapshot, now, ordinal, scope, state.Arenas[ordinal].Get(row), options, excludedRow: row);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// Runs many searches with one set of options, in parallel on all cores, over one snapshot acquired once: every query
    /// sees the same state, whatever writes happen meanwhile. Result <c>i</c> is what <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/> would return for
    /// <c>queries[i]</c> on that state.
    /// </summary>
    /// <remarks>
    /// Every query is validated (dimension, finite values) before any search starts, so bad input is the same typed
    /// exception <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/> raises, not an <see cref="AggregateException"/>. The calling thread takes part in
    /// the work; the thread pool supplies the others.
    /// </remarks>
    /// <returns>One list of hits per query, in query order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before every query ran (checked before each query).</exception>
    /// <exception cref="DimensionMismatchException">A query's length differs from the vector's dimension.</exception>
    /// <exception cref="InvalidVectorException">A query holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="SchemaException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>.</exception>
    public IReadOnlyList<IReadOnlyList<SearchHit>> SearchBatch(IReadOnlyList<ReadOnlyMemory<float>> queries, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        options ??= new SearchOptions();
        NamespaceScope scope = ValidateSearchOptions(options);
        cancellationToken.ThrowIfCancellationRequested();
        var results = new IReadOnlyList<SearchHit>[queries.Count];
        if (queries.Count == 0)
        {
            return results;
        }

        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            int ordinal = ResolveVector(state.Schema, options.VectorName);
            VectorSpec spec = state.Schema.Vectors[ordinal];
            for (int i = 0; i < queries.Count; i++)
            {
                ValidateVector(spec, queries[i].Span);
            }

            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            Action<int>? starting = BatchQueryStartingForTests;
            Parallel.For(0, queries.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                starting?.Invoke(i);
                results[i] = SearchIn(state, snapshot, now, ordinal, scope, queries[i].Span, options, excludedRow: -1);
            });
            return results;
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>Test hook: called with the query's index as each query of <see cref="SearchBatch"/> starts, on the thread that runs it.</summary>
    internal Action<int>? BatchQueryStartingForTests { get; set; }

    /// <summary>Checks the options every search shares, before any state is read; returns the namespace scope.</summary>
    private static NamespaceScope ValidateSearchOptions(SearchOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TopK + (long)options.Offset, MaxSearchResults, nameof(options));
        if (options.Ef is { } requestedEf && (requestedEf < 1 || requestedEf > MaxSearchResults))
        {
            throw new ArgumentOutOfRangeException(nameof(options), requestedEf, $"SearchOptions.Ef must be between 1 and {MaxSearchResults}.");
        }
        if (options.ScoreThreshold is { } requestedThreshold && float.IsNaN(requestedThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(options), requestedThreshold, "SearchOptions.ScoreThreshold is NaN, which no score passes or fails; use null for no threshold.");
        }
        return ScopeOf(options.Namespace, options.AllNamespaces, nameof(SearchOptions));
    }

    /// <summary>
    /// One search on a held state and snapshot. <paramref name="excludedRow"/>, when not -1, is a row (in
    /// <paramref name="snapshot"/>) left out of the hits; one more candidate is gathered so the count stays TopK.
    /// Safe to run on many threads at once over the same state.
    /// </summary>
    private static List<SearchHit> SearchIn(CollectionState state, Snapshot snapshot, long nowTicks, int ordinal, NamespaceScope scope, ReadOnlySpan<float> query, SearchOptions options, int excludedRow)
    {
        // The thread's heap: drained by BuildHits before anything else on this thread can ask for it.
        TopKHeap heap = TopKHeap.ForThisThread(options.TopK + options.Offset + (excludedRow >= 0 ? 1 : 0));
        return Collect(state, snapshot, nowTicks, ordinal, scope, query, options, heap)
            ? BuildHits(state, snapshot, state.Schema.Vectors[ordinal].Metric, heap, options, excludedRow)
            : [];
    }

    /// <summary>
    /// The search itself: validates and prepares the query, plans, and fills <paramref name="heap"/> (sized by the caller:
    /// TopK + Offset, plus one when a row is excluded) with (metric score, row) pairs of the rows that pass. False when
    /// the namespace never held a record (nothing to search). Allocates nothing on the plain path once warm.
    /// </summary>
    private static bool Collect(CollectionState state, Snapshot snapshot, long nowTicks, int ordinal, NamespaceScope scope, ReadOnlySpan<float> query, SearchOptions options, TopKHeap heap)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(query.Length);
        try
        {
            VectorSpec spec = state.Schema.Vectors[ordinal];
            Span<float> q = buffer.AsSpan(0, query.Length);
            query.CopyTo(q);
            ValidateVector(spec, q);
            if (spec.Metric == Metric.Cosine)
            {
                // The cosine scorer wants a unit query: normalised once here, not once per row. Validation
                // guarantees a finite nonzero vector, which always normalises.
                bool normalized = VectorKernels.TryNormalize(q);
                Debug.Assert(normalized, "A validated cosine query is finite and nonzero, so it normalises.");
            }

            if (!scope.TryResolve(state.Namespaces, out int nsId))
            {
                return false; // no record ever lived in that namespace
            }

            int wanted = heap.K;
            var rowFilter = new VisibleRowFilter(state, snapshot, nowTicks, nsId, options.Filter);
            try
            {
                VectorArena arena = state.Arenas[ordinal];
                // Deferred indexing: the graph holds the rows below the snapshot's indexed mark; the rest are scanned
                // exactly after the walk (Run). A graph that holds none of the snapshot's rows yet is no use at all.
                int indexedRows = Math.Min(snapshot.IndexedRows, snapshot.RowCount);
                HnswGraph? graph = indexedRows > 0 ? state.Graph(ordinal) : null;
                int efSetting = options.Ef ?? state.Schema.Hnsw.EfSearch; // 0: automatic
                int ef = Math.Max(wanted, efSetting > 0 ? efSetting : Math.Max(HnswParameters.AutomaticEfFloor, 2 * wanted));
                SearchCostModel model = state.CostModel(ordinal);
                // The values the passing rows are confined to (a keyword condition the filter implies, else the search's
                // namespace): their own graphs, once built, can answer a selective search, or one whose filter avoids the
                // query's neighbourhood.
                ValueGraphSource? values = null;
                if (graph is not null && !options.Exact && state.Schema.Hnsw.ValueGraphs)
                {
                    values = options.Filter is { } f && state.Indexes.TryGetKeywordCondition(f, out FieldCondition? c) ? ValueGraphSource.ForKeyword(state, c) : null;
                    values ??= ValueGraphSource.ForNamespace(state, nsId);
                }
                PlannedSearch planned = SearchPlanner.Plan(state, snapshot, graph, options.Filter, nsId, ref rowFilter, wanted, ef, options.Exact, indexedRows, model, values, ordinal);
                if (values is { } asked && planned.PassRate < SearchPlanner.ThroughPassRate && planned.Path != SearchPath.ValueGraphs)
                {
                    state.RequestValueGraphs(ordinal, asked.Field); // a lookup once asked for
                }
                // A plain graph walk runs on the codes when they are trained; the exact scan and the two-hop walk of a
                // selective filter stay on float32 (they score few rows, and exactly).
                QuantizedCodes? codes = planned.Path == SearchPath.GraphThrough ? state.Codes(ordinal) : null;
                var plan = new GraphPlan(graph, planned.Path, ef, planned.Budget, codes, QuantizedSearch.OversamplingForBench ?? spec.Quantization.EffectiveOversampling,
                    indexedRows, planned.PassRate, model, planned.Band, codes is null ? planned.PredictedDistances : 0, state, ordinal, values);
                switch (spec.Metric)
                {
                    case Metric.Cosine:
                        Run<CosineScorer>(arena, plan, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.Dot:
                        Run<DotScorer>(arena, plan, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.L2:
                        Run<L2Scorer>(arena, plan, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.L1:
                        Run<L1Scorer>(arena, plan, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                }
            }
            finally
            {
                rowFilter.Release();
            }

            return true;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// How one search uses the graph: the planner's path, ef and budget, the codes to walk on (null: float32), and the
    /// rows the graph answers for (below <see cref="IndexedRows"/>; the rows above are scanned exactly), and the filter's
    /// estimated pass rate (1: no filter; a filtered walk probes the query's neighbourhood against it). The search
    /// records what it cost in <see cref="Model"/>, in the planner's <see cref="Band"/>; a walk only when the planner
    /// predicted its distances (<see cref="PredictedDistances"/> above 0: a planned float32 walk). <see cref="Values"/>,
    /// when set, are the values every passing row holds (a keyword condition, or the namespace): their value graphs (of
    /// <see cref="State"/>'s named vector <see cref="Ordinal"/>) answer a <see cref="SearchPath.ValueGraphs"/> plan, and
    /// instead of the exact scan when the filter avoids the query's neighbourhood.
    /// </summary>
    private readonly record struct GraphPlan(HnswGraph? Graph, SearchPath Path, int Ef, int Budget, QuantizedCodes? Codes, float Oversampling, int IndexedRows, double PassRate,
        SearchCostModel Model, SearchCostModel.Band Band, double PredictedDistances, CollectionState State, int Ordinal, ValueGraphSource? Values);

    private static void Run<TScorer>(VectorArena arena, in GraphPlan plan, ReadOnlySpan<float> query, int rowCount, ref VisibleRowFilter filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        SearchPath path = plan.Path;
        long walkTicks = 0;
        int walked = 0;
        if (path == SearchPath.ValueGraphs)
        {
            if (ValueGraphSearch.TryRun<TScorer>(plan.State, plan.Ordinal, plan.Values!.Value, arena, query, plan.Ef, plan.PassRate, rowCount, ref filter, heap, out int valueDistances))
            {
                SearchPlanner.LastPath = SearchPath.ValueGraphs;
                SearchPlanner.LastGraphDistances = valueDistances;
                return;
            }
            path = SearchPath.Exact; // dropped since the plan (options changed): scan
        }
        if (path != SearchPath.Exact)
        {
            // Rows the deferred indexer has not reached (the tail) come from an exact scan merged into the same heap, and
            // only from there: the walk must not return one too (the indexer may have inserted it since the snapshot).
            bool tail = plan.IndexedRows < rowCount;
            if (tail)
            {
                filter.LimitToIndexed(plan.IndexedRows);
            }
            // A filtered walk (SearchFiltered) may switch to the walk over passing nodes when the filter avoids the
            // query's neighbourhood; an unfiltered one is the plain search.
            HnswFilterWalk walk = path switch
            {
                SearchPath.GraphTwoHop => HnswFilterWalk.TwoHop,
                SearchPath.GraphPassing => HnswFilterWalk.Passing,
                _ => HnswFilterWalk.Through,
            };
            // Timed only when the cost model compares the walk with a prediction: the plain unfiltered walk pays nothing.
            bool timed = plan.PredictedDistances > 0;
            long started = timed ? Stopwatch.GetTimestamp() : 0;
            int distances = plan.Codes is { } codes
                ? QuantizedSearch.Run<TScorer, VisibleRowFilter>(codes, plan.Graph!, arena, query, plan.Ef, plan.Oversampling, plan.Budget, ref filter, heap)
                : filter.HasConditions
                    ? plan.Graph!.SearchFiltered(query, heap.K, plan.Ef, ref filter, heap, ref walk, plan.Budget, plan.PassRate)
                    : plan.Graph!.Search(query, heap.K, plan.Ef, ref filter, heap, walk, plan.Budget);
            walkTicks = timed ? Stopwatch.GetTimestamp() - started : 0;
            SearchPlanner.LastGraphDistances = distances;
            if (tail)
            {
                filter.LimitToIndexed(int.MaxValue);
            }
            // What the walk taught the cost model: its distances (a walk that ran out of budget spent the budget), or
            // nothing when the neighbourhood probe turned it into a scan before it walked.
            walked = distances >= 0 ? distances : distances == HnswGraph.AvoidedNeighbourhood ? 0 : plan.Budget;
            if (distances >= 0 && (walk == HnswFilterWalk.Through || heap.Count == heap.K))
            {
                SearchPlanner.LastPath = walk switch
                {
                    HnswFilterWalk.TwoHop => SearchPath.GraphTwoHop,
                    HnswFilterWalk.Passing => SearchPath.GraphPassing,
                    _ => SearchPath.GraphThrough,
                };
                if (tail)
                {
                    ScanTail<TScorer>(arena, query, plan.IndexedRows, rowCount, ref filter, heap);
                }
                if (timed)
                {
                    plan.Model.RecordWalk(path, plan.Band, walkTicks, walked, plan.PredictedDistances, fallbackTicks: 0);
                }
                return;
            }

            // The filter avoids the query's neighbourhood: its values' own graphs answer, once built.
            if (distances == HnswGraph.AvoidedNeighbourhood && plan.Values is { } values
                && ValueGraphSearch.TryRun<TScorer>(plan.State, plan.Ordinal, values, arena, query, plan.Ef, plan.PassRate, rowCount, ref filter, heap, out int valueDistances))
            {
                SearchPlanner.LastPath = SearchPath.ValueGraphs;
                SearchPlanner.LastGraphDistances = valueDistances;
                return;
            }

            // The walk cost more than the exact scan would (a filter that avoids the query's neighbourhood can still make
            // a walk wander), or a two-hop or passing walk found fewer than k rows: answer exactly instead.
            heap.Clear();
        }

        SearchPlanner.LastPath = SearchPath.Exact;
        if (path == SearchPath.Exact)
        {
            SearchPlanner.LastGraphDistances = 0;
        }

        // Timed for the cost model, in the planner's unit: a scored row is 1, a row only tested (a scan without a row set) TestCostPerRow.
        long scanStarted = Stopwatch.GetTimestamp();
        double scanned;
        if (filter.RowSet is { } rows)
        {
            scanned = ExactScanner.ScanSet<TScorer, VisibleRowFilter>(arena, query, rows, ref filter, heap);
        }
        else if (filter.AcceptsAll)
        {
            var all = default(AcceptAllRows); // nothing deleted or expiring, no filter: no per-row test at all
            scanned = ExactScanner.ScanAll<TScorer, AcceptAllRows>(arena, query, rowCount, ref all, heap);
        }
        else
        {
            scanned = ExactScanner.ScanAll<TScorer, VisibleRowFilter>(arena, query, rowCount, ref filter, heap) + (rowCount * SearchPlanner.TestCostPerRow);
        }
        long scanTicks = Stopwatch.GetTimestamp() - scanStarted;
        plan.Model.RecordScan(plan.Band, scanTicks, scanned);
        if (walked > 0 && plan.PredictedDistances > 0)
        {
            // A walk that ran out of budget, or found fewer than k rows: its search cost the walk and this scan.
            plan.Model.RecordWalk(path, plan.Band, walkTicks, walked, plan.PredictedDistances, scanTicks);
        }
    }

    /// <summary>
    /// The exact half of a search with rows waiting for the deferred indexer: scores the rows in [<paramref name="from"/>,
    /// <paramref name="to"/>) that pass <paramref name="filter"/> (visibility, namespace, payload filter and row set
    /// alike) on their float32 vectors and offers them to the heap the graph walk filled. Graph hits carry exact scores
    /// too (a quantized walk rescored them), so the heap merges like with like.
    /// </summary>
    private static void ScanTail<TScorer>(VectorArena arena, ReadOnlySpan<float> query, int from, int to, ref VisibleRowFilter filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        if (filter.AcceptsAll)
        {
            var all = default(AcceptAllRows);
            ExactScanner.ScanRange<TScorer, AcceptAllRows>(arena, query, from, to, ref all, heap);
        }
        else
        {
            ExactScanner.ScanRange<TScorer, VisibleRowFilter>(arena, query, from, to, ref filter, heap);
        }
    }

    /// <summary>Turns a metric score (higher is better, the scorers' internal form) into the score a user sees.</summary>
    private static float UserScore(Metric metric, float score) => metric switch
    {
        Metric.L2 => L2Scorer.ToUserScore(score),
        Metric.L1 => L1Scorer.ToUserScore(score),
        Metric.Cosine => CosineScorer.ToUserScore(score),
        _ => DotScorer.ToUserScore(score),
    };

    /// <summary>
    /// The allocation-free end of <see cref="Search(ReadOnlySpan{float}, Span{ScoredId}, SearchOptions?)"/>: drains
    /// <paramref name="heap"/> and writes the hits BuildHits would return, as (id, score), into <paramref name="destination"/>.
    /// </summary>
    private static int WriteScored(CollectionState state, Snapshot snapshot, Metric metric, TopKHeap heap, SearchOptions options, Span<ScoredId> destination)
    {
        (float Score, int Row)[] ranked = ArrayPool<(float Score, int Row)>.Shared.Rent(heap.Count);
        try
        {
            int count = heap.DrainDescending(ranked);
            int written = 0;
            int toSkip = options.Offset;
            for (int i = 0; i < count && written < options.TopK; i++)
            {
                float score = UserScore(metric, ranked[i].Score);
                if (options.ScoreThreshold is { } threshold && score < threshold)
                {
                    break; // ranked best first
                }
                int row = state.VersionIn(ranked[i].Row, snapshot);
                if (row < 0)
                {
                    continue; // as in BuildHits: cannot happen
                }
                if (toSkip > 0)
                {
                    toSkip--;
                    continue;
                }
                ref readonly RowMeta meta = ref state.Row(row);
                destination[written++] = new ScoredId(meta.Id, score, state.Namespaces.NameOf(state.NamespaceOf(row)));
            }
            return written;
        }
        finally
        {
            ArrayPool<(float Score, int Row)>.Shared.Return(ranked);
        }
    }

    private static List<SearchHit> BuildHits(CollectionState state, Snapshot snapshot, Metric metric, TopKHeap heap, SearchOptions options, int excludedRow)
    {
        // Pooled: the returned hits are the only allocation of a plain search.
        (float Score, int Row)[] pooled = ArrayPool<(float Score, int Row)>.Shared.Rent(heap.Count);
        try
        {
            return BuildHits(state, snapshot, metric, pooled.AsSpan(0, heap.DrainDescending(pooled)), options, excludedRow);
        }
        finally
        {
            ArrayPool<(float Score, int Row)>.Shared.Return(pooled);
        }
    }

    private static List<SearchHit> BuildHits(CollectionState state, Snapshot snapshot, Metric metric, ReadOnlySpan<(float Score, int Row)> ranked, SearchOptions options, int excludedRow)
    {
        var hits = new List<SearchHit>(Math.Min(options.TopK, ranked.Length));
        int toSkip = options.Offset;
        for (int i = 0; i < ranked.Length && hits.Count < options.TopK; i++)
        {
            float score = UserScore(metric, ranked[i].Score);
            if (options.ScoreThreshold is { } threshold && score < threshold)
            {
                break; // ranked best first: everything after scores lower still
            }
            // A graph node re-pointed by a payload update newer than the snapshot reports the version the snapshot saw.
            int row = state.VersionIn(ranked[i].Row, snapshot);
            if (row < 0)
            {
                continue; // cannot happen: the filter accepted it; kept so a defect shows as a missing hit, not a wrong one
            }
            if (row == excludedRow)
            {
                continue; // the query's own record (search by id); skipped before the offset counts
            }
            if (toSkip > 0)
            {
                toSkip--;
                continue;
            }
            ref readonly RowMeta meta = ref state.Row(row);
            // The payload stays the stored element until the caller reads SearchHit.Payload: no JSON tree per hit here.
            hits.Add(new SearchHit(meta.Id, state.Namespaces.NameOf(state.NamespaceOf(row)), score,
                options.IncludePayload ? meta.Payload : default, state.ExpiresAtTicks(row),
                options.IncludeVectors ? VectorsOf(state, row) : null));
        }
        return hits;
    }

    /// <summary>A row's vectors for a hit that asked for them: dense copies (the caller's to keep), sparse as stored.</summary>
    private static HitVectors? VectorsOf(CollectionState state, int row)
    {
        var vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        for (int v = 0; v < state.Arenas.Length; v++)
        {
            vectors[state.Schema.Vectors[v].Name] = state.Arenas[v].Get(row).ToArray();
        }
        ReadOnlyMemory<float>? single = null; // not "? x : null": that null would become an empty ReadOnlyMemory through float[]
        if (state.Arenas.Length == 1)
        {
            single = vectors[state.Schema.Vectors[0].Name];
        }
        return new HitVectors(vectors, single, SparseVectorsOf(state, row));
    }

    private int ResolveVector(CollectionSchema schema, string? vectorName)
    {
        if (schema.Vectors.Count == 0)
        {
            throw new SchemaException($"Collection '{Name}' stores no vectors (metadata only); it cannot be searched by vector. Use Scroll or Count with a filter.");
        }
        if (vectorName is null)
        {
            if (schema.Vectors.Count == 1)
            {
                return 0;
            }
            throw new SchemaException($"Collection '{Name}' has {schema.Vectors.Count} named vectors ({schema}); set SearchOptions.VectorName.");
        }
        int ordinal = schema.FindVector(vectorName);
        return ordinal >= 0 ? ordinal : throw new SchemaException($"Collection '{Name}' has no vector named '{vectorName}' (it has: {schema}).");
    }
}
