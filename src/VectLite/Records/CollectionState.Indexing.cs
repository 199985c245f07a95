namespace VectLite.Records;

// Deferred indexing: the background indexer's side of the state (IndexingMode.Deferred).
internal sealed partial class CollectionState
{
    /// <summary>
    /// Held while the graphs' structure changes: by whoever indexes (the writer in immediate mode, the background indexer
    /// in deferred mode) and by a checkpoint while it compacts the state and freezes the graphs, so a graph is never
    /// copied, renumbered or replaced halfway through an insert. Lock order: the engine's writer lock, then this.
    /// </summary>
    private readonly Lock _indexLock = new();

    /// <summary>The lock a checkpoint takes (after the writer lock) to keep the indexer out while it compacts and freezes.</summary>
    public Lock IndexLock => _indexLock;

    /// <summary>Whether the schema asks for deferred indexing: <see cref="Publish"/> then leaves the graphs to the background indexer.</summary>
    public bool IsDeferred => Schema.Hnsw.Indexing == IndexingMode.Deferred;

    /// <summary>The indexed mark: every row below it that was live when the indexer passed it is in the graphs.</summary>
    public int IndexedRows => Volatile.Read(ref _indexedUpTo);

    /// <summary>Rows written (published) that the indexer has not passed yet: the queue of deferred indexing, dead rows included.</summary>
    public int IndexingLag
    {
        get
        {
            Snapshot published = Published;
            return Math.Max(0, published.RowCount - Volatile.Read(ref _indexedUpTo));
        }
    }

    /// <summary>
    /// One pass of the background indexer: inserts up to <paramref name="maxRows"/> published rows past the indexed mark
    /// into the graphs (building a missing graph once the collection reaches <see cref="HnswOptions.MinIndexedVectors"/>),
    /// then raises the published snapshot's <see cref="Snapshot.IndexedRows"/>. Returns the rows still waiting.
    /// </summary>
    /// <remarks>
    /// <para>Runs beside the writer and readers. Only published rows are taken: their vectors are complete and never
    /// change. A row counts as dead only when its deletion is published too (deletion mark at or before the published
    /// LSN): a search on that snapshot or a later one cannot see it, so leaving it out of the graph loses nothing. A row
    /// deleted after that is inserted and then filtered like any deleted node (a tombstone until a checkpoint).</para>
    /// <para>A payload or expiry update of a row already in a graph re-points its node (the writer does that, one
    /// volatile write); the new row is then held and skipped here. An update of a row still queued leaves the old row
    /// dead and queues the new one.</para>
    /// </remarks>
    /// <param name="maxRows">The most rows to take.</param>
    /// <param name="isCurrent">Whether this state is still the collection's (checked under the index lock, which a
    /// checkpoint holds while it replaces the state): a retired state is not indexed, and 1 is returned so the caller
    /// tries again on the new one.</param>
    /// <param name="during">Test hook: runs with the index lock held and the rows [from, upTo) about to be indexed.</param>
    public int IndexDeferredBatch(int maxRows, Func<CollectionState, bool> isCurrent, Action<int, int>? during = null)
    {
        lock (_indexLock)
        {
            if (!isCurrent(this))
            {
                return 1;
            }
            Snapshot published = Published;
            int from = Volatile.Read(ref _indexedUpTo);
            int upTo = (int)Math.Min(published.RowCount, (long)from + maxRows);
            if (upTo < from)
            {
                return 0; // cannot happen: the mark never passes the published rows
            }
            during?.Invoke(from, upTo);
            IndexRows(upTo, deadAtOrBefore: published.Lsn);
            RaisePublishedIndexedRows(upTo);
            return Math.Max(0, Published.RowCount - upTo);
        }
    }

    /// <summary>Raises the published snapshot's indexed mark (never lowers it), racing the writer's <see cref="Publish"/> by compare-and-swap.</summary>
    private void RaisePublishedIndexedRows(int indexed)
    {
        while (true)
        {
            Snapshot old = Volatile.Read(ref _published);
            if (old.IndexedRows >= Math.Min(indexed, old.RowCount))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _published, old.WithIndexedRows(indexed), old) == old)
            {
                return;
            }
        }
    }
}
