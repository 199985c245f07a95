using Microsoft.Extensions.Logging;

namespace VectLite;

/// <summary>Every message VectLite logs, as source-generated <see cref="LoggerMessage"/> methods (no allocation when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': dropped a torn write-ahead log tail of {Bytes} bytes ({Reason}); the batches before it were replayed.")]
    public static partial void TornTailDropped(ILogger logger, string collection, long bytes, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': the saved HNSW graph of vector '{Vector}' cannot be used ({Problem}); rebuilding it from the vectors.")]
    public static partial void GraphRebuilt(ILogger logger, string collection, string vector, string problem);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Collection '{Collection}': checkpoint {Generation} ({Trigger}) written ({Records} records, {Rebuilt} graphs rebuilt, {Remapped} renumbered) in {Milliseconds} ms; writers waited {BlockedMilliseconds} ms.")]
    public static partial void Checkpointed(ILogger logger, string collection, long generation, CheckpointTrigger trigger, int records, int rebuilt, int remapped, long milliseconds, long blockedMilliseconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': the {Trigger} checkpoint failed; the log keeps every batch, and automatic checkpoints pause for {RetrySeconds} s.")]
    public static partial void AutoCheckpointFailed(ILogger logger, string collection, CheckpointTrigger trigger, long retrySeconds, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': checkpoint {Generation} is committed but the log could not be cut back; it keeps batches replay will skip until the next checkpoint.")]
    public static partial void LogCutFailed(ILogger logger, string collection, long generation, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "Collection '{Collection}': batch {Lsn} is in the log but could not be applied in memory; the handle refuses writes until the database is reopened.")]
    public static partial void CollectionFaulted(ILogger logger, string collection, long lsn, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': recovered a damaged write-ahead log: kept {KeptBatches} batches, set aside {DroppedBytes} bytes from byte {Offset} ({Reason}); the original log is at {BackupPath}.")]
    public static partial void LogSalvaged(ILogger logger, string collection, int keptBatches, long droppedBytes, long offset, string reason, string backupPath);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "A write batch across collections is complete in every collection's log, but the transaction log could not be emptied; the next open finds it complete.")]
    public static partial void TransactionLogNotCleared(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "Completed {Transactions} write batches across collections that a crash interrupted after they were committed ({Parts} collection parts were missing and have been written).")]
    public static partial void TransactionsRecovered(ILogger logger, int transactions, int parts);

    // Event ids from 20 on belong to schema and options messages (kept apart from the storage messages above).

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Collection '{Collection}': runtime HNSW settings updated and stored: {Changes}.")]
    public static partial void OptionsUpdated(ILogger logger, string collection, string changes);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information,
        Message = "Collection '{Collection}': opened with its stored runtime HNSW settings, not the ones the schema passed to GetOrCreateCollection asks for ({Differences}); Collection.UpdateOptions changes them.")]
    public static partial void RuntimeOptionsKept(ILogger logger, string collection, string differences);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': the saved quantized codes of vector '{Vector}' cannot be used ({Problem}); training and encoding them again from the vectors.")]
    public static partial void CodesRetrained(ILogger logger, string collection, string vector, string problem);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': the vectors file of vector '{Vector}' (generation {Generation}) could not be mapped ({Problem}); its rows stay in RAM until the next checkpoint.")]
    public static partial void VectorsNotMapped(ILogger logger, string collection, string vector, long generation, string problem);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': the saved value graphs cannot be used ({Problem}); searches that need them scan exactly until the builder makes them again.")]
    public static partial void ValueGraphsNotLoaded(ILogger logger, string collection, string problem);

    [LoggerMessage(EventId = 60, Level = LogLevel.Error,
        Message = "Collection '{Collection}': a background indexing pass failed; the rows stay queued (searches scan them exactly) and the indexer retries in {RetrySeconds} s.")]
    public static partial void IndexingPassFailed(ILogger logger, string collection, long retrySeconds, Exception exception);
}
