using System.CommandLine;

namespace VectLite.Bench;

/// <summary>
/// <c>auto-checkpoint [--vectors 200000] [--dim 384] [--updates 1000000] [--rounds 3] [--out FILE]</c>: two write workloads
/// in a process that never calls <c>Compact()</c>, with automatic checkpoints on (the defaults) and off, in the same run:
/// the log, the disk, the dead share and the reopen time along the way, and write throughput on / off.
/// </summary>
internal static class AutoCheckpointCommand
{
    /// <summary>The issue's target: write throughput with automatic checkpoints on at least this share of off.</summary>
    public const double TargetOnOverOff = 0.8;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var vectors = new Option<int>("--vectors") { Description = "Records upserted in the upsert workload.", DefaultValueFactory = _ => 200_000 };
        var dim = new Option<int>("--dim") { Description = "Dimension of the upsert workload's vectors.", DefaultValueFactory = _ => 384 };
        var batch = new Option<int>("--batch") { Description = "Records per UpsertMany call in the upsert workload.", DefaultValueFactory = _ => 100 };
        var updates = new Option<int>("--updates") { Description = "Single-record UpdatePayload calls in the update workload.", DefaultValueFactory = _ => 1_000_000 };
        var updateRecords = new Option<int>("--update-records") { Description = "Records the update workload updates at random.", DefaultValueFactory = _ => 10_000 };
        var updateDim = new Option<int>("--update-dim") { Description = "Dimension of the update workload's vectors.", DefaultValueFactory = _ => 32 };
        var samples = new Option<int>("--samples") { Description = "Points on each curve.", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (each runs every workload with checkpoints off, then on).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("auto-checkpoint.md") };
        var only = new Option<string>("--workloads") { Description = "Which workloads: all, upserts or updates.", DefaultValueFactory = _ => "all" };
        only.AcceptOnlyFromAmong("all", "upserts", "updates");
        var timeOpen = new Option<string?>("--time-open") { Description = "(internal) time a read-only open of this database and print the milliseconds.", Hidden = true };
        foreach (Option<int> option in new[] { vectors, dim, batch, updates, updateRecords, updateDim, samples, rounds })
        {
            option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError($"{option.Name} must be at least 1."); } });
        }

        var command = new Command("auto-checkpoint", "Upserts and payload updates that never call Compact(), automatic checkpoints on vs off: log, disk, dead share, reopen time, throughput.")
        {
            vectors, dim, batch, updates, updateRecords, updateDim, samples, rounds, output, only, timeOpen,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(timeOpen) is { } path)
            {
                Console.WriteLine(AutoCheckpointWorkload.TimeOpen(path).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            }
            string which = result.GetRequiredValue(only);
            var workloads = new List<AutoCheckpointWorkload>();
            if (which is "all" or "upserts")
            {
                workloads.Add(AutoCheckpointWorkload.Upserts(result.GetValue(vectors), result.GetValue(dim), result.GetValue(batch)));
            }
            if (which is "all" or "updates")
            {
                workloads.Add(AutoCheckpointWorkload.PayloadUpdates(result.GetValue(updates), result.GetValue(updateRecords), result.GetValue(updateDim)));
            }
            AutoCheckpointReport.Run(MachineInfo.Collect(), workloads, result.GetValue(samples), result.GetValue(rounds), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }
}
