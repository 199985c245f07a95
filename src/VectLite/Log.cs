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
        Message = "Collection '{Collection}': checkpoint {Generation} written ({Records} records, {Rebuilt} graphs rebuilt, {Remapped} kept) in {Milliseconds} ms.")]
    public static partial void Checkpointed(ILogger logger, string collection, long generation, int records, int rebuilt, int remapped, long milliseconds);
}
