using System.Buffers;
using System.Diagnostics;
using VectLite.Indexing;
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
        options ??= new SearchOptions();
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
        NamespaceScope scope = ScopeOf(options.Namespace, options.AllNamespaces, nameof(SearchOptions));

        CollectionState state = AcquireState();
        float[] buffer = ArrayPool<float>.Shared.Rent(query.Length);
        try
        {
            int ordinal = ResolveVector(state.Schema, options.VectorName);
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

            Snapshot snapshot = state.Published;
            if (!scope.TryResolve(state.Namespaces, out int nsId))
            {
                return []; // no record ever lived in that namespace
            }

            int wanted = options.TopK + options.Offset;
            var heap = new TopKHeap(wanted);
            var rowFilter = new VisibleRowFilter(state, snapshot, DateTime.UtcNow.Ticks, nsId, options.Filter);
            try
            {
                VectorArena arena = state.Arenas[ordinal];
                HnswGraph? graph = state.Graph(ordinal);
                int efSetting = options.Ef ?? state.Schema.Hnsw.EfSearch; // 0: automatic
                int ef = Math.Max(wanted, efSetting > 0 ? efSetting : Math.Max(HnswParameters.AutomaticEfFloor, 2 * wanted));
                SearchPath path = SearchPlanner.Plan(state, snapshot, graph, options.Filter, nsId, ref rowFilter, wanted, ef, options.Exact, out int budget);
                switch (spec.Metric)
                {
                    case Metric.Cosine:
                        Run<CosineScorer>(arena, graph, path, ef, budget, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.Dot:
                        Run<DotScorer>(arena, graph, path, ef, budget, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.L2:
                        Run<L2Scorer>(arena, graph, path, ef, budget, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                    case Metric.L1:
                        Run<L1Scorer>(arena, graph, path, ef, budget, q, snapshot.RowCount, ref rowFilter, heap);
                        break;
                }
            }
            finally
            {
                rowFilter.Release();
            }

            return BuildHits(state, snapshot, spec.Metric, heap, options);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            state.Release();
        }
    }

    private static void Run<TScorer>(VectorArena arena, HnswGraph? graph, SearchPath path, int ef, int budget, ReadOnlySpan<float> query, int rowCount, ref VisibleRowFilter filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        if (path != SearchPath.Exact)
        {
            int distances = graph!.Search(query, heap.K, ef, ref filter, heap, path == SearchPath.GraphTwoHop ? HnswFilterWalk.TwoHop : HnswFilterWalk.Through, budget);
            SearchPlanner.LastGraphDistances = distances;
            if (distances >= 0 && (path != SearchPath.GraphTwoHop || heap.Count == heap.K))
            {
                return;
            }

            // The walk cost more than the exact scan would (a filter that avoids the query's neighbourhood makes a walk
            // wander), or a two-hop walk found fewer than k rows: answer exactly instead.
            heap.Clear();
        }

        if (filter.RowSet is { } rows)
        {
            ExactScanner.ScanSet<TScorer, VisibleRowFilter>(arena, query, rows, ref filter, heap);
        }
        else if (filter.AcceptsAll)
        {
            var all = default(AcceptAllRows); // nothing deleted or expiring, no filter: no per-row test at all
            ExactScanner.ScanAll<TScorer, AcceptAllRows>(arena, query, rowCount, ref all, heap);
        }
        else
        {
            ExactScanner.ScanAll<TScorer, VisibleRowFilter>(arena, query, rowCount, ref filter, heap);
        }
    }

    private static List<SearchHit> BuildHits(CollectionState state, Snapshot snapshot, Metric metric, TopKHeap heap, SearchOptions options)
    {
        var ranked = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(ranked);
        var hits = new List<SearchHit>(Math.Max(0, ranked.Length - options.Offset));
        for (int i = options.Offset; i < ranked.Length; i++)
        {
            float score = metric switch
            {
                Metric.L2 => L2Scorer.ToUserScore(ranked[i].Score),
                Metric.L1 => L1Scorer.ToUserScore(ranked[i].Score),
                Metric.Cosine => CosineScorer.ToUserScore(ranked[i].Score),
                _ => DotScorer.ToUserScore(ranked[i].Score),
            };
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
            ref readonly RowMeta meta = ref state.Row(row);
            Dictionary<string, float[]>? vectors = null;
            if (options.IncludeVectors)
            {
                vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
                for (int v = 0; v < state.Arenas.Length; v++)
                {
                    vectors[state.Schema.Vectors[v].Name] = state.Arenas[v].Get(row).ToArray();
                }
            }
            hits.Add(new SearchHit(meta.Id, state.Namespaces.NameOf(meta.NamespaceId), score,
                options.IncludePayload ? ToPayloadObject(meta.Payload) : null, vectors,
                meta.ExpiresAtTicks == 0 ? null : new DateTimeOffset(meta.ExpiresAtTicks, TimeSpan.Zero)));
        }
        return hits;
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
