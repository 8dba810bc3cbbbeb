using Grpc.Core;
using Grpc.Core.Interceptors;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// Counts the storage calls the sidecar makes for a Durable client call (start an instance, raise an event, read an
/// instance…) under the origin <c>durable:{call}</c> (<c>durable:StartInstance</c>, <c>durable:GetInstance</c>…).
/// The client's call reaches the sidecar over its loopback gRPC port, where the route's or activity's own origin
/// (<see cref="StorageMetrics.Attribute"/>) does not flow; without this these calls counted as the engine's own
/// dispatch. The dispatcher's work (episodes, activities) runs outside these unary calls and stays <c>engine</c>.
/// </summary>
public sealed class SidecarCallOrigin : Interceptor
{
    public const string Prefix = "durable:";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var origin = StorageMetrics.Attribute(Prefix + context.Method[(context.Method.LastIndexOf('/') + 1)..]);
        return await continuation(request, context);
    }
}
