using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// A large <see cref="Collection.UpsertMany(IEnumerable{Record})"/> batch (a list or array of at least
/// <see cref="HnswOptions.ParallelInsertThreshold"/> records) is validated and copied on the insert threads: what it
/// stores is what the records hold, an invalid batch fails with the first invalid record's error (in the batch's
/// order, whichever thread met an error first) and writes nothing, and a cancelled one writes nothing.
/// </summary>
public sealed class ParallelPrepareTests : IDisposable
{
    private const int Dimension = 4;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Collection Create(Database db, int threads = 2) =>
        db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { MaxInsertThreads = threads }));

    /// <summary>Record i: vector (i, -i, i / 2, 1), payload {"n": i}.</summary>
    private static Record R(int i) => new((ulong)i, new float[] { i, -i, i / 2f, 1 }, new JsonObject { ["n"] = i });

    private static List<Record> Records(int count) => [.. Enumerable.Range(0, count).Select(R)];

    [Fact]
    public void A_large_batch_is_prepared_on_several_threads_and_stored_as_given()
    {
        using Database db = _temp.Open();
        Collection c = Create(db);
        var threadOfRange = new ConcurrentDictionary<int, int>();
        using var anotherStarted = new ManualResetEventSlim();
        bool overlapped = false;
        c.Engine.PreparingRangeForTests = range =>
        {
            threadOfRange[range] = Environment.CurrentManagedThreadId;
            if (range == 0)
            {
                // Held until another range starts: only another thread can take it, however late the helper starts.
                overlapped = anotherStarted.Wait(TimeSpan.FromSeconds(10));
            }
            else
            {
                anotherStarted.Set();
            }
        };

        Assert.Equal(3000, c.UpsertMany(Records(3000)));

        // 3,000 records are ranges 0-5 of 512; two workers took them, at once.
        Assert.True(overlapped, "no other range started while range 0 waited: the batch was not prepared in parallel");
        Assert.Equal([0, 1, 2, 3, 4, 5], threadOfRange.Keys.Order());
        Assert.Equal(2, threadOfRange.Values.Distinct().Count());
        Assert.Equal(3000, c.Count());
        foreach (int i in new[] { 0, 511, 512, 1777, 2999 })
        {
            Record stored = c.Get((ulong)i)!;
            Assert.Equal(new float[] { i, -i, i / 2f, 1 }, stored.Vector!.Value.ToArray());
            Assert.Equal(i, (int)stored.Payload!["n"]!);
        }
    }

    [Fact]
    public void The_first_invalid_record_in_order_names_the_error_even_when_a_later_one_fails_first()
    {
        using Database db = _temp.Open();
        Collection c = Create(db);
        c.Upsert(R(5000));
        Record[] records = [.. Records(2048)];
        records[100] = new Record(100, new float[] { 1, float.NaN, 0, 0 });
        records[600] = new Record(600, new float[] { 1, 2, 3 });

        // Range 0 (which holds record 100) waits until range 1 (record 600) has started on the other thread: both run at
        // once, and range 1's failure comes first.
        using var rangeOneStarted = new ManualResetEventSlim();
        bool overlapped = false;
        c.Engine.PreparingRangeForTests = range =>
        {
            if (range == 1)
            {
                rangeOneStarted.Set();
                Thread.Sleep(50);
            }
            else if (range == 0)
            {
                overlapped = rangeOneStarted.Wait(TimeSpan.FromSeconds(10));
                Thread.Sleep(100); // range 1 meets record 600 meanwhile
            }
        };

        var ex = Assert.Throws<InvalidVectorException>(() => c.UpsertMany(records));

        Assert.True(overlapped, "range 1 never started while range 0 waited: the batch was not prepared in parallel");
        Assert.Contains("index 1", ex.Message); // record 100's NaN, not record 600's dimension
        Assert.Equal(1, c.Count());
        Assert.Null(c.Get(0));
        Assert.Null(c.Get(2047));
    }

    [Fact]
    public void A_null_record_in_a_large_batch_is_refused_and_nothing_is_written()
    {
        using Database db = _temp.Open();
        Collection c = Create(db);
        List<Record> records = Records(2048);
        records[1500] = null!;

        var ex = Assert.Throws<ArgumentNullException>(() => c.UpsertMany(records));

        Assert.Equal("records", ex.ParamName);
        Assert.Equal(0, c.Count());
    }

    [Fact]
    public void A_cancelled_large_batch_writes_nothing()
    {
        using Database db = _temp.Open();
        Collection c = Create(db);
        using var source = new CancellationTokenSource();
        int ranges = 0;
        c.Engine.PreparingRangeForTests = _ =>
        {
            if (Interlocked.Increment(ref ranges) == 2)
            {
                source.Cancel();
            }
        };

        Assert.ThrowsAny<OperationCanceledException>(() => c.Engine.UpsertMany(Records(4096), source.Token));

        Assert.InRange(ranges, 2, 3); // each worker stops at its next range: 8 ranges, at most one more taken
        Assert.Equal(0, c.Count());
        c.UpsertMany(Records(10));
        Assert.Equal(10, c.Count());
    }

    [Fact]
    public void One_insert_thread_or_a_small_batch_or_another_list_type_is_prepared_in_order_on_the_caller()
    {
        using Database db = _temp.Open();
        Collection c = Create(db, threads: 1);
        int ranges = 0;
        c.Engine.PreparingRangeForTests = _ => ranges++;
        c.UpsertMany(Records(3000));

        Collection small = db.CreateCollection("small", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { MaxInsertThreads = 2 }));
        small.Engine.PreparingRangeForTests = _ => ranges++;
        small.UpsertMany(Records(1023)); // below two ranges
        small.UpsertMany(Records(3000).AsReadOnly()); // a caller's list type: maybe not safe to read from two threads

        Assert.Equal(0, ranges);
        Assert.Equal(3000, c.Count());
        Assert.Equal(3000, small.Count());
    }
}
