using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using VectLite.Storage;

namespace VectLite;

/// <summary>
/// One open database directory: the collections loaded from it, the writer lock, the sync mode. Shared by every
/// <see cref="Database"/> handle of this process onto the same path (see <see cref="EngineRegistry"/>) and closed
/// when the last of them is disposed.
/// </summary>
/// <remarks>
/// A writer engine holds <c>vectlite.lock</c> and appends to the collections' logs; a read-only engine holds no lock
/// and sees each collection as it was when it first loaded it. Thread safety: all members are safe to call from many
/// threads; collection management (create, load, drop, close) is serialised by one lock.
/// </remarks>
internal sealed class DatabaseEngine
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CollectionEngine> _open = new(StringComparer.Ordinal);
    private readonly LockFile? _writerLock;
    private readonly string _collectionsPath;
    private SyncMode _syncMode;
    private bool _closed;
    private Storage.TransactionLog? _transactionLog;
    private Dictionary<string, List<Storage.TransactionPart>>? _pendingParts; // read-only: committed transactions to apply at load

    /// <summary>Handles holding this engine; the opener's is the first. Changed under the registry slot's gate, or by Interlocked on release.</summary>
    private int _references = 1;

    private DatabaseEngine(string path, bool readOnly, DatabaseOptions options, LockFile? writerLock)
    {
        Path = path;
        IsReadOnly = readOnly;
        Logger = options.Logger;
        Storage = options.Storage;
        AutoCheckpoint = options.AutoCheckpoint;
        _syncMode = options.SyncMode;
        _writerLock = writerLock;
        _collectionsPath = System.IO.Path.Combine(path, Database.CollectionsFolder);
    }

    /// <summary>The database directory (full path, as the first opener spelled it).</summary>
    public string Path { get; }

    /// <summary>True for an engine opened without the writer lock.</summary>
    public bool IsReadOnly { get; }

    /// <summary>True for <see cref="Database.OpenInMemory"/>: collections live in memory only, with no directory or file.</summary>
    public bool IsInMemory { get; private init; }

    public Microsoft.Extensions.Logging.ILogger Logger { get; }

    /// <summary>The device every file write goes through (<see cref="DatabaseOptions.Storage"/>).</summary>
    public IStorageDevice Storage { get; }

    /// <summary>When collections checkpoint by themselves (<see cref="DatabaseOptions.AutoCheckpoint"/>).</summary>
    public AutoCheckpointOptions AutoCheckpoint { get; }

    /// <summary>The registry slot this engine lives in; null for an engine opened outside the registry.</summary>
    public EngineRegistry.Slot? Slot { get; init; }

    /// <summary>
    /// When the write-ahead log is fsynced. Setting a stricter mode than the current one syncs every collection's log
    /// at once, so nothing acknowledged under the looser mode stays exposed.
    /// </summary>
    public SyncMode SyncMode
    {
        get => _syncMode;
        set
        {
            bool stricter;
            lock (_lock)
            {
                stricter = value.MaxUnsyncedBatches < _syncMode.MaxUnsyncedBatches;
                _syncMode = value;
            }
            if (stricter)
            {
                Flush();
            }
        }
    }

    /// <summary>Test view: how many handles hold this engine.</summary>
    internal int References => Volatile.Read(ref _references);

    /// <summary>Test view: true once the last handle closed the engine.</summary>
    internal bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Opens the directory: for a writer, takes the lock and creates the database if the directory is missing or
    /// empty; for a reader, checks the manifest. Collections load when first asked for (or by <see cref="LoadAll"/>).
    /// </summary>
    /// <param name="full">The full path.</param>
    /// <param name="options">The opener's options.</param>
    /// <param name="lockedInThisProcess">Whether this process holds the lock through another engine, to say so if the lock is refused.</param>
    /// <param name="slot">The registry slot the engine will live in; null for a private engine.</param>
    /// <exception cref="DatabaseLockedException">The lock is held elsewhere.</exception>
    /// <param name="cancellationToken">Ends a wait for the lock (<see cref="DatabaseOptions.LockTimeout"/>).</param>
    public static DatabaseEngine Open(string full, DatabaseOptions options, Func<bool> lockedInThisProcess, EngineRegistry.Slot? slot, CancellationToken cancellationToken = default)
    {
        string manifestPath = System.IO.Path.Combine(full, Database.ManifestFileName);
        if (options.ReadOnly)
        {
            if (!System.IO.Directory.Exists(full))
            {
                throw new DirectoryNotFoundException($"No database at '{full}': the directory does not exist.");
            }
            Database.ReadManifest(manifestPath);
            return new DatabaseEngine(full, readOnly: true, options, writerLock: null)
            {
                Slot = slot,
                _pendingParts = Transactions.TransactionRecovery.ReadPending(full),
            };
        }

        IStorageDevice storage = options.Storage;
        storage.CreateDirectory(full);
        LockFile writerLock;
        try
        {
            writerLock = LockFile.Acquire(full, options.LockTimeout, cancellationToken);
        }
        catch (DatabaseLockedException ex) when (lockedInThisProcess())
        {
            throw DatabaseLockedException.InThisProcess(ex.LockFilePath, ex);
        }
        try
        {
            if (File.Exists(manifestPath))
            {
                Database.ReadManifest(manifestPath);
            }
            else
            {
                bool empty = !System.IO.Directory.EnumerateFileSystemEntries(full).Any(e => !IsLeftOfCreation(e));
                if (!empty)
                {
                    throw new CorruptFileException(manifestPath, -1, "the directory is not empty and has no VectLite manifest, so it is not a VectLite database (refusing to write into it)");
                }
                storage.CreateDirectory(System.IO.Path.Combine(full, Database.CollectionsFolder));
                storage.SyncDirectory(full);
                WriteManifest(storage, manifestPath);
            }
            storage.CreateDirectory(System.IO.Path.Combine(full, Database.CollectionsFolder));
            var engine = new DatabaseEngine(full, readOnly: false, options, writerLock) { Slot = slot };
            engine.RemoveLeftovers();
            try
            {
                Transactions.TransactionRecovery.CompleteOnOpen(engine, cancellationToken);
            }
            catch
            {
                engine.CloseCollectionsAfterFailedOpen();
                throw;
            }
            return engine;
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>A database with no directory: its collections live in this engine's memory and end with it.</summary>
    public static DatabaseEngine OpenInMemory(DatabaseOptions options) =>
        new(Database.InMemoryPath, readOnly: false, options, writerLock: null) { IsInMemory = true };

    /// <summary>Takes one more reference for a new handle; false once the engine is closing. Called under the slot's gate.</summary>
    public bool TryAddReference()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }
            Interlocked.Increment(ref _references);
            return true;
        }
    }

    /// <summary>Drops a handle's reference; returns how many remain.</summary>
    public int RemoveReference()
    {
        int left = Interlocked.Decrement(ref _references);
        System.Diagnostics.Debug.Assert(left >= 0, "an engine reference was released twice");
        return left;
    }

    /// <summary>
    /// For a read-only engine: whether every collection it loaded is still what is on disk (same checkpoint manifest,
    /// same log length), so a new read-only handle joining it sees no older state than an open of its own would.
    /// </summary>
    public bool IsCurrent()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }
            foreach (CollectionEngine collection in _open.Values)
            {
                if (!collection.MatchesDisk())
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>Creates a collection.</summary>
    public CollectionEngine CreateCollection(string name, CollectionSchema schema)
    {
        Names.Validate("collection", name);
        ArgumentNullException.ThrowIfNull(schema);
        lock (_lock)
        {
            ThrowIfClosed();
            if (IsReadOnly)
            {
                throw new ReadOnlyDatabaseException($"create collection '{name}'");
            }
            string? clash = FindCaseInsensitive(name);
            if (IsInMemory)
            {
                // Same rules as on disk (names differing only in case clash), so code tested in memory runs on disk.
                CollectionEngine created = clash is null ? CollectionEngine.CreateInMemory(this, name, schema) : throw new CollectionExistsException(clash);
                _open[name] = created;
                return created;
            }
            string final = CollectionPath(name);
            if (clash is not null || System.IO.Directory.Exists(final))
            {
                throw new CollectionExistsException(clash ?? name);
            }

            // Build the collection in a temporary directory and rename it into place: it appears whole or not at all.
            string temp = System.IO.Path.Combine(_collectionsPath, $"{Database.TempPrefix}{name}-{Guid.NewGuid():N}");
            Storage.CreateDirectory(temp);
            try
            {
                CollectionEngine.Initialize(Storage, temp, schema);
                Storage.SyncDirectory(temp);
                Storage.MoveDirectory(temp, final);
                Storage.SyncDirectory(_collectionsPath);
            }
            catch
            {
                TryDeleteDirectory(temp);
                throw;
            }
            CollectionEngine collection = CollectionEngine.Open(this, name, final, readOnly: false, CancellationToken.None);
            _open[name] = collection;
            return collection;
        }
    }

    /// <summary>Returns the collection, creating it with <paramref name="schema"/> if it does not exist (and <paramref name="mayCreate"/>).</summary>
    /// <exception cref="ReadOnlyDatabaseException">It does not exist, and <paramref name="mayCreate"/> is false (a read-only handle).</exception>
    public CollectionEngine GetOrCreateCollection(string name, CollectionSchema schema, bool mayCreate = true)
    {
        ArgumentNullException.ThrowIfNull(schema);
        lock (_lock)
        {
            if (TryGetCollection(name, out CollectionEngine? existing))
            {
                CollectionSchema stored = existing.Schema;
                if (SchemaDifferences.Structural(stored, schema) is { Count: > 0 } differences)
                {
                    throw new SchemaException($"Collection \"{name}\" exists with a different schema: {string.Join("; ", differences)}.");
                }
                if (SchemaDifferences.RuntimeHnsw(stored.Hnsw, schema.Hnsw) is { Count: > 0 } runtime)
                {
                    Log.RuntimeOptionsKept(Logger, name, string.Join("; ", runtime));
                }
                return existing;
            }
            return mayCreate ? CreateCollection(name, schema) : throw new ReadOnlyDatabaseException($"create collection '{name}'");
        }
    }

    /// <summary>Looks up a collection by name, loading it on first use; false if there is none (or the name is not valid).</summary>
    public bool TryGetCollection(string name, [NotNullWhen(true)] out CollectionEngine? collection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfClosed();
            if (_open.TryGetValue(name, out collection))
            {
                return true;
            }
            try
            {
                Names.Validate("collection", name);
            }
            catch (InvalidNameException)
            {
                return false;
            }
            string path = CollectionPath(name);
            if (IsInMemory || !System.IO.Directory.Exists(path))
            {
                return false;
            }
            collection = CollectionEngine.Open(this, name, path, IsReadOnly, cancellationToken);
            Transactions.TransactionRecovery.ApplyPending(_pendingParts, collection, Path);
            _open[name] = collection;
            return true;
        }
    }

    /// <summary>Loads every collection now (replaying its log), instead of on first use.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; collections loaded before stay loaded.</exception>
    public void LoadAll(CancellationToken cancellationToken)
    {
        foreach (string name in ListCollections())
        {
            cancellationToken.ThrowIfCancellationRequested();
            TryGetCollection(name, out _, cancellationToken);
        }
    }

    /// <summary>Whether a collection with this name exists.</summary>
    public bool CollectionExists(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfClosed();
            return _open.ContainsKey(name) || ListCollectionsCore().Contains(name, StringComparer.Ordinal);
        }
    }

    /// <summary>The names of all collections, sorted ordinally.</summary>
    public IReadOnlyList<string> ListCollections()
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return ListCollectionsCore();
        }
    }

    /// <summary>Deletes a collection and all its files; false if there was none.</summary>
    public bool DropCollection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfClosed();
            if (IsReadOnly)
            {
                throw new ReadOnlyDatabaseException($"drop collection '{name}'");
            }
            if (!ListCollectionsCore().Contains(name, StringComparer.Ordinal))
            {
                return false;
            }
            lock (TransactionGate)
            {
                // A transaction record left by a commit whose log could not be emptied names collections by name and
                // LSN: a collection dropped and created again must not meet it. Empty it first (it is complete), or
                // refuse the drop if that fails.
                if (_transactionLog is { IsEmpty: false } log)
                {
                    log.Clear();
                }
            }
            if (_open.Remove(name, out CollectionEngine? collection))
            {
                collection.Close(dropped: true);
            }
            if (IsInMemory)
            {
                return true; // nothing on disk
            }
            // Rename first (atomic), then delete: a crash mid-delete leaves a ".dropped-" folder that the next open removes.
            string doomed = System.IO.Path.Combine(_collectionsPath, $"{Database.DroppedPrefix}{name}-{Guid.NewGuid():N}");
            Storage.MoveDirectory(CollectionPath(name), doomed);
            Storage.SyncDirectory(_collectionsPath);
            TryDeleteDirectory(doomed);
            return true;
        }
    }

    /// <summary>
    /// Loads every collection and runs <paramref name="action"/> on them (in name order) with collection management held
    /// off: no collection is created, loaded, dropped or closed until it returns. Used by a backup to fix its point.
    /// </summary>
    public T WithCollectionsHeld<T>(Func<CollectionEngine[], T> action)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var collections = new List<CollectionEngine>();
            foreach (string name in ListCollectionsCore())
            {
                if (TryGetCollection(name, out CollectionEngine? collection))
                {
                    collections.Add(collection);
                }
            }
            return action([.. collections]);
        }
    }

    /// <summary>Test hooks for <see cref="DatabaseBackup"/> on this engine; null (the default) outside tests.</summary>
    internal DatabaseBackup.Hooks? BackupHooksForTests { get; set; }

    /// <summary>fsyncs every open collection's log, whatever the sync mode.</summary>
    public void Flush()
    {
        foreach (CollectionEngine collection in OpenCollections())
        {
            collection.SyncWal();
        }
    }

    /// <summary>The collections loaded so far.</summary>
    public CollectionEngine[] OpenCollections()
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return [.. _open.Values];
        }
    }

    /// <summary>
    /// Called once, by the last handle (under the registry slot's gate): syncs and closes every collection (running
    /// the close checkpoints that are due) and releases the writer lock.
    /// </summary>
    /// <returns>False when a new handle took a reference meanwhile, or the engine is already closed: nothing done.</returns>
    /// <exception cref="StorageException">A log could not be synced; every collection is closed and the lock released all the same.</exception>
    /// <param name="closeCheckpoints">Run the close checkpoints that are due (false when closing a cancelled open).</param>
    public bool CloseIfUnused(bool closeCheckpoints = true)
    {
        lock (_lock)
        {
            if (_closed || Volatile.Read(ref _references) != 0)
            {
                return false;
            }
            _closed = true;
            StorageException? failed = null;
            try
            {
                foreach (CollectionEngine collection in _open.Values)
                {
                    try
                    {
                        collection.Close(dropped: false, closeCheckpoints);
                    }
                    catch (StorageException ex)
                    {
                        failed ??= ex; // a log that cannot be synced must not leave the other collections open
                    }
                }
                _open.Clear();
                _transactionLog?.Dispose();
                _transactionLog = null;
            }
            finally
            {
                _writerLock?.Dispose();
            }
            if (failed is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
            }
            return true;
        }
    }

    /// <summary>Serialises write batches across collections (one transaction log, one commit at a time).</summary>
    public Lock TransactionGate { get; } = new();

    /// <summary>Test hook: runs right after a cross-collection write batch is committed, before its parts are written.</summary>
    internal Action? TransactionCommittedForTests { get; set; }

    /// <summary>The transaction log, opened (created when missing) on first use. The transaction gate or the open holds.</summary>
    public Storage.TransactionLog TransactionLog() => _transactionLog ??= VectLite.Storage.TransactionLog.OpenForCommits(Storage, Path);

    /// <summary>Closes what a writer open that failed in transaction recovery loaded (the lock is released by the caller's cleanup).</summary>
    private void CloseCollectionsAfterFailedOpen()
    {
        foreach (CollectionEngine collection in _open.Values)
        {
            try
            {
                collection.Close(dropped: false, closeCheckpoint: false);
            }
            catch (StorageException)
            {
            }
        }
        _open.Clear();
        _transactionLog?.Dispose();
        _transactionLog = null;
    }

    /// <summary>The directory of collection <paramref name="name"/>.</summary>
    public string CollectionPath(string name) => System.IO.Path.Combine(_collectionsPath, name);

    private List<string> ListCollectionsCore()
    {
        if (IsInMemory)
        {
            return [.. _open.Keys.Order(StringComparer.Ordinal)];
        }
        var names = new List<string>();
        if (System.IO.Directory.Exists(_collectionsPath))
        {
            foreach (string dir in System.IO.Directory.EnumerateDirectories(_collectionsPath))
            {
                string name = System.IO.Path.GetFileName(dir);
                if (!name.StartsWith('.'))
                {
                    names.Add(name);
                }
            }
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Names differing only in case would share a directory on Windows and macOS: treat them as the same.</summary>
    private string? FindCaseInsensitive(string name) =>
        ListCollectionsCore().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    private void RemoveLeftovers()
    {
        foreach (string dir in System.IO.Directory.EnumerateDirectories(_collectionsPath))
        {
            string name = System.IO.Path.GetFileName(dir);
            if (name.StartsWith(Database.TempPrefix, StringComparison.Ordinal) || name.StartsWith(Database.DroppedPrefix, StringComparison.Ordinal))
            {
                TryDeleteDirectory(dir);
            }
        }
    }

    /// <summary>
    /// What a creation that failed or crashed before its manifest was in place leaves behind (the lock file, the empty
    /// collections folder, the manifest's temporary file): the directory still counts as empty, so the next open
    /// finishes the creation instead of refusing a directory it made itself.
    /// </summary>
    private static bool IsLeftOfCreation(string entry)
    {
        string name = System.IO.Path.GetFileName(entry);
        return name == LockFile.FileName
            || name == Database.ManifestFileName + DurableFile.TempSuffix
            || (name == Database.CollectionsFolder && System.IO.Directory.Exists(entry) && !System.IO.Directory.EnumerateFileSystemEntries(entry).Any());
    }

    /// <summary>Only reachable through a handle that raced its own disposal: handles check first.</summary>
    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, typeof(Database));

    private void TryDeleteDirectory(string path)
    {
        try
        {
            Storage.DeleteDirectory(path);
        }
        catch (StorageException)
        {
            // removed at the next writer open
        }
    }

    private static void WriteManifest(IStorageDevice storage, string path)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", "vectlite");
            json.WriteNumber("formatVersion", FileMagic.CurrentVersion);
            json.WriteString("createdAt", DateTimeOffset.UtcNow);
            json.WriteEndObject();
        }
        DurableFile.WriteAtomic(storage, path, ManifestEnvelope.Wrap(FileMagic.DatabaseManifest, body.ToArray()));
    }
}
