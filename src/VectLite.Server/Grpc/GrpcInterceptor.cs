using Grpc.Core;
using Grpc.Core.Interceptors;
using VectLite.Server.Http;

namespace VectLite.Server.Grpc;

/// <summary>
/// What every gRPC call goes through, as Qdrant's gRPC server does it: the API key (metadata <c>api-key</c>, or
/// <c>authorization: Bearer KEY</c>; missing or wrong is <c>PERMISSION_DENIED</c>, and nothing runs; the health check
/// <c>qdrant.Qdrant/HealthCheck</c> stays open, as in Qdrant), and errors mapped to the status codes Qdrant uses,
/// with the same messages the REST API gives (<see cref="ErrorMapping"/>).
/// </summary>
internal sealed class GrpcInterceptor(byte[]? expectedKey, ILogger<GrpcInterceptor> logger) : Interceptor
{
    /// <summary>The one method Qdrant serves without a key (clients call it when they connect, to compare versions).</summary>
    private const string HealthCheckMethod = "/qdrant.Qdrant/HealthCheck";

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (expectedKey is not null && context.Method != HealthCheckMethod)
        {
            string? presented = ApiKeyMiddleware.PresentedKey(name => context.RequestHeaders.GetValue(name));
            if (!ApiKeyMiddleware.Matches(presented, expectedKey))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    presented is null ? "Must provide an API key or an Authorization bearer token" : "Invalid API key"));
            }
        }
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ErrorMapping.Map(ex) is { } failure)
        {
            if (failure.Status >= 500)
            {
                logger.LogError(ex, "gRPC call {Method} failed", context.Method);
            }
            throw new RpcException(new Status(Code(failure.Status), failure.Message));
        }
    }

    /// <summary>
    /// The gRPC code Qdrant gives for the HTTP status its REST API gives the same failure: bad input is
    /// <c>INVALID_ARGUMENT</c>, an unknown collection or point <c>NOT_FOUND</c>, an existing collection
    /// <c>ALREADY_EXISTS</c>, a refused key <c>PERMISSION_DENIED</c>, too large <c>RESOURCE_EXHAUSTED</c>, a storage
    /// fault <c>INTERNAL</c>.
    /// </summary>
    public static StatusCode Code(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => StatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status409Conflict => StatusCode.AlreadyExists,
        StatusCodes.Status413PayloadTooLarge => StatusCode.ResourceExhausted,
        >= 500 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };
}
