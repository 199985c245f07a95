namespace VectLite.CrashLoop;

/// <summary>How one crash loop runs.</summary>
public sealed record CrashLoopOptions
{
    /// <summary>A directory the loop owns: the database and the journals go under it.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The sync mode the writer child opens the database with.</summary>
    public required SyncMode SyncMode { get; init; }

    /// <summary>How many times a child is started and killed.</summary>
    public int Cycles { get; init; } = 10;

    /// <summary>Seeds the kill timing and every child's choice of operations, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The share of cycles whose kill is aimed at a checkpoint: the parent waits for the child to enter one, then kills.</summary>
    public double CheckpointKillShare { get; init; } = 0.35;

    /// <summary>The other cycles kill after a random wait of up to this many milliseconds once the child is writing.</summary>
    public int MaxKillDelayMilliseconds { get; init; } = 500;

    /// <summary>How long a child may take to start or to reach a checkpoint before the cycle fails (a hung child is a finding too).</summary>
    public TimeSpan ChildTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// After <see cref="Cycles"/>, keeps running cycles aimed at checkpoints until this many kills landed inside one
    /// (at most three times <see cref="Cycles"/> extra), so a short run on a busy machine still proves the point.
    /// </summary>
    public int MinimumKillsDuringCheckpoint { get; init; }

    /// <summary>Stops the loop after this much wall time even if fewer cycles ran (the report says how many did); null for no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Receives a line of progress now and then; null for silence.</summary>
    public Action<string>? Progress { get; init; }
}
