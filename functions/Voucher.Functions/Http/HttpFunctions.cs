using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Voucher.Functions.Http;

/// <summary>
/// One HTTP-triggered function per route of <c>VoucherRoutes</c> (same name, method and route; the route table
/// test compares them). Authorisation is the route's own rule, checked in the shared dispatcher, so the
/// Functions key level is anonymous.
/// </summary>
public sealed class HttpFunctions(RouteRunner runner)
{
    [Function("Health")]
    public Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("Health", request, durable);

    [Function("Home")]
    public Task<IActionResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("Home", request, durable);

    [Function("SignIn")]
    public Task<IActionResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("SignIn", request, durable);

    [Function("SignOut")]
    public Task<IActionResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signout")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("SignOut", request, durable);

    [Function("Inbox")]
    public Task<IActionResult> Inbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "inbox")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("Inbox", request, durable);

    [Function("PortalRegister")]
    public Task<IActionResult> PortalRegister([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/register")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalRegister", request, durable);

    [Function("PortalApply")]
    public Task<IActionResult> PortalApply([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/apply")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalApply", request, durable);

    [Function("RegisterEnterprise")]
    public Task<IActionResult> RegisterEnterprise([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/enterprises")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("RegisterEnterprise", request, durable);

    [Function("GetEnterprise")]
    public Task<IActionResult> GetEnterprise([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/enterprises/{uscc}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetEnterprise", request, durable);

    [Function("SubmitApplication")]
    public Task<IActionResult> SubmitApplication([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("SubmitApplication", request, durable);

    [Function("GetApplication")]
    public Task<IActionResult> GetApplication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/applications/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetApplication", request, durable);

    [Function("DecideApplication")]
    public Task<IActionResult> DecideApplication([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/applications/{id}/decision")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("DecideApplication", request, durable);

    [Function("GetVoucher")]
    public Task<IActionResult> GetVoucher([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/vouchers/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetVoucher", request, durable);

    [Function("ReviewPage")]
    public Task<IActionResult> ReviewPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ReviewPage", request, durable);

    [Function("ReviewDecide")]
    public Task<IActionResult> ReviewDecide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ReviewDecide", request, durable);
}
