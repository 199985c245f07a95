using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using VectLite.Server.Http;
using VectLite.Server.Routes;

namespace VectLite.Server;

/// <summary>
/// A Qdrant-compatible REST server over one VectLite <see cref="Database"/>: the official Qdrant clients (for example
/// <c>@qdrant/js-client-rest</c>) talk to it unchanged, for the subset listed in docs/server.md. Kestrel, minimal
/// APIs, no reflection (it runs in the Native AOT vectlite tool).
/// </summary>
/// <remarks>
/// The server does not own the database: the caller opens it, runs the server, and disposes the database after
/// <see cref="StopAsync"/> (or <see cref="RunAsync"/>) returns, which flushes and closes it. Every request runs on the
/// database's default namespace. Thread safety: the database handles concurrent requests (one writer, many readers).
/// </remarks>
/// <example>
/// <code>
/// using var db = Database.Open("data");
/// await using var server = QdrantServer.Create(db, new QdrantServerOptions { Port = 6333 });
/// await server.RunAsync(cancellationToken); // until Ctrl+C, SIGTERM or cancellation
/// </code>
/// </example>
public sealed class QdrantServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private QdrantServer(WebApplication app) => _app = app;

    /// <summary>The Qdrant version the server reports in its <c>GET /</c> handshake.</summary>
    public static string QdrantVersion => ServiceEndpoints.QdrantVersion;

    /// <summary>The addresses Kestrel listens on, once started (with the real port when <see cref="QdrantServerOptions.Port"/> was 0).</summary>
    public IReadOnlyList<Uri> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];

    /// <summary>Builds the server (it does not listen until <see cref="StartAsync"/> or <see cref="RunAsync"/>).</summary>
    /// <exception cref="ArgumentException">The host is not a loopback address and no API key is set, or a limit is not positive.</exception>
    public static QdrantServer Create(Database database, QdrantServerOptions? options = null, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= new QdrantServerOptions();
        if (!IPAddress.IsLoopback(options.Host) && string.IsNullOrEmpty(options.ApiKey))
        {
            throw new ArgumentException(
                $"Binding to {options.Host}, which is not a loopback address, would expose the database to the network: set an API key (--api-key) or bind to 127.0.0.1.",
                nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBodyBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchPoints, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Host, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        WebApplication app = builder.Build();

        var state = new ServerState(database, options);
        ILogger<ErrorEnvelopeMiddleware> errorLogger = app.Services.GetRequiredService<ILogger<ErrorEnvelopeMiddleware>>();
        app.Use(next => new ErrorEnvelopeMiddleware(next, errorLogger).InvokeAsync);
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            byte[] key = Encoding.UTF8.GetBytes(options.ApiKey);
            app.Use(next => new ApiKeyMiddleware(next, key).InvokeAsync);
        }
        ServiceEndpoints.Map(app);
        new CollectionsEndpoints(state).Map(app);
        new PointsEndpoints(state).Map(app);
        new PayloadEndpoints(state).Map(app);
        new ScrollEndpoints(state).Map(app);
        new QueryEndpoints(state).Map(app);
        new IndexEndpoints(state).Map(app);
        return new QdrantServer(app);
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops accepting requests and lets those in flight finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until the process is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> is cancelled; in-flight requests finish first.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
