using VectLite.Indexing;
using VectLite.Indexing.MultiVector;
using VectLite.Records;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite;

/// <summary>Multi-vector (late interaction) search: the routing; the token graph lives in Indexing/MultiVector.</summary>
internal sealed partial class CollectionEngine
{
    /// <summary>For tests and benchmarks: the candidate records the last multi-vector search on this thread scored exactly.</summary>
    [ThreadStatic]
    internal static int LastMultiVectorCandidates;

    /// <summary>
    /// Finds the records whose token vectors in space <paramref name="vectorName"/> best match the query's token vectors
    /// by MaxSim (ColBERT's late interaction): score = the sum, over the query's tokens, of the largest similarity
    /// (cosine or dot, the space's metric) to any of the record's tokens. Higher is better.
    /// </summary>
    /// <remarks>
    /// How it works: each query token's nearest stored tokens are found through the space's HNSW graph over all token
    /// vectors (max(64, 4 x (TopK + Offset)) per query token, within the filter and namespace); their records are the
    /// candidates, and each candidate is scored exactly by MaxSim. So the cost follows the query, not the collection's
    /// size, and a record none of whose tokens is near any query token is not found (the usual approximation of
    /// candidate generation). <see cref="SearchOptions.Exact"/> scores every visible record instead (a scan; the
    /// reference). <see cref="SearchOptions.Ef"/> widens the graph search. Filters, namespaces, TopK, Offset and
    /// ScoreThreshold apply as in a dense search.
    /// </remarks>
    /// <exception cref="SchemaException">The collection has no multi-vector space of that name.</exception>
    /// <exception cref="InvalidVectorException">The query has no tokens, too many, or a token holds NaN or infinity (or is all zeros under cosine).</exception>
    /// <exception cref="DimensionMismatchException">A query token has the wrong length.</exception>
    public IReadOnlyList<SearchHit> SearchMultiVector(string vectorName, IReadOnlyList<ReadOnlyMemory<float>> query, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectorName);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new SearchOptions();
        NamespaceScope scope = ValidateSearchOptions(options);
        CollectionState state = AcquireState();
        try
        {
            int ordinal = state.Schema.FindMultiVector(vectorName);
            if (ordinal < 0)
            {
                throw new SchemaException($"Collection '{Name}' has no multi-vector space named '{vectorName}' (it has: {state.Schema}).");
            }
            float[][] tokens = PrepareTokens(state.Multi[ordinal].Spec, query);
            return SearchMultiVectorIn(state, state.Published, DateTime.UtcNow.Ticks, ordinal, scope, tokens, options);
        }
        finally
        {
            state.Release();
        }
    }

    /// <summary>
    /// The multi-vector search on one snapshot (shared by <see cref="SearchMultiVector"/> and a hybrid query's
    /// <see cref="Prefetch.MultiVector"/>): candidates through the token graph (or every record when exact), MaxSim on each.
    /// </summary>
    private static List<SearchHit> SearchMultiVectorIn(CollectionState state, Snapshot snapshot, long nowTicks, int ordinal, NamespaceScope scope, float[][] tokens, SearchOptions options)
    {
        MultiVectorIndex index = state.Multi[ordinal];
        if (!scope.TryResolve(state.Namespaces, out int nsId))
        {
            return [];
        }
        int wanted = options.TopK + options.Offset;
        var heap = new TopKHeap(wanted);
        var rowFilter = new VisibleRowFilter(state, snapshot, nowTicks, nsId, options.Filter);
        try
        {
            IEnumerable<int> candidates = options.Exact
                ? Enumerable.Range(0, snapshot.RowCount).Where(row => index.Tokens(row) is not null && rowFilter.Accept(row)).ToList()
                : Candidates(index, state, snapshot, tokens, ref rowFilter, Math.Max(64, 4 * wanted), options.Ef ?? state.Schema.Hnsw.EfSearch);
            int count = 0;
            foreach (int row in candidates)
            {
                count++;
                heap.Push(MaxSim(index.Spec.Metric, tokens, index.Tokens(row)!), row);
            }
            LastMultiVectorCandidates = count;
        }
        finally
        {
            rowFilter.Release();
        }
        return BuildHits(state, snapshot, Metric.Dot, heap, options, excludedRow: -1);
    }

    /// <summary>
    /// The visible rows (in the snapshot's version) owning one of each query token's nearest tokens in the graph, and
    /// every visible row stored since the graph was last brought up to date (their tokens are not in it yet).
    /// </summary>
    private static HashSet<int> Candidates(MultiVectorIndex index, CollectionState state, Snapshot snapshot, float[][] query, ref VisibleRowFilter rowFilter, int perToken, int efSetting)
    {
        var rows = new HashSet<int>();
        // The graph first, then how far it reaches: the graph only grows, and a reset graph starts at zero rows.
        HnswGraph graph = index.Graph;
        int indexedRows = index.IndexedRows;
        for (int row = indexedRows; row < snapshot.RowCount; row++)
        {
            if (index.Tokens(row) is not null && rowFilter.Accept(row))
            {
                rows.Add(row);
            }
        }
        var filter = new TokenFilter(index, rowFilter);
        var heap = new TopKHeap(perToken);
        int ef = Math.Max(perToken, efSetting > 0 ? efSetting : 2 * perToken);
        var ranked = new (float Score, int Row)[perToken];
        foreach (float[] token in query)
        {
            float[] q = token;
            if (index.Spec.Metric == Metric.Cosine)
            {
                q = (float[])token.Clone();
                VectorKernels.TryNormalize(q); // the cosine graph takes a unit query
            }
            heap.Clear();
            graph.Search(q, perToken, ef, ref filter, heap);
            int n = heap.Count;
            heap.DrainDescending(ranked);
            for (int i = 0; i < n; i++)
            {
                int row = state.VersionIn(index.RowOf(ranked[i].Row), snapshot);
                if (row >= 0)
                {
                    rows.Add(row);
                }
            }
        }
        rowFilter = filter.Inner; // the filter may have cached verdicts; hand its state back for release
        return rows;
    }

    /// <summary>MaxSim: for each query token the best similarity to a document token, summed (in double, then rounded once).</summary>
    private static float MaxSim(Metric metric, float[][] query, float[][] document)
    {
        double sum = 0;
        foreach (float[] q in query)
        {
            double best = double.NegativeInfinity;
            foreach (float[] d in document)
            {
                double s = metric == Metric.Cosine ? VectorKernels.CosineInDouble(q, d) : VectorKernels.Dot(q, d);
                best = Math.Max(best, s);
            }
            sum += best;
        }
        return (float)sum;
    }

    /// <summary>The row filter applied to graph nodes whose "rows" are token numbers.</summary>
    private struct TokenFilter(MultiVectorIndex index, VisibleRowFilter inner) : IRowFilter
    {
        public VisibleRowFilter Inner = inner;

        public bool Accept(int token) => Inner.Accept(index.RowOf(token));
    }
}
