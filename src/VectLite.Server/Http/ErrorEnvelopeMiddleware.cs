namespace VectLite.Server.Http;

/// <summary>
/// Turns every failure into Qdrant's error envelope and status code (<see cref="ErrorMapping"/>), so the official
/// clients raise their usual errors.
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
        catch (Exception ex) when (ErrorMapping.Map(ex) is { } mapped)
        {
            failure = mapped;
            if (failure.Status >= 500)
            {
                logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
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
