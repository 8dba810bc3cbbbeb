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

    [Function("Guide")]
    public Task<IActionResult> Guide([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "guide")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("Guide", request, durable);

    [Function("GuideSelfCheck")]
    public Task<IActionResult> GuideSelfCheck([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "guide/self-check")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GuideSelfCheck", request, durable);

    [Function("PortalApplication")]
    public Task<IActionResult> PortalApplication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/applications/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalApplication", request, durable);

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

    [Function("PortalRedemption")]
    public Task<IActionResult> PortalRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/redemptions/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalRedemption", request, durable);

    [Function("PortalRequestRedemption")]
    public Task<IActionResult> PortalRequestRedemption([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/redemptions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalRequestRedemption", request, durable);

    [Function("PortalUploadEvidence")]
    public Task<IActionResult> PortalUploadEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/redemptions/{id}/evidence/{kind}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalUploadEvidence", request, durable);

    [Function("PortalWithdraw")]
    public Task<IActionResult> PortalWithdraw([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/redemptions/{id}/withdraw")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalWithdraw", request, durable);

    [Function("PortalExtendBinding")]
    public Task<IActionResult> PortalExtendBinding([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/redemptions/{id}/extend")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalExtendBinding", request, durable);

    [Function("PortalStartSettlement")]
    public Task<IActionResult> PortalStartSettlement([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/settlements")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalStartSettlement", request, durable);

    [Function("PortalResolveObjection")]
    public Task<IActionResult> PortalResolveObjection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/objections/{redemptionId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalResolveObjection", request, durable);

    [Function("PortalConfirmPayment")]
    public Task<IActionResult> PortalConfirmPayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/payments/{id}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PortalConfirmPayment", request, durable);

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

    [Function("StartSettlement")]
    public Task<IActionResult> StartSettlement([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/settlements")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("StartSettlement", request, durable);

    [Function("GetSettlement")]
    public Task<IActionResult> GetSettlement([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/settlements/{batchId}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetSettlement", request, durable);

    [Function("SaveBatchDecisions")]
    public Task<IActionResult> SaveBatchDecisions([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/settlements/{batchId}/decisions")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("SaveBatchDecisions", request, durable);

    [Function("SubmitBatch")]
    public Task<IActionResult> SubmitBatch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/settlements/{batchId}/submit")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("SubmitBatch", request, durable);

    [Function("BatchReviewPage")]
    public Task<IActionResult> BatchReviewPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "batches/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("BatchReviewPage", request, durable);

    [Function("BatchReviewPost")]
    public Task<IActionResult> BatchReviewPost([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "batches/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("BatchReviewPost", request, durable);

    [Function("OpinionPage")]
    public Task<IActionResult> OpinionPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "opinions/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("OpinionPage", request, durable);

    [Function("OpinionSubmit")]
    public Task<IActionResult> OpinionSubmit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "opinions/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("OpinionSubmit", request, durable);

    [Function("OpinionEvidence")]
    public Task<IActionResult> OpinionEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "opinions/{token}/evidence/{kind}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("OpinionEvidence", request, durable);

    [Function("PublicityPage")]
    public Task<IActionResult> PublicityPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "publicity")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PublicityPage", request, durable);

    [Function("PublicityObjectionForm")]
    public Task<IActionResult> PublicityObjectionForm([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "publicity/{redemptionId}/objection")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("PublicityObjectionForm", request, durable);

    [Function("GetPublicity")]
    public Task<IActionResult> GetPublicity([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/publicity")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetPublicity", request, durable);

    [Function("FileObjection")]
    public Task<IActionResult> FileObjection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/publicity/{redemptionId}/objections")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("FileObjection", request, durable);

    [Function("ResolveObjection")]
    public Task<IActionResult> ResolveObjection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/objections/{redemptionId}/resolve")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ResolveObjection", request, durable);

    [Function("GetPayables")]
    public Task<IActionResult> GetPayables([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/payables")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("GetPayables", request, durable);

    [Function("ConfirmPayment")]
    public Task<IActionResult> ConfirmPayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/redemptions/{id}/payment")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ConfirmPayment", request, durable);

    [Function("ReviewPage")]
    public Task<IActionResult> ReviewPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ReviewPage", request, durable);

    [Function("ReviewDecide")]
    public Task<IActionResult> ReviewDecide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/{token}")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        runner.RunAsync("ReviewDecide", request, durable);
}
