namespace VectLite;

/// <summary>
/// When a write's dense vectors enter the collection's HNSW graphs (<see cref="HnswOptions.Indexing"/>).
/// </summary>
/// <remarks>
/// Either way a write is logged and applied before it returns: <c>Get</c>, <c>Scroll</c>, <c>Count</c>, filters and
/// searches see it at once, and searches return the same records. The modes differ in who pays for the graph insert and
/// when. docs/tuning.md compares them.
/// </remarks>
public enum IndexingMode
{
    /// <summary>
    /// Each write inserts its records into the graphs before it returns (in parallel for a batch of at least
    /// <see cref="HnswOptions.ParallelInsertThreshold"/> records). The default: a write returns once it is searchable
    /// through the graph.
    /// </summary>
    Immediate = 0,

    /// <summary>
    /// A write returns once it is logged and applied; a background indexer (one dedicated thread per collection) inserts
    /// the written rows into the graphs in batches of <see cref="HnswOptions.DeferredBatchSize"/>. Until it has, a search
    /// scans the rows not yet in the graph exactly and merges them with the graph's hits, so results stay correct; once
    /// it has caught up (<see cref="Collection.WaitForIndexing"/>) they are what <see cref="Immediate"/> returns on the
    /// same graph. Single-record writes then cost the log and the in-memory apply only.
    /// </summary>
    Deferred = 1,
}
