namespace VectLite.CrashLoop;

/// <summary>What a crash loop did and found.</summary>
public sealed record CrashLoopReport
{
    /// <summary>The sync mode the children wrote with.</summary>
    public required SyncMode SyncMode { get; init; }

    /// <summary>Cycles run (child started, killed, database verified).</summary>
    public required int Cycles { get; init; }

    /// <summary>Cycles whose kill was aimed at a checkpoint.</summary>
    public required int CheckpointKillAttempts { get; init; }

    /// <summary>Kills that landed inside a checkpoint: the child had said <c>compact-begin</c> and not yet <c>compact-end</c>.</summary>
    public required int KillsDuringCheckpoint { get; init; }

    /// <summary>Operations the children acknowledged (each was verified present after the next kill).</summary>
    public required long AcknowledgedOperations { get; init; }

    /// <summary>Kills that caught an operation in flight whose effect was found whole on reopen.</summary>
    public required int InFlightApplied { get; init; }

    /// <summary>Kills that caught an operation in flight whose effect was found entirely absent on reopen.</summary>
    public required int InFlightAbsent { get; init; }

    /// <summary>Children that died before the kill or of something other than SIGKILL (each also counts as a failure).</summary>
    public required int SpontaneousExits { get; init; }

    /// <summary>What went wrong, one entry per failed cycle; empty when the database always matched its journal.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Wall time of the loop.</summary>
    public required TimeSpan Elapsed { get; init; }
}
