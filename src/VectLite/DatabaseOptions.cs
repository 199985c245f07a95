using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VectLite.Storage;

namespace VectLite;

/// <summary>How <see cref="Database.Open"/> opens a database.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// Open without the writer lock: any number of read-only opens may run beside one writer. A read-only database
    /// sees the state as of its open (checkpoint plus log) and rejects every write with <see cref="ReadOnlyDatabaseException"/>.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>When the write-ahead log is fsynced; <see cref="SyncMode.PerOp"/> by default. Changeable later through <see cref="Database.SyncMode"/>.</summary>
    public SyncMode SyncMode { get; init; } = SyncMode.PerOp;

    /// <summary>How long a writer open waits for another process to release the lock before <see cref="DatabaseLockedException"/>; zero (the default) fails at once.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// When collections checkpoint by themselves (log size, dead rows, at close); on by default. See
    /// <see cref="AutoCheckpointOptions"/>; <see cref="AutoCheckpointOptions.Disabled"/> leaves checkpoints to
    /// <see cref="Database.Compact"/>.
    /// </summary>
    public AutoCheckpointOptions AutoCheckpoint { get; init; } = AutoCheckpointOptions.Default;

    /// <summary>
    /// Where VectLite reports what it does on its own: torn log tails dropped at open, indexes found stale or damaged
    /// and rebuilt, checkpoints. Nothing is logged per operation. Default: no logging.
    /// </summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The device every file write goes through. Tests substitute one that counts fsyncs, injects faults or simulates
    /// power loss; production always uses the file system.
    /// </summary>
    internal IStorageDevice Storage { get; init; } = FileSystemStorage.Instance;

    /// <summary>
    /// Open a private engine instead of sharing this process's (see <see cref="Database.Open"/>), as a second process
    /// would: <see cref="Database.Recover"/> needs the lock to itself, and tests use it to stand for another process.
    /// </summary>
    internal bool Unshared { get; init; }
}
