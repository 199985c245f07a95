using System.Security.Cryptography;
using System.Text;

namespace VectLite.Server.Http;

/// <summary>
/// Checks Qdrant's API key on every request when the server has one: the <c>api-key</c> header, or
/// <c>Authorization: Bearer KEY</c>, as Qdrant accepts both. A missing or wrong key is 401 in Qdrant's error envelope.
/// The health probes (<c>/healthz</c>, <c>/livez</c>, <c>/readyz</c>) and the version handshake <c>GET /</c> stay
/// open, as in Qdrant, so load balancers and the clients' version check work without the key.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, byte[] expectedKey)
{
    public Task InvokeAsync(HttpContext context)
    {
        PathString path = context.Request.Path;
        bool open = HttpMethods.IsGet(context.Request.Method)
            && (path == "/" || path == "/healthz" || path == "/livez" || path == "/readyz");
        if (open || Matches(PresentedKey(context.Request)))
        {
            return next(context);
        }
        return QdrantResponse.Error(context, StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token");
    }

    private static string? PresentedKey(HttpRequest request)
    {
        string? key = request.Headers["api-key"];
        if (!string.IsNullOrEmpty(key))
        {
            return key;
        }
        string? authorization = request.Headers.Authorization;
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : null;
    }

    /// <summary>Compares in constant time, so response timing does not reveal how much of a guessed key was right.</summary>
    private bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expectedKey);
}
