namespace VectLite;

/// <summary>
/// The database's writer lock is held elsewhere: by another process (the usual case), or by an engine of this process
/// that does not share (only <see cref="Database.Recover"/> opens one).
/// </summary>
/// <remarks>
/// Opens in one process share one engine per directory (see <see cref="Database.Open"/>), so a second
/// <see cref="Database.Open"/> in the process that holds the lock joins it instead of failing.
/// </remarks>
public sealed class DatabaseLockedException : VectLiteException
{
    /// <summary>Creates the exception for the lock file at <paramref name="lockFilePath"/>, held by another process.</summary>
    public DatabaseLockedException(string lockFilePath, TimeSpan waited, Exception? innerException = null)
        : base(VectLiteErrorCode.DatabaseLocked,
            waited > TimeSpan.Zero
                ? $"The database is open for writing in another process (lock file '{lockFilePath}'); waited {waited.TotalSeconds:0.###} s. Open it read-only, or close it in that process."
                : $"The database is open for writing in another process (lock file '{lockFilePath}'). Open it read-only, close it in that process, or pass a LockTimeout to wait.",
            innerException)
    {
        LockFilePath = lockFilePath;
    }

    private DatabaseLockedException(string lockFilePath, string message, Exception? innerException)
        : base(VectLiteErrorCode.DatabaseLocked, message, innerException)
    {
        LockFilePath = lockFilePath;
    }

    /// <summary>The lock file that is held.</summary>
    public string LockFilePath { get; }

    /// <summary>The lock is held by this process, through the engine its <see cref="Database"/> handles share.</summary>
    internal static DatabaseLockedException InThisProcess(string lockFilePath, Exception? innerException) =>
        new(lockFilePath,
            $"The database is open for writing in this process (lock file '{lockFilePath}'), and this operation needs it to itself. Dispose every Database handle on it (and the vector stores and collections opened by path) first.",
            innerException);
}
