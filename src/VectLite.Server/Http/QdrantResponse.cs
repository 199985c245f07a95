using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VectLite.Server.Http;

/// <summary>
/// Writes Qdrant's response envelopes: <c>{"result":...,"status":"ok","time":seconds}</c> on success and
/// <c>{"status":{"error":"..."},"time":seconds}</c> on failure. The JSON is written with <see cref="Utf8JsonWriter"/>
/// (no reflection: the server is AOT-safe), straight into the response body.
/// </summary>
internal static class QdrantResponse
{
    private const string StartedKey = "vectlite.started";

    /// <summary>
    /// Payload text and messages go out as written (no \u escapes for non-ASCII, quotes or backticks): the body is
    /// application/json, never embedded in HTML, so the HTML-safe default encoder only makes it harder to read.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Remembers when the request began, for the envelope's <c>time</c>.</summary>
    public static void MarkStart(HttpContext context) => context.Items[StartedKey] = Stopwatch.GetTimestamp();

    /// <summary>Writes <c>{"result": (written by <paramref name="writeResult"/>), "status":"ok", "time":...}</c> with status 200.</summary>
    public static async Task Ok(HttpContext context, Action<Utf8JsonWriter> writeResult)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            writeResult(writer);
            writer.WriteString("status", "ok");
            writer.WriteNumber("time", Elapsed(context));
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>true</c> as the result.</summary>
    public static Task True(HttpContext context) => Ok(context, w => w.WriteBooleanValue(true));

    /// <summary>
    /// The result of a write (Qdrant's UpdateResult). VectLite applies every write before it answers, so the status is
    /// always "completed", whatever <c>wait</c> says.
    /// </summary>
    public static Task Completed(HttpContext context, long operationId) => Ok(context, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("operation_id", operationId);
        w.WriteString("status", "completed");
        w.WriteEndObject();
    });

    /// <summary>Writes the error envelope with <paramref name="statusCode"/>.</summary>
    public static async Task Error(HttpContext context, int statusCode, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("status");
            writer.WriteString("error", message);
            writer.WriteEndObject();
            writer.WriteNumber("time", Elapsed(context));
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static double Elapsed(HttpContext context) =>
        context.Items.TryGetValue(StartedKey, out object? started) && started is long ticks ? Stopwatch.GetElapsedTime(ticks).TotalSeconds : 0;
}
