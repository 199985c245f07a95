using System.Diagnostics;

namespace VectLite.Cli;

/// <summary>
/// Progress of a long copy on stderr: records so far, rate, and (when the total is known) percentage and time left.
/// On a terminal one line rewritten once a second; when stderr is redirected (a log, CI), a full line every ten seconds,
/// so logs show progress without a carriage-return mess. Stdout stays for the result.
/// </summary>
internal sealed class TransferProgress
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly long? _total;
    private readonly long _startCount;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private TimeSpan _last;
    private bool _wrote;

    /// <param name="total">The records to copy in all, or null when unknown.</param>
    /// <param name="startCount">Records already copied before this run (a resumed copy): counted, not in the rate.</param>
    public TransferProgress(long? total, long startCount = 0)
    {
        _total = total;
        _startCount = startCount;
    }

    /// <summary>Time since the start of this run.</summary>
    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>Records per second in this run.</summary>
    public double Rate(long count) => (count - _startCount) / Math.Max(_watch.Elapsed.TotalSeconds, 1e-3);

    /// <summary>Reports the count if enough time has passed since the last report.</summary>
    public void Report(long count)
    {
        TimeSpan interval = _terminal ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10);
        if (_watch.Elapsed - _last < interval)
        {
            return;
        }
        _last = _watch.Elapsed;
        double rate = Rate(count);
        string line = $"{count:N0}{(_total is { } t ? $" of {t:N0} records ({100.0 * count / Math.Max(t, 1):N0}%)" : " records")}, {rate:N0}/s";
        if (_total is { } total && rate > 0 && total > count)
        {
            line += $", {Format.Duration(TimeSpan.FromSeconds((total - count) / rate))} left";
        }
        if (_terminal)
        {
            Console.Error.Write($"\r{line}   ");
            _wrote = true;
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>Clears a rewritten terminal line before the summary.</summary>
    public void Done()
    {
        if (_wrote)
        {
            Console.Error.Write("\r");
        }
    }
}
