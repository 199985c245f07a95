using Grpc.Core;
using Qdrant.Client;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// A Qdrant server's gRPC API as <c>--to-qdrant</c> and <c>--from-qdrant</c> name it: the address is checked before
/// anything connects, and every failed call becomes one line that says what to fix (the address, the port, the key)
/// instead of an <see cref="RpcException"/> with a stack trace.
/// </summary>
internal sealed class QdrantConnection : IDisposable
{
    /// <summary>Qdrant's gRPC port, the default when the URL names none (6333 is its REST port, which gRPC cannot use).</summary>
    public const int DefaultGrpcPort = 6334;

    /// <summary>The environment variable read when <c>--api-key</c> is not given (as <c>vectlite serve</c> reads it).</summary>
    public const string ApiKeyVariable = ServeCommand.ApiKeyVariable;

    /// <summary>How long one call may take before it fails: long enough for a large batch on a busy cluster, short
    /// enough that an address that swallows packets fails the command instead of hanging it.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    private QdrantConnection(Uri address, bool hasKey, QdrantClient client)
    {
        Address = address;
        HasKey = hasKey;
        Client = client;
    }

    /// <summary>The gRPC address, as shown in messages.</summary>
    public Uri Address { get; }

    /// <summary>True when an API key is sent.</summary>
    public bool HasKey { get; }

    /// <summary>The official client.</summary>
    public QdrantClient Client { get; }

    /// <summary>Parses the URL and makes a client; nothing is sent yet.</summary>
    /// <param name="url">http://host[:port] or https://host[:port]; a bare host:port is taken as http.</param>
    /// <param name="option">The option that gave the URL, for messages.</param>
    /// <param name="apiKey">The API key, or null for none (then <see cref="ApiKeyVariable"/> is read).</param>
    /// <exception cref="CliUsageException">The URL is not an http(s) address.</exception>
    public static QdrantConnection Open(string url, string option, string? apiKey)
    {
        string text = url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0
            || parsed.AbsolutePath is not ("/" or ""))
        {
            throw new CliUsageException($"{option}: '{url}' is not a Qdrant gRPC address such as http://localhost:6334 or https://qdrant.example.com:6334.");
        }
        var address = new UriBuilder(parsed.Scheme, parsed.Host, parsed.IsDefaultPort && !url.EndsWith($":{parsed.Port}", StringComparison.Ordinal) ? DefaultGrpcPort : parsed.Port).Uri;
        string? key = string.IsNullOrEmpty(apiKey) ? NullIfEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)) : apiKey;
        return new QdrantConnection(address, key is not null, new QdrantClient(address, key, CallTimeout));
    }

    /// <summary>Runs one call; a failure becomes a <see cref="CliFailureException"/> that names the cause.</summary>
    /// <param name="what">What the call does, for the message ("create collection docs").</param>
    /// <param name="call">The call.</param>
    public T Call<T>(string what, Func<QdrantClient, Task<T>> call)
    {
        try
        {
            return call(Client).GetAwaiter().GetResult();
        }
        catch (RpcException ex)
        {
            throw new CliFailureException(Describe(ex, what));
        }
    }

    /// <summary>Runs one call that returns nothing; see <see cref="Call{T}"/>.</summary>
    public void Call(string what, Func<QdrantClient, Task> call) =>
        Call(what, async client =>
        {
            await call(client).ConfigureAwait(false);
            return true;
        });

    private string Describe(RpcException ex, string what) => ex.StatusCode switch
    {
        StatusCode.Unavailable => Unreachable(ex, what),
        StatusCode.Internal when ex.Status.DebugException is not null => Unreachable(ex, what), // a transport failure, not the server's answer
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => HasKey
            ? $"{Address} refused the API key ({what}: {ex.Status.Detail}). Check --api-key (or ${ApiKeyVariable})."
            : $"{Address} requires an API key ({what}: {ex.Status.Detail}). Pass --api-key (or set ${ApiKeyVariable}).",
        StatusCode.DeadlineExceeded => $"{Address} did not answer within {CallTimeout.TotalSeconds:N0} s ({what}).",
        _ => $"{Address} refused to {what}: {ex.StatusCode}: {ex.Status.Detail}",
    };

    private string Unreachable(RpcException ex, string what) =>
        $"cannot reach a Qdrant gRPC API at {Address} ({what}: {Detail(ex)}). Check the host and port: Qdrant's gRPC port is {DefaultGrpcPort}; its REST port 6333 does not speak gRPC.";

    /// <summary>The innermost message of a transport failure (connection refused, name not resolved), not gRPC's wrapper.</summary>
    private static string Detail(RpcException ex)
    {
        Exception? inner = ex.Status.DebugException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner?.Message ?? ex.Status.Detail;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public void Dispose() => Client.Dispose();
}
