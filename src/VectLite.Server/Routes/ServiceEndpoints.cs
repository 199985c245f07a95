using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Routes;

/// <summary>
/// <c>GET /</c>, the version handshake the official clients make when they start (they compare its <c>version</c> with
/// their own and warn on a mismatch), and the health probes <c>/healthz</c>, <c>/livez</c>, <c>/readyz</c>.
/// </summary>
internal static class ServiceEndpoints
{
    /// <summary>The Qdrant version whose REST API the server speaks (the subset in docs/server.md).</summary>
    public const string QdrantVersion = "1.19.0";

    public static void Map(WebApplication app)
    {
        app.MapGet("/", new RequestDelegate(Version));
        foreach (string probe in (ReadOnlySpan<string>)["/healthz", "/livez", "/readyz"])
        {
            app.MapGet(probe, new RequestDelegate(Healthy));
        }
    }

    /// <summary>Qdrant answers the root with a bare object, no envelope.</summary>
    private static async Task Version(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, QdrantResponse.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("title", "qdrant - vector search engine");
            writer.WriteString("version", QdrantVersion);
            writer.WriteString("commit", "vectlite");
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Healthy(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("healthz check passed", context.RequestAborted);
    }
}
