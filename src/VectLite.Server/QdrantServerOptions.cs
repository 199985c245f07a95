using System.Net;

namespace VectLite.Server;

/// <summary>How <see cref="QdrantServer"/> listens and what it accepts.</summary>
public sealed class QdrantServerOptions
{
    /// <summary>The address to bind. Default loopback (127.0.0.1): only this machine can connect.</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port of the REST API; 0 picks a free one (read it back from <see cref="QdrantServer.RestAddress"/>). Default 6333, Qdrant's.</summary>
    public int Port { get; init; } = 6333;

    /// <summary>
    /// The TCP port of Qdrant's gRPC API (HTTP/2 without TLS, as Qdrant serves it), or null for no gRPC; 0 picks a free
    /// one (read it back from <see cref="QdrantServer.GrpcAddress"/>). Default 6334, Qdrant's. The REST and gRPC
    /// ports share the database, the API key and the limits.
    /// </summary>
    public int? GrpcPort { get; init; } = 6334;

    /// <summary>
    /// The API key clients must send (header <c>api-key</c> or <c>Authorization: Bearer</c>), or null for none. Required
    /// when <see cref="Host"/> is not a loopback address: the server refuses to start open to the network without one.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// The largest request body, in bytes (larger ones get 413), and the largest gRPC message (larger ones get
    /// RESOURCE_EXHAUSTED). Default 32 MiB, Qdrant's default.
    /// </summary>
    public long MaxRequestBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The most points one upsert, retrieve or delete request may carry. Default 10,000.</summary>
    public int MaxBatchPoints { get; init; } = 10_000;
}
