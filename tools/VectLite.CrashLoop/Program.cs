using System.Globalization;
using VectLite;
using VectLite.CrashLoop;

// Usage: see README.md.
//   VectLite.CrashLoop [--modes PerOp,EveryN(8),OnFlush] [--cycles 1000] [--seed 1] [--dir PATH] [--checkpoint-share 0.35] [--max-minutes M]
//   VectLite.CrashLoop child DB JOURNAL SYNCMODE SEED FIRST-SEQUENCE     (started by the loop itself)
if (args.Length > 0 && args[0] == "child")
{
    WriterChild.Run(args[1], args[2], SyncMode.Parse(args[3]), int.Parse(args[4], CultureInfo.InvariantCulture), long.Parse(args[5], CultureInfo.InvariantCulture));
    return 0;
}

string[] modes = ["PerOp", "EveryN(8)", "OnFlush"];
int cycles = 1_000, seed = 1;
double checkpointShare = 0.35;
TimeSpan? timeLimit = null;
string directory = Path.Combine(Path.GetTempPath(), "vectlite-crash-loop", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--modes": modes = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
        case "--cycles": cycles = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--dir": directory = args[i + 1]; break;
        case "--max-minutes": timeLimit = TimeSpan.FromMinutes(double.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
        case "--checkpoint-share": checkpointShare = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; see tools/VectLite.CrashLoop/README.md");
            return 2;
    }
}
if (args.Length % 2 != 0)
{
    Console.Error.WriteLine("options come in pairs; see tools/VectLite.CrashLoop/README.md");
    return 2;
}

Console.WriteLine($"crash loop: {cycles} cycles per mode, seed {seed}, checkpoint share {checkpointShare}, in {directory}");
var reports = new List<CrashLoopReport>();
foreach (string mode in modes)
{
    SyncMode syncMode = SyncMode.Parse(mode);
    reports.Add(CrashLoopRunner.Run(new CrashLoopOptions
    {
        WorkDirectory = Path.Combine(directory, syncMode.ToString()),
        SyncMode = syncMode,
        Cycles = cycles,
        Seed = seed,
        CheckpointKillShare = checkpointShare,
        TimeLimit = timeLimit,
        Progress = Console.WriteLine,
    }));
}

Console.WriteLine();
Console.WriteLine("| sync mode | cycles | kills aimed at checkpoints | kills inside checkpoints | acknowledged operations verified | in flight: applied / absent | spontaneous exits | failures | wall time |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (CrashLoopReport r in reports)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.SyncMode} | {r.Cycles} | {r.CheckpointKillAttempts} | {r.KillsDuringCheckpoint} | {r.AcknowledgedOperations} | {r.InFlightApplied} / {r.InFlightAbsent} | {r.SpontaneousExits} | {r.Failures.Count} | {r.Elapsed.TotalMinutes:0.0} min |"));
}
foreach (CrashLoopReport r in reports)
{
    foreach (string failure in r.Failures)
    {
        Console.WriteLine($"FAILURE ({r.SyncMode}): {failure}");
    }
}
return reports.All(r => r.Failures.Count == 0) ? 0 : 1;
