using Microsoft.Extensions.Logging;

namespace VectLite;

/// <summary>Every message VectLite logs, as source-generated <see cref="LoggerMessage"/> methods (no allocation when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Collection '{Collection}': dropped a torn write-ahead log tail of {Bytes} bytes ({Reason}); the batches before it were replayed.")]
    public static partial void TornTailDropped(ILogger logger, string collection, long bytes, string reason);
}
