namespace VectLite;

public sealed partial class Database
{
    /// <summary>
    /// Opens the database as <see cref="Open"/> does, then loads every collection (reads its checkpoint, replays its
    /// log, builds or loads its indexes), so the first calls on them do not pay for it; cancellable throughout.
    /// </summary>
    /// <remarks>
    /// Honest about threads: the engine's file reads are synchronous, so the open runs on the thread pool and the
    /// calling thread is free at once; a wait for another open or close of the same directory in this process does not
    /// hold a thread. Cancellation is checked while waiting for the lock (<see cref="DatabaseOptions.LockTimeout"/>),
    /// between logged batches during replay, and between collections; an index build, once started, runs to its end.
    /// A cancelled open leaves nothing behind: this handle is released (when it was the only one, the engine is closed
    /// and the lock released) without a close checkpoint, and nothing on disk changed.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="DatabaseLockedException">Another process has the database open for writing.</exception>
    /// <exception cref="CorruptFileException">A manifest, a checkpoint file or a log is damaged.</exception>
    /// <exception cref="DirectoryNotFoundException">Read-only open of a directory that does not exist.</exception>
    public static async Task<Database> OpenAsync(string path, DatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        (string full, options) = CheckOpenArguments(path, options);
        cancellationToken.ThrowIfCancellationRequested();
        DatabaseEngine engine = options.Unshared
            ? await Task.Run(() => DatabaseEngine.Open(full, options, () => EngineRegistry.HasWriter(full), slot: null, cancellationToken), cancellationToken).ConfigureAwait(false)
            : await EngineRegistry.AcquireAsync(full, options, cancellationToken).ConfigureAwait(false);
        var database = new Database(engine, options.ReadOnly);
        try
        {
            await Task.Run(() => engine.LoadAll(cancellationToken), cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            database.Release(closeCheckpoints: false);
            throw;
        }
    }

    /// <summary>
    /// Disposes this handle as <see cref="Dispose"/> does, on the thread pool: when it is the last handle, closing syncs
    /// the logs and may run close checkpoints, which the caller does not wait for on its own thread.
    /// </summary>
    /// <exception cref="StorageException">Closing: a log could not be synced; everything is closed all the same.</exception>
    public ValueTask DisposeAsync() => _disposed ? ValueTask.CompletedTask : new ValueTask(Task.Run(Dispose));

    /// <summary>fsyncs every open collection's log, as <see cref="Flush"/> does, on the thread pool: the fsync blocks a pool thread, not the caller.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the flush started (once started, it completes).</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Task.Run(Flush, cancellationToken);
    }

    /// <summary>Applies a write batch as <see cref="Write(WriteBatch)"/> does, on the thread pool (it fsyncs).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the commit: nothing was written.</exception>
    public Task<int> WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfWriteRefused("write a batch");
        return Task.Run(() => Write(batch, cancellationToken), cancellationToken);
    }

    /// <summary>Checkpoints every collection as <see cref="Compact"/> does, on the thread pool.</summary>
    /// <remarks>Cancellation is honoured up to each collection's commit point (see <see cref="Collection.Compact"/>): a cancelled compaction leaves the collections not yet committed as they were.</remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public Task CompactAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfWriteRefused("compact");
        return Task.Run(() => Compact(cancellationToken), cancellationToken);
    }

    /// <summary>Backs up the database as <see cref="Backup"/> does, on the thread pool (the copy's reads, writes and fsyncs block a pool thread, not the caller).</summary>
    /// <remarks>Cancellation is checked while waiting for running checkpoints and between chunks of the copy; a cancelled
    /// backup removes what it wrote and leaves the database as it was.</remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="BackupTargetNotEmptyException">The target directory exists and is not empty.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public Task<BackupReport> BackupAsync(string targetDirectory, CancellationToken cancellationToken = default)
    {
        CheckBackup(targetDirectory);
        return Task.Run(() => Backup(targetDirectory, cancellationToken), cancellationToken);
    }
}
