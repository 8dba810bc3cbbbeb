using Grpc.Core;
using Grpc.Core.Interceptors;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// Counts the storage calls the sidecar makes for a Durable client call (start an instance, raise an event, read an
/// instance…) under the origin of the route or activity that made the call: the client's call reaches the sidecar over
/// its loopback gRPC port, where that origin (<see cref="StorageMetrics.Attribute"/>) does not flow, so the client
/// sends it along in the <see cref="Header"/> (<see cref="DurableClientOrigin"/>). The status GETs then pay for the
/// instance they read (<c>http:GetSettlement</c>, not a separate <c>durable:GetInstance</c>), which the benchmark's
/// "without status polling" subtracts with the rest of the route. A client call made outside any origin (a background
/// sweep) counts as <c>durable:{call}</c> (<c>durable:StartInstance</c>, <c>durable:GetInstance</c>…); without either
/// these calls would count as the engine's own dispatch. Only the client's calls are marked: the worker's protocol
/// calls (<c>Hello</c>, work items, completions) are left alone, because background work the sidecar starts inside
/// one of them would inherit its origin for good (measured: with <c>Hello</c> marked, all dispatch counted as
/// <c>durable:Hello</c>).
/// </summary>
public sealed class SidecarCallOrigin : Interceptor
{
    public const string Prefix = "durable:";

    /// <summary>The request header (gRPC metadata) carrying the caller's origin across the loopback hop.</summary>
    public const string Header = "x-voucher-origin";

    /// <summary>The Durable client's unary calls (TaskHubSidecarService) whose storage calls are marked.</summary>
    public static readonly IReadOnlySet<string> ClientCalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "StartInstance", "RaiseEvent", "GetInstance", "QueryInstances", "TerminateInstance", "SuspendInstance",
        "ResumeInstance", "RestartInstance", "PurgeInstances", "WaitForInstanceStart", "WaitForInstanceCompletion",
    };

    /// <summary>The origin the sidecar's calls for <paramref name="method"/> count under, or null to leave them unmarked.</summary>
    public static string? OriginOf(string method, string? callerOrigin)
    {
        var call = method[(method.LastIndexOf('/') + 1)..];
        return !ClientCalls.Contains(call) ? null : callerOrigin is { Length: > 0 } ? callerOrigin : Prefix + call;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (OriginOf(context.Method, context.RequestHeaders.GetValue(Header)) is not { } origin)
        {
            return await continuation(request, context);
        }

        using var attributed = StorageMetrics.Attribute(origin);
        return await continuation(request, context);
    }
}
