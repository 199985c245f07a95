using VectLite.Indexing;
using VectLite.Search;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

public sealed class HnswConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Searches_during_parallel_inserts_never_throw_and_only_return_inserted_rows()
    {
        const int n = 3000;
        (float[][] vectors, float[][] queries) = WithQueries(seed: 301, n, 50, 24);

        // Every vector is in the arena from the start; a row only counts as inserted once Add was called.
        using VectorArena arena = Arena(vectors);
        var graph = new HnswGraph(arena, Metric.L2, Quick);
        int claimed = 0;
        int finished = 0;
        long searches = 0; // searches begun after the first insert and before both inserters finished
        int searchersExited = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // The inserts start only once both searchers run, so the two really overlap.
        using var searchersRunning = new CountdownEvent(2);

        void Insert()
        {
            searchersRunning.Wait();
            int row;
            while ((row = Interlocked.Increment(ref claimed) - 1) < n)
            {
                graph.Add(row);
                if (row % 250 == 249)
                {
                    // No timing: wait until the searchers have run more searches mid-build (or one died).
                    long target = (row + 1) / 250 * 2;
                    SpinWait.SpinUntil(() => Interlocked.Read(ref searches) >= target || Volatile.Read(ref searchersExited) > 0);
                }
            }

            Interlocked.Increment(ref finished);
        }

        void SearchLoop(int seed)
        {
            try
            {
                SearchUntilBuilt(seed);
            }
            finally
            {
                Interlocked.Increment(ref searchersExited);
            }
        }

        void SearchUntilBuilt(int seed)
        {
            var rng = new Random(seed);
            searchersRunning.Signal();
            while (Volatile.Read(ref finished) < 2)
            {
                bool building = Volatile.Read(ref claimed) > 0;
                float[] query = queries[rng.Next(queries.Length)];
                (float Score, int Row)[] found = Query(graph, query, 10, rng.Next(10, 60));
                int bound = Volatile.Read(ref claimed);
                foreach ((float score, int row) in found)
                {
                    if (row < 0 || row >= bound)
                    {
                        failures.Enqueue($"Row {row} returned while only rows below {bound} were claimed.");
                    }

                    if (L2Scorer.Score(query, arena.Get(row)) != score)
                    {
                        failures.Enqueue($"Row {row} came back with a wrong score.");
                    }
                }

                if (found.Select(f => f.Row).Distinct().Count() != found.Length)
                {
                    failures.Enqueue("A search returned the same row twice.");
                }

                if (building)
                {
                    Interlocked.Increment(ref searches);
                }
            }
        }

        // Dedicated threads: four pool tasks on two cores might not all be scheduled while the inserts run.
        Task[] tasks =
        [
            Task.Factory.StartNew(Insert, TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(Insert, TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => SearchLoop(1), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => SearchLoop(2), TaskCreationOptions.LongRunning),
        ];
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(failures);
        Assert.True(Interlocked.Read(ref searches) >= n / 250 * 2, $"only {Interlocked.Read(ref searches)} searches overlapped the inserts");
        Assert.Equal(n, graph.Count);
        AssertWellFormed(graph);
        double recall = Recall(graph, arena, Metric.L2, queries, n, 10, 60);
        output.WriteLine($"{Interlocked.Read(ref searches)} searches during the build; recall@10 afterwards {recall:F3} at ef 60");
        Assert.True(recall >= 0.95, $"Recall after concurrent inserts is {recall:F3}.");
    }

    /// <summary>
    /// Regression: inserts linked a node top-down, so a node of level 1 or more was reachable on its upper
    /// levels while its level-0 list was still empty. A query descending onto it searched level 0 from a
    /// dead end and, the new row not being visible to it yet, returned nothing at all.
    /// </summary>
    [Fact]
    public async Task Searches_during_inserts_never_start_level_0_at_a_node_without_links()
    {
        const int n = 3500;
        const int first = 500;
        (float[][] vectors, _) = WithQueries(seed: 321, n, 0, 16);
        using VectorArena arena = Arena(vectors);

        // M 4: one node in four reaches level 1, and a long level-0 search (ef_construction 200) holds
        // each of them in the window the bug needed.
        var graph = new HnswGraph(arena, Metric.L2, new HnswParameters(4, 200, 0));
        graph.AddMany(Rows(first), 1);
        int visible = first;
        int empty = 0;
        long searches = 0;
        int searchersExited = 0;
        using var searchersRunning = new CountdownEvent(2);
        using var stop = new CancellationTokenSource();

        void SearchLoop(int seed)
        {
            try
            {
                SearchUntilStopped(seed);
            }
            finally
            {
                Interlocked.Increment(ref searchersExited);
            }
        }

        void SearchUntilStopped(int seed)
        {
            var rng = new Random(seed);
            var heap = new TopKHeap(10);
            searchersRunning.Signal();
            while (!stop.IsCancellationRequested)
            {
                // The engine's view: rows inserted into the graph become visible a batch later.
                var filter = new BelowFilter(Volatile.Read(ref visible));
                graph.Search(vectors[rng.Next(first)], 10, 0, ref filter, heap);
                if (heap.Count < 10)
                {
                    Interlocked.Increment(ref empty);
                }

                heap.Clear();
                Interlocked.Increment(ref searches);
            }
        }

        Task[] searchers =
        [
            Task.Factory.StartNew(() => SearchLoop(1), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => SearchLoop(2), TaskCreationOptions.LongRunning),
        ];
        searchersRunning.Wait();
        long before = Interlocked.Read(ref searches);
        for (int batch = first; batch < n; batch += 50)
        {
            for (int row = batch; row < batch + 50; row++)
            {
                graph.Add(row);
            }

            Volatile.Write(ref visible, batch + 50);

            // No timing: wait until both searchers could have met this batch's half-linked nodes (or one died).
            long target = before + ((batch - first + 50) / 50 * 2);
            SpinWait.SpinUntil(() => Interlocked.Read(ref searches) >= target || Volatile.Read(ref searchersExited) > 0);
        }

        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        output.WriteLine($"{Interlocked.Read(ref searches)} searches during {n - first} inserts; {empty} came back short");
        Assert.Equal(0, empty);
        long during = Interlocked.Read(ref searches) - before;
        Assert.True(during >= (n - first) / 50 * 2, $"only {during} searches ran during the inserts");
    }

    [Fact]
    public async Task Parallel_AddMany_beside_searches_builds_a_complete_graph()
    {
        const int n = 3000;
        float[][] vectors = Clustered(seed: 311, n, 16);
        using VectorArena arena = Arena(vectors);
        var graph = new HnswGraph(arena, Metric.Cosine, Quick);
        using var stop = new CancellationTokenSource();
        using var searcherRunning = new ManualResetEventSlim();
        long searches = 0;

        // A dedicated thread, running before AddMany starts: a pool task might start only after it ended.
        Task searcher = Task.Factory.StartNew(() =>
        {
            var rng = new Random(312);
            searcherRunning.Set();
            while (!stop.IsCancellationRequested)
            {
                (float Score, int Row)[] found = Query(graph, vectors[rng.Next(n)], 5, 20);
                Assert.All(found, f => Assert.InRange(f.Row, 0, n - 1));
                Interlocked.Increment(ref searches);
            }
        }, TaskCreationOptions.LongRunning);

        searcherRunning.Wait();
        long before = Interlocked.Read(ref searches);
        graph.AddMany(Rows(n), 2);
        long during = Interlocked.Read(ref searches) - before; // searches that ended while AddMany ran
        await stop.CancelAsync();
        await searcher.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(during > 0, "no search ran while AddMany inserted");

        Assert.Equal(n, graph.Count);
        Assert.Equal(Rows(n), Enumerable.Range(0, n).Select(graph.GetRow).Order());
        AssertWellFormed(graph);
    }
}

/// <summary>Accepts the rows below a watermark: the rows an engine snapshot has published.</summary>
internal readonly struct BelowFilter(int limit) : IRowFilter
{
    public bool Accept(int row) => row < limit;
}
