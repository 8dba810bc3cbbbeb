using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Http;

/// <summary>Everything a handler needs, the same in both hosts.</summary>
public sealed class RequestContext(HttpContext http, RouteValueDictionary route, VoucherPrincipal? principal, DurableTaskClient durable)
{
    public HttpContext Http { get; } = http;

    public HttpRequest Request => Http.Request;

    public RouteValueDictionary Route { get; } = route;

    public VoucherPrincipal? Principal { get; } = principal;

    public DurableTaskClient Durable { get; } = durable;

    public IServiceProvider Services => Http.RequestServices;

    public CancellationToken Aborted => Http.RequestAborted;

    public string RouteValue(string name) => Route.TryGetValue(name, out var v) ? v?.ToString() ?? "" : "";
}
