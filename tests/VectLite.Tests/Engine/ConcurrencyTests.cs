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

    /// <summary>
    /// Deterministic companion of the test above: the writer is paused (a test hook) halfway through applying a batch,
    /// and a reader on another thread reads everything while it waits. The reader must see the state before the batch,
    /// whole; after the call returns, the state after it, whole. An upsert batch (replacing and adding records) and a
    /// delete batch are each paused after some of their operations were applied.
    /// </summary>
    [Fact]
    public void A_reader_while_the_writer_is_paused_inside_a_batch_sees_none_of_it()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        static Record Rec(int id, int gen) => new(id, new float[] { id, gen }, new System.Text.Json.Nodes.JsonObject { ["gen"] = gen });
        c.UpsertMany(Enumerable.Range(0, 10).Select(id => Rec(id, 1))); // batch 1: ids 0..9, generation 1

        // What a reader sees: every id 0..19 with its generation (0: absent), by Get, by a full Scroll, by Count and by
        // an exact Search, each rendered the same way so the views can be compared with one expected literal.
        string Observe()
        {
            var byGet = Enumerable.Range(0, 20).Select(id => c.Get(id) is { } r ? $"{id}:{r.Payload!["gen"]}" : null).Where(s => s is not null);
            var byScroll = c.Scroll(new ScrollOptions { Limit = 100 }).Records.OrderBy(r => r.Id.AsNumber).Select(r => $"{r.Id}:{r.Payload!["gen"]}");
            var bySearch = c.Search(new float[] { 0, 0 }, new SearchOptions { TopK = 100 }).OrderBy(h => h.Id.AsNumber).Select(h => $"{h.Id}:{h.Payload!["gen"]}");
            return $"get {string.Join(",", byGet)} | scroll {string.Join(",", byScroll)} | search {string.Join(",", bySearch)} | count {c.Count()}";
        }
        static string View(params (int Id, int Gen)[] records)
        {
            string list = string.Join(",", records.OrderBy(r => r.Id).Select(r => $"{r.Id}:{r.Gen}"));
            return $"get {list} | scroll {list} | search {list} | count {records.Length}";
        }
        var gen1 = Enumerable.Range(0, 10).Select(id => (id, 1)).ToArray();
        Assert.Equal(View(gen1), Observe());

        // The hook runs before each operation is applied; at operation `pauseAt` of batch `pauseLsn` the writer stops
        // there until a reader thread has read everything.
        long pauseLsn = -1;
        int pauseAt = -1, seen = 0, pauses = 0;
        string? duringBatch = null;
        c.ApplyingOperationForTests = lsn =>
        {
            if (lsn != pauseLsn || seen++ != pauseAt)
            {
                return;
            }
            pauses++;
            var reader = new Thread(() =>
            {
                try
                {
                    duringBatch = Observe();
                }
                catch (Exception ex)
                {
                    duringBatch = "reader failed: " + ex;
                }
            });
            reader.Start();
            // Not a timing assertion: a bound so that a reader blocked by the paused writer fails instead of hanging.
            Assert.True(reader.Join(TimeSpan.FromMinutes(2)), "the reader waited for the paused writer: reads must not wait for a write");
        };

        // Batch 2: replace ids 0..4 and add ids 10..14 (generation 2), interleaved; paused after 5 of its 10 operations.
        (pauseLsn, pauseAt, seen) = (2, 5, 0);
        int[] order = [0, 10, 1, 11, 2, 12, 3, 13, 4, 14];
        c.UpsertMany(order.Select(id => Rec(id, 2)));
        Assert.Equal(1, pauses);
        Assert.Equal(View(gen1), duringBatch);
        var gen2 = Enumerable.Range(0, 15).Select(id => (id, id is >= 5 and < 10 ? 1 : 2)).ToArray();
        Assert.Equal(View(gen2), Observe());

        // Batch 3: delete ids 0, 5 and 10; paused after 2 of its 3 operations.
        (pauseLsn, pauseAt, seen) = (3, 2, 0);
        Assert.Equal(3, c.DeleteMany([0, 5, 10]));
        Assert.Equal(2, pauses);
        Assert.Equal(View(gen2), duringBatch);
        Assert.Equal(View([.. gen2.Where(r => r.id is not (0 or 5 or 10))]), Observe());
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
