using System.Text.Json.Nodes;
using VectLite.Tests.Engine;
using VectLite.Tests.Storage;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// Automatic checkpoints (<see cref="DatabaseOptions.AutoCheckpoint"/>): each trigger fires, writes continue while the
/// files are written and survive the cut of the log, a failure loses nothing, and a reopen after close needs no replay.
/// </summary>
public sealed class AutoCheckpointTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DatabaseOptions Options(AutoCheckpointOptions auto) => new() { SyncMode = SyncMode.OnFlush, AutoCheckpoint = auto };

    /// <summary>Waits (bounded) until the collection has written <paramref name="count"/> checkpoints and none is queued.</summary>
    private static CollectionStats WaitForCheckpoints(Collection collection, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            CollectionStats stats = collection.GetStats();
            if (stats.CheckpointsWritten >= count && !stats.CheckpointRunning)
            {
                return stats;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint {count} after 60 s: {stats.CheckpointsWritten} written, error: {stats.LastCheckpointError}");
            Thread.Sleep(10);
        }
    }

    private static Record Rec(int id, int seed) =>
        new(id, TestData.RandomVector(new Random(seed * 7919 + id), Dimension), new JsonObject { ["n"] = id, ["seed"] = seed });

    [Fact]
    public void The_log_size_trigger_checkpoints_in_the_background_and_cuts_the_log_back()
    {
        var auto = new AutoCheckpointOptions { LogBytes = 64 * 1024, CloseLogBytes = -1 };
        using (Database db = _temp.Open(Options(auto)))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            // One record is about 16 x 4 + 40 bytes of payload and framing: 1,000 records pass 64 KiB.
            for (int i = 0; i < 1_000; i++)
            {
                c.Upsert(Rec(i, 1));
            }
            CollectionStats stats = WaitForCheckpoints(c, 1);
            Assert.Equal(CheckpointTrigger.LogSize, stats.LastCheckpoint!.Trigger);
            Assert.True(stats.CheckpointGeneration >= 1);
            Assert.True(stats.WalBytes < 64 * 1024, $"log of {stats.WalBytes} bytes after the checkpoint");
            Assert.Null(stats.LastCheckpointError);
        }
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            Collection c = db.GetCollection("docs");
            CollectionStats stats = c.GetStats();
            Assert.True(stats.CheckpointGeneration >= 1);
            Assert.True(stats.WalBatchesSinceCheckpoint < 1_000 - 500, $"{stats.WalBatchesSinceCheckpoint} batches replayed");
            Assert.Equal(1_000, c.Count());
            for (int i = 0; i < 1_000; i += 97)
            {
                Assert.Equal(Rec(i, 1).Vector!.Value.ToArray(), c.Get((ulong)i)!.Vector!.Value.ToArray());
            }
        }
    }

    [Fact]
    public void Writes_that_fill_the_log_again_during_a_background_checkpoint_get_another_one_when_it_ends()
    {
        const long limit = 64 * 1024;
        var auto = new AutoCheckpointOptions { LogBytes = limit, CloseLogBytes = -1 };
        using Database db = _temp.Open(Options(auto));
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        c.CheckpointWritingForTests = () =>
        {
            c.CheckpointWritingForTests = null; // only the first checkpoint waits
            entered.Set();
            Assert.True(release.Wait(TimeSpan.FromSeconds(60)), "the test never released the checkpoint");
        };
        int id = 0;
        while (!entered.IsSet)
        {
            c.Upsert(Rec(id++, 1)); // until the size trigger has started the first checkpoint and fixed its image
            Assert.True(id < 100_000, "the log size trigger never fired");
        }
        // The first checkpoint is held between its image and its files: write more than the limit after the image,
        // then stop writing for good, so that no later write can notice the log is long again.
        long atImage = c.GetStats().WalBytes;
        while (c.GetStats().WalBytes < atImage + limit + limit / 4)
        {
            c.Upsert(Rec(id++, 1));
        }
        Assert.Equal(0, c.GetStats().CheckpointsWritten);
        release.Set();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        CollectionStats stats;
        while ((stats = c.GetStats()).CheckpointsWritten == 0 || stats.CheckpointRunning)
        {
            Assert.True(DateTime.UtcNow < deadline, $"checkpoints never settled: {stats.CheckpointsWritten} written");
            Thread.Sleep(10);
        }
        Assert.True(stats.CheckpointsWritten >= 2, $"{stats.CheckpointsWritten} checkpoint(s) for a log that passed the limit twice");
        Assert.True(stats.WalBytes < limit, $"log of {stats.WalBytes} bytes left once checkpoints settled");
        Assert.Equal(id, c.Count());
    }

    [Fact]
    public void The_dead_row_trigger_frees_replaced_rows()
    {
        var auto = new AutoCheckpointOptions { MinDeadRows = 200, DeadRowPercent = 50, CloseLogBytes = -1 };
        using Database db = _temp.Open(Options(auto));
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        c.UpsertMany(Enumerable.Range(0, 200).Select(i => Rec(i, 1)));
        c.UpsertMany(Enumerable.Range(0, 199).Select(i => Rec(i, 2))); // 199 dead of 399: neither trigger yet
        Assert.Equal(0, c.GetStats().CheckpointsWritten);
        c.Upsert(Rec(199, 2)); // 200 dead of 400: both limits reached

        CollectionStats stats = WaitForCheckpoints(c, 1);
        Assert.Equal(CheckpointTrigger.DeadRows, stats.LastCheckpoint!.Trigger);
        Assert.Equal((200L, 200L, 0L), (stats.RecordCount, stats.StoredRows, stats.DeletedRows));
        Assert.Equal(Rec(5, 2).Vector!.Value.ToArray(), c.Get(5)!.Vector!.Value.ToArray());
    }

    [Fact]
    public void A_dead_row_checkpoint_leaves_a_small_checkpointed_log_which_replay_skips_and_Compact_empties()
    {
        var auto = new AutoCheckpointOptions { MinDeadRows = 200, DeadRowPercent = 50, CloseLogBytes = -1 };
        long logBefore;
        using (Database db = _temp.Open(Options(auto)))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Enumerable.Range(0, 200).Select(i => Rec(i, 1)));
            c.UpsertMany(Enumerable.Range(0, 200).Select(i => Rec(i, 2))); // 200 dead of 400: the dead-row trigger
            logBefore = c.GetStats().WalBytes;
            Assert.True(logBefore < 1 << 20, $"a log of {logBefore} bytes: the test needs less than the 1 MiB cut threshold");

            CollectionStats stats = WaitForCheckpoints(c, 1);
            Assert.Equal(CheckpointTrigger.DeadRows, stats.LastCheckpoint!.Trigger);
            Assert.Equal((200L, 0L, 0L), (stats.StoredRows, stats.DeletedRows, stats.WalBatchesSinceCheckpoint));
            // Not cut: the two batches stay (the checkpoint's sync adds a marker frame), both inside the checkpoint.
            Assert.True(stats.WalBytes >= logBefore, $"the log was cut to {stats.WalBytes} bytes from {logBefore}");
        }

        // Closed without a checkpoint at close: the reopen loads the checkpoint and skips both logged batches by LSN.
        // Replaying them again would leave the first batch's 200 rows dead behind the second's.
        using (Database db = _temp.Open(Options(auto)))
        {
            Collection c = db.GetCollection("docs");
            CollectionStats stats = c.GetStats();
            Assert.Equal((1L, 200L, 200L, 0L, 0L), (stats.CheckpointGeneration, stats.RecordCount, stats.StoredRows, stats.DeletedRows, stats.WalBatchesSinceCheckpoint));
            Assert.True(stats.WalBytes >= logBefore, $"a log of {stats.WalBytes} bytes, {logBefore} before the checkpoint");
            Assert.Equal(Rec(123, 2).Vector!.Value.ToArray(), c.Get(123)!.Vector!.Value.ToArray());

            c.Upsert(Rec(7, 3)); // appended after the checkpointed prefix
            c.Compact(); // a manual checkpoint always cuts: the log is its header alone
            stats = c.GetStats();
            Assert.Equal((32L, 0L), (stats.WalBytes, stats.WalBatchesSinceCheckpoint));
        }

        using (Database db = _temp.Open(Options(auto)))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(200L, c.Count());
            Assert.Equal(Rec(7, 3).Vector!.Value.ToArray(), c.Get(7)!.Vector!.Value.ToArray());
            Assert.Equal(Rec(8, 2).Vector!.Value.ToArray(), c.Get(8)!.Vector!.Value.ToArray());
        }
    }

    [Fact]
    public void Disabled_checkpoints_never_run_however_long_the_log()
    {
        var auto = new AutoCheckpointOptions { Enabled = false, LogBytes = 64 * 1024, MinDeadRows = 1, DeadRowPercent = 1 };
        using (Database db = _temp.Open(Options(auto)))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            for (int round = 0; round < 3; round++)
            {
                c.UpsertMany(Enumerable.Range(0, 500).Select(i => Rec(i, round)));
            }
            CollectionStats stats = c.GetStats();
            Assert.True(stats.WalBytes > 128 * 1024);
            Assert.Equal((0L, 0L, false), (stats.CheckpointsWritten, stats.CheckpointGeneration, stats.CheckpointRunning));
        }
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            Assert.Equal((0L, 3L), (db.GetCollection("docs").GetStats().CheckpointGeneration, db.GetCollection("docs").GetStats().WalBatchesSinceCheckpoint));
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    [InlineData(1L << 30, false)]
    public void Dispose_checkpoints_when_the_log_holds_at_least_CloseLogBytes(long closeLogBytes, bool expectCheckpoint)
    {
        using (Database db = _temp.Open(Options(new AutoCheckpointOptions { CloseLogBytes = closeLogBytes })))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Enumerable.Range(0, 300).Select(i => Rec(i, 1))); // past MinIndexedVectors: a graph to save
        }
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            CollectionStats stats = db.GetCollection("docs").GetStats();
            Assert.Equal(300, stats.RecordCount);
            Assert.Equal(expectCheckpoint ? (1L, 0L, "loaded") : (0L, 1L, "built"),
                (stats.CheckpointGeneration, stats.WalBatchesSinceCheckpoint, stats.VectorIndexes[0].Origin));
        }
    }

    [Fact]
    public void Writes_continue_while_the_files_are_written_and_survive_the_cut_of_the_log()
    {
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Enumerable.Range(0, 300).Select(i => Rec(i, 1)));
            c.Delete(0);
            int duringCheckpoint = 0;
            c.CheckpointWritingForTests = () =>
            {
                // On the checkpointing thread, with the image fixed: another thread writes. If the checkpoint held the
                // writer lock here, these writes would wait for it, and the wait below would time out.
                Task writer = Task.Run(() =>
                {
                    for (int i = 300; i < 340; i++)
                    {
                        c.Upsert(Rec(i, 1)); // new records
                        duringCheckpoint++;
                    }
                    c.Upsert(Rec(1, 9)); // a replacement
                    c.Delete(2);         // a delete
                    c.UpdatePayload(3, new JsonObject { ["during"] = true });
                });
                Assert.True(writer.Wait(TimeSpan.FromSeconds(30)), "writes waited for the checkpoint's file writing");
            };
            c.Compact();
            c.CheckpointWritingForTests = null;

            Assert.Equal(40, duringCheckpoint);
            CollectionStats stats = c.GetStats();
            Assert.Equal((1L, 43L), (stats.CheckpointGeneration, stats.WalBatchesSinceCheckpoint));
            Assert.Equal(CheckpointTrigger.Manual, stats.LastCheckpoint!.Trigger);
            Assert.Equal(299L, stats.LastCheckpoint.Records); // the image: 300 written, record 0 deleted before it
        }
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            Collection c = db.GetCollection("docs");
            CollectionStats stats = c.GetStats();
            Assert.Equal((1L, 43L), (stats.CheckpointGeneration, stats.WalBatchesSinceCheckpoint));
            Assert.Equal(338, c.Count()); // 340 - record 0 - record 2
            Assert.Null(c.Get(0));
            Assert.Null(c.Get(2));
            Assert.Equal(Rec(1, 9).Vector!.Value.ToArray(), c.Get(1)!.Vector!.Value.ToArray());
            Assert.Equal(true, (bool?)c.Get(3)!.Payload!["during"]);
            Assert.Equal(Rec(339, 1).Vector!.Value.ToArray(), c.Get(339)!.Vector!.Value.ToArray());
        }
    }

    [Fact]
    public void A_failed_automatic_checkpoint_loses_nothing_and_writes_go_on()
    {
        var storage = new FaultInjectingStorage(VectLite.Storage.FileSystemStorage.Instance) { ForwardSyncs = false };
        var options = new DatabaseOptions
        {
            SyncMode = SyncMode.OnFlush,
            Storage = storage,
            AutoCheckpoint = new AutoCheckpointOptions { LogBytes = 64 * 1024, CloseLogBytes = -1 },
        };
        using (Database db = Database.Open(_temp.Path, options))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.CheckpointWritingForTests = () =>
            {
                storage.OnlyKind = StorageOperationKind.Create; // the checkpoint's first new file fails
                storage.FailAt = storage.OperationCount + 1;
                storage.FailFromThenOn = true;
            };
            for (int i = 0; i < 1_000; i++)
            {
                c.Upsert(Rec(i, 1));
            }
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (c.GetStats().LastCheckpointError is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the injected failure never surfaced");
                Thread.Sleep(10);
            }
            c.CheckpointWritingForTests = null;
            storage.FailAt = 0;
            CollectionStats stats = c.GetStats();
            Assert.Equal((0L, 0L), (stats.CheckpointsWritten, stats.CheckpointGeneration));
            c.Upsert(Rec(1_000, 1)); // still writable
        }
        using (Database db = _temp.Open(Options(AutoCheckpointOptions.Disabled)))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(1_001, c.Count());
            Assert.Equal(Rec(777, 1).Vector!.Value.ToArray(), c.Get(777)!.Vector!.Value.ToArray());
        }
    }

    [Theory]
    [InlineData(1024L, 50, 10, 0L)]
    [InlineData(64L << 20, 0, 10, 0L)]
    [InlineData(64L << 20, 101, 10, 0L)]
    [InlineData(64L << 20, 50, 0, 0L)]
    [InlineData(64L << 20, 50, 10, -2L)]
    public void Settings_out_of_range_are_refused_at_open(long logBytes, int deadPercent, int minDead, long closeBytes)
    {
        var auto = new AutoCheckpointOptions { LogBytes = logBytes, DeadRowPercent = deadPercent, MinDeadRows = minDead, CloseLogBytes = closeBytes };
        Assert.Throws<ArgumentOutOfRangeException>(() => _temp.Open(new DatabaseOptions { AutoCheckpoint = auto }));
        Assert.False(Directory.Exists(_temp.Path));
    }
}
