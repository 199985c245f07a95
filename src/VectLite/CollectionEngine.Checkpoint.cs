using VectLite.Indexing;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>How long automatic checkpoints pause after one failed (the log keeps everything meanwhile).</summary>
    private const long AutoCheckpointRetryMilliseconds = 10_000;

    /// <summary>One checkpoint at a time per collection: manual, automatic or at close.</summary>
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private volatile bool _closingRequested;
    private int _autoCheckpointQueued;
    private long _autoCheckpointRetryAt;
    private long _checkpointsWritten;
    private volatile CheckpointInfo? _lastCheckpoint;
    private volatile string? _lastCheckpointError;

    /// <summary>
    /// Writes a checkpoint: the live, unexpired records go to new immutable files, the log is emptied, and memory held
    /// by deleted, replaced and expired rows is reclaimed. Readers keep running throughout; writers wait only while the
    /// in-memory state is compacted and while the log is cut back, not while the files are written. Checkpoints also
    /// happen by themselves (<see cref="DatabaseOptions.AutoCheckpoint"/>); this waits for one that is running.
    /// </summary>
    /// <remarks>
    /// Steps, each durable before the next: (under the writer lock) sync the log, compact the in-memory state if it
    /// holds dead or expiring rows, and fix an image of it at the current LSN; (with writes continuing) write the image's
    /// data files under temporary names and fsync them, rename them into place and fsync the directory, replace the
    /// checkpoint manifest atomically (the commit point); (under the writer lock) cut the log back to the batches
    /// written since the image (an automatic checkpoint started by dead rows may leave a small checkpointed prefix, see
    /// <c>CheckpointPolicy.CutsLog</c>); (with writes continuing) delete the previous generation's files. A crash before the manifest is replaced leaves
    /// the old checkpoint and the full log; after it, the new checkpoint, whose LSN tells replay to skip what the log
    /// still holds.
    /// </remarks>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit point; nothing changed on disk.</exception>
    /// <exception cref="StorageException">A file could not be written; the previous checkpoint and the log stay intact.</exception>
    public void Compact(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        if (IsReadOnly)
        {
            throw new ReadOnlyDatabaseException("compact");
        }
        _checkpointGate.Wait(cancellationToken);
        try
        {
            Checkpoint(CheckpointTrigger.Manual, cancellationToken);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Runs one checkpoint. The caller holds <see cref="_checkpointGate"/>.</summary>
    private void Checkpoint(CheckpointTrigger trigger, CancellationToken cancellationToken)
    {
        if (_inMemory)
        {
            CompactMemory(trigger, cancellationToken);
            return;
        }
        long started = Environment.TickCount64;
        IStorageDevice storage = _database.Storage;
        CheckpointImage image;
        CollectionState? replaced = null;
        int rebuilt = 0, remapped = 0;
        long blocked;
        lock (_writeLock)
        {
            long lockTaken = Environment.TickCount64; // writers wait from here, not while this thread waited for them
            ThrowIfNotWritable("compact");
            cancellationToken.ThrowIfCancellationRequested();
            _wal!.Sync();
            CollectionState state = _state;
            var graphs = new HnswGraph?[state.Arenas.Length];
            Indexing.ValueGraphs.ValueGraphField[] valueGraphs;
            // The index lock keeps a background indexer (deferred indexing) out while the graphs are renumbered and
            // copied, and while the state is replaced: its pass in progress finishes first, and a pass that starts
            // after finds the new state. The graphs then cover the rows the indexer reached; the loader queues the rest.
            lock (state.IndexLock)
            {
                if (state.RowCount != state.LiveRows || state.AnyExpiring || state.CodesDrifted)
                {
                    CollectionState fresh = StateCompaction.Compact(state, _lsn, cancellationToken, out rebuilt, out remapped, storage, Directory);
                    fresh.ValueGraphsRequested = NotifyValueGraphBuilder;
                    Volatile.Write(ref _state, fresh);
                    state.Release(); // freed once the last reader that took it lets go
                    replaced = state;
                    state = fresh;
                }
                lock (state.IndexLock)
                {
                    for (int o = 0; o < graphs.Length; o++)
                    {
                        graphs[o] = state.Graph(o)?.Freeze();
                    }
                    valueGraphs = state.FreezeValueGraphs();
                }
            }
            NotifyIndexer(state); // a compacted state may have rows for the indexer (a graph rebuilt, or the queue carried over)
            state.TryAcquire(); // the current state: its count is positive; released when the files are written
            var codes = new Quantization.QuantizedCodes?[state.Arenas.Length];
            for (int o = 0; o < codes.Length; o++)
            {
                codes[o] = state.Codes(o); // append-only: the rows below the image's count never change
            }
            var tokenGraphs = new (HnswGraph?, int)[state.Multi.Length];
            for (int m = 0; m < tokenGraphs.Length; m++)
            {
                // Every row is published here, so its tokens are in the graph unless indexing is off (a bulk load).
                Indexing.MultiVector.MultiVectorIndex index = state.Multi[m];
                tokenGraphs[m] = (index.IndexedRows == state.RowCount ? index.Graph.Freeze() : null, index.TokenCount);
            }
            var segments = new VectorSegment[state.Arenas.Length][];
            for (int o = 0; o < segments.Length; o++)
            {
                segments[o] = state.VectorSegments(o);
            }
            image = new CheckpointImage(state, state.RowCount, _lsn, _wal.Length, graphs, state.Schema, state.Indexes.Definitions.ToArray()) {
                Codes = codes,
                VectorSegments = segments,
                TextIndexes = state.TextIndexes,
                TokenGraphs = tokenGraphs,
                ValueGraphs = valueGraphs,
            };
            blocked = Environment.TickCount64 - lockTaken;
        }

        CheckpointManifest manifest;
        try
        {
            CheckpointWritingForTests?.Invoke();
            long generation = Interlocked.Read(ref _generation) + 1;
            var (files, renames, earlier, valueGraphFile) = CollectionFiles.Write(storage, Directory, generation, image,
                CheckpointManifest.ComputeGraphStamp(generation, image.Lsn, image.Rows), cancellationToken);
            foreach ((string temp, string final) in renames)
            {
                DurableFile.Commit(storage, temp, final);
            }
            storage.SyncDirectory(Directory);
            cancellationToken.ThrowIfCancellationRequested();
            manifest = new CheckpointManifest
            {
                Generation = generation,
                Lsn = image.Lsn,
                RecordCount = image.Rows,
                CreatedAt = DateTimeOffset.UtcNow,
                Schema = image.Schema,
                PayloadIndexes = [.. image.PayloadIndexes],
                TextIndexes = [.. image.TextIndexes.Select(t => t.Definition)],
                MultiVectorTokens = [.. image.TokenGraphs.Select(t => t.Tokens)],
                Files = files,
                EarlierSegments = earlier,
                ValueGraphFile = valueGraphFile,
            };
            manifest.WriteAtomic(storage, Directory); // the commit point
        }
        finally
        {
            image.State.Release();
        }

        // Committed: from here the new generation is the collection, even if the clean-up below fails.
        Vectors.MappedVectorFile[]?[] mappings = MapVectorFiles(manifest, image);
        // A checkpoint started by dead rows leaves a small checkpointed prefix in the log (CheckpointPolicy.CutsLog):
        // the cut costs fsyncs while writers wait, more than the prefix is worth.
        bool cutLog = CheckpointPolicy.CutsLog(_database.AutoCheckpoint, trigger, image.WalOffset - WalFormat.FileHeaderSize);
        StorageException? cutFailed = null;
        lock (_writeLock)
        {
            long cutStarted = Environment.TickCount64;
            Interlocked.Exchange(ref _generation, manifest.Generation);
            AttachVectorFiles(manifest, mappings, image.State);
            // The compacted-away state may still have readers, and map the previous generation's files: those go when
            // it is freed (before the clean-up below, which leaves mapped files alone and deletes the rest).
            replaced?.MarkVectorFilesObsolete();
            if (!_closed)
            {
                try
                {
                    if (cutLog)
                    {
                        _wal!.DropPrefix(image.WalOffset);
                    }
                    Interlocked.Exchange(ref _walBatches, _lsn - image.Lsn);
                }
                catch (StorageException ex)
                {
                    // The log still holds the checkpointed batches, which replay skips: nothing is lost.
                    Log.LogCutFailed(_database.Logger, Name, manifest.Generation, ex);
                    cutFailed = ex;
                    // The log keeps its length, so the size trigger stays due: pause automatic checkpoints as after a
                    // failure instead of writing the same checkpoint again and again.
                    Volatile.Write(ref _autoCheckpointRetryAt, Environment.TickCount64 + AutoCheckpointRetryMilliseconds);
                }
            }
            blocked += Environment.TickCount64 - cutStarted;
        }

        // The previous generation's files go outside the writer lock (deleting files takes milliseconds): the checkpoint
        // gate, which the caller holds, keeps out every other writer of this folder's files (checkpoints, backups,
        // option changes), and writers only append to the log, which is never an orphan.
        RemoveOrphans(storage, Directory, manifest);
        long ended = Environment.TickCount64;
        Interlocked.Increment(ref _checkpointsWritten);
        _lastCheckpoint = new CheckpointInfo(manifest.Generation, trigger, DateTimeOffset.UtcNow, image.Rows,
            TimeSpan.FromMilliseconds(ended - started), TimeSpan.FromMilliseconds(blocked));
        _lastCheckpointError = null;
        Log.Checkpointed(_database.Logger, Name, manifest.Generation, trigger, image.Rows, rebuilt, remapped, ended - started, blocked);
        if (cutFailed is not null && trigger == CheckpointTrigger.Manual)
        {
            // Committed, but the caller asked for an emptied log and the disk refused: say so. (A background or
            // closing checkpoint has logged it; nobody waits for its answer.)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cutFailed);
        }
    }

    /// <summary>
    /// Maps the vectors files just committed for the vectors kept on disk, every segment of each (null entries for the
    /// others). A file that cannot be mapped is logged and left: the vector's rows stay in RAM, and the next checkpoint
    /// tries again.
    /// </summary>
    private Vectors.MappedVectorFile[]?[] MapVectorFiles(CheckpointManifest manifest, CheckpointImage image)
    {
        var mappings = new Vectors.MappedVectorFile[]?[image.Schema.Vectors.Count];
        for (int v = 0; v < mappings.Length; v++)
        {
            VectorSpec spec = image.Schema.Vectors[v];
            if (spec.VectorsInRam)
            {
                continue;
            }
            VectorSegment[] segments = manifest.SegmentsOf(v);
            var mapped = new List<Vectors.MappedVectorFile>(segments.Length);
            try
            {
                foreach (VectorSegment segment in segments)
                {
                    mapped.Add(Vectors.MappedVectorFile.Open(Path.Combine(Directory, segment.File.Name), spec.Dimension, segment.Rows));
                }
                mappings[v] = [.. mapped];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CorruptFileException)
            {
                foreach (Vectors.MappedVectorFile file in mapped)
                {
                    file.Dispose();
                }
                Log.VectorsNotMapped(_database.Logger, Name, spec.Name, manifest.Generation, ex.Message);
            }
        }
        return mappings;
    }

    /// <summary>
    /// Under the writer lock, after the commit: records in the state which files now hold each vector's first rows (so
    /// the next checkpoint writes only the rows after them), and points each on-disk arena's checkpointed rows at its new
    /// mappings, so the RAM they took (and the mappings of files the generation no longer lists) is freed once no reader
    /// can still use it. The image's rows are the state's first rows bit for bit (the state is the one the image was
    /// taken from: only a checkpoint replaces it, and checkpoints run one at a time).
    /// </summary>
    private void AttachVectorFiles(CheckpointManifest manifest, Vectors.MappedVectorFile[]?[] mappings, CollectionState imaged)
    {
        bool current = ReferenceEquals(_state, imaged) && !_closed;
        for (int v = 0; v < mappings.Length; v++)
        {
            if (current)
            {
                imaged.SetVectorSegments(v, manifest.SegmentsOf(v));
            }
            if (mappings[v] is not { } files)
            {
                continue;
            }
            if (current)
            {
                imaged.AttachVectorFiles(v, files);
            }
            else
            {
                foreach (Vectors.MappedVectorFile file in files)
                {
                    file.Dispose();
                }
            }
        }
        VectorsAttachedForTests?.Invoke();
    }

    /// <summary>Test hook: runs under the writer lock right after a checkpoint pointed its on-disk arenas at the new files.</summary>
    internal Action? VectorsAttachedForTests { get; set; }

    /// <summary>
    /// The checkpoint of an in-memory collection: the state is compacted (deleted, replaced and expired rows freed, the
    /// graphs renumbered or rebuilt) under the writer lock, as the first step of a file checkpoint does; there are no
    /// files to write and no log to cut, so the checkpoint generation stays 0.
    /// </summary>
    private void CompactMemory(CheckpointTrigger trigger, CancellationToken cancellationToken)
    {
        long started = Environment.TickCount64;
        int rows;
        lock (_writeLock)
        {
            ThrowIfNotWritable("compact");
            cancellationToken.ThrowIfCancellationRequested();
            CollectionState state = _state;
            lock (state.IndexLock) // as in a file checkpoint: no indexing pass while the state is compacted and replaced
            {
                if (state.RowCount != state.LiveRows || state.AnyExpiring || state.CodesDrifted)
                {
                    CollectionState fresh = StateCompaction.Compact(state, _lsn, cancellationToken, out _, out _);
                    fresh.ValueGraphsRequested = NotifyValueGraphBuilder;
                    Volatile.Write(ref _state, fresh);
                    state.Release(); // freed once the last reader that took it lets go
                    state = fresh;
                }
            }
            NotifyIndexer(state);
            rows = state.RowCount;
        }
        TimeSpan took = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
        Interlocked.Increment(ref _checkpointsWritten);
        _lastCheckpoint = new CheckpointInfo(0, trigger, DateTimeOffset.UtcNow, rows, took, took);
        _lastCheckpointError = null;
    }

    /// <summary>Test hook: runs on the checkpointing thread after the image is fixed and the writer lock released, before any file is written.</summary>
    internal Action? CheckpointWritingForTests { get; set; }

    /// <summary>
    /// Starts a background checkpoint when <see cref="DatabaseOptions.AutoCheckpoint"/> says one is due. Called with the
    /// writer lock held: by the writer after each batch it publishes (a few comparisons when none is due), and by a
    /// background checkpoint as it ends (<paramref name="handingOver"/>: it clears the running flag unless it starts
    /// the next one).
    /// </summary>
    private void ScheduleCheckpointIfDue(bool handingOver = false)
    {
        if (!handingOver && Volatile.Read(ref _autoCheckpointQueued) != 0)
        {
            return; // one is queued or running; it re-checks the triggers when it ends
        }
        CollectionState state = _state;
        CheckpointTrigger? trigger = null;
        if (_database.AutoCheckpoint.Enabled && !_closingRequested && !_closed && _fault is null && state.IndexingEnabled
            && Environment.TickCount64 >= Volatile.Read(ref _autoCheckpointRetryAt))
        {
            trigger = CheckpointDue();
        }
        if (trigger is not { } due)
        {
            if (handingOver)
            {
                Volatile.Write(ref _autoCheckpointQueued, 0);
            }
            return;
        }
        Volatile.Write(ref _autoCheckpointQueued, 1);
        _ = Task.Run(() => RunAutoCheckpoint(due)); // catches everything it throws
    }

    /// <summary>The trigger that makes an automatic checkpoint due now, or null (<see cref="CheckpointPolicy.Due"/>).</summary>
    private CheckpointTrigger? CheckpointDue()
    {
        CollectionState state = _state;
        long logBytes = _wal is null ? 0 : _wal.Length - WalFormat.FileHeaderSize; // in memory: only dead rows count
        return CheckpointPolicy.Due(_database.AutoCheckpoint, logBytes, state.RowCount, state.LiveRows);
    }

    /// <summary>
    /// The background checkpoint started by <see cref="ScheduleCheckpointIfDue"/>. When it ends, the triggers are
    /// checked again: writes that arrived while it ran may have made another one due, and if the writer has gone quiet
    /// nothing else would notice (the triggers are otherwise checked only after a write).
    /// </summary>
    private void RunAutoCheckpoint(CheckpointTrigger trigger)
    {
        try
        {
            _checkpointGate.Wait(_closing.Token); // behind a manual checkpoint, if one is running
            try
            {
                // A checkpoint that ran meanwhile (manual) may have done this one's work: only go on if still due.
                if (!_closingRequested && CheckpointDue() is { } due)
                {
                    Checkpoint(due, _closing.Token);
                }
            }
            finally
            {
                _checkpointGate.Release();
            }
        }
        catch (OperationCanceledException) when (_closingRequested)
        {
            // the database is closing; the close checkpoint (if due) takes over
        }
        catch (Exception ex)
        {
            _lastCheckpointError = ex.Message;
            Volatile.Write(ref _autoCheckpointRetryAt, Environment.TickCount64 + AutoCheckpointRetryMilliseconds);
            Log.AutoCheckpointFailed(_database.Logger, Name, trigger, AutoCheckpointRetryMilliseconds / 1000, ex);
        }
        finally
        {
            // Hand over without a gap: if another checkpoint is due, the flag stays set and the next one starts, so
            // that "no checkpoint running" (CollectionStats.CheckpointRunning) means none is due either once writes stop.
            // A failure above set the retry delay, so this cannot spin.
            lock (_writeLock)
            {
                ScheduleCheckpointIfDue(handingOver: true);
            }
        }
    }

    /// <summary>
    /// Stops automatic checkpoints and waits for a running one; then, closing for good (not dropping), checkpoints if
    /// the log holds at least <see cref="AutoCheckpointOptions.CloseLogBytes"/>. Called by <see cref="Close"/> before
    /// the log is closed. A failure is logged, not thrown: the log still holds every batch.
    /// </summary>
    private void StopCheckpoints(bool checkpointIfDue)
    {
        _closingRequested = true;
        _closing.Cancel();
        _checkpointGate.Wait();
        try
        {
            long closeBytes = _database.AutoCheckpoint.CloseLogBytes;
            long frames = _wal is null ? 0 : _wal.Length - WalFormat.FileHeaderSize;
            if (checkpointIfDue && _database.AutoCheckpoint.Enabled && closeBytes >= 0 && frames > 0 && frames >= closeBytes
                && !_closed && _fault is null)
            {
                try
                {
                    Checkpoint(CheckpointTrigger.Close, CancellationToken.None);
                }
                catch (Exception ex) when (ex is VectLiteException or IOException or UnauthorizedAccessException)
                {
                    Log.AutoCheckpointFailed(_database.Logger, Name, CheckpointTrigger.Close, 0, ex);
                }
            }
        }
        finally
        {
            _checkpointGate.Release();
        }
    }
}
