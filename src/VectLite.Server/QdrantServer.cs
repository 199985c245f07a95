using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using VectLite.Server.Grpc;
using VectLite.Server.Http;
using VectLite.Server.Routes;

namespace VectLite.Server;

/// <summary>
/// A Qdrant-compatible server over one VectLite <see cref="Database"/>: Qdrant's REST API (port 6333 by default) and
/// its gRPC API (port 6334, HTTP/2), so the official Qdrant clients (<c>@qdrant/js-client-rest</c>, the .NET
/// <c>Qdrant.Client</c>) talk to it unchanged, for the subset listed in docs/server.md. One Kestrel server hosts both;
/// minimal APIs and generated gRPC stubs, no reflection (it runs in the Native AOT vectlite tool).
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
    private readonly ListenOptions _rest;
    private readonly ListenOptions? _grpc;

    private QdrantServer(WebApplication app, ListenOptions rest, ListenOptions? grpc)
    {
        _app = app;
        _rest = rest;
        _grpc = grpc;
    }

    /// <summary>The Qdrant version the server reports in its <c>GET /</c> handshake.</summary>
    public static string QdrantVersion => ServiceEndpoints.QdrantVersion;

    /// <summary>The addresses Kestrel listens on, once started (with the real port when <see cref="QdrantServerOptions.Port"/> was 0).</summary>
    public IReadOnlyList<Uri> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];

    /// <summary>
    /// The REST routes the server maps, as "METHOD /route/{parameter}" (the gRPC services are not included): what
    /// <c>GET /openapi.json</c> must describe.
    /// </summary>
    public IReadOnlyList<string> RestRoutes =>
        ((IEndpointRouteBuilder)_app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            // gRPC's methods carry its metadata; its catch-alls for unknown methods are routes with a grpcunimplemented constraint.
            .Where(endpoint => !endpoint.Metadata.OfType<object>().Any(m => m.GetType().Namespace?.StartsWith("Grpc.", StringComparison.Ordinal) == true)
                && endpoint.RoutePattern.RawText?.Contains("grpcunimplemented", StringComparison.Ordinal) != true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method => $"{method} {endpoint.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The REST API's address, once started (with the real port when <see cref="QdrantServerOptions.Port"/> was 0).</summary>
    public Uri RestAddress => Address(_rest);

    /// <summary>The gRPC API's address (HTTP/2 without TLS), once started; null when <see cref="QdrantServerOptions.GrpcPort"/> is null.</summary>
    public Uri? GrpcAddress => _grpc is null ? null : Address(_grpc);

    /// <summary>Kestrel writes the bound port (the real one for port 0) back into the listen options when it starts.</summary>
    private static Uri Address(ListenOptions listen)
    {
        IPEndPoint endPoint = listen.IPEndPoint ?? throw new InvalidOperationException("The server listens on no IP endpoint.");
        return new Uri($"http://{(endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString())}:{endPoint.Port}");
    }

    /// <summary>Builds the server (it does not listen until <see cref="StartAsync"/> or <see cref="RunAsync"/>).</summary>
    /// <exception cref="ArgumentException">The host is not a loopback address and no API key is set, a limit is not positive, or the REST and gRPC ports are the same.</exception>
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
        if (options.GrpcPort is { } grpcPort)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(grpcPort, nameof(options));
            if (grpcPort != 0 && grpcPort == options.Port)
            {
                throw new ArgumentException($"The REST and gRPC ports are both {grpcPort}: give gRPC its own port (Qdrant's is 6334).", nameof(options));
            }
        }

        var state = new ServerState(database, options);
        byte[]? key = string.IsNullOrEmpty(options.ApiKey) ? null : Encoding.UTF8.GetBytes(options.ApiKey);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ListenOptions? rest = null;
        ListenOptions? grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Host, options.Port, listen => rest = listen);
            if (options.GrpcPort is { } port)
            {
                // HTTP/2 only, without TLS (prior knowledge), as Qdrant serves gRPC on 6334 and its clients expect.
                kestrel.Listen(options.Host, port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    grpc = listen;
                });
            }
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        if (options.GrpcPort is not null)
        {
            builder.Services.AddSingleton(new CollectionsService(state));
            builder.Services.AddSingleton(new PointsService(state));
            builder.Services.AddSingleton(new QdrantService());
            builder.Services.AddSingleton(provider => new GrpcInterceptor(key, provider.GetRequiredService<ILogger<GrpcInterceptor>>()));
            builder.Services.AddGrpc(grpcOptions =>
            {
                // The body limit, for gRPC messages too: a larger one is RESOURCE_EXHAUSTED before it is read.
                grpcOptions.MaxReceiveMessageSize = (int)Math.Min(options.MaxRequestBodyBytes, int.MaxValue);
                grpcOptions.Interceptors.Add<GrpcInterceptor>();
            });
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        WebApplication app = builder.Build();

        // Qdrant's REST envelope and 401 are for REST requests; gRPC calls get gRPC statuses from GrpcInterceptor instead.
        ILogger<ErrorEnvelopeMiddleware> errorLogger = app.Services.GetRequiredService<ILogger<ErrorEnvelopeMiddleware>>();
        app.UseWhen(context => !IsGrpc(context), rest =>
        {
            rest.Use(next => new ErrorEnvelopeMiddleware(next, errorLogger).InvokeAsync);
            if (key is not null)
            {
                rest.Use(next => new ApiKeyMiddleware(next, key).InvokeAsync);
            }
        });
        if (options.GrpcPort is not null)
        {
            // A gRPC request's body is a framed message: its size limit is MaxReceiveMessageSize, which answers
            // RESOURCE_EXHAUSTED as Qdrant does. Kestrel's body limit would cut the stream first and the client would
            // see UNKNOWN, so it is lifted for gRPC calls (the same number still applies, per message).
            app.UseWhen(IsGrpc, grpcCalls => grpcCalls.Use(next => context =>
            {
                if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = null;
                }
                return next(context);
            }));
            app.MapGrpcService<QdrantService>();
            app.MapGrpcService<CollectionsService>();
            app.MapGrpcService<PointsService>();
        }
        ServiceEndpoints.Map(app);
        new CollectionsEndpoints(state).Map(app);
        new PointsEndpoints(state).Map(app);
        new PayloadEndpoints(state).Map(app);
        new ScrollEndpoints(state).Map(app);
        new QueryEndpoints(state).Map(app);
        new IndexEndpoints(state).Map(app);
        OpenApiEndpoints.Map(app);
        app.Services.GetRequiredService<IServer>(); // forces Kestrel's options (and so the listen callbacks) to run now
        return new QdrantServer(app, rest ?? throw new InvalidOperationException("Kestrel did not configure the REST endpoint."), grpc);
    }

    private static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

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
