using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VectLite.Server.Tests.Support;

/// <summary>
/// A database in a temporary directory, served by <see cref="QdrantServer"/> on free loopback ports (REST, and gRPC
/// unless the options turn it off), and an HTTP client for the REST API.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly QdrantServer _server;

    private ServerHost(string directory, Database database, QdrantServer server, Uri address)
    {
        _directory = directory;
        Database = database;
        _server = server;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>The gRPC API's address (a free port of its own), or null when started without gRPC.</summary>
    public Uri? GrpcAddress => _server.GrpcAddress;

    public Database Database { get; }

    /// <summary>The server itself.</summary>
    public QdrantServer Server => _server;

    public HttpClient Http { get; }

    public static async Task<ServerHost> Start(QdrantServerOptions? options = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vectlite-server-tests", Guid.NewGuid().ToString("N"));
        Database database = Database.Open(directory);
        options ??= new QdrantServerOptions();
        var server = QdrantServer.Create(database, new QdrantServerOptions
        {
            Host = options.Host,
            Port = 0,
            GrpcPort = options.GrpcPort is null ? null : 0,
            ApiKey = options.ApiKey,
            MaxBatchPoints = options.MaxBatchPoints,
            MaxRequestBodyBytes = options.MaxRequestBodyBytes,
        });
        await server.StartAsync();
        return new ServerHost(directory, database, server, server.RestAddress);
    }

    /// <summary>Sends a request with an optional JSON body; returns the status and the parsed response body.</summary>
    public async Task<Response> Send(HttpMethod method, string path, string? json = null, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        headers?.Invoke(request.Headers);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, body);
    }

    public Task<Response> Get(string path) => Send(HttpMethod.Get, path);

    public Task<Response> Post(string path, string json) => Send(HttpMethod.Post, path, json);

    public Task<Response> Put(string path, string json) => Send(HttpMethod.Put, path, json);

    public Task<Response> Delete(string path) => Send(HttpMethod.Delete, path);

    /// <summary>Creates a collection with one unnamed vector and checks it worked.</summary>
    public async Task CreateCollection(string name, int size, string distance)
    {
        Response r = await Put($"/collections/{name}", $$$"""{"vectors":{"size":{{{size}}},"distance":"{{{distance}}}"}}""");
        r.AssertOk();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        Database.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A response: status and body, with the Qdrant envelope's parts.</summary>
internal sealed record Response(HttpStatusCode Status, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The envelope's <c>result</c>.</summary>
    public JsonElement Result => Json.GetProperty("result");

    /// <summary>The error envelope's message.</summary>
    public string Error => Json.GetProperty("status").GetProperty("error").GetString()!;

    /// <summary>Asserts 200 with <c>"status":"ok"</c> and a numeric <c>time</c>, Qdrant's success envelope.</summary>
    public Response AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal("ok", Json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, Json.GetProperty("time").ValueKind);
        return this;
    }

    /// <summary>Asserts Qdrant's error envelope with this status and a message containing <paramref name="fragment"/>.</summary>
    public void AssertError(HttpStatusCode status, string fragment)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Contains(fragment, Error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, Json.GetProperty("time").ValueKind);
    }
}
