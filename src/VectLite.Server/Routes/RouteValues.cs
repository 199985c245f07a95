namespace VectLite.Server.Routes;

/// <summary>Reads route parameters ("{name}", "{id}", "{field}") from the request.</summary>
internal static class RouteValues
{
    public static string Get(HttpContext context, string key) =>
        context.Request.RouteValues[key] as string ?? throw new InvalidOperationException($"The route has no '{key}' parameter.");
}
