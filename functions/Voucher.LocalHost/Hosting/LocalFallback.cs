using Voucher.Workflows.Http;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// Unknown URLs: the branded "not found" page inside the layout, or a ProblemDetails 404 under <c>/api/</c>
/// (<see cref="HttpDispatcher.NotFound"/>). A fallback has the lowest precedence, so it never shadows a route of the table.
/// </summary>
public static class LocalFallback
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapFallback("{*path}", (HttpContext http, HttpDispatcher dispatcher) => dispatcher.NotFound(http));
}
