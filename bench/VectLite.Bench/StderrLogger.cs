using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VectLite.Bench;

/// <summary>
/// Writes the engine's log events of <see cref="LogLevel.Information"/> and above to standard error, each with the time
/// since the logger was made and the process's resident and anonymous memory at that moment (not after a GC): for a
/// benchmark that must see when a checkpoint runs and what memory is in use around it.
/// </summary>
internal sealed class StderrLogger(string prefix) : ILogger
{
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        (long rss, long anonymous) = Resident();
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: {_watch.Elapsed.TotalSeconds:0.0} s [{rss >> 20} MiB resident, {anonymous >> 20} MiB anonymous, managed {GC.GetTotalMemory(false) >> 20} MiB of {gc.TotalCommittedBytes >> 20} MiB committed] {formatter(state, exception)}"));
    }

    /// <summary>VmRSS and RssAnon from /proc/self/status, in bytes (0 where the file does not exist).</summary>
    internal static (long Rss, long Anonymous) Resident()
    {
        long rss = 0, anonymous = 0;
        if (!File.Exists("/proc/self/status"))
        {
            return (0, 0);
        }
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }
        return (rss, anonymous);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
}
