using VectLite.Indexing;
using VectLite.Records;

namespace VectLite;

// Deferred indexing (HnswOptions.Indexing = IndexingMode.Deferred): the engine's side of the background indexer.
internal sealed partial class CollectionEngine
{
    /// <summary>The background indexer, started by the first write (or open) that finds the collection deferred; null before.</summary>
    private DeferredIndexer? _indexer;
    private readonly Lock _indexerGate = new();
    private bool _indexerStopped;

    /// <summary>Test hook: runs inside each background indexing pass, with the index lock held and the rows [from, upTo) it takes.</summary>
    internal Action<int, int>? IndexingPassForTests { get; set; }

    /// <summary>Whether the background indexer is inside a run of passes (false when none exists): tests wait for a pass in flight.</summary>
    internal bool IndexerRunningForTests => _indexer?.Running ?? false;

    /// <summary>Passes the background indexer has run (0 when none exists): tests see that it ran.</summary>
    internal long IndexingPassesForTests => _indexer?.Passes ?? 0;

    /// <summary>
    /// Waits until the background indexer has inserted every record written before the call into the HNSW graphs
    /// (<see cref="IndexingMode.Deferred"/>); returns at once with immediate indexing. Searches are exact for the records
    /// not indexed yet either way; this is for callers that want graph-speed searches, or a checkpoint whose saved graph
    /// covers everything, or (tests) a known state.
    /// </summary>
    /// <remarks>
    /// <para>Records written while this waits are not waited for, so a steady stream of writes cannot keep it waiting.</para>
    /// <para>Also waits for the value graphs searches have asked for (a keyword filter that avoids the query's
    /// neighbourhood asks for its field's; docs/tuning.md, "Value graphs") to cover the same records, in either mode.</para>
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; indexing goes on.</exception>
    /// <exception cref="ObjectDisposedException">The collection was closed meanwhile.</exception>
    /// <exception cref="CollectionFaultedException">The background indexer's last pass failed (the inner exception says why); it retries on its own.</exception>
    public void WaitForIndexing(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        WaitForValueGraphs(cancellationToken);
        CollectionState state = Volatile.Read(ref _state);
        int target = state.Published.RowCount;
        if (state.IndexedRows >= target)
        {
            return;
        }
        if (!state.IsDeferred || IsReadOnly)
        {
            // Immediate: rows wait only inside a bulk load, which indexes them before it releases the writer lock. A
            // read-only engine indexed at open and indexes nothing after.
            lock (_writeLock)
            {
                ThrowIfUnusable();
                if (!_state.IsDeferred || IsReadOnly)
                {
                    return;
                }
            }
        }
        DeferredIndexer indexer = EnsureIndexer() ?? throw new ObjectDisposedException(typeof(Collection).FullName);
        indexer.WaitUntil(() =>
        {
            ThrowIfUnusable();
            CollectionState now = Volatile.Read(ref _state);
            if (now != state)
            {
                // A checkpoint renumbered the rows: the target is the new state's rows as of now.
                state = now;
                target = now.Published.RowCount;
            }
            return now.IndexedRows >= target || !now.IsDeferred;
        }, error => new CollectionFaultedException(Name, error), cancellationToken);
    }

    /// <summary>
    /// Wakes the background indexer after a batch is published, starting it on first use. Writer lock held. A few
    /// comparisons with immediate indexing.
    /// </summary>
    private void NotifyIndexer(CollectionState state)
    {
        if (state.IsDeferred && !IsReadOnly)
        {
            EnsureIndexer()?.Notify();
        }
        if (state.HasValueGraphs)
        {
            NotifyValueGraphBuilder();
        }
    }

    /// <summary>The indexer, started if it was not; null once the collection closes.</summary>
    private DeferredIndexer? EnsureIndexer() => EnsureWorker(ref _indexer, ref _indexerStopped, "indexer", RunIndexingPass);

    /// <summary>
    /// The background worker in <paramref name="worker"/> (the deferred indexer, or the value-graph builder), started on
    /// first use with <paramref name="pass"/> as its pass; null once <paramref name="stopped"/> (the collection closed).
    /// </summary>
    private DeferredIndexer? EnsureWorker(ref DeferredIndexer? worker, ref bool stopped, string what, Func<int> pass)
    {
        if (Volatile.Read(ref worker) is { } running)
        {
            return running;
        }
        lock (_indexerGate)
        {
            if (stopped)
            {
                return null;
            }
            worker ??= new DeferredIndexer($"VectLite {what} '{Name}'", pass,
                ex => Log.IndexingPassFailed(_database.Logger, Name, DeferredIndexer.RetryMilliseconds / 1000, ex));
            return worker;
        }
    }

    /// <summary>One pass on the indexer's thread: up to <see cref="HnswOptions.DeferredBatchSize"/> rows of the current state.</summary>
    private int RunIndexingPass() => RunOnCurrentState(state => state.IsDeferred
        ? state.IndexDeferredBatch(state.Schema.Hnsw.DeferredBatchSize, s => Volatile.Read(ref _state) == s, IndexingPassForTests)
        : 0); // switched to immediate: the writer indexes from here

    /// <summary>
    /// Runs a background worker's pass on the current state under a reader's lease (the inserts read vectors that may be
    /// mapped from a checkpoint file); 0 (nothing waits) once the collection is closing or dropped.
    /// </summary>
    private int RunOnCurrentState(Func<CollectionState, int> pass)
    {
        ReadLease lease;
        try
        {
            lease = AcquireState();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or CollectionNotFoundException)
        {
            return 0; // closing or dropped: Close stops the thread next
        }
        try
        {
            return pass(lease.State);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// With <see cref="HnswOptions.DeferredMaxLag"/> set and reached, waits (writer lock held) until the indexer is below
    /// it. The indexer needs no writer lock, so it keeps going meanwhile.
    /// </summary>
    private void WaitForIndexerRoom(CollectionState state)
    {
        HnswOptions options = state.Schema.Hnsw;
        if (options.Indexing != IndexingMode.Deferred || options.DeferredMaxLag <= 0 || state.IndexingLag < options.DeferredMaxLag)
        {
            return;
        }
        DeferredIndexer? indexer = EnsureIndexer();
        indexer?.WaitUntil(() => state.IndexingLag < options.DeferredMaxLag || !state.IsDeferred,
            error => new CollectionFaultedException(Name, error), CancellationToken.None);
    }

    /// <summary>
    /// Stops the background indexer and the value-graph builder for good (close or drop): the passes in progress
    /// complete; queued rows stay in the records and the log, and a reopen queues them again.
    /// </summary>
    private void StopIndexer()
    {
        DeferredIndexer? indexer, builder;
        lock (_indexerGate)
        {
            _indexerStopped = true;
            _valueGraphBuilderStopped = true;
            indexer = _indexer;
            builder = _valueGraphBuilder;
        }
        indexer?.Stop();
        builder?.Stop();
    }
}
