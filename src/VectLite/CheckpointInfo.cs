namespace VectLite;

/// <summary>The last checkpoint a collection wrote since it was opened (see <see cref="CollectionStats.LastCheckpoint"/>).</summary>
/// <param name="Generation">The checkpoint generation written.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="CompletedAt">When it committed (UTC).</param>
/// <param name="Records">Records written to the checkpoint files.</param>
/// <param name="Duration">From start to the log being cut back.</param>
/// <param name="WritersBlocked">How long writers waited for it in total (in-memory compaction and cutting back the log);
/// the data files are written while writes continue.</param>
public sealed record CheckpointInfo(long Generation, CheckpointTrigger Trigger, DateTimeOffset CompletedAt, long Records, TimeSpan Duration, TimeSpan WritersBlocked);
