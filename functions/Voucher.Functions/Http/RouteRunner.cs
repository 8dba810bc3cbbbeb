using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Http;

namespace Voucher.Functions.Http;

/// <summary>Runs a route of <see cref="VoucherRoutes"/> for an HTTP-triggered function, as the local host does.</summary>
public sealed class RouteRunner(HttpDispatcher dispatcher)
{
    public async Task<IActionResult> RunAsync(string routeName, HttpRequest request, DurableTaskClient durable) =>
        new ResultActionResult(await dispatcher.DispatchAsync(VoucherRoutes.Get(routeName), request.HttpContext, durable));

    sealed class ResultActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
