namespace VectLite.Tests.Engine;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Readers_see_whole_batches_only_while_a_writer_runs()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2));
        const int batches = 150;
        const int perBatch = 100; // a long apply per batch: a reader has a real chance to land in the middle of one
        const int readerCount = 3;
        const int checkEvery = 10; // the writer waits for fresh reads every this many batches
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int writing = 0; // 1 while the writer is mid-run
        long overlapping = 0; // reads that began and ended while the writer was mid-run
        int readersExited = 0;
        using var readersRunning = new CountdownEvent(readerCount);

        // Batch b replaces ids 0..99 with payload gen=b: a consistent read sees 100 records of one generation.
        void Read(int seed)
        {
            var random = new Random(seed);
            try
            {
                readersRunning.Signal();
                while (Volatile.Read(ref writing) != 2)
                {
                    bool before = Volatile.Read(ref writing) == 1;
                    var hits = c.Search(TestData.RandomVector(random, 8), new SearchOptions { TopK = 20 });
                    if (hits.Count is not (0 or 20) || hits.Select(h => (int)h.Payload!["gen"]!).Distinct().Count() > 1)
                    {
                        failures.Enqueue($"search saw {hits.Count} hits of generations {string.Join(",", hits.Select(h => h.Payload!["gen"]))}");
                    }
                    long count = c.Count();
                    if (count is not (0 or perBatch))
                    {
                        failures.Enqueue($"count saw {count}");
                    }
                    if (before && Volatile.Read(ref writing) == 1)
                    {
                        Interlocked.Increment(ref overlapping);
                    }
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue("reader: " + ex);
            }
            finally
            {
                Interlocked.Increment(ref readersExited);
            }
        }

        // Dedicated threads: pool tasks on two busy cores might start only after the writer is done.
        Task[] readers = [.. Enumerable.Range(0, readerCount).Select(seed => Task.Factory.StartNew(() => Read(seed), TaskCreationOptions.LongRunning))];
        readersRunning.Wait();
        Volatile.Write(ref writing, 1);
        var random = new Random(42);
        for (int b = 0; b < batches; b++)
        {
            c.UpsertMany(Enumerable.Range(0, perBatch).Select(i => new Record(i, TestData.RandomVector(random, 8), new System.Text.Json.Nodes.JsonObject { ["gen"] = b })));
            if (b % 50 == 49)
            {
                c.Compact();
            }
            if (b % checkEvery == checkEvery - 1)
            {
                // No timing: wait until the readers have made more overlapping reads (or one of them died).
                long target = (b + 1) / checkEvery * readerCount;
                SpinWait.SpinUntil(() => Interlocked.Read(ref overlapping) >= target || Volatile.Read(ref readersExited) > 0);
            }
        }
        Volatile.Write(ref writing, 2);
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.True(Interlocked.Read(ref overlapping) >= batches / checkEvery * readerCount,
            $"only {Interlocked.Read(ref overlapping)} reads overlapped the writer");
        Assert.Equal(perBatch, c.Count());
    }

    [Fact]
    public void Parallel_writers_are_serialised_without_losing_writes()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 250; i++)
            {
                c.Upsert(new Record(t * 1000 + i, new float[] { t, i, 1, 1 }));
            }
        });
        Assert.Equal(1000, c.Count());
    }
}
