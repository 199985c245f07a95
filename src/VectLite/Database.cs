using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using VectLite.Storage;
using VectLite.Verification;

namespace VectLite;

/// <summary>
/// A handle on a VectLite database: a directory holding collections. Open it, use it from any number of threads,
/// dispose it.
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
/// <para>One process at a time may open a database for writing (the lock file <c>vectlite.lock</c> enforces it); any
/// number may open it read-only alongside. Layout: <c>vectlite.db</c> (manifest), <c>vectlite.lock</c>, and
/// <c>collections/NAME/</c> per collection; docs/file-format.md describes every file.</para>
/// <para>Within one process, every <see cref="Open"/> of the same directory shares one open engine, like connections
/// to one SQLite file: the second open is cheap, sees the first one's writes at once, and disposing a handle closes
/// the database only when it is the last (see <see cref="Open"/> for what options mean then).</para>
/// </remarks>
public sealed partial class Database : IDisposable, IAsyncDisposable
{
    internal const string ManifestFileName = "vectlite.db";
    internal const string CollectionsFolder = "collections";
    internal const string TempPrefix = ".tmp-";
    internal const string DroppedPrefix = ".dropped-";

    /// <summary>The <see cref="Path"/> of every <see cref="OpenInMemory"/> database (as SQLite names its in-memory databases).</summary>
    public const string InMemoryPath = ":memory:";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    private Database(DatabaseEngine engine, bool readOnly)
    {
        Engine = engine;
        IsReadOnly = readOnly;
    }

    /// <summary>The database directory (full path); <see cref="InMemoryPath"/> for an in-memory database.</summary>
    public string Path => Engine.Path;

    /// <summary>True for a database from <see cref="OpenInMemory"/>.</summary>
    public bool IsInMemory => Engine.IsInMemory;

    /// <summary>
    /// True when this handle was opened with <see cref="DatabaseOptions.ReadOnly"/>. A read-only handle onto a database
    /// this process has open for writing is a view of the live data that refuses writes.
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>The engine this handle shares with the other handles of this process on the same directory.</summary>
    internal DatabaseEngine Engine { get; }

    internal bool IsDisposed => _disposed;

    /// <summary>
    /// When the write-ahead log is fsynced: a setting of the open database, shared by every handle on it, so setting
    /// it through one handle changes it for all. Setting a stricter mode than the current one syncs every collection's
    /// log at once, so nothing acknowledged under the looser mode stays exposed.
    /// </summary>
    /// <exception cref="ReadOnlyDatabaseException">Set through a read-only handle.</exception>
    public SyncMode SyncMode
    {
        get
        {
            ThrowIfDisposed();
            return Engine.SyncMode;
        }
        set
        {
            ThrowIfDisposed();
            if (IsReadOnly)
            {
                throw new ReadOnlyDatabaseException("change the sync mode");
            }
            Engine.SyncMode = value;
        }
    }

    /// <summary>
    /// Opens the database in <paramref name="path"/>, creating it if the directory does not exist or is empty
    /// (unless read-only). When this process already has it open, returns a new handle on the same open database.
    /// </summary>
    /// <remarks>
    /// <para>Sharing: every handle of this process on one directory (the full path, symbolic links resolved, compared
    /// as the operating system compares file names) shares one engine: its collections, memory and writer lock. Each
    /// handle is disposed on its own; the last dispose closes the database (syncs the logs, runs the close
    /// checkpoints that are due, releases the lock). Collections taken from a handle stop working when that handle is
    /// disposed, even while others keep the database open.</para>
    /// <para>Options when the database is already open here:</para>
    /// <list type="bullet">
    /// <item><see cref="DatabaseOptions.ReadOnly"/> is per handle. A read-only handle onto a database open here for
    /// writing is a view of the live data that refuses writes. A writer open while only read-only handles are open is
    /// a real writer open (it takes the lock); the read-only handles keep the state they read. Read-only opens with no
    /// writer here share one read-only engine as long as nothing changed on disk since it read the collections; once
    /// something did, the next read-only open reads afresh.</item>
    /// <item><see cref="DatabaseOptions.SyncMode"/>, <see cref="DatabaseOptions.AutoCheckpoint"/> and
    /// <see cref="DatabaseOptions.Logger"/> belong to the open database: the first open's apply, later opens' are
    /// ignored. <see cref="SyncMode"/> can be changed afterwards through any writer handle.</item>
    /// <item><see cref="DatabaseOptions.LockTimeout"/> applies only to an open that takes the lock.</item>
    /// </list>
    /// </remarks>
    /// <exception cref="DatabaseLockedException">Another process has the database open for writing.</exception>
    /// <exception cref="CorruptFileException">The manifest is damaged, or the directory holds other files and no manifest.</exception>
    /// <exception cref="DirectoryNotFoundException">Read-only open of a directory that does not exist.</exception>
    public static Database Open(string path, DatabaseOptions? options = null)
    {
        (string full, options) = CheckOpenArguments(path, options);
        if (options.Unshared)
        {
            return new Database(DatabaseEngine.Open(full, options, () => EngineRegistry.HasWriter(full), slot: null), options.ReadOnly);
        }
        return new Database(EngineRegistry.Acquire(full, options, CancellationToken.None), options.ReadOnly);
    }

    /// <summary>
    /// Opens a new, empty database that lives in memory only, for tests and scratch work: the same API as a database
    /// on disk (the same validation, errors, search, filters, namespaces, TTL and thread safety), no directory, no file.
    /// </summary>
    /// <remarks>
    /// <para>Every call makes a separate database, private to the returned handle; disposing it discards everything.
    /// Writes are validated and encoded exactly as for the log (so the same size limits apply) and applied in memory,
    /// and nothing is written anywhere: <see cref="Flush"/> does nothing, <see cref="Compact"/> reclaims the memory of
    /// deleted, replaced and expired rows as a checkpoint would (also automatically, per
    /// <see cref="DatabaseOptions.AutoCheckpoint"/>) without writing files, and <see cref="Verify(CancellationToken)"/>
    /// reports no file to check. <see cref="Path"/> is <see cref="InMemoryPath"/>.</para>
    /// <para>Options: <see cref="DatabaseOptions.ReadOnly"/> must be false (an empty read-only database has no use);
    /// <see cref="DatabaseOptions.SyncMode"/> and <see cref="DatabaseOptions.LockTimeout"/> have nothing to act on;
    /// <see cref="DatabaseOptions.AutoCheckpoint"/> and <see cref="DatabaseOptions.Logger"/> apply.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><see cref="DatabaseOptions.ReadOnly"/> is set.</exception>
    /// <example><code>
    /// using var db = Database.OpenInMemory();
    /// var docs = db.CreateCollection("docs", CollectionSchema.SingleVector(3));
    /// </code></example>
    public static Database OpenInMemory(DatabaseOptions? options = null)
    {
        options ??= new DatabaseOptions();
        ArgumentNullException.ThrowIfNull(options.AutoCheckpoint, "options.AutoCheckpoint");
        options.AutoCheckpoint.Validate();
        if (options.ReadOnly)
        {
            throw new ArgumentException("An in-memory database cannot be opened read-only: it starts empty, and only its own handle can write to it.", nameof(options));
        }
        return new Database(DatabaseEngine.OpenInMemory(options), readOnly: false);
    }

    private static (string Full, DatabaseOptions Options) CheckOpenArguments(string path, DatabaseOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DatabaseOptions();
        ArgumentNullException.ThrowIfNull(options.AutoCheckpoint, "options.AutoCheckpoint");
        options.AutoCheckpoint.Validate();
        return (System.IO.Path.GetFullPath(path), options);
    }

    /// <summary>
    /// Salvages a database whose write-ahead log is damaged (a <see cref="CorruptFileException"/> on opening a collection
    /// that names its <c>wal.vlwal</c>): each damaged log is copied aside whole, then cut back to the intact batches
    /// before the damage, so the collection opens again with every batch acknowledged before that point.
    /// </summary>
    /// <remarks>
    /// Takes the writer lock for its duration, so the database must not be open for writing anywhere, this process
    /// included. Collections whose logs are intact are left untouched. Batches after the
    /// damage are not replayed (they may depend on the lost one) but stay in the copy (<see cref="CollectionRecovery.BackupPath"/>).
    /// Damaged checkpoint files are not repaired here: they are reported by opening or verifying, and restored from a backup.
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException">No database at <paramref name="path"/>.</exception>
    /// <exception cref="CorruptFileException">The database manifest or a collection's checkpoint manifest is damaged.</exception>
    /// <exception cref="DatabaseLockedException">The database is open for writing, in another process or in this one.</exception>
    public static RecoveryReport Recover(string path, DatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(System.IO.Path.Combine(full, ManifestFileName)))
        {
            throw new DirectoryNotFoundException($"No VectLite database at '{full}': it has no {ManifestFileName} manifest.");
        }
        options ??= new DatabaseOptions();
        // A private engine: salvage cuts logs, which no shared engine of this process may be appending to.
        using Database db = Open(full, new DatabaseOptions { LockTimeout = options.LockTimeout, Logger = options.Logger, Storage = options.Storage, Unshared = true });
        var results = new List<CollectionRecovery>();
        foreach (string name in db.ListCollections())
        {
            string directory = db.Engine.CollectionPath(name);
            CollectionRecovery outcome = WalSalvage.Salvage(db.Engine.Storage, name, System.IO.Path.Combine(directory, CollectionEngine.WalFileName), CheckpointManifest.Read(directory));
            if (outcome.Repaired)
            {
                Log.LogSalvaged(db.Engine.Logger, name, outcome.KeptBatches, outcome.BytesSetAside, outcome.DamageOffset, outcome.Problem!, outcome.BackupPath!);
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
        if (IsInMemory)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new VerifyReport(Path, [], [.. Engine.OpenCollections().Select(c => c.Verify(cancellationToken))]); // nothing on disk to check
        }
        return DatabaseVerifier.Verify(Path, cancellationToken);
    }

    /// <summary>Creates a collection.</summary>
    /// <exception cref="InvalidNameException">The name breaks the naming rules (1-64 of letters, digits, '_', '-', '.').</exception>
    /// <exception cref="CollectionExistsException">A collection with that name exists.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public Collection CreateCollection(string name, CollectionSchema schema)
    {
        ThrowIfWriteRefused($"create collection '{name}'");
        return Wrap(Engine.CreateCollection(name, schema));
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
    /// <exception cref="ReadOnlyDatabaseException">It does not exist, and the handle is read-only.</exception>
    public Collection GetOrCreateCollection(string name, CollectionSchema schema)
    {
        ThrowIfDisposed();
        return Wrap(Engine.GetOrCreateCollection(name, schema, mayCreate: !IsReadOnly));
    }

    /// <summary>Returns the collection with this name.</summary>
    /// <exception cref="CollectionNotFoundException">There is none.</exception>
    public Collection GetCollection(string name) =>
        TryGetCollection(name, out Collection? collection) ? collection : throw new CollectionNotFoundException(name);

    /// <summary>Looks up a collection by name; false if there is none (or the name is not a valid collection name).</summary>
    /// <exception cref="CorruptFileException">The collection exists but its files are damaged.</exception>
    public bool TryGetCollection(string name, [NotNullWhen(true)] out Collection? collection)
    {
        ThrowIfDisposed();
        if (Engine.TryGetCollection(name, out CollectionEngine? engine))
        {
            collection = Wrap(engine);
            return true;
        }
        collection = null;
        return false;
    }

    /// <summary>Whether a collection with this name exists.</summary>
    public bool CollectionExists(string name)
    {
        ThrowIfDisposed();
        return Engine.CollectionExists(name);
    }

    /// <summary>The names of all collections, sorted ordinally.</summary>
    public IReadOnlyList<string> ListCollections()
    {
        ThrowIfDisposed();
        return Engine.ListCollections();
    }

    /// <summary>
    /// Deletes a collection and all its files. Handles to it (from every <see cref="Database"/> handle) throw
    /// <see cref="CollectionNotFoundException"/> afterwards.
    /// </summary>
    /// <returns>False if there was no such collection.</returns>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public bool DropCollection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfWriteRefused($"drop collection '{name}'");
        return Engine.DropCollection(name);
    }

    /// <summary>
    /// Applies a batch of upserts, deletes, payload updates and expiries, in one collection or across several, all or
    /// nothing: every operation is validated first (nothing is written if one is invalid), and after a crash every
    /// operation is there or none is. When it returns, the batch is durable, whatever the sync mode, if it touched
    /// more than one collection (a batch in one collection follows the sync mode, as any write does).
    /// </summary>
    /// <remarks>
    /// Operations apply in the order added, each seeing the ones before it. Writers of the collections involved wait
    /// while the batch commits. Readers see each collection's part whole; a reader that reads two collections while
    /// the batch commits may see one part before the other (each collection publishes its own snapshot). See
    /// docs/durability.md, "Write batches across collections".
    /// </remarks>
    /// <returns>How many operations took effect: every upsert, and each delete, update or expiry of a record that exists.</returns>
    /// <exception cref="CollectionNotFoundException">The batch names a collection that does not exist; nothing was written.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    /// <exception cref="VectLiteException">An operation is invalid (as the same call on <see cref="Collection"/> reports it); nothing was written.</exception>
    /// <exception cref="StorageException">
    /// The commit failed (nothing was written), or a collection's part could not be written after the commit: the
    /// batch is committed, those collections refuse writes, and reopening the database completes it.
    /// </exception>
    public int Write(WriteBatch batch) => Write(batch, CancellationToken.None);

    /// <summary>As <see cref="Write(WriteBatch)"/>; cancellable until the batch is committed.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the commit: nothing was written.</exception>
    public int Write(WriteBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfWriteRefused("write a batch");
        return Transactions.WriteBatchCommitter.Commit(Engine, batch, cancellationToken);
    }

    /// <summary>fsyncs every open collection's log, whatever the sync mode.</summary>
    public void Flush()
    {
        ThrowIfDisposed();
        Engine.Flush();
    }

    /// <summary>Checkpoints every collection (see <see cref="Collection.Compact"/>).</summary>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only.</exception>
    public void Compact(CancellationToken cancellationToken = default)
    {
        ThrowIfWriteRefused("compact");
        foreach (string name in ListCollections())
        {
            GetCollection(name).Compact(cancellationToken);
        }
    }

    /// <summary>
    /// Copies the database, consistently, into <paramref name="targetDirectory"/> while writes continue: the copy opens
    /// as a normal database (<see cref="Open"/>) and holds every write batch logged before one consistent point, in every
    /// collection alike, and none after it.
    /// </summary>
    /// <remarks>
    /// <para>The consistent point is taken while this call runs: every write acknowledged before the call is in the
    /// copy, none acknowledged after it returns. Writers are paused only for that instant (every collection's writer
    /// lock, briefly, together); the files are copied while writes go on. Readers never wait.</para>
    /// <para>While the copy runs, checkpoints wait (an automatic one skips its turn and comes again later), and dropping
    /// a collection or closing the database waits for the backup to end. The copy is fsynced; its database manifest is
    /// written last, so a copy cut short by a crash or a cancellation is not a database (and is removed when it can be).
    /// See docs/operations.md, "Backup".</para>
    /// </remarks>
    /// <param name="targetDirectory">A new directory, or an empty one, outside this database's directory.</param>
    /// <param name="cancellationToken">Checked while waiting for running checkpoints and between chunks of the copy.</param>
    /// <returns>What was copied: per collection the LSN of the last batch the copy holds, and the bytes.</returns>
    /// <exception cref="BackupTargetNotEmptyException">The target exists and is not empty (or is a file).</exception>
    /// <exception cref="ArgumentException">The target lies inside this database's directory, or is empty.</exception>
    /// <exception cref="ReadOnlyDatabaseException">The handle is read-only: only the writer can hold checkpoints back
    /// while it copies (open the database for writing, or copy a closed database's directory).</exception>
    /// <exception cref="NotSupportedException">An in-memory database: it has no files to copy.</exception>
    /// <exception cref="CorruptFileException">A checkpoint file disagrees with its manifest's checksum; nothing is left in the target.</exception>
    /// <exception cref="StorageException">A file could not be read or written; nothing is left in the target.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is left in the target.</exception>
    public BackupReport Backup(string targetDirectory, CancellationToken cancellationToken = default)
    {
        CheckBackup(targetDirectory);
        return DatabaseBackup.Run(Engine, targetDirectory, cancellationToken);
    }

    private void CheckBackup(string targetDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        ThrowIfWriteRefused("back up (a backup holds checkpoints back while it copies, which only the writer can do)");
        if (IsInMemory)
        {
            throw new NotSupportedException("An in-memory database has no files to back up.");
        }
    }

    /// <summary>
    /// Releases this handle: its collections become unusable. The last handle of this process on the database also
    /// syncs and closes every collection and releases the writer lock.
    /// </summary>
    /// <exception cref="StorageException">Closing: a log could not be synced; every collection is closed and the lock released all the same.</exception>
    public void Dispose() => Release(closeCheckpoints: true);

    /// <summary>Disposes this handle; <paramref name="closeCheckpoints"/> false skips the close checkpoints (a cancelled open must not start one).</summary>
    private void Release(bool closeCheckpoints)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _collections.Clear();
        }
        EngineRegistry.Release(Engine, closeCheckpoints);
    }

    /// <summary>The handle of this database handle onto <paramref name="engine"/>: one per collection engine, so it compares equal across lookups.</summary>
    private Collection Wrap(CollectionEngine engine)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_collections.TryGetValue(engine.Name, out Collection? collection) || collection.Engine != engine)
            {
                collection = new Collection(this, engine);
                _collections[engine.Name] = collection;
            }
            return collection;
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ThrowIfWriteRefused(string operation)
    {
        ThrowIfDisposed();
        if (IsReadOnly)
        {
            throw new ReadOnlyDatabaseException(operation);
        }
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
