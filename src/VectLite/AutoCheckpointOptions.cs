namespace VectLite;

/// <summary>
/// When a writer checkpoints a collection by itself (see <see cref="Collection.Compact"/> for what a checkpoint does),
/// so that an application that never calls <c>Compact</c> keeps a bounded log, bounded reopen time and bounded memory
/// for deleted rows. Set through <see cref="DatabaseOptions.AutoCheckpoint"/>; on by default.
/// </summary>
/// <remarks>
/// Checks are a few counter comparisons after each write batch. A checkpoint that is due runs on a background thread:
/// readers never wait for it, and writers wait only while the in-memory state is compacted (when it holds deleted or
/// expiring rows) and while the log is cut back at the end; the data files are written while writes continue.
/// docs/operations.md describes the trade-offs.
/// </remarks>
public sealed record AutoCheckpointOptions
{
    /// <summary>The defaults: on, 64 MiB of log, half the rows dead (at least 10,000), a checkpoint at close past 1 MiB of log.</summary>
    public static AutoCheckpointOptions Default { get; } = new();

    /// <summary>No automatic checkpoints: the log grows until <see cref="Collection.Compact"/> is called.</summary>
    public static AutoCheckpointOptions Disabled { get; } = new() { Enabled = false };

    /// <summary>Whether automatic checkpoints run at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Checkpoint once a collection's log holds at least this many bytes. Bounds the log's size and the time a reopen
    /// spends replaying it. Default 64 MiB; at least 64 KiB.
    /// </summary>
    public long LogBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Checkpoint once at least this share (in percent, 1 to 100) of the rows held in memory are dead (replaced, deleted)
    /// and there are at least <see cref="MinDeadRows"/> of them: a checkpoint frees them. Default 50.
    /// </summary>
    public int DeadRowPercent { get; init; } = 50;

    /// <summary>The fewest dead rows worth a checkpoint (see <see cref="DeadRowPercent"/>). Default 10,000; at least 1.</summary>
    public int MinDeadRows { get; init; } = 10_000;

    /// <summary>
    /// When the database is disposed, checkpoint each collection whose log holds at least this many bytes, so the next
    /// open loads the saved index instead of replaying the log. Default 1 MiB; -1 never checkpoints at close.
    /// </summary>
    public long CloseLogBytes { get; init; } = 1L << 20;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    internal void Validate()
    {
        if (LogBytes < 64 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(LogBytes), LogBytes, "AutoCheckpoint.LogBytes must be at least 65,536 (64 KiB).");
        }
        if (DeadRowPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadRowPercent), DeadRowPercent, "AutoCheckpoint.DeadRowPercent must be between 1 and 100.");
        }
        if (MinDeadRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDeadRows), MinDeadRows, "AutoCheckpoint.MinDeadRows must be at least 1.");
        }
        if (CloseLogBytes < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(CloseLogBytes), CloseLogBytes, "AutoCheckpoint.CloseLogBytes must be -1 (never) or a byte count of 0 or more.");
        }
    }
}
