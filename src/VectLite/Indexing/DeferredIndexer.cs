namespace VectLite.Indexing;

/// <summary>
/// The background indexer of one collection with <see cref="IndexingMode.Deferred"/>: a dedicated thread that, when
/// signalled, runs indexing passes until nothing waits, then sleeps until the next signal. What a pass does (which rows,
/// which graphs) is the caller's: this class owns only the thread, the signal and the waiting.
/// </summary>
/// <remarks>
/// <para>A dedicated thread, not the thread pool: a pass runs for up to a batch's worth of graph inserts, and a pool
/// thread blocked that long starves the application's own work (and a busy pool would start the indexer late).</para>
/// <para>Nothing it throws escapes the thread: a failed pass is reported to the caller's callback, kept as
/// <see cref="LastError"/> (which waiters rethrow), and retried after <see cref="RetryMilliseconds"/>.</para>
/// <para>Thread safety: every member may be called from any thread.</para>
/// </remarks>
internal sealed class DeferredIndexer
{
    /// <summary>How long the thread waits before retrying after a failed pass.</summary>
    public const int RetryMilliseconds = 1_000;

    private readonly Func<int> _pass;
    private readonly Action<Exception> _failed;
    private readonly Thread _thread;
    private readonly object _sync = new(); // an object, not a Lock: the waits use Monitor.Wait and Pulse
    private bool _signalled;
    private bool _stopping;
    private bool _retryNow;
    private volatile bool _running;
    private volatile Exception? _lastError;

    /// <summary>Starts the thread; it waits for the first <see cref="Notify"/>.</summary>
    /// <param name="name">The thread's name (shown by debuggers and dumps).</param>
    /// <param name="pass">One indexing pass; returns how many rows still wait (0: caught up).</param>
    /// <param name="failed">Called on the indexer's thread with what a pass threw; must not throw.</param>
    public DeferredIndexer(string name, Func<int> pass, Action<Exception> failed)
    {
        _pass = pass;
        _failed = failed;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>What the last pass threw, or null once a pass succeeds.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Whether the thread is inside a run of passes (between a signal and catching up).</summary>
    public bool Running => _running;

    /// <summary>Passes completed (successful or not): tests use it to see that the indexer ran.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    private long _passes;
    private long _failures;

    /// <summary>Asks for passes: rows were written (or the settings changed). Cheap: a flag and a pulse.</summary>
    public void Notify()
    {
        lock (_sync)
        {
            _signalled = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// Waits until <paramref name="done"/> returns true, asking for passes meanwhile. <paramref name="done"/> is
    /// evaluated on the calling thread after each pass (and at least every 50 ms). A pass that fails after the wait
    /// began ends it with <paramref name="failed"/>'s exception (an earlier failure does not: the indexer retries, and
    /// this wait's request wakes it at once).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The indexer was stopped.</exception>
    /// <exception cref="Exception">Whatever <paramref name="done"/> throws, or a wrapper of <see cref="LastError"/> built by <paramref name="failed"/>.</exception>
    public void WaitUntil(Func<bool> done, Func<Exception, Exception> failed, CancellationToken cancellationToken)
    {
        long failuresBefore = Interlocked.Read(ref _failures);
        while (!done())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Interlocked.Read(ref _failures) != failuresBefore && _lastError is { } error)
            {
                throw failed(error);
            }
            lock (_sync)
            {
                if (_stopping)
                {
                    throw new InvalidOperationException("The background indexer was stopped.");
                }
                _signalled = true;
                _retryNow = true;
                Monitor.PulseAll(_sync);
                Monitor.Wait(_sync, 50);
            }
        }
    }

    /// <summary>Stops the thread and waits for it: the pass in progress (at most one batch) completes first.</summary>
    public void Stop()
    {
        lock (_sync)
        {
            _stopping = true;
            Monitor.PulseAll(_sync);
        }
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private bool Stopping
    {
        get
        {
            lock (_sync)
            {
                return _stopping;
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            lock (_sync)
            {
                while (!_signalled && !_stopping)
                {
                    Monitor.Wait(_sync);
                }
                if (_stopping)
                {
                    return;
                }
                _signalled = false;
            }

            _running = true;
            bool failedPass = false;
            try
            {
                while (!Stopping && _pass() > 0)
                {
                    Interlocked.Increment(ref _passes);
                }
                _lastError = null;
            }
            catch (Exception ex)
            {
                // Nothing escapes the thread (it would end the process). The rows stay queued: the log and the records
                // hold them, and the next pass (or a reopen) indexes them.
                _lastError = ex;
                Interlocked.Increment(ref _failures);
                failedPass = true;
                try
                {
                    _failed(ex);
                }
                catch (Exception)
                {
                    // the report itself failed (a logger's defect): the error is kept in LastError all the same
                }
            }
            finally
            {
                _running = false;
                Interlocked.Increment(ref _passes);
            }

            lock (_sync)
            {
                Monitor.PulseAll(_sync); // waiters re-check
                if (failedPass)
                {
                    // Pause before retrying, so a persistent failure is not retried (and logged) on every write; a
                    // waiter (WaitUntil) ends the pause early: it asked for the rows now.
                    long until = Environment.TickCount64 + RetryMilliseconds;
                    _retryNow = false;
                    long remaining;
                    while (!_stopping && !_retryNow && (remaining = until - Environment.TickCount64) > 0)
                    {
                        Monitor.Wait(_sync, (int)remaining);
                    }
                    _signalled = true; // retry
                }
            }
        }
    }
}
