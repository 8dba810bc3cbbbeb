using Grpc.Core;
using Grpc.Core.Interceptors;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// On the Durable client's channel: adds the caller's storage origin (<see cref="StorageMetrics.Current"/>: the route,
/// activity or service making the client call) to each call as <see cref="SidecarCallOrigin.Header"/>, so the sidecar
/// counts what it does for the call under that origin instead of a separate <c>durable:{call}</c>. The client's calls
/// are all unary; a call outside any origin, or with one gRPC metadata cannot carry (not printable ASCII), goes as it is.
/// </summary>
public sealed class DurableClientOrigin : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (StorageMetrics.Current is not { Length: > 0 } origin || !origin.All(c => c is >= ' ' and <= '~'))
        {
            return continuation(request, context);
        }

        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }

        headers.Add(SidecarCallOrigin.Header, origin);
        return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers)));
    }
}
