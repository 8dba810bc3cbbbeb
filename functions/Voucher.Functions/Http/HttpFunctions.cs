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

    [Function("CreateRedemption")]
    public Task<IActionResult> CreateRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("CreateRedemption", request, durable);

    [Function("GetRedemption")]
    public Task<IActionResult> GetRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/redemptions/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetRedemption", request, durable);

    [Function("RequestEvidenceUpload")]
    public Task<IActionResult> RequestEvidenceUpload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/evidence/{kind}/sas")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("RequestEvidenceUpload", request, durable);

    [Function("CompleteEvidenceUpload")]
    public Task<IActionResult> CompleteEvidenceUpload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/evidence/{kind}/complete")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("CompleteEvidenceUpload", request, durable);

    [Function("UploadEvidence")]
    public Task<IActionResult> UploadEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/evidence/{kind}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("UploadEvidence", request, durable);

    [Function("GetEvidence")]
    public Task<IActionResult> GetEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/redemptions/{id}/evidence/{kind}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetEvidence", request, durable);

    [Function("WithdrawRedemption")]
    public Task<IActionResult> WithdrawRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/withdraw")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("WithdrawRedemption", request, durable);

    [Function("ExtendBinding")]
    public Task<IActionResult> ExtendBinding([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/binding/extend")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ExtendBinding", request, durable);

    [Function("BindRedemption")]
    public Task<IActionResult> BindRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/binding")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("BindRedemption", request, durable);

    [Function("BindingPage")]
    public Task<IActionResult> BindingPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "binding/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("BindingPage", request, durable);

    [Function("BindingAnswer")]
    public Task<IActionResult> BindingAnswer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "binding/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("BindingAnswer", request, durable);
}
