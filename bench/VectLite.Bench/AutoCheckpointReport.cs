namespace VectLite.Bench;

/// <summary>Runs the auto-checkpoint workloads round by round and writes the report.</summary>
internal static class AutoCheckpointReport
{
    public static void Run(MachineInfo machine, IReadOnlyList<AutoCheckpointWorkload> workloads, int samples, int rounds, string output)
    {
        var runs = workloads.ToDictionary(w => w, _ => new List<(AutoCheckpointRun Off, AutoCheckpointRun On)>());
        string loadAtStart = MachineInfo.LoadAverage();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (AutoCheckpointWorkload workload in workloads)
            {
                // Alternate which mode goes first, so neither always runs on a warmer (or more fragmented) machine.
                bool onFirst = round % 2 == 0;
                Console.Error.WriteLine($"round {round}/{rounds}: {workload.Name}, {(onFirst ? "on then off" : "off then on")}");
                AutoCheckpointRun first = workload.Run(autoOn: onFirst, samples);
                AutoCheckpointRun second = workload.Run(autoOn: !onFirst, samples);
                runs[workload].Add(onFirst ? (second, first) : (first, second));
            }
        }

        var report = new MarkdownReport("Automatic checkpoints: a process that never calls Compact()", machine);
        report.Paragraph(
            "Each workload runs in a new database (sync mode OnFlush, one cosine collection with the default HNSW settings) " +
            "twice per round: automatic checkpoints off (`AutoCheckpointOptions.Disabled`) and on (the defaults: 64 MiB of " +
            "log, half the rows dead with at least 10,000, 1 MiB at close). Nothing calls `Compact()`. Throughput counts the " +
            "write calls' time only; at each sample point the counters are read and a read-only open of the database is timed " +
            "in a child process (it loads the checkpoint and replays the log, as a reopen does; an open in the writer's own " +
            "process would share its open database and load nothing), outside the write timing. At the end the " +
            "database is closed (timed: with checkpoints on, a checkpoint at close) and reopened (timed).");
        report.Paragraph($"Load average (/proc/loadavg) at the start: {loadAtStart}; at the end: {MachineInfo.LoadAverage()}. Run time {started.Elapsed.TotalMinutes:N1} min.");
        bool pass = true;
        foreach (AutoCheckpointWorkload workload in workloads)
        {
            List<(AutoCheckpointRun Off, AutoCheckpointRun On)> pairs = runs[workload];
            double[] ratios = [.. pairs.Select(p => p.On.RecordsPerSecond / p.Off.RecordsPerSecond)];
            double ratio = Statistics.Median(ratios);
            pass &= ratio >= AutoCheckpointCommand.TargetOnOverOff;

            report.Heading($"{workload.Name}: {workload.Description}");
            report.Table(["", "records/s (median, min-max)", "checkpoints", "largest log", "largest on disk", "largest dead share", "slowest reopen along the way", "close", "reopen after close"],
            [
                Row("off", pairs.Select(p => p.Off).ToList()),
                Row("on", pairs.Select(p => p.On).ToList()),
            ]);
            report.Paragraph($"Throughput on / off per round: {string.Join(", ", ratios.Select(r => Format.Ratio(r)))}; median {Format.Ratio(ratio)} " +
                $"(target >= {Format.Ratio(AutoCheckpointCommand.TargetOnOverOff)}): **{Format.Verdict(ratio >= AutoCheckpointCommand.TargetOnOverOff)}**.");

            (AutoCheckpointRun off, AutoCheckpointRun on) = pairs[^1];
            report.Paragraph($"The curve (round {pairs.Count}): after each share of the calls, the log, the files on disk, the dead share of the rows held, checkpoints so far and the time a reopen would take.");
            report.Table(["calls", "off: log", "off: disk", "off: dead", "off: reopen", "on: log", "on: disk", "on: dead", "on: checkpoints", "on: reopen"],
                off.Samples.Zip(on.Samples, (a, b) => (IReadOnlyList<string>)
                [
                    Format.Count(a.Operations),
                    Format.Bytes(a.LogBytes), Format.Bytes(a.DiskBytes), Format.Percent(a.DeadShare), $"{a.ReopenMilliseconds:N0} ms",
                    Format.Bytes(b.LogBytes), Format.Bytes(b.DiskBytes), Format.Percent(b.DeadShare), Format.Count(b.Checkpoints), $"{b.ReopenMilliseconds:N0} ms",
                ]));
        }
        report.Paragraph($"Overall (throughput on / off >= {Format.Ratio(AutoCheckpointCommand.TargetOnOverOff)} for every workload): **{Format.Verdict(pass)}**.");
        report.Save(output);
    }

    private static IReadOnlyList<string> Row(string label, List<AutoCheckpointRun> runs)
    {
        double[] rates = [.. runs.Select(r => r.RecordsPerSecond)];
        return
        [
            label,
            $"{Format.Count(Statistics.Median(rates))} ({Format.Count(rates.Min())}-{Format.Count(rates.Max())})",
            string.Join(" / ", runs.Select(r => Format.Count(r.Checkpoints))),
            Format.Bytes(runs.Max(r => r.Samples.Max(s => s.LogBytes))),
            Format.Bytes(runs.Max(r => r.Samples.Max(s => s.DiskBytes))),
            Format.Percent(runs.Max(r => r.Samples.Max(s => s.DeadShare))),
            $"{runs.Max(r => r.Samples.Max(s => s.ReopenMilliseconds)):N0} ms",
            $"{Statistics.Median(runs.Select(r => r.CloseMilliseconds)):N0} ms",
            $"{Statistics.Median(runs.Select(r => r.ReopenAfterCloseMilliseconds)):N0} ms",
        ];
    }
}
