using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// Waits for a collection's background checkpoint: an ingest of a whole data set logs it all, which starts an automatic
/// checkpoint that writes it out while the benchmark would already be timing searches on the same cores.
/// </summary>
internal static class CheckpointWait
{
    /// <summary>Returns once <paramref name="collection"/> has no checkpoint running, and how long that took.</summary>
    public static TimeSpan Settle(Collection collection)
    {
        var watch = Stopwatch.StartNew();
        while (collection.GetStats().CheckpointRunning)
        {
            Thread.Sleep(50);
        }
        return watch.Elapsed;
    }
}
