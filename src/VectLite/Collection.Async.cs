using System.Runtime.CompilerServices;

namespace VectLite;

// The asynchronous members. The engine is embedded and its work is CPU (validation, indexing, search) and synchronous
// file I/O, so "async" here means: an operation that waits for an fsync or writes files (a write under a syncing
// SyncMode, a flush, a compaction) runs on the thread pool and frees the caller; a CPU-bound read (search, scroll)
// runs on the calling thread and completes before it returns. Every method checks its token before it starts, and
// long operations check it as they go. docs/durability.md, "Asynchronous calls", says the same for users.
public sealed partial class Collection
{
    /// <summary>
    /// Inserts or replaces the records as one atomic batch, as <see cref="UpsertMany"/> does. Under
    /// <see cref="SyncMode.OnFlush"/>, and in memory, it runs on the calling thread (no fsync to wait for); otherwise on
    /// the thread pool.
    /// </summary>
    /// <returns>The number of records written.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the batch was logged (checked while the records are validated): nothing was written. Once logged, the batch completes.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public Task<int> UpsertManyAsync(IEnumerable<Record> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        CollectionEngine engine = Writable("upsert records");
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }
        if (_database.Engine.SyncMode.Kind == SyncModeKind.OnFlush || _database.IsInMemory)
        {
            return Inline(() => engine.UpsertMany(records, cancellationToken), cancellationToken);
        }
        return Task.Run(() => engine.UpsertMany(records, cancellationToken), cancellationToken);
    }

    /// <summary>Searches as <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/> does, on the calling thread (the work is CPU; there is nothing to wait for).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the search started.</exception>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(ReadOnlyMemory<float> query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        CollectionEngine engine = Usable();
        return Inline(() => engine.Search(query.Span, options), cancellationToken);
    }

    /// <summary>
    /// Every record matching <paramref name="options"/>, in scroll order, read a page (<see cref="ScrollOptions.Limit"/>
    /// records) at a time through <see cref="Scroll"/>: memory stays bounded by one page, and records written between
    /// pages appear if they sort after the last one read.
    /// </summary>
    /// <param name="options">Filter, namespace, projection and page size; <see cref="ScrollOptions.Cursor"/> is where to start (null: the beginning).</param>
    /// <param name="cancellationToken">Checked before each page.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<Record> ScrollAllAsync(ScrollOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new ScrollOptions();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScrollPage page = Scroll(options);
            foreach (Record record in page.Records)
            {
                yield return record;
            }
            if (page.NextCursor is null)
            {
                yield break;
            }
            options = options.WithCursor(page.NextCursor);
            await Task.Yield(); // between pages, let the caller's context breathe: a long export does not hog it
        }
    }

    /// <summary>fsyncs the log as <see cref="Flush"/> does, on the thread pool.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the flush started (once started, it completes).</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        CollectionEngine engine = Usable();
        return Task.Run(engine.Flush, cancellationToken);
    }

    /// <summary>Waits as <see cref="WaitForIndexing"/> does, on the thread pool (the wait blocks a thread while the indexer works).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; indexing goes on.</exception>
    public Task WaitForIndexingAsync(CancellationToken cancellationToken = default)
    {
        CollectionEngine engine = Usable();
        return Task.Run(() => engine.WaitForIndexing(cancellationToken), cancellationToken);
    }

    /// <summary>Checkpoints as <see cref="Compact"/> does, on the thread pool.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the commit point; nothing changed on disk.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public Task CompactAsync(CancellationToken cancellationToken = default)
    {
        CollectionEngine engine = Writable("compact");
        return Task.Run(() => engine.Compact(cancellationToken), cancellationToken);
    }

    /// <summary>Runs CPU-bound work on the calling thread, its outcome (result, exception or cancellation) in the task.</summary>
    private static Task<T> Inline<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        try
        {
            return Task.FromResult(work());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }
}
