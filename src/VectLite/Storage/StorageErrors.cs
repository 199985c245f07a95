namespace VectLite.Storage;

/// <summary>Turns the exceptions the operating system raises for a file operation into <see cref="StorageException"/>.</summary>
internal static class StorageErrors
{
    // Unix: .NET puts the raw errno into IOException.HResult (verified: a write to /dev/full gives 28).
    private const int ENoSpc = 28;
    private const int EDQuotLinux = 122;
    private const int EDQuotMac = 69;

    // Windows: HRESULT_FROM_WIN32(ERROR_DISK_FULL) and HRESULT_FROM_WIN32(ERROR_HANDLE_DISK_FULL).
    private const int WinDiskFull = unchecked((int)0x80070070);
    private const int WinHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True for the exceptions a file operation can raise for an I/O reason (as opposed to a bug).</summary>
    public static bool IsIOFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;

    /// <summary>True when <paramref name="ex"/> reports a full disk or an exhausted quota (ENOSPC, EDQUOT).</summary>
    public static bool IsDiskFull(Exception ex)
    {
        if (ex is not IOException io)
        {
            return false;
        }
        int code = io.HResult;
        if (OperatingSystem.IsWindows())
        {
            return code is WinDiskFull or WinHandleDiskFull;
        }
        return code == ENoSpc || code == (OperatingSystem.IsMacOS() ? EDQuotMac : EDQuotLinux);
    }

    /// <summary>The typed error for <paramref name="ex"/>, raised while doing <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public static StorageException Translate(Exception ex, string path, string operation) =>
        new(IsDiskFull(ex) ? VectLiteErrorCode.StorageFull : VectLiteErrorCode.StorageFailure, path, operation, ex);
}
