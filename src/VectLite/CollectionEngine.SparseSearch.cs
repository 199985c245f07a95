using VectLite.Indexing.Sparse;
using VectLite.Records;
using VectLite.Search;

namespace VectLite;

/// <summary>Sparse vector search: the routing; the index and its pruned search live in Indexing/Sparse.</summary>
internal sealed partial class CollectionEngine
{
    /// <summary>
    /// Finds the records whose sparse vector in space <paramref name="vectorName"/> has the largest dot product with
    /// <paramref name="query"/>, best first, through the space's inverted index (MaxScore pruning: exact top k without
    /// scoring every posting). Under <see cref="SparseModifier.Idf"/> each query weight is first multiplied by its term's IDF.
    /// </summary>
    /// <remarks>
    /// Records without a vector in the space, and those sharing no term with the query, are never hits. TopK, Offset,
    /// ScoreThreshold, Filter, Namespace, AllNamespaces, IncludePayload and IncludeVectors apply as in a dense search;
    /// <see cref="SearchOptions.Exact"/> scores every posting (no pruning; the same hits); VectorName and Ef are not used.
    /// </remarks>
    /// <exception cref="SchemaException">The collection has no sparse vector space of that name.</exception>
    /// <exception cref="InvalidVectorException">The query has a duplicated index, a non-finite weight, or too many entries.</exception>
    public IReadOnlyList<SearchHit> SearchSparse(string vectorName, SparseVector query, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectorName);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new SearchOptions();
        NamespaceScope scope = ValidateSearchOptions(options);
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            int ordinal = ResolveSparseVector(state.Schema, vectorName);
            ValidateSparseVector(state.Schema.SparseVectors[ordinal], query);
            return SearchSparseIn(state, state.Published, DateTime.UtcNow.Ticks, ordinal, scope, query, options);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>One sparse search on a held state and snapshot; the query is validated.</summary>
    private static List<SearchHit> SearchSparseIn(CollectionState state, Snapshot snapshot, long nowTicks, int ordinal, NamespaceScope scope, SparseVector query, SearchOptions options)
    {
        if (!scope.TryResolve(state.Namespaces, out int nsId))
        {
            return [];
        }
        SparseVectorIndex index = state.Sparse[ordinal];
        uint[] terms = query.IndexArray;
        float[] weights = query.ValueArray;
        if (index.Spec.Modifier == SparseModifier.Idf)
        {
            weights = new float[terms.Length];
            int total = index.LiveVectors;
            for (int i = 0; i < terms.Length; i++)
            {
                int n = index.Postings(terms[i])?.LiveRows ?? 0;
                weights[i] = (float)(query.ValueArray[i] * SparseVectorIndex.Idf(total, n));
            }
        }
        var heap = new TopKHeap(options.TopK + options.Offset);
        var rowFilter = new VisibleRowFilter(state, snapshot, nowTicks, nsId, options.Filter);
        try
        {
            SparseSearch.Run(index, terms, weights, snapshot.RowCount, ref rowFilter, heap, prune: !options.Exact);
        }
        finally
        {
            rowFilter.Release();
        }
        return BuildHits(state, snapshot, Metric.Dot, heap, options, excludedRow: -1);
    }

    private int ResolveSparseVector(CollectionSchema schema, string vectorName)
    {
        int ordinal = schema.FindSparseVector(vectorName);
        return ordinal >= 0 ? ordinal : throw new SchemaException(schema.SparseVectors.Count == 0
            ? $"Collection '{Name}' has no sparse vector spaces (it has: {schema}); declare one with CollectionSchema.AddSparseVector."
            : $"Collection '{Name}' has no sparse vector space named '{vectorName}' (it has: {schema}).");
    }
}
