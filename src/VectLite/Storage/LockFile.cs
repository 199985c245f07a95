namespace VectLite.Storage;

/// <summary>
/// The database's writer lock: an exclusive lock on <c>vectlite.lock</c>, held for as long as a writer has the
/// database open. On Linux and macOS .NET takes it with <c>flock(LOCK_EX)</c> (advisory, released by the kernel
/// when the process dies, so a crash never leaves a stale lock); on Windows it is a share-deny-all open.
/// </summary>
internal sealed class LockFile : IDisposable
{
    public const string FileName = "vectlite.lock";

    private readonly FileStream _stream;

    private LockFile(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, retrying until <paramref name="timeout"/> has passed (zero: try once).</summary>
    /// <exception cref="DatabaseLockedException">Another writer holds the lock.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static LockFile Acquire(string directory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        string path = Path.Combine(directory, FileName);
        long started = Environment.TickCount64;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                return new LockFile(stream);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                TimeSpan waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                if (waited >= timeout)
                {
                    throw new DatabaseLockedException(path, waited, ex);
                }
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(50, Math.Max(1, (timeout - waited).TotalMilliseconds))));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
