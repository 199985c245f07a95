namespace VectLite.Indexing;

/// <summary>
/// Runs one piece of work on several threads at once, the calling thread and dedicated helper threads, and returns once
/// every copy has ended: the graph's parallel insert (<see cref="HnswGraph.AddMany"/>) and the preparation of a large
/// write batch, whose copies each take the next item from a shared cursor.
/// </summary>
/// <remarks>
/// Dedicated threads, not pool threads: a busy pool (the engine's callers, a test runner) starts a queued item only after
/// its injection delay, and the work would then run almost serially. A thread costs about 0.1 ms to start, nothing next
/// to work worth running in parallel.
/// </remarks>
internal static class DedicatedWorkers
{
    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="threads"/> threads: on the caller's and on
    /// <paramref name="threads"/> - 1 helpers. Never returns while a helper may still run, even when the caller's copy
    /// throws; a helper's exception surfaces as an <see cref="AggregateException"/>.
    /// </summary>
    public static void Run(int threads, Action work)
    {
        var helpers = new Task[Math.Max(0, threads - 1)];
        for (int t = 0; t < helpers.Length; t++)
        {
            helpers[t] = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        try
        {
            work();
        }
        finally
        {
            Task.WaitAll(helpers);
        }
    }
}
