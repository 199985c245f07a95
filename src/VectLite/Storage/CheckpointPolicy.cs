namespace VectLite.Storage;

/// <summary>Decides from a collection's counters whether an automatic checkpoint is due, and why.</summary>
internal static class CheckpointPolicy
{
    /// <summary>
    /// The trigger that makes a checkpoint due, or null. <paramref name="logBytes"/> counts the frames in the log
    /// (the header excluded); <paramref name="rows"/> the rows held in memory, <paramref name="liveRows"/> those not dead.
    /// </summary>
    public static CheckpointTrigger? Due(AutoCheckpointOptions options, long logBytes, long rows, long liveRows)
    {
        if (!options.Enabled)
        {
            return null;
        }
        if (logBytes >= options.LogBytes)
        {
            return CheckpointTrigger.LogSize;
        }
        long dead = rows - liveRows;
        if (dead >= options.MinDeadRows && dead * 100 >= options.DeadRowPercent * rows)
        {
            return CheckpointTrigger.DeadRows;
        }
        return null;
    }
}
