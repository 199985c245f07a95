using System.Text.Json;

namespace VectLite.Server.Http;

/// <summary>
/// Turns every failure into Qdrant's error envelope and status code, so the official clients raise their usual errors:
/// a <see cref="QdrantException"/> keeps its status; VectLite's typed errors map by code (bad input 400, unknown
/// collection 404, existing collection 409, storage faults 500); malformed JSON is 400; a body over the limit is 413.
/// </summary>
internal sealed class ErrorEnvelopeMiddleware(RequestDelegate next, ILogger<ErrorEnvelopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        QdrantResponse.MarkStart(context);
        (int Status, string Message) failure;
        try
        {
            await next(context).ConfigureAwait(false);
            int status = context.Response.StatusCode;
            if (status >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null)
            {
                // Routing answered without a body (404: no such path, 405: not with this method): give it the envelope
                // too, so a client reads every error the same way.
                string message = status == StatusCodes.Status404NotFound
                    ? $"Not found: no endpoint {context.Request.Method} {context.Request.Path}"
                    : $"Bad request: {context.Request.Method} {context.Request.Path} is not served (HTTP {status})";
                await QdrantResponse.Error(context, status, message).ConfigureAwait(false);
            }
            return;
        }
        catch (QdrantException ex)
        {
            failure = (ex.StatusCode, ex.Message);
        }
        catch (VectLiteException ex)
        {
            failure = ex.Code switch
            {
                VectLiteErrorCode.CollectionNotFound => (StatusCodes.Status404NotFound, $"Not found: {ex.Message}"),
                VectLiteErrorCode.CollectionExists => (StatusCodes.Status409Conflict, $"Wrong input: {ex.Message}"),
                VectLiteErrorCode.DimensionMismatch or VectLiteErrorCode.InvalidVector or VectLiteErrorCode.InvalidRecord
                    or VectLiteErrorCode.InvalidName or VectLiteErrorCode.InvalidFilter or VectLiteErrorCode.InvalidSchema
                    or VectLiteErrorCode.ReadOnly => (StatusCodes.Status400BadRequest, $"Wrong input: {ex.Message}"),
                _ => (StatusCodes.Status500InternalServerError, $"Service internal error: {ex.Message}"),
            };
            if (failure.Status >= 500)
            {
                logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
        }
        catch (JsonException ex)
        {
            failure = (StatusCodes.Status400BadRequest, $"Format error in JSON body: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals, chiefly a body larger than the limit (413).
            failure = (ex.StatusCode, $"Bad request: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            failure = (StatusCodes.Status400BadRequest, $"Wrong input: {ex.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away: nobody is left to answer
        }
        if (context.Response.HasStarted)
        {
            throw new InvalidOperationException($"The response had started when the request failed: {failure.Message}");
        }
        await QdrantResponse.Error(context, failure.Status, failure.Message).ConfigureAwait(false);
    }
}
