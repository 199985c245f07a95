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
        if (open || Matches(PresentedKey(name => context.Request.Headers[name]), expectedKey))
        {
            return next(context);
        }
        return QdrantResponse.Error(context, StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token");
    }

    /// <summary>The key a request presents, from the header of that name (HTTP headers and gRPC metadata alike): <c>api-key</c>, else a bearer token.</summary>
    internal static string? PresentedKey(Func<string, string?> header)
    {
        string? key = header("api-key");
        if (!string.IsNullOrEmpty(key))
        {
            return key;
        }
        string? authorization = header("authorization");
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : null;
    }

    /// <summary>Compares in constant time, so response timing does not reveal how much of a guessed key was right.</summary>
    internal static bool Matches(string? presented, byte[] expectedKey) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expectedKey);
}
