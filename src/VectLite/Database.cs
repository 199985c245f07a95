using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using VectLite.Storage;
using VectLite.Verification;

namespace VectLite;

/// <summary>
/// An open VectLite database: a directory holding collections. Open it, use it from any number of threads, dispose it.
/// </summary>
/// <example>
/// <code>
/// using var db = Database.Open("my.vectlite");
/// var docs = db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(384));
/// docs.Upsert(new Record(1, embedding, new JsonObject { ["lang"] = "en" }));
/// var hits = docs.Search(query, new SearchOptions { TopK = 5, Filter = Filter.Eq("lang", "en") });
/// </code>
/// </example>
/// <remarks>
/// One process at a time may open a database for writing (the lock file <c>vectlite.lock</c> enforces it); any
/// number may open it read-only alongside. Layout: <c>vectlite.db</c> (manifest), <c>vectlite.lock</c>, and
/// <c>collections/NAME/</c> per collection; docs/file-format.md describes every file.
/// </remarks>
public sealed class Database : IDisposable
{
    internal const string ManifestFileName = "vectlite.db";
    internal const string CollectionsFolder = "collections";
    internal const string TempPrefix = ".tmp-";
    internal const string DroppedPrefix = ".dropped-";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Collection> _open = new(StringComparer.Ordinal);
    private readonly LockFile? _writerLock;
    private readonly string _collectionsPath;
    private SyncMode _syncMode;
    private bool _disposed;

    private Database(string path, bool readOnly, SyncMode syncMode, LockFile? writerLock, Microsoft.Extensions.Logging.ILogger logger, IStorageDevice storage)
    {
        Logger = logger;
        Storage = storage;
        Path = path;
        IsReadOnly = readOnly;
        _syncMode = syncMode;
        _writerLock = writerLock;
        _collectionsPath = System.IO.Path.Combine(path, CollectionsFolder);
    }

    /// <summary>The database directory (full path).</summary>
    public string Path { get; }

    internal Microsoft.Extensions.Logging.ILogger Logger { get; }

    /// <summary>The device every file write goes through (<see cref="DatabaseOptions.Storage"/>).</summary>
    internal IStorageDevice Storage { get; }

    /// <summary>When collections checkpoint by themselves (<see cref="DatabaseOptions.AutoCheckpoint"/>).</summary>
    internal AutoCheckpointOptions AutoCheckpoint { get; private init; } = AutoCheckpointOptions.Default;

    /// <summary>True when opened with <see cref="DatabaseOptions.ReadOnly"/>.</summary>
    public bool IsReadOnly { get; }

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

    /// <summary>
    /// Opens the database in <paramref name="path"/>, creating it if the directory does not exist or is empty
    /// (unless read-only).
    /// </summary>
    /// <exception cref="DatabaseLockedException">Another process has the database open for writing.</exception>
    /// <exception cref="CorruptFileException">The manifest is damaged, or the directory holds other files and no manifest.</exception>
    /// <exception cref="DirectoryNotFoundException">Read-only open of a directory that does not exist.</exception>
    public static Database Open(string path, DatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DatabaseOptions();
        ArgumentNullException.ThrowIfNull(options.AutoCheckpoint, "options.AutoCheckpoint");
        options.AutoCheckpoint.Validate();
        string full = System.IO.Path.GetFullPath(path);
        string manifestPath = System.IO.Path.Combine(full, ManifestFileName);

        if (options.ReadOnly)
        {
            if (!System.IO.Directory.Exists(full))
            {
                throw new DirectoryNotFoundException($"No database at '{full}': the directory does not exist.");
            }
            ReadManifest(manifestPath);
            return new Database(full, readOnly: true, options.SyncMode, writerLock: null, options.Logger, options.Storage) { AutoCheckpoint = options.AutoCheckpoint };
        }

        IStorageDevice storage = options.Storage;
        storage.CreateDirectory(full);
        LockFile writerLock = LockFile.Acquire(full, options.LockTimeout);
        try
        {
            if (File.Exists(manifestPath))
            {
                ReadManifest(manifestPath);
            }
            else
            {
                bool empty = !System.IO.Directory.EnumerateFileSystemEntries(full).Any(e => !IsLeftOfCreation(e));
                if (!empty)
                {
                    throw new CorruptFileException(manifestPath, -1, "the directory is not empty and has no VectLite manifest, so it is not a VectLite database (refusing to write into it)");
                }
                storage.CreateDirectory(System.IO.Path.Combine(full, CollectionsFolder));
                storage.SyncDirectory(full);
                WriteManifest(storage, manifestPath);
            }
            storage.CreateDirectory(System.IO.Path.Combine(full, CollectionsFolder));
            var db = new Database(full, readOnly: false, options.SyncMode, writerLock, options.Logger, storage) { AutoCheckpoint = options.AutoCheckpoint };
            db.RemoveLeftovers();
            return db;
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Salvages a database whose write-ahead log is damaged (a <see cref="CorruptFileException"/> on opening a collection
    /// that names its <c>wal.vlwal</c>): each damaged log is copied aside whole, then cut back to the intact batches
    /// before the damage, so the collection opens again with every batch acknowledged before that point.
    /// </summary>
    /// <remarks>
    /// Takes the writer lock for its duration. Collections whose logs are intact are left untouched. Batches after the
    /// damage are not replayed (they may depend on the lost one) but stay in the copy (<see cref="CollectionRecovery.BackupPath"/>).
    /// Damaged checkpoint files are not repaired here: they are reported by opening or verifying, and restored from a backup.
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException">No database at <paramref name="path"/>.</exception>
    /// <exception cref="CorruptFileException">The database manifest or a collection's checkpoint manifest is damaged.</exception>
    /// <exception cref="DatabaseLockedException">Another process has the database open for writing.</exception>
    public static RecoveryReport Recover(string path, DatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(System.IO.Path.Combine(full, ManifestFileName)))
        {
            throw new DirectoryNotFoundException($"No VectLite database at '{full}': it has no {ManifestFileName} manifest.");
        }
        options ??= new DatabaseOptions();
        using Database db = Open(full, new DatabaseOptions { LockTimeout = options.LockTimeout, Logger = options.Logger, Storage = options.Storage });
        var results = new List<CollectionRecovery>();
        foreach (string name in db.ListCollections())
        {
            string directory = db.CollectionPath(name);
            CollectionRecovery outcome = WalSalvage.Salvage(db.Storage, name, System.IO.Path.Combine(directory, Collection.WalFileName), CheckpointManifest.Read(directory));
            if (outcome.Repaired)
            {
                Log.LogSalvaged(db.Logger, name, outcome.KeptBatches, outcome.BytesSetAside, outcome.DamageOffset, outcome.Problem!, outcome.BackupPath!);
            }
            results.Add(outcome);
        }
        return new RecoveryReport(results);
    }

    /// <summary>Whether <paramref name="path"/> is a directory holding a VectLite database (its manifest <c>vectlite.db</c>).</summary>
    /// <remarks>Tools use it to refuse a path that is not a database instead of letting <see cref="Open"/> create one.</remarks>
    public static bool Exists(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return File.Exists(System.IO.Path.Combine(System.IO.Path.GetFullPath(path), ManifestFileName));
    }

    /// <summary>
    /// Checks every file of the database in <paramref name="path"/> without opening it, changing it or taking its lock:
    /// the manifest, and per collection the checkpoint manifest, every data file's length and checksums, every log
    /// frame, and every HNSW graph file (a damaged or stale graph is reported, where an open would rebuild it).
    /// </summary>
    /// <remarks>Safe beside a writer in this or another process: see docs/operations.md, "Verifying a database".</remarks>
    /// <returns>Every file checked and every problem found (file, byte offset, description); <see cref="VerifyReport.IsIntact"/> is the verdict.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> is not an existing directory.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static VerifyReport Verify(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return DatabaseVerifier.Verify(path, cancellationToken);
    }

    /// <summary>Checks every file of this database as <see cref="Verify(string, CancellationToken)"/> does; works on a read-only or a writer handle.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public VerifyReport Verify(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return DatabaseVerifier.Verify(Path, cancellationToken);
    }

    /// <summary>Creates a collection.</summary>
    /// <exception cref="InvalidNameException">The name breaks the naming rules (1-64 of letters, digits, '_', '-', '.').</exception>
    /// <exception cref="CollectionExistsException">A collection with that name exists.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    public Collection CreateCollection(string name, CollectionSchema schema)
    {
        Names.Validate("collection", name);
        ArgumentNullException.ThrowIfNull(schema);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (IsReadOnly)
            {
                throw new ReadOnlyDatabaseException($"create collection '{name}'");
            }
            string final = CollectionPath(name);
            string? clash = FindCaseInsensitive(name);
            if (clash is not null || System.IO.Directory.Exists(final))
            {
                throw new CollectionExistsException(clash ?? name);
            }

            // Build the collection in a temporary directory and rename it into place: it appears whole or not at all.
            string temp = System.IO.Path.Combine(_collectionsPath, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
            Storage.CreateDirectory(temp);
            try
            {
                Collection.Initialize(Storage, temp, schema);
                Storage.SyncDirectory(temp);
                Storage.MoveDirectory(temp, final);
                Storage.SyncDirectory(_collectionsPath);
            }
            catch
            {
                TryDeleteDirectory(temp);
                throw;
            }
            Collection collection = Collection.Open(this, name, final, readOnly: false);
            _open[name] = collection;
            return collection;
        }
    }

    /// <summary>Returns the collection, creating it with <paramref name="schema"/> if it does not exist.</summary>
    /// <remarks>
    /// An existing collection is compared on its structural settings only: its vectors (by name; declaration order does
    /// not matter), their dimensions and metrics, and <see cref="HnswOptions.M"/> and <see cref="HnswOptions.EfConstruction"/>.
    /// Runtime settings (<see cref="HnswOptions.EfSearch"/> and the others <see cref="HnswOptions"/> lists) in
    /// <paramref name="schema"/> are ignored for an existing collection: it keeps its stored ones (logged at Information
    /// level when they differ) until <see cref="Collection.UpdateOptions"/> changes them.
    /// </remarks>
    /// <exception cref="SchemaException">It exists with different structural settings; the message names each difference.</exception>
    public Collection GetOrCreateCollection(string name, CollectionSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        lock (_lock)
        {
            if (TryGetCollection(name, out Collection? existing))
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
            return CreateCollection(name, schema);
        }
    }

    /// <summary>Returns the collection with this name.</summary>
    /// <exception cref="CollectionNotFoundException">There is none.</exception>
    public Collection GetCollection(string name) =>
        TryGetCollection(name, out Collection? collection) ? collection : throw new CollectionNotFoundException(name);

    /// <summary>Looks up a collection by name; false if there is none (or the name is not a valid collection name).</summary>
    /// <exception cref="CorruptFileException">The collection exists but its files are damaged.</exception>
    public bool TryGetCollection(string name, [NotNullWhen(true)] out Collection? collection)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfDisposed();
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
            if (!System.IO.Directory.Exists(path))
            {
                return false;
            }
            collection = Collection.Open(this, name, path, IsReadOnly);
            _open[name] = collection;
            return true;
        }
    }

    /// <summary>Whether a collection with this name exists.</summary>
    public bool CollectionExists(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfDisposed();
            return _open.ContainsKey(name) || ListCollectionsCore().Contains(name, StringComparer.Ordinal);
        }
    }

    /// <summary>The names of all collections, sorted ordinally.</summary>
    public IReadOnlyList<string> ListCollections()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ListCollectionsCore();
        }
    }

    /// <summary>
    /// Deletes a collection and all its files. Handles to it throw <see cref="CollectionNotFoundException"/> afterwards.
    /// </summary>
    /// <returns>False if there was no such collection.</returns>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    public bool DropCollection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (IsReadOnly)
            {
                throw new ReadOnlyDatabaseException($"drop collection '{name}'");
            }
            if (!ListCollectionsCore().Contains(name, StringComparer.Ordinal))
            {
                return false;
            }
            if (_open.Remove(name, out Collection? collection))
            {
                collection.Close(dropped: true);
            }
            // Rename first (atomic), then delete: a crash mid-delete leaves a ".dropped-" folder that the next open removes.
            string doomed = System.IO.Path.Combine(_collectionsPath, $"{DroppedPrefix}{name}-{Guid.NewGuid():N}");
            Storage.MoveDirectory(CollectionPath(name), doomed);
            Storage.SyncDirectory(_collectionsPath);
            TryDeleteDirectory(doomed);
            return true;
        }
    }

    /// <summary>fsyncs every open collection's log, whatever the sync mode.</summary>
    public void Flush()
    {
        foreach (Collection collection in OpenCollections())
        {
            collection.SyncWal();
        }
    }

    /// <summary>Checkpoints every collection (see <see cref="Collection.Compact"/>).</summary>
    public void Compact(CancellationToken cancellationToken = default)
    {
        foreach (string name in ListCollections())
        {
            GetCollection(name).Compact(cancellationToken);
        }
    }

    /// <summary>Syncs and closes every collection and releases the writer lock. Handles become unusable.</summary>
    /// <exception cref="StorageException">A log could not be synced; every collection is closed and the lock released all the same.</exception>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            StorageException? failed = null;
            try
            {
                foreach (Collection collection in _open.Values)
                {
                    try
                    {
                        collection.Close(dropped: false);
                    }
                    catch (StorageException ex)
                    {
                        failed ??= ex; // a log that cannot be synced must not leave the other collections open
                    }
                }
                _open.Clear();
            }
            finally
            {
                _writerLock?.Dispose();
            }
            if (failed is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
            }
        }
    }

    private Collection[] OpenCollections()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return [.. _open.Values];
        }
    }

    private string CollectionPath(string name) => System.IO.Path.Combine(_collectionsPath, name);

    private List<string> ListCollectionsCore()
    {
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
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(DroppedPrefix, StringComparison.Ordinal))
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
            || name == ManifestFileName + DurableFile.TempSuffix
            || (name == CollectionsFolder && System.IO.Directory.Exists(entry) && !System.IO.Directory.EnumerateFileSystemEntries(entry).Any());
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

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

    internal static void ReadManifest(string path)
    {
        ReadOnlyMemory<byte> body = ManifestEnvelope.Unwrap(path, FileMagic.DatabaseManifest, "database manifest");
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.GetProperty("format").GetString() != "vectlite")
            {
                throw new CorruptFileException(path, 16, "the manifest does not name the vectlite format");
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CorruptFileException(path, 16, $"the manifest body is not valid: {ex.Message}", ex);
        }
    }
}
