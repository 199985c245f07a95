using System.Diagnostics;

namespace VectLite.Tests.Engine;

public sealed class LockTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_writer_in_another_process_locks_out_writers_but_not_readers()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 2 }));
        }

        using Process holder = WorkerProcess.Start("hold", _temp.Path);
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());

            var ex = Assert.Throws<DatabaseLockedException>(() => _temp.Open());
            Assert.Equal(VectLiteErrorCode.DatabaseLocked, ex.Code);
            Assert.Contains("vectlite.lock", ex.Message);
            Assert.Contains("another process", ex.Message);
            Assert.DoesNotContain("this process", ex.Message);
            var stopwatch = Stopwatch.StartNew();
            Assert.Throws<DatabaseLockedException>(() => _temp.Open(new DatabaseOptions { LockTimeout = TimeSpan.FromMilliseconds(300) }));
            Assert.True(stopwatch.ElapsedMilliseconds >= 250, "the open should have waited for the timeout");

            using (Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true }))
            {
                Assert.NotNull(reader.GetCollection("docs").Get(1));
            }

            // Once the holder exits, a writer waiting with a timeout gets in.
            var waiting = Task.Run(() => _temp.Open(new DatabaseOptions { LockTimeout = TimeSpan.FromSeconds(20) }));
            holder.StandardInput.Close();
            using Database writer = await waiting;
            Assert.NotNull(writer.GetCollection("docs").Get(1));
            holder.WaitForExit();
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
    }

    [Fact]
    public void A_killed_writer_leaves_no_stale_lock()
    {
        using (_temp.Open())
        {
        }
        using Process holder = WorkerProcess.Start("hold", _temp.Path);
        Assert.Equal("locked", holder.StandardOutput.ReadLine());
        holder.Kill();
        holder.WaitForExit();
        using Database db = _temp.Open(new DatabaseOptions { LockTimeout = TimeSpan.FromSeconds(5) });
        Assert.False(db.IsReadOnly);
    }
}
