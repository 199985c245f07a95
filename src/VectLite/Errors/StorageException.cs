namespace VectLite;

/// <summary>
/// The operating system failed a file operation VectLite asked for: the disk is full (<see cref="VectLiteErrorCode.StorageFull"/>)
/// or another I/O error (<see cref="VectLiteErrorCode.StorageFailure"/>).
/// </summary>
/// <remarks>
/// The operation that raised it did not take effect: a write that was not acknowledged is not in the database after a
/// reopen, and the database stays consistent. Once the cause is gone (space freed), writes can resume.
/// </remarks>
public sealed class StorageException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="filePath"/>.</summary>
    public StorageException(VectLiteErrorCode code, string filePath, string operation, Exception? innerException = null)
        : base(code, code == VectLiteErrorCode.StorageFull
                ? $"Cannot {operation} '{filePath}': the disk is full. Nothing was written; free space and retry."
                : $"Cannot {operation} '{filePath}': {innerException?.Message ?? "I/O error"}",
            innerException)
    {
        FilePath = filePath;
        Operation = operation;
    }

    /// <summary>The file (or directory) the failed operation concerned.</summary>
    public string FilePath { get; }

    /// <summary>What VectLite was doing, e.g. "append to the log" or "fsync".</summary>
    public string Operation { get; }
}
