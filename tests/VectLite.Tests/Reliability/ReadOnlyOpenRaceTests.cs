using VectLite.Tests.Engine;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Defect 8 of the reliability audit: a read-only open racing a writer's checkpoint was reported as corruption, and
/// under load ran out of retries. A read-only open must always succeed, whatever the writer does.
/// </summary>
public sealed class ReadOnlyOpenRaceTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_read_only_open_overtaken_by_a_checkpoint_in_each_of_its_first_25_attempts_still_opens_the_newest_state()
    {
        using Database writer = _temp.Open();
        Collection docs = writer.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2).WithHnsw(HnswOptions.Disabled));
        docs.UpsertMany(TestData.Records(100, 8));
        string directory = Path.GetFullPath(_temp.CollectionDirectory("docs"));
        int attempts = 0;
        CollectionEngine.ReadOnlyAttemptForTests = dir =>
        {
            if (dir != directory || ++attempts > 25)
            {
                return; // other tests' opens, and this open's final attempt
            }
            // Between the reader opening the generation's files and reading them: a write and a checkpoint, which
            // deletes those files and empties the log the reader is about to replay.
            docs.Upsert(new Record(1000 + attempts, new float[8]));
            docs.Compact();
        };
        try
        {
            using Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true, Unshared = true }); // a private engine: a reader in another process
            Collection c = reader.GetCollection("docs");
            Assert.Equal(26, attempts);
            Assert.Equal(125, c.Count()); // the state after the 25th checkpoint, not an older one
            Assert.NotNull(c.Get(1025));
        }
        finally
        {
            CollectionEngine.ReadOnlyAttemptForTests = null;
        }
    }

    [Fact]
    public void Read_only_opens_succeed_and_see_whole_states_while_a_writer_checkpoints_continuously_under_load()
    {
        using Database writer = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection docs = writer.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2).WithHnsw(HnswOptions.Disabled));
        docs.UpsertMany(TestData.Records(500, 8));

        // Busy cores: the failure showed when other CPU-bound work slowed the reader down. The burners and the writer
        // run on threads of their own, not the thread pool: with every core busy the pool does not add threads, so a
        // writer queued behind pool work (the burners, or other test classes running in parallel) never started, and
        // no open could overlap a checkpoint (seen once in CI: 0 of 5,000).
        using var stop = new CancellationTokenSource();
        Thread[] burners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => StartThread(() =>
        {
            double x = 1;
            while (!stop.IsCancellationRequested)
            {
                x = Math.Sqrt(x + 1);
            }
            GC.KeepAlive(x);
        })).ToArray();

        int checkpoints = 0;
        Exception? churnFailure = null;
        Thread churn = StartThread(() =>
        {
            try
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    docs.UpsertMany(TestData.Records(500, 8, seed: i)); // same ids: the count stays 500
                    docs.Compact();
                    Interlocked.Increment(ref checkpoints);
                }
            }
            catch (Exception ex)
            {
                churnFailure = ex;
            }
        });

        try
        {
            int opens = 0, overlapped = 0;
            // Keep opening until enough opens are proven to have overlapped a checkpoint (the writer finished at least
            // one checkpoint while the open ran), with a floor on the number of opens.
            while (opens < 30 || overlapped < 10)
            {
                Assert.Null(churnFailure);
                Assert.True(opens < 5_000, $"only {overlapped} of {opens} opens overlapped a checkpoint");
                int before = Volatile.Read(ref checkpoints);
                using (Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true, Unshared = true })) // a private engine: a reader in another process
                {
                    Collection c = reader.GetCollection("docs");
                    Assert.Equal(500, c.Count());
                    Assert.Equal(500, c.Scroll(new ScrollOptions { Limit = 1000 }).Records.Count);
                }
                opens++;
                if (Volatile.Read(ref checkpoints) > before)
                {
                    overlapped++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            churn.Join();
            foreach (Thread burner in burners)
            {
                burner.Join();
            }
        }
        Assert.Null(churnFailure);
    }

    private static Thread StartThread(Action body)
    {
        var thread = new Thread(() => body()) { IsBackground = true };
        thread.Start();
        return thread;
    }
}
