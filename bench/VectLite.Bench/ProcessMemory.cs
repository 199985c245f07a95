using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// This process's resident memory as Linux counts it (/proc/self/status): all resident pages, the anonymous (private)
/// ones, the file-backed ones (mapped files, code), and the peak. File-backed pages are the ones the kernel can drop under
/// memory pressure; anonymous ones stay (there is no swap on the bench machines).
/// </summary>
/// <param name="Rss">VmRSS: every resident page.</param>
/// <param name="Anonymous">RssAnon: private memory (heaps, native allocations, the vectors kept in RAM).</param>
/// <param name="File">RssFile: resident pages of mapped files (the vectors read from checkpoint files, the program's code).</param>
/// <param name="Peak">VmHWM: the largest VmRSS so far.</param>
internal sealed record ProcessMemory(long Rss, long Anonymous, long File, long Peak)
{
    /// <summary>Reads the counters now, after a full blocking, compacting collection (so garbage is not counted).</summary>
    public static ProcessMemory Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return ReadNow();
    }

    /// <summary>Reads the counters as they are, garbage included (no collection): what the process holds at this moment.</summary>
    public static ProcessMemory ReadNow()
    {
        long rss = 0, anonymous = 0, file = 0, peak = 0;
        foreach (string line in System.IO.File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }
        return new ProcessMemory(rss, anonymous, file, peak);
    }

    /// <summary>The counters of <paramref name="after"/> less those of <paramref name="before"/> (the peak is <paramref name="after"/>'s).</summary>
    public static ProcessMemory operator -(ProcessMemory after, ProcessMemory before) =>
        new(after.Rss - before.Rss, after.Anonymous - before.Anonymous, after.File - before.File, after.Peak);

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
}
