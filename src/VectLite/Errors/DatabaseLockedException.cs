namespace VectLite;

/// <summary>Another process holds the database's writer lock.</summary>
public sealed class DatabaseLockedException : VectLiteException
{
    /// <summary>Creates the exception for the lock file at <paramref name="lockFilePath"/>.</summary>
    public DatabaseLockedException(string lockFilePath, TimeSpan waited, Exception? innerException = null)
        : base(VectLiteErrorCode.DatabaseLocked,
            waited > TimeSpan.Zero
                ? $"The database is locked by another writer (lock file '{lockFilePath}'); waited {waited.TotalSeconds:0.###} s. Open it read-only, or close the other writer."
                : $"The database is locked by another writer (lock file '{lockFilePath}'). Open it read-only, or close the other writer, or pass a LockTimeout.",
            innerException)
    {
        LockFilePath = lockFilePath;
    }

    /// <summary>The lock file another process holds.</summary>
    public string LockFilePath { get; }
}
