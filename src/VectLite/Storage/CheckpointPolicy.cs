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

    /// <summary>The least checkpointed log an automatic dead-rows checkpoint cuts away (see <see cref="CutsLog"/>).</summary>
    public const long MinCutBytes = 1L << 20;

    /// <summary>
    /// Whether a checkpoint cuts the log back to the batches written after its image. Cutting rewrites the log's tail and
    /// costs fsyncs while writers wait, so a checkpoint started by dead rows leaves a small checkpointed prefix in place
    /// (replay skips it by LSN) until it reaches <see cref="MinCutBytes"/> or a sixteenth of
    /// <see cref="AutoCheckpointOptions.LogBytes"/>, whichever is larger: a collection of small records updated in place
    /// checkpoints often, and each cut would cost more than the prefix it frees. Every other trigger cuts: a manual
    /// checkpoint promises an emptied log, and the log-size and close triggers exist to shorten it.
    /// </summary>
    /// <param name="options">The automatic checkpoint settings.</param>
    /// <param name="trigger">What started the checkpoint.</param>
    /// <param name="checkpointedLogBytes">The log's frames the checkpoint's image holds (header excluded).</param>
    public static bool CutsLog(AutoCheckpointOptions options, CheckpointTrigger trigger, long checkpointedLogBytes) =>
        trigger != CheckpointTrigger.DeadRows || checkpointedLogBytes >= Math.Max(MinCutBytes, options.LogBytes / 16);
}
