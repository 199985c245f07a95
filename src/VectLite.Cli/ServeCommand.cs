using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using VectLite.Server;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite serve DB [--port 6333] [--grpc-port 6334 | --no-grpc] [--host 127.0.0.1] [--api-key KEY]</c>: serves the
/// database over Qdrant's REST and gRPC APIs until Ctrl+C or SIGTERM, then flushes and closes it.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable read when <c>--api-key</c> is not given (a key on the command line is visible to other users in the process list).</summary>
    public const string ApiKeyVariable = "VECTLITE_API_KEY";

    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory (created if it does not exist)." };
        var port = new Option<int>("--port", "-p") { Description = "The TCP port (0 picks a free one).", DefaultValueFactory = _ => 6333 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "The TCP port of the gRPC API (HTTP/2, for Qdrant.Client); 0 picks a free one.", DefaultValueFactory = _ => 6334 };
        var noGrpc = new Option<bool>("--no-grpc") { Description = "Serve the REST API only." };
        var host = new Option<string>("--host") { Description = "The address to bind; anything but loopback requires an API key.", DefaultValueFactory = _ => "127.0.0.1" };
        var apiKey = new Option<string?>("--api-key") { Description = $"The key clients must send (header api-key, or Authorization: Bearer). Default: ${ApiKeyVariable}, if set." };
        var maxRequestMb = new Option<int>("--max-request-mb") { Description = "The largest request body, in MiB.", DefaultValueFactory = _ => 32 };
        var maxBatch = new Option<int>("--max-batch") { Description = "The most points one request may upsert, retrieve or delete.", DefaultValueFactory = _ => 10_000 };
        var command = new Command("serve", "Serve a database over Qdrant-compatible REST and gRPC APIs (the official Qdrant clients work unchanged).")
        {
            path, port, grpcPort, noGrpc, host, apiKey, maxRequestMb, maxBatch,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            string database = result.GetRequiredValue(path);
            if (File.Exists(database))
            {
                throw new CliUsageException($"'{database}' is a file; a VectLite database is a directory.");
            }
            var options = new QdrantServerOptions
            {
                Host = ParseHost(result.GetRequiredValue(host)),
                Port = CheckRange(result.GetValue(port), 0, 65535, "--port"),
                GrpcPort = result.GetValue(noGrpc) ? null : CheckRange(result.GetValue(grpcPort), 0, 65535, "--grpc-port"),
                ApiKey = result.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
                MaxRequestBodyBytes = CheckRange(result.GetValue(maxRequestMb), 1, 4096, "--max-request-mb") * 1024L * 1024,
                MaxBatchPoints = CheckRange(result.GetValue(maxBatch), 1, 1_000_000, "--max-batch"),
            };
            if (options.GrpcPort is { } g && g != 0 && g == options.Port)
            {
                throw new CliUsageException($"--port and --grpc-port are both {g}: give each API its own port (Qdrant uses 6333 and 6334).");
            }
            if (!IPAddress.IsLoopback(options.Host) && options.ApiKey is null)
            {
                throw new CliUsageException($"--host {options.Host} is reachable from other machines: set --api-key (or ${ApiKeyVariable}), or bind to 127.0.0.1.");
            }
            return Serve(database, options);
        }));
        return command;
    }

    private static int Serve(string path, QdrantServerOptions options)
    {
        // Disposed last, after the server has stopped and every request has finished: that flushes and closes it.
        using Database db = Database.Open(path);
        QdrantServer server = QdrantServer.Create(db, options);
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
            // The REST address comes first on the line: scripts take the first http:// address as the REST one.
            string addresses = server.GrpcAddress is { } grpc ? $"{server.RestAddress} (REST) and {grpc} (gRPC)" : $"{server.RestAddress} (REST)";
            Console.Out.WriteLine($"vectlite serve: {Path.GetFullPath(path)} on {addresses} (Qdrant API {QdrantServer.QdrantVersion}{(options.ApiKey is null ? "" : ", API key required")}); Ctrl+C to stop");
            using var stopped = new ManualResetEventSlim();
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            stopped.Wait();
            server.StopAsync().GetAwaiter().GetResult();

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true; // stop here, gracefully, instead of the runtime's immediate exit
                stopped.Set();
            }
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        db.Flush();
        Console.Out.WriteLine("vectlite serve: stopped; the database is flushed and closed");
        return 0;
    }

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(host, out IPAddress? address)
            ? address
            : throw new CliUsageException($"--host '{host}' is not an IP address (use 127.0.0.1, ::1, 0.0.0.0 or an interface's address).");
    }

    private static int CheckRange(int value, int min, int max, string option) =>
        value >= min && value <= max ? value : throw new CliUsageException($"{option} must be between {min} and {max}, got {value}.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
