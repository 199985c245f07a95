using VectLite.CrashLoop;

namespace VectLite.Tests.Engine;

/// <summary>
/// The short version of the crash loop (tools/VectLite.CrashLoop): per sync mode, a writer child journals every
/// acknowledged operation and is killed with SIGKILL, half the time just after it enters a checkpoint; the reopened
/// database must equal the journal (plus, at most, the one operation in flight). The long run (1,000 cycles per mode)
/// is a separate command: see tools/VectLite.CrashLoop/README.md. VECTLITE_CRASH_ITERATIONS sets the cycles per mode here.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("PerOp")]
    [InlineData("EveryN(8)")]
    [InlineData("OnFlush")]
    public void Acknowledged_writes_survive_SIGKILL_including_kills_inside_checkpoints(string syncMode)
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("VECTLITE_CRASH_ITERATIONS"), out int n) ? n : 4;
        CrashLoopReport report = CrashLoopRunner.Run(new CrashLoopOptions
        {
            WorkDirectory = _temp.Path,
            SyncMode = SyncMode.Parse(syncMode),
            Cycles = cycles,
            Seed = 20261130,
            CheckpointKillShare = 0.5,
            MinimumKillsDuringCheckpoint = 1, // a busy machine can make an aimed kill miss; then aim again
        });

        Assert.True(report.Failures.Count == 0, string.Join(Environment.NewLine, report.Failures));
        Assert.True(report.Cycles >= cycles, $"only {report.Cycles} of {cycles} cycles ran");
        // Every child died of the kill, not on its own (the runner checks it was alive and ended by SIGKILL).
        Assert.Equal(0, report.SpontaneousExits);
        Assert.True(report.AcknowledgedOperations >= cycles, $"only {report.AcknowledgedOperations} operations were acknowledged: too little to test anything");
        // The kills the durability docs promise: some land while a checkpoint runs.
        Assert.True(report.KillsDuringCheckpoint >= 1, $"no kill landed inside a checkpoint ({report.CheckpointKillAttempts} aimed at one)");
    }
}
