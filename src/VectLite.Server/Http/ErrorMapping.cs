using System.Text.Json;

namespace VectLite.Server.Http;

/// <summary>
/// What a failure means to a Qdrant client, in one place for both protocols: the HTTP status Qdrant's REST API gives
/// it and the message (Qdrant's "Wrong input: ...", "Not found: ..." prefixes). The REST error middleware writes it in
/// Qdrant's envelope; the gRPC interceptor maps the status to the gRPC code Qdrant uses (<see cref="Grpc.GrpcInterceptor.Code"/>).
/// </summary>
internal static class ErrorMapping
{
    /// <summary>The status and message for a failure the server answers, or null for one it does not know (a bug: rethrown).</summary>
    /// <remarks>
    /// A <see cref="QdrantException"/> keeps its status; VectLite's typed errors map by code (bad input 400, unknown
    /// collection 404, existing collection 409, storage faults 500); malformed JSON is 400; Kestrel's own refusals (a
    /// body over the limit: 413) keep theirs; an <see cref="ArgumentException"/> from the engine's edge is 400.
    /// </remarks>
    public static (int Status, string Message)? Map(Exception exception) => exception switch
    {
        QdrantException ex => (ex.StatusCode, ex.Message),
        VectLiteException ex => ex.Code switch
        {
            VectLiteErrorCode.CollectionNotFound => (StatusCodes.Status404NotFound, $"Not found: {ex.Message}"),
            VectLiteErrorCode.CollectionExists => (StatusCodes.Status409Conflict, $"Wrong input: {ex.Message}"),
            VectLiteErrorCode.DimensionMismatch or VectLiteErrorCode.InvalidVector or VectLiteErrorCode.InvalidRecord
                or VectLiteErrorCode.InvalidName or VectLiteErrorCode.InvalidFilter or VectLiteErrorCode.InvalidSchema
                or VectLiteErrorCode.ReadOnly => (StatusCodes.Status400BadRequest, $"Wrong input: {ex.Message}"),
            _ => (StatusCodes.Status500InternalServerError, $"Service internal error: {ex.Message}"),
        },
        JsonException ex => (StatusCodes.Status400BadRequest, $"Format error in JSON body: {ex.Message}"),
        BadHttpRequestException ex => (ex.StatusCode, $"Bad request: {ex.Message}"),
        ArgumentException ex => (StatusCodes.Status400BadRequest, $"Wrong input: {ex.Message}"),
        _ => null,
    };
}
