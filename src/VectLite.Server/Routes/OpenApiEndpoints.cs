namespace VectLite.Server.Routes;

/// <summary>
/// <c>GET /openapi.json</c>: an OpenAPI 3.0 document of the REST subset the server implements. It is written by hand
/// (Http/openapi.json, embedded in the assembly) rather than generated: the endpoints read and write JSON with
/// System.Text.Json's reader and writer (trim- and AOT-safe), so there are no request and response types a generator
/// could describe, and Qdrant's shapes are what a client needs to see. OpenApiTests checks that every route the server
/// maps is in it and nothing else is.
/// </summary>
internal static class OpenApiEndpoints
{
    /// <summary>The route.</summary>
    public const string Path = "/openapi.json";

    private const string ResourceName = "VectLite.Server.openapi.json";

    /// <summary>The document's bytes, read once from the assembly.</summary>
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using Stream stream = typeof(OpenApiEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(WebApplication app) => app.MapGet(Path, new RequestDelegate(Serve));

    private static async Task Serve(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Document.Value, context.RequestAborted).ConfigureAwait(false);
    }
}
