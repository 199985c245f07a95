using VectLite.Indexing;
using VectLite.Records;
using VectLite.Storage;
using VectLite.Verification;

namespace VectLite;

/// <summary>
/// One open collection of a <see cref="DatabaseEngine"/>: its state, its log and its checkpoints, shared by every
/// <see cref="Collection"/> handle onto it (one per <see cref="Database"/> handle). The public documentation of its
/// operations is here; <see cref="Collection"/> routes to them.
/// </summary>
/// <remarks>
/// Thread safety: all members are safe to call from many threads. Writes are serialised by a writer lock; reads
/// (get, count, scroll, search) never wait for a writer and each sees one consistent state: the one published by the
/// last write batch completed before the read began.
/// </remarks>
internal sealed partial class CollectionEngine
{
    internal const string WalFileName = "wal.vlwal";

    private readonly DatabaseEngine _database;
    private readonly Lock _writeLock = new();
    private readonly BinaryBuffer _batchBuffer = new(MaxKeptBatchBuffer);

    /// <summary>
    /// The batch buffer this collection keeps: a larger batch encodes into an array of the shared pool, given back after
    /// the batch (kept, it would hold the largest batch's bytes for the life of the collection).
    /// </summary>
    private const int MaxKeptBatchBuffer = 64 * 1024;

    /// <summary>For tests: the bytes the batch buffer holds room for between batches.</summary>
    internal int BatchBufferCapacityForTests => _batchBuffer.Capacity;
    private readonly WalWriter? _wal;
    private CollectionState _state;
    private long _lsn;
    private long _generation;
    private long _walBatches;
    private readonly long _tornBytes;
    private readonly string? _tornReason;
    private volatile Exception? _fault;
    private volatile bool _closed;
    private volatile bool _dropped;
    private DiskStamp _diskStamp;

    /// <summary>A collection of <see cref="Database.OpenInMemory"/>: no directory, no log, no checkpoint files.</summary>
    private bool _inMemory;

    private CollectionEngine(DatabaseEngine database, string name, string directory, CollectionState state, WalWriter? wal,
        long lsn, long generation, long walBatches, long tornBytes, string? tornReason)
    {
        _database = database;
        Name = name;
        Directory = directory;
        _state = state;
        state.ValueGraphsRequested = NotifyValueGraphBuilder;
        _wal = wal;
        _lsn = lsn;
        _generation = generation;
        _walBatches = walBatches;
        _tornBytes = tornBytes;
        _tornReason = tornReason;
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>The collection's schema (immutable), with its current runtime HNSW settings (see <see cref="UpdateOptions"/>).</summary>
    public CollectionSchema Schema => Volatile.Read(ref _state).Schema;

    internal string Directory { get; }

    private bool IsReadOnly => _wal is null && !_inMemory;

    /// <summary>Creates the collection's directory contents (empty checkpoint, empty log) inside <paramref name="directory"/>.</summary>
    internal static void Initialize(IStorageDevice storage, string directory, CollectionSchema schema)
    {
        var empty = new CollectionState(schema, [], 0);
        try
        {
            var image = new CheckpointImage(empty, 0, 0, WalFormat.FileHeaderSize, new HnswGraph?[schema.Vectors.Count], schema, []);
            var (files, renames, _, _) = CollectionFiles.Write(storage, directory, 0, image, CheckpointManifest.ComputeGraphStamp(0, 0, 0), CancellationToken.None);
            foreach ((string temp, string final) in renames)
            {
                DurableFile.Commit(storage, temp, final);
            }
            WalWriter.CreateEmpty(storage, Path.Combine(directory, WalFileName));
            new CheckpointManifest
            {
                Generation = 0,
                Lsn = 0,
                RecordCount = 0,
                CreatedAt = DateTimeOffset.UtcNow,
                Schema = schema,
                PayloadIndexes = [],
                Files = files,
            }.WriteAtomic(storage, directory);
        }
        finally
        {
            empty.Release();
        }
    }

    /// <summary>
    /// Creates a collection that lives in memory only (<see cref="Database.OpenInMemory"/>): writes are validated and
    /// applied as in any collection, but nothing is logged or written to a file.
    /// </summary>
    internal static CollectionEngine CreateInMemory(DatabaseEngine database, string name, CollectionSchema schema) =>
        new(database, name, directory: "", new CollectionState(schema, [], 0), wal: null, lsn: 0, generation: 0, walBatches: 0, tornBytes: 0, tornReason: null)
        {
            _inMemory = true,
        };

    /// <summary>Loads the checkpoint, replays the log, and (for a writer) opens the log for appending.</summary>
    /// <remarks>
    /// A writer holds the lock, so nothing changes under it. A read-only open may race a writer in another process that
    /// checkpoints (new files, a new manifest, an emptied log, the old files deleted): it opens every file of the
    /// generation it read before reading any, and after replaying the log checks that no checkpoint newer than what it
    /// replayed replaced the manifest meanwhile. When one did, it reads again, as often as it takes: each retry means
    /// the writer made progress, and no retry limit exists for load to exhaust.
    /// </remarks>
    /// <exception cref="OperationCanceledException">Cancelled during the log replay; nothing is held.</exception>
    internal static CollectionEngine Open(DatabaseEngine database, string name, string directory, bool readOnly, CancellationToken cancellationToken)
    {
        if (!readOnly)
        {
            return OpenOnce(database, name, directory, readOnly: false, cancellationToken)!;
        }
        var spin = new SpinWait();
        long retriedGeneration = long.MinValue;
        while (true)
        {
            long generation = TryReadGeneration(directory);
            try
            {
                if (OpenOnce(database, name, directory, readOnly: true, cancellationToken) is { } collection)
                {
                    return collection;
                }
            }
            catch (CorruptFileException)
            {
                // The writer replaced the generation while we read it: its new checkpoint is complete, read it. Or it
                // emptied the log in place just after committing the generation we read, and refilled it while we were
                // halfway through (frames then look damaged): one more attempt for that generation tells this race
                // from real damage, since emptying the log again takes another checkpoint, a new generation.
                long now = TryReadGeneration(directory);
                if (now == generation && (now == retriedGeneration || now < 0))
                {
                    throw;
                }
                retriedGeneration = now == generation ? now : long.MinValue;
            }
            spin.SpinOnce(sleep1Threshold: 8);
        }
    }

    /// <summary>
    /// Test hook: runs in each read-only open attempt after the generation's files are opened and before they are read,
    /// with the collection's directory, so a test can make a writer checkpoint at exactly that moment.
    /// </summary>
    internal static Action<string>? ReadOnlyAttemptForTests { get; set; }

    /// <summary>Test hook: runs before each logged batch is replayed at open, with the collection's directory and the batch's LSN.</summary>
    internal static Action<string, long>? ReplayingForTests { get; set; }

    private static long TryReadGeneration(string directory)
    {
        try
        {
            return CheckpointManifest.Read(directory).Generation;
        }
        catch (CorruptFileException)
        {
            return -1;
        }
    }

    /// <summary>One attempt; null (read-only only) when a concurrent checkpoint made what was read stale: try again.</summary>
    private static CollectionEngine? OpenOnce(DatabaseEngine database, string name, string directory, bool readOnly, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DiskStamp stamp = DiskStamp.Of(directory); // before reading: a change while reading then shows as a mismatch
        CheckpointManifest manifest = CheckpointManifest.Read(directory);
        string? missing = null;
        using OpenCheckpoint? opened = readOnly ? OpenCheckpoint.TryOpen(directory, manifest, out missing) : null;
        if (readOnly)
        {
            ReadOnlyAttemptForTests?.Invoke(directory);
        }
        if (readOnly && opened is null)
        {
            if (CheckpointManifest.Read(directory).Generation != manifest.Generation)
            {
                return null; // replaced between reading the manifest and opening its files
            }
            throw new CorruptFileException(missing!, -1, "the file the checkpoint manifest lists is missing");
        }
        // Indexing waits until the log is replayed: then the graphs are extended (or built) once, in parallel.
        var state = new CollectionState(manifest.Schema, manifest.PayloadIndexes, manifest.Lsn) { IndexingEnabled = false };
        try
        {
            CollectionFiles.Load(directory, manifest, state, opened);
            CollectionFiles.LoadGraphs(directory, manifest, state, database.Logger, name, opened);
            CollectionFiles.LoadTokenGraphs(directory, manifest, state, database.Logger, name, opened);
            CollectionFiles.LoadTextIndexes(directory, manifest, state, opened);
            CollectionFiles.LoadCodes(directory, manifest, state, database.Logger, name, opened);
            CollectionFiles.LoadValueGraphs(directory, manifest, state, database.Logger, name, opened);
            state.Publish(manifest.Lsn);

            string walPath = Path.Combine(directory, WalFileName);
            if (!File.Exists(walPath))
            {
                throw new CorruptFileException(walPath, -1, "the collection's write-ahead log is missing");
            }
            long replayed = 0;
            var fit = new LoggedBatchFit(manifest.Schema, manifest.PayloadIndexes);
            WalReadResult result = WalReader.Read(walPath, manifest.Lsn, (lsn, offset, batch) =>
            {
                ReplayingForTests?.Invoke(directory, lsn);
                cancellationToken.ThrowIfCancellationRequested();
                List<WalOperation> operations;
                try
                {
                    operations = WalBatchCodec.Decode(batch);
                }
                catch (FormatException ex)
                {
                    // The frame's checksum matched, so this is not a torn write: refuse rather than guess.
                    throw new CorruptFileException(walPath, offset, $"batch {lsn} passed its checksum but does not decode ({ex.Message}). Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before it", ex);
                }
                // The same rule salvage and verify apply: a batch that does not fit the collection was not logged by it.
                string? misfit = fit.Check(operations);
                try
                {
                    if (misfit is not null)
                    {
                        throw new SchemaException(misfit);
                    }
                    foreach (WalOperation op in operations)
                    {
                        state.Apply(op, lsn);
                    }
                }
                catch (VectLiteException ex) when (ex is not CorruptFileException)
                {
                    throw new CorruptFileException(walPath, offset, $"batch {lsn} passed its checksum but cannot be applied ({ex.Message}). Nothing was truncated; `vectlite recover` (Database.Recover) keeps the batches before it", ex);
                }
                state.Publish(lsn);
                replayed++;
            }, salvage: false);

            if (readOnly && CheckpointManifest.Read(directory) is { } now && now.Generation != manifest.Generation && now.Lsn > result.LastLsn)
            {
                // A checkpoint newer than everything replayed replaced the manifest and emptied the log under us:
                // what was read is a consistent but older state, not the one at the open. Read again.
                state.Release();
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested(); // before the graphs are built: the longest step
            state.IndexingEnabled = true;
            state.Publish(result.LastLsn);

            if (result.TornBytes > 0)
            {
                Log.TornTailDropped(database.Logger, name, result.TornBytes, result.TornReason!);
            }

            WalWriter? wal = null;
            if (!readOnly)
            {
                wal = WalWriter.OpenForAppend(database.Storage, walPath, result.ValidLength, result.LastLsn, markSynced: result.EndsUnmarked, result.Version);
                RemoveOrphans(database.Storage, directory, manifest);
            }
            if (readOnly && state.IsDeferred && state.IndexingLag > 0)
            {
                // A read-only engine runs no background indexer (it takes no writes): it indexes what the checkpoint's
                // graphs lack here, once, as an immediate open does.
                state.IndexPendingRows();
                state.Publish(result.LastLsn);
            }
            var engine = new CollectionEngine(database, name, directory, state, wal, result.LastLsn, manifest.Generation, replayed, result.TornBytes, result.TornReason) { _diskStamp = stamp };
            if (!readOnly && state.IndexingLag > 0)
            {
                engine.NotifyIndexer(state); // deferred: the rows the checkpoint's graphs lack are queued again
            }
            if (state.HasValueGraphs)
            {
                // Saved value graphs: the builder inserts the rows written after their marks, and looks once for values
                // whose graph was being built when the checkpoint was taken.
                engine.NotifyValueGraphBuilder();
            }
            return engine;
        }
        catch
        {
            state.Release();
            throw;
        }
    }

    /// <summary>
    /// Whether the collection's files are as they were when it was loaded (no write, checkpoint or drop since, by
    /// anyone): a read-only engine that still matches can be shared by a new read-only handle.
    /// </summary>
    internal bool MatchesDisk() => DiskStamp.Of(Directory) == _diskStamp;

    /// <summary>Deletes temporary files and data files of other generations, left by a crash during a checkpoint.</summary>
    private static void RemoveOrphans(IStorageDevice storage, string directory, CheckpointManifest manifest)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal) { CheckpointManifest.FileName, WalFileName };
        foreach (CheckpointFile file in manifest.DataFiles)
        {
            keep.Add(file.Name);
        }
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            string fileName = Path.GetFileName(path);
            if (!keep.Contains(fileName) && (fileName.EndsWith(DurableFile.TempSuffix, StringComparison.Ordinal) || fileName.StartsWith('g'))
                && !Vectors.MappedVectorFile.IsMapped(path))
            {
                // A vectors file still mapped (readers may be in it) is deleted by its mapping once unmapped: never
                // delete a mapped file (Windows refuses; elsewhere it would only hide the name).
                storage.Delete(path);
            }
        }
    }

    /// <summary>
    /// Checks every file of this collection on disk without changing anything (see <see cref="Database.Verify(string, CancellationToken)"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public CollectionVerifyReport Verify(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested();
        return _inMemory
            ? new CollectionVerifyReport(Name, Directory, [], generation: 0, checkpointRecords: 0, logBatches: 0) // no file to check
            : CollectionVerifier.Verify(Directory, Name, cancellationToken);
    }

    /// <summary>For tests: the current state, without taking a reference (the test keeps the collection open meanwhile).</summary>
    internal CollectionState StateForTests => Volatile.Read(ref _state);

    /// <summary>Takes the current state for a read; the caller must <see cref="ReadLease.Release"/> the lease, once.</summary>
    private ReadLease AcquireState()
    {
        while (true)
        {
            ThrowIfUnusable(); // inside the loop: a close that freed the last state must end the wait
            CollectionState state = Volatile.Read(ref _state);
            if (state.TryAcquire())
            {
                return new ReadLease(state, state.Epochs.Enter());
            }
        }
    }

    private void ThrowIfUnusable()
    {
        if (_dropped)
        {
            throw new CollectionNotFoundException(Name);
        }
        ObjectDisposedException.ThrowIf(_closed, typeof(Collection)); // the public name: callers know no other
    }

    /// <summary>Called with the writer lock held, before any write.</summary>
    private void ThrowIfNotWritable(string operation)
    {
        ThrowIfUnusable();
        if (IsReadOnly)
        {
            throw new ReadOnlyDatabaseException(operation);
        }
        if (_fault is { } fault)
        {
            throw new CollectionFaultedException(Name, fault);
        }
    }

    /// <summary>Syncs the log (used by <see cref="Database.Flush"/> and by a switch to a stricter sync mode).</summary>
    internal void SyncWal()
    {
        lock (_writeLock)
        {
            if (!_closed)
            {
                _wal?.Sync();
            }
        }
    }

    /// <summary>Syncs and closes the log and frees memory once readers are done. Called by the database.</summary>
    /// <param name="dropped">The collection is being dropped: no close checkpoint, and handles say it is gone.</param>
    /// <param name="closeCheckpoint">Run the close checkpoint when one is due (false for an open that was cancelled).</param>
    internal void Close(bool dropped, bool closeCheckpoint = true)
    {
        if (!_closed)
        {
            StopIndexer(); // first: the pass in progress ends, and the close checkpoint does not wait for more
            StopCheckpoints(checkpointIfDue: !dropped && closeCheckpoint);
        }
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }
            _dropped = dropped;
            _closed = true;
            try
            {
                _wal?.Dispose(); // syncs: may fail with StorageException, and the memory must be freed all the same
            }
            finally
            {
                _state.Release();
            }
        }
    }

    /// <summary>"name (schema)".</summary>
    public override string ToString() => $"{Name} ({Volatile.Read(ref _state).Schema})";
}
