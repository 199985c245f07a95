using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VectLite.CrashLoop;

/// <summary>
/// Runs the crash loop for one sync mode.
/// </summary>
/// <remarks>
/// How a cycle works:
/// <list type="number">
/// <item>Start a <see cref="WriterChild"/> with a fresh journal and wait until it says <c>ready</c>.</item>
/// <item>Kill it with SIGKILL: either right after it says <c>compact-begin</c> (a share of the cycles), or after a
/// random wait. A child that has already exited, or dies of anything but SIGKILL, is a failure: it crashed by itself.</item>
/// <item>Read the journal: the operations acknowledged, and the one in flight, if any.</item>
/// <item>Reopen the database and compare every visible record with the model after the acknowledged operations, and,
/// if that fails, after them plus the one in flight. Anything else (an acknowledged write missing, half a batch, an
/// operation that was never started) is a failure. The model then takes whichever state matched.</item>
/// </list>
/// A kill process loses nothing the operating system holds, so the rule is the same in every sync mode.
/// </remarks>
public static class CrashLoopRunner
{
    private const int SigKillExitCode = 128 + 9;

    /// <summary>
    /// Runs <see cref="CrashLoopOptions.Cycles"/> cycles (and more if <see cref="CrashLoopOptions.MinimumKillsDuringCheckpoint"/>
    /// asks) and reports what happened. Stops early at the first mismatch or at the time limit.
    /// </summary>
    public static CrashLoopReport Run(CrashLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.WorkDirectory);
        string databasePath = Path.Combine(options.WorkDirectory, "db");
        var random = new Random(options.Seed);
        var expected = new ExpectedState();
        var failures = new List<string>();
        int cycles = 0, checkpointAttempts = 0, checkpointKills = 0, inFlightApplied = 0, inFlightAbsent = 0, spontaneous = 0;
        long acknowledged = 0;
        var clock = Stopwatch.StartNew();
        for (int cycle = 1; failures.Count == 0 && !(clock.Elapsed > options.TimeLimit); cycle++)
        {
            bool extra = cycle > options.Cycles;
            if (extra && (checkpointKills >= options.MinimumKillsDuringCheckpoint || cycle > options.Cycles * 4))
            {
                break;
            }
            cycles = cycle;
            string journalPath = Path.Combine(options.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"journal-{cycle:D6}.log"));
            bool aimAtCheckpoint = random.NextDouble() < options.CheckpointKillShare || extra;
            checkpointAttempts += aimAtCheckpoint ? 1 : 0;
            ChildOutcome outcome = RunChild(options, databasePath, journalPath, cycle, aimAtCheckpoint, random);
            if (outcome.Problem is not null)
            {
                spontaneous++;
                failures.Add($"cycle {cycle}: {outcome.Problem}");
            }
            checkpointKills += outcome.KilledInCheckpoint ? 1 : 0;

            string? mismatch = Verify(databasePath, options.SyncMode, journalPath, ref expected, out long acked, out bool? inFlightFound);
            acknowledged += acked;
            inFlightApplied += inFlightFound == true ? 1 : 0;
            inFlightAbsent += inFlightFound == false ? 1 : 0;
            if (mismatch is not null)
            {
                failures.Add($"cycle {cycle} (journal {journalPath}): {mismatch}");
            }
            else if (outcome.Problem is null)
            {
                File.Delete(journalPath); // keep only the journals of failed cycles
            }
            if (cycle % 25 == 0)
            {
                options.Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"{options.SyncMode}: {cycle} cycles, {checkpointKills} kills in checkpoints, {acknowledged} acknowledged operations, {expected.Count} live records, {failures.Count} failures, {clock.Elapsed.TotalSeconds:0}s"));
            }
        }
        return new CrashLoopReport
        {
            SyncMode = options.SyncMode,
            Cycles = cycles,
            CheckpointKillAttempts = checkpointAttempts,
            KillsDuringCheckpoint = checkpointKills,
            AcknowledgedOperations = acknowledged,
            InFlightApplied = inFlightApplied,
            InFlightAbsent = inFlightAbsent,
            SpontaneousExits = spontaneous,
            Failures = failures,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Starts a child, kills it as planned, and says whether it died of the kill and where the kill landed.</summary>
    private static ChildOutcome RunChild(CrashLoopOptions options, string databasePath, string journalPath, int cycle, bool aimAtCheckpoint, Random random)
    {
        string self = typeof(CrashLoopRunner).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[self, "child", databasePath, journalPath, options.SyncMode.ToString(),
            (options.Seed * 1_000_003 + cycle).ToString(CultureInfo.InvariantCulture),
            (cycle * 100_000_000L).ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }
        using Process child = Process.Start(info) ?? throw new InvalidOperationException("could not start the writer child");
        using var lines = new BlockingCollection<string>();
        var stdout = Task.Run(() =>
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null)
            {
                lines.Add(line);
            }
            lines.CompleteAdding();
        });
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        string? lastSignal = null;
        string? problem = null;
        try
        {
            if (!WaitFor(lines, "ready", options.ChildTimeout, ref lastSignal))
            {
                problem = "the child never said ready";
            }
            else if (aimAtCheckpoint)
            {
                if (!WaitFor(lines, "compact-begin", options.ChildTimeout, ref lastSignal))
                {
                    problem = "the child never entered a checkpoint";
                }
                else
                {
                    Thread.Sleep(random.Next(3)); // 0 (a yield), 1 or 2 ms into the checkpoint
                }
            }
            else
            {
                Thread.Sleep(random.Next(options.MaxKillDelayMilliseconds + 1));
            }
            if (problem is null && child.HasExited)
            {
                problem = "the child exited before it was killed";
            }
        }
        finally
        {
            child.Kill(); // SIGKILL; never leave a child behind, whatever happened above
            child.WaitForExit();
        }
        stdout.Wait();
        foreach (string line in lines.GetConsumingEnumerable())
        {
            lastSignal = line;
        }
        if (problem is null && child.ExitCode != SigKillExitCode)
        {
            problem = $"the child ended with exit code {child.ExitCode}, not by SIGKILL";
        }
        if (problem is not null)
        {
            problem += ": " + stderr.Result.Trim();
        }
        return new ChildOutcome(problem, lastSignal == "compact-begin");
    }

    /// <summary>Consumes lines until <paramref name="signal"/>; false on timeout or when the child closed its output.</summary>
    private static bool WaitFor(BlockingCollection<string> lines, string signal, TimeSpan timeout, ref string? lastSignal)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (!lines.TryTake(out string? line, TimeSpan.FromMilliseconds(500)))
            {
                if (lines.IsCompleted)
                {
                    return false;
                }
                continue;
            }
            lastSignal = line;
            if (line == signal)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reopens the database and checks it against the journal. Returns null and advances <paramref name="expected"/>
    /// when it matches; otherwise describes the mismatch.
    /// </summary>
    private static string? Verify(string databasePath, SyncMode syncMode, string journalPath, ref ExpectedState expected, out long acknowledged, out bool? inFlightFound)
    {
        acknowledged = 0;
        inFlightFound = null;
        JournalContents journal;
        try
        {
            journal = Journal.Read(journalPath);
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
        ExpectedState afterAcknowledged = expected.Clone();
        foreach ((JournalOperation operation, long result) in journal.Acknowledged)
        {
            long wanted = afterAcknowledged.Apply(operation);
            if (wanted != result)
            {
                return $"operation {operation.Sequence} ({operation.ToJson()}) returned {result}, but the model says {wanted}";
            }
        }
        acknowledged = journal.Acknowledged.Count;

        try
        {
            using Database db = Database.Open(databasePath, new DatabaseOptions { SyncMode = syncMode });
            if (!db.TryGetCollection(WriterChild.CollectionName, out Collection? collection))
            {
                return afterAcknowledged.Count == 0 ? null : "the collection is gone";
            }
            string? difference = afterAcknowledged.Difference(collection);
            if (difference is null)
            {
                expected = afterAcknowledged;
                inFlightFound = journal.InFlight is null ? null : false;
                return null;
            }
            if (journal.InFlight is null)
            {
                return "the database differs from its journal: " + difference;
            }
            ExpectedState withInFlight = afterAcknowledged.Clone();
            withInFlight.Apply(journal.InFlight);
            string? differenceWithInFlight = withInFlight.Difference(collection);
            if (differenceWithInFlight is null)
            {
                expected = withInFlight;
                inFlightFound = true;
                return null;
            }
            return $"the database matches neither the acknowledged operations ({difference}) nor those plus the one in flight, {journal.InFlight.ToJson()} ({differenceWithInFlight})";
        }
        catch (VectLiteException ex)
        {
            return "reopening failed: " + ex;
        }
    }

    private sealed record ChildOutcome(string? Problem, bool KilledInCheckpoint);
}
