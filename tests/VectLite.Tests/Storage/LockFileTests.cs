using System.Diagnostics;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The writer lock on its own, within one process (.NET takes it with <c>flock(LOCK_EX)</c> on Linux, which a second
/// open in the same process contends for like another process would): taken, refused, waited for, given up on
/// cancellation, and a path that cannot be a lock file reported as what it is, not as a held lock. The clock bounds are
/// loose (the machine is shared): each separates the right behaviour from a mutant's by seconds.
/// </summary>
public sealed class LockFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-lockfile-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string LockPath => Path.Combine(_dir.FullName, "vectlite.lock");

    [Fact]
    public void The_lock_is_vectlite_lock_in_the_directory_and_is_released_on_dispose()
    {
        Assert.Equal("vectlite.lock", LockFile.FileName);
        using (LockFile.Acquire(_dir.FullName, TimeSpan.Zero))
        {
            Assert.True(File.Exists(LockPath));
            Assert.Throws<IOException>(() => new FileStream(LockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        }
        using LockFile again = LockFile.Acquire(_dir.FullName, TimeSpan.Zero);
    }

    [Fact]
    public void A_held_lock_with_no_timeout_is_refused_at_once()
    {
        using LockFile held = LockFile.Acquire(_dir.FullName, TimeSpan.Zero);
        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.Throws<DatabaseLockedException>(() => LockFile.Acquire(_dir.FullName, TimeSpan.Zero));
        Assert.True(stopwatch.ElapsedMilliseconds < 2000, $"took {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(LockPath, ex.LockFilePath);
        Assert.Equal(VectLiteErrorCode.DatabaseLocked, ex.Code);
        Assert.IsAssignableFrom<IOException>(ex.InnerException);
    }

    [Fact]
    public void A_held_lock_is_waited_for_until_the_timeout()
    {
        using LockFile held = LockFile.Acquire(_dir.FullName, TimeSpan.Zero);
        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.Throws<DatabaseLockedException>(() => LockFile.Acquire(_dir.FullName, TimeSpan.FromMilliseconds(400)));
        // 350, not 400: Environment.TickCount64 is the coarse monotonic clock on Linux (a tick of up to 10 ms).
        Assert.True(stopwatch.ElapsedMilliseconds >= 350, $"gave up after {stopwatch.ElapsedMilliseconds} ms");
        Assert.Matches(@"; waited \d+(\.\d+)? s\.", ex.Message); // the wait it reports, in seconds
    }

    [Fact]
    public async Task A_lock_released_while_waiting_is_taken_without_waiting_out_the_timeout()
    {
        LockFile held = LockFile.Acquire(_dir.FullName, TimeSpan.Zero);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            held.Dispose();
        });
        var stopwatch = Stopwatch.StartNew();
        using LockFile taken = LockFile.Acquire(_dir.FullName, TimeSpan.FromSeconds(30));
        // Retried every 50 ms or less: taken soon after the release, not after the 30 s timeout.
        Assert.True(stopwatch.ElapsedMilliseconds < 10_000, $"took {stopwatch.ElapsedMilliseconds} ms");
        await release;
    }

    [Fact]
    public void Cancelling_stops_the_wait()
    {
        using LockFile held = LockFile.Acquire(_dir.FullName, TimeSpan.Zero);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopwatch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => LockFile.Acquire(_dir.FullName, TimeSpan.FromSeconds(30), cancel.Token));
        Assert.True(stopwatch.ElapsedMilliseconds < 10_000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_missing_directory_is_not_a_held_lock()
    {
        string gone = Path.Combine(_dir.FullName, "gone");
        var stopwatch = Stopwatch.StartNew();
        Assert.Throws<DirectoryNotFoundException>(() => LockFile.Acquire(gone, TimeSpan.FromSeconds(30)));
        Assert.True(stopwatch.ElapsedMilliseconds < 10_000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_path_too_long_is_not_a_held_lock()
    {
        string tooLong = Path.Combine(_dir.FullName, new string('d', 300)); // a name longer than NAME_MAX (255)
        var stopwatch = Stopwatch.StartNew();
        Assert.Throws<PathTooLongException>(() => LockFile.Acquire(tooLong, TimeSpan.FromSeconds(30)));
        Assert.True(stopwatch.ElapsedMilliseconds < 10_000, $"took {stopwatch.ElapsedMilliseconds} ms");
    }
}
