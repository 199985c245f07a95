using System.Text.Json;

namespace VectLite.Server.Http;

/// <summary>Reads a request's JSON body (bounded by Kestrel's body size limit) as a <see cref="JsonElement"/>.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>The body as a JSON object; an empty body is an empty object (Qdrant accepts it where every field is optional).</summary>
    /// <exception cref="JsonException">The body is not JSON (the error middleware answers 400).</exception>
    /// <exception cref="QdrantException">The body is JSON but not an object.</exception>
    public static async Task<JsonElement> ReadObject(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            using JsonDocument empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
        using JsonDocument document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Options);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest($"the request body must be a JSON object, not {document.RootElement.ValueKind}");
        }
        return document.RootElement.Clone();
    }
}
