using Grpc.Core;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Routes;

namespace VectLite.Server.Grpc;

/// <summary><c>qdrant.Qdrant/HealthCheck</c>: the version handshake the clients make when they connect (open without a key, as in Qdrant).</summary>
internal sealed class QdrantService : Messages.Qdrant.QdrantBase
{
    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckReply { Title = "qdrant - vector search engine", Version = ServiceEndpoints.QdrantVersion, Commit = "vectlite" });
}
