using Grpc.Core;
using Grpc.Core.Interceptors;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// Counts the storage calls the sidecar makes for a Durable client call (start an instance, raise an event, read an
/// instance…) under the origin <c>durable:{call}</c> (<c>durable:StartInstance</c>, <c>durable:GetInstance</c>…).
/// The client's call reaches the sidecar over its loopback gRPC port, where the route's or activity's own origin
/// (<see cref="StorageMetrics.Attribute"/>) does not flow; without this these calls counted as the engine's own
/// dispatch. Only the client's calls are marked: the worker's protocol calls (<c>Hello</c>, work items, completions)
/// are left alone, because background work the sidecar starts inside one of them would inherit its origin for good
/// (measured: with <c>Hello</c> marked, all dispatch counted as <c>durable:Hello</c>).
/// </summary>
public sealed class SidecarCallOrigin : Interceptor
{
    public const string Prefix = "durable:";

    /// <summary>The Durable client's unary calls (TaskHubSidecarService) whose storage calls are marked.</summary>
    public static readonly IReadOnlySet<string> ClientCalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "StartInstance", "RaiseEvent", "GetInstance", "QueryInstances", "TerminateInstance", "SuspendInstance",
        "ResumeInstance", "RestartInstance", "PurgeInstances", "WaitForInstanceStart", "WaitForInstanceCompletion",
    };

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var call = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        if (!ClientCalls.Contains(call))
        {
            return await continuation(request, context);
        }

        using var origin = StorageMetrics.Attribute(Prefix + call);
        return await continuation(request, context);
    }
}
