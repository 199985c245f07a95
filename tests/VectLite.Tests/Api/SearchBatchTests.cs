using System.Collections.Concurrent;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Api;

/// <summary>
/// Batch search: results in query order and equal to one-by-one searches, the queries run concurrently over one
/// snapshot, cancellation is honoured, bad input is the typed error of a single search.
/// </summary>
public sealed class SearchBatchTests
{
    private const int Dimension = 8;

    [Fact]
    public void Exact_batch_results_equal_a_brute_force_computed_here()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(Dimension, Metric.L2));
        List<Record> records = TestData.Records(300, Dimension, seed: 3);
        c.UpsertMany(records);
        var random = new Random(11);
        float[][] queries = [.. Enumerable.Range(0, 40).Select(_ => TestData.RandomVector(random, Dimension))];

        IReadOnlyList<IReadOnlyList<SearchHit>> batch = c.SearchBatch(queries, new SearchOptions { TopK = 5, Exact = true });

        Assert.Equal(queries.Length, batch.Count);
        for (int q = 0; q < queries.Length; q++)
        {
            // Squared L2 in double, ties broken by id: independent of the engine's kernels and heap.
            ulong[] expected = [.. records
                .Select(r => (Id: r.Id.AsNumber, Distance: SquaredDistance(queries[q], r.Vector!.Value.Span)))
                .OrderBy(x => x.Distance).ThenBy(x => x.Id).Take(5).Select(x => x.Id)];
            Assert.Equal(expected, batch[q].Select(h => h.Id.AsNumber));
        }
    }

    [Fact]
    public void Graph_batch_results_equal_one_by_one_searches_and_the_queries_overlap()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(Dimension, Metric.Cosine));
        c.UpsertMany(TestData.Records(5000, Dimension, seed: 5)); // past the exact-scan size: the graph answers
        var random = new Random(13);
        ReadOnlyMemory<float>[] queries = [.. Enumerable.Range(0, 64).Select(_ => new ReadOnlyMemory<float>(TestData.RandomVector(random, Dimension)))];
        var options = new SearchOptions { TopK = 10, Filter = Filter.Eq("color", "red") };

        // Proof of overlap without timing: the first query to start waits (bounded, as a deadlock guard only) until a
        // second query has started; the most queries seen running at once must then be at least 2.
        int running = 0;
        int maxRunning = 0;
        var threads = new ConcurrentDictionary<int, bool>();
        using var secondStarted = new ManualResetEventSlim();
        int started = 0;
        c.BatchQueryStartingForTests = _ =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            if (Interlocked.Increment(ref started) == 1)
            {
                secondStarted.Wait(TimeSpan.FromSeconds(30));
            }
            else
            {
                secondStarted.Set();
            }
            Interlocked.Decrement(ref running);
        };
        IReadOnlyList<IReadOnlyList<SearchHit>> batch = c.SearchBatch(queries, options);
        c.BatchQueryStartingForTests = null;

        Assert.True(maxRunning >= 2, $"at most {maxRunning} query ran at a time");
        Assert.True(threads.Count >= 2, $"the queries ran on {threads.Count} thread(s)");
        Assert.Equal(queries.Length, started);
        for (int q = 0; q < queries.Length; q++)
        {
            IReadOnlyList<SearchHit> single = c.Search(queries[q], options);
            Assert.Equal(single.Select(h => (h.Id, h.Score)), batch[q].Select(h => (h.Id, h.Score)));
        }
    }

    [Fact]
    public void Every_query_sees_the_snapshot_taken_when_the_batch_started()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.UpsertMany([new Record(1, new float[] { 10, 10 }), new Record(2, new float[] { 20, 20 })]);
        float[][] queries = [.. Enumerable.Range(0, 16).Select(_ => new float[] { 0, 0 })];
        int writes = 0;
        c.BatchQueryStartingForTests = i =>
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                c.Upsert(new Record(3, new float[] { 0, 0 })); // nearer than anything, written while the batch runs
                c.Delete(1);
            }
        };
        IReadOnlyList<IReadOnlyList<SearchHit>> batch = c.SearchBatch(queries, new SearchOptions { TopK = 1 });
        c.BatchQueryStartingForTests = null;

        Assert.All(batch, hits => Assert.Equal(1UL, Assert.Single(hits).Id.AsNumber));
        Assert.Equal(3UL, c.Search(new float[] { 0, 0 }, new SearchOptions { TopK = 1 })[0].Id.AsNumber);
    }

    [Fact]
    public void Cancellation_stops_the_batch()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 1, 1 }));
        float[][] queries = [.. Enumerable.Range(0, 1000).Select(i => new float[] { i, 0 })];

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int ran = 0;
        c.BatchQueryStartingForTests = _ => Interlocked.Increment(ref ran);
        Assert.ThrowsAny<OperationCanceledException>(() => c.SearchBatch(queries, null, cancelled.Token));
        Assert.Equal(0, ran);

        using var midway = new CancellationTokenSource();
        c.BatchQueryStartingForTests = _ =>
        {
            if (Interlocked.Increment(ref ran) == 10)
            {
                midway.Cancel();
            }
        };
        Assert.ThrowsAny<OperationCanceledException>(() => c.SearchBatch(queries, null, midway.Token));
        c.BatchQueryStartingForTests = null;
        Assert.InRange(ran, 10, queries.Length - 1); // stopped before the last query started
    }

    [Fact]
    public void Bad_queries_are_the_typed_errors_of_a_single_search_raised_before_any_query_runs()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.Cosine));
        c.Upsert(new Record(1, new float[] { 1, 1 }));
        int ran = 0;
        c.BatchQueryStartingForTests = _ => Interlocked.Increment(ref ran);

        Assert.Throws<DimensionMismatchException>(() => c.SearchBatch([new float[] { 1, 0 }, new float[] { 1, 0, 0 }]));
        Assert.Throws<InvalidVectorException>(() => c.SearchBatch([new float[] { 1, 0 }, new float[] { 0, 0 }]));
        Assert.Throws<InvalidVectorException>(() => c.SearchBatch([new float[] { float.NaN, 0 }]));
        Assert.Throws<ArgumentNullException>(() => c.SearchBatch((IReadOnlyList<float[]>)null!));
        Assert.Throws<ArgumentException>(() => c.SearchBatch([new float[] { 1, 0 }, null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.SearchBatch([new float[] { 1, 0 }], new SearchOptions { TopK = 0 }));
        Assert.Equal(0, ran);
        Assert.Empty(c.SearchBatch(Array.Empty<float[]>()));
    }

    private static double SquaredDistance(float[] a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
