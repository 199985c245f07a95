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
        ProcessMemory now = ProcessMemory.ReadNow();
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: {_watch.Elapsed.TotalSeconds:0.0} s [{now.Rss >> 20} MiB resident, {now.Anonymous >> 20} MiB anonymous, managed {GC.GetTotalMemory(false) >> 20} MiB of {gc.TotalCommittedBytes >> 20} MiB committed] {formatter(state, exception)}"));
    }
}
