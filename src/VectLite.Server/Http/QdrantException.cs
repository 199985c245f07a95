namespace VectLite.Server.Http;

/// <summary>
/// A request the server refuses, with the HTTP status Qdrant gives for it and a message that names the problem. The
/// error middleware turns it into Qdrant's error envelope <c>{"status":{"error":"..."},"time":...}</c>.
/// </summary>
internal sealed class QdrantException(int statusCode, string message) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>400, "Wrong input: ..." (Qdrant's prefix for invalid requests).</summary>
    public static QdrantException BadRequest(string message) => new(StatusCodes.Status400BadRequest, $"Wrong input: {message}");

    /// <summary>400 for a Qdrant feature VectLite does not have; the message says which and that it is VectLite's limit.</summary>
    public static QdrantException Unsupported(string feature) =>
        new(StatusCodes.Status400BadRequest, $"Wrong input: {feature} is not supported by VectLite's Qdrant-compatible server (see docs/server.md)");

    /// <summary>404 for a collection that does not exist, in Qdrant's words.</summary>
    public static QdrantException CollectionNotFound(string name) =>
        new(StatusCodes.Status404NotFound, $"Not found: Collection `{name}` doesn't exist!");

    /// <summary>404 for a point id that is not stored, in Qdrant's words.</summary>
    public static QdrantException PointNotFound(string id) =>
        new(StatusCodes.Status404NotFound, $"Not found: No point with id {id} found");
}
