namespace VectLite.Bench;

/// <summary>One timed run of <see cref="DeferredIngestRunner"/> for one indexing mode.</summary>
/// <param name="Mode">The collection's <see cref="HnswOptions.Indexing"/>.</param>
/// <param name="Records">Single-record upserts written.</param>
/// <param name="Writes">The upsert calls plus the final flush: what a writer waits for.</param>
/// <param name="CatchUp">From the flush to <see cref="Collection.WaitForIndexing"/> returning (0 for immediate).</param>
/// <param name="LagAtFlush">Rows waiting for the indexer when the writes ended.</param>
/// <param name="RecallAt10">Mean recall@10 against the brute force, after the catch-up.</param>
/// <param name="TopKLists">Each query's top-10 ids after the catch-up, to compare the two modes.</param>
/// <param name="QueriesPerSecond">Searches per second after the catch-up, one thread.</param>
internal sealed record DeferredIngestResult(IndexingMode Mode, int Records, TimeSpan Writes, TimeSpan CatchUp, long LagAtFlush,
    double RecallAt10, ulong[][] TopKLists, double QueriesPerSecond)
{
    /// <summary>Acknowledged single-record writes per second.</summary>
    public double WritesPerSecond => Records / Writes.TotalSeconds;

    /// <summary>Records per second until every record is in the graph (writes plus catch-up).</summary>
    public double IndexedPerSecond => Records / (Writes + CatchUp).TotalSeconds;
}
