using Microsoft.DurableTask.Client;
using Voucher.Workflows.Http;

namespace Voucher.LocalHost.Hosting;

/// <summary>Maps every route of <see cref="VoucherRoutes"/> onto the local host, local-only ones included.</summary>
public static class LocalRoutes
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var route in VoucherRoutes.All)
        {
            endpoints.MapMethods("/" + route.Template, [route.Method], (HttpContext http, HttpDispatcher dispatcher, DurableTaskClient durable) =>
                    dispatcher.DispatchAsync(route, http, durable))
                .WithName(route.Name);
        }
    }
}
