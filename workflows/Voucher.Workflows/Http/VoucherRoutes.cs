using Microsoft.AspNetCore.Http;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Http;

/// <summary>
/// Every HTTP route, once. The local host maps this table; the Functions app has one HTTP-triggered function per
/// non-local entry with the same name, method and route (a test compares the app's function metadata with it).
/// </summary>
public static class VoucherRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        new("Health", "GET", "healthz", Access.Public, _ => Task.FromResult(Results.Text("ok"))),
        RouteDef.For<CalendarPages>("Ready", "GET", "readyz", Access.Public, (h, c) => h.ReadyAsync(c)),
        RouteDef.For<HomePages>("Home", "GET", "", Access.Public, (h, c) => h.HomeAsync(c)),
        RouteDef.For<GuidePages>("Guide", "GET", "guide", Access.Public, (h, c) => h.GuideAsync(c)),
        RouteDef.For<GuidePages>("GuideSelfCheck", "POST", "guide/self-check", Access.Public, (h, c) => h.SelfCheckAsync(c)),
        RouteDef.For<ApplicationPages>("PortalApplication", "GET", "portal/applications/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.ApplicationPageAsync(c)),
        RouteDef.For<AuthPages>("SignIn", "GET", "signin", Access.Public, (h, c) => h.SignInAsync(c)),
        RouteDef.For<AuthPages>("SignOut", "GET", "signout", Access.Public, (h, c) => h.SignOutAsync(c)),
        RouteDef.For<InboxPages>("Inbox", "GET", "inbox", Access.SignedIn, (h, c) => h.InboxAsync(c)),
        RouteDef.For<HomePages>("PortalRegister", "POST", "portal/register", Access.Only(Role.Enterprise), (h, c) => h.RegisterFormAsync(c)),
        RouteDef.For<HomePages>("PortalApply", "POST", "portal/apply", Access.Only(Role.Enterprise), (h, c) => h.ApplyFormAsync(c)),

        RouteDef.For<RedemptionPages>("PortalRedemption", "GET", "portal/redemptions/{id}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.RedemptionPageAsync(c)),
        RouteDef.For<EnterpriseRedemptionPages>("PortalRequestRedemption", "POST", "portal/redemptions", Access.Only(Role.Enterprise), (h, c) => h.CreateRedemptionAsync(c)),
        RouteDef.For<RedemptionPages>("PortalUploadEvidence", "POST", "portal/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise), (h, c) => h.UploadEvidenceFormAsync(c)),
        RouteDef.For<RedemptionPages>("PortalWithdraw", "POST", "portal/redemptions/{id}/withdraw", Access.Only(Role.Enterprise), (h, c) => h.WithdrawFormAsync(c)),
        RouteDef.For<RedemptionPages>("PortalExtendBinding", "POST", "portal/redemptions/{id}/extend", Access.Only(Role.CityBureau), (h, c) => h.ExtendFormAsync(c)),
        RouteDef.For<BureauSettlementPages>("PortalStartSettlement", "POST", "portal/settlements", Access.Only(Role.CityBureau), (h, c) => h.StartSettlementFormAsync(c)),
        RouteDef.For<BureauSettlementPages>("PortalResolveObjection", "POST", "portal/objections/{redemptionId}", Access.Only(Role.CityBureau), (h, c) => h.ResolveObjectionFormAsync(c)),
        RouteDef.For<FinancePages>("PortalConfirmPayment", "POST", "portal/payments/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmPaymentFormAsync(c)),
        RouteDef.For<FinancePages>("PortalConfirmAdvance", "POST", "portal/advances/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAdvanceFormAsync(c)),

        RouteDef.For<EnterpriseApi>("RegisterEnterprise", "POST", "api/enterprises", Access.Only(Role.Enterprise, Role.Province), (h, c) => h.RegisterAsync(c)),
        RouteDef.For<EnterpriseApi>("GetEnterprise", "GET", "api/enterprises/{uscc}", Access.Only(Role.Enterprise, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<ApplicationApi>("SubmitApplication", "POST", "api/applications", Access.Only(Role.Enterprise, Role.Province), (h, c) => h.SubmitAsync(c)),
        RouteDef.For<ApplicationApi>("GetApplication", "GET", "api/applications/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<ApplicationApi>("DecideApplication", "POST", "api/applications/{id}/decision", Access.Only(Role.CityBureau), (h, c) => h.DecideAsync(c)),
        RouteDef.For<VoucherApi>("GetVoucher", "GET", "api/vouchers/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)),

        RouteDef.For<RedemptionApi>("CreateRedemption", "POST", "api/redemptions", Access.Only(Role.Enterprise), (h, c) => h.CreateAsync(c)),
        RouteDef.For<RedemptionApi>("GetRedemption", "GET", "api/redemptions/{id}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<RedemptionApi>("RequestEvidenceUpload", "POST", "api/redemptions/{id}/evidence/{kind}/sas", Access.Only(Role.Enterprise), (h, c) => h.RequestUploadAsync(c)),
        RouteDef.For<RedemptionApi>("CompleteEvidenceUpload", "POST", "api/redemptions/{id}/evidence/{kind}/complete", Access.Only(Role.Enterprise), (h, c) => h.CompleteUploadAsync(c)),
        RouteDef.For<RedemptionApi>("UploadEvidence", "POST", "api/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise), (h, c) => h.UploadAsync(c)),
        RouteDef.For<RedemptionApi>("GetEvidence", "GET", "api/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.Province), (h, c) => h.DownloadAsync(c)),
        RouteDef.For<RedemptionApi>("WithdrawRedemption", "POST", "api/redemptions/{id}/withdraw", Access.Only(Role.Enterprise), (h, c) => h.WithdrawAsync(c)),
        RouteDef.For<RedemptionApi>("ExtendBinding", "POST", "api/redemptions/{id}/binding/extend", Access.Only(Role.CityBureau), (h, c) => h.ExtendBindingAsync(c)),
        RouteDef.For<RedemptionApi>("BindRedemption", "POST", "api/redemptions/{id}/binding", Access.Only(Role.Institution), (h, c) => h.BindAsync(c)),

        RouteDef.For<BindingPages>("BindingPage", "GET", "binding/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<BindingPages>("BindingAnswer", "POST", "binding/{token}", Access.SignedLink, (h, c) => h.AnswerAsync(c)),

        RouteDef.For<SettlementHandlers>("StartSettlement", "POST", "api/settlements", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.StartAsync(c)),
        RouteDef.For<SettlementHandlers>("GetSettlement", "GET", "api/settlements/{batchId}", Access.Only(Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<SettlementHandlers>("SaveBatchDecisions", "POST", "api/settlements/{batchId}/decisions", Access.Only(Role.CityBureau), (h, c) => h.SaveDecisionsAsync(c)),
        RouteDef.For<SettlementHandlers>("SubmitBatch", "POST", "api/settlements/{batchId}/submit", Access.Only(Role.CityBureau), (h, c) => h.SubmitAsync(c)),
        RouteDef.For<BatchReviewPages>("BatchReviewPage", "GET", "batches/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<BatchReviewPages>("BatchReviewPost", "POST", "batches/{token}", Access.SignedLink, (h, c) => h.PostAsync(c)),
        RouteDef.For<OpinionPages>("OpinionPage", "GET", "opinions/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<OpinionPages>("OpinionSubmit", "POST", "opinions/{token}", Access.SignedLink, (h, c) => h.SubmitAsync(c)),
        RouteDef.For<OpinionPages>("OpinionEvidence", "GET", "opinions/{token}/evidence/{kind}", Access.SignedLink, (h, c) => h.EvidenceAsync(c)),
        RouteDef.For<PublicityPages>("PublicityPage", "GET", "publicity", Access.Public, (h, c) => h.ShowAsync(c)),
        RouteDef.For<PublicityPages>("PublicityObjectionForm", "POST", "publicity/{redemptionId}/objection", Access.Public, (h, c) => h.ObjectAsync(c)),
        RouteDef.For<PublicityHandlers>("GetPublicity", "GET", "api/publicity", Access.Public, (h, c) => h.ListAsync(c)),
        RouteDef.For<PublicityHandlers>("FileObjection", "POST", "api/publicity/{redemptionId}/objections", Access.Public, (h, c) => h.ObjectAsync(c)),
        RouteDef.For<PublicityHandlers>("ResolveObjection", "POST", "api/objections/{redemptionId}/resolve", Access.Only(Role.CityBureau), (h, c) => h.ResolveAsync(c)),
        RouteDef.For<PaymentHandlers>("GetPayables", "GET", "api/payables", Access.Only(Role.FinanceBureau), (h, c) => h.PayablesAsync(c)),
        RouteDef.For<PaymentHandlers>("ConfirmPayment", "POST", "api/redemptions/{id}/payment", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAsync(c)),
        RouteDef.For<AdvanceHandlers>("GetAdvancesDue", "GET", "api/advances", Access.Only(Role.FinanceBureau), (h, c) => h.ListDueAsync(c)),
        RouteDef.For<AdvanceHandlers>("ConfirmAdvancePayment", "POST", "api/redemptions/{id}/advance-payment", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAsync(c)),

        .. SupervisionRoutes.All,
        .. EnforcementRoutes.All,

        RouteDef.For<ReviewPages>("ReviewPage", "GET", "review/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<ReviewPages>("ReviewDecide", "POST", "review/{token}", Access.SignedLink, (h, c) => h.DecideAsync(c)),

        .. MarketplaceRoutes.All,
        .. AgencyRoutes.All,

        RouteDef.For<AuthPages>("DevSignInPage", "GET", "dev/signin", Access.Public, (h, c) => h.DevSignInFormAsync(c), localOnly: true),
        RouteDef.For<AuthPages>("DevSignIn", "POST", "dev/signin", Access.Public, (h, c) => h.DevSignInAsync(c), localOnly: true),
        RouteDef.For<InboxPages>("DevMailbox", "GET", "dev/mailbox", Access.Public, (h, c) => h.MailboxAsync(c), localOnly: true),
        RouteDef.For<StorageMetrics>("DevMetrics", "GET", "dev/metrics", Access.Public, (m, _) => Task.FromResult(Results.Json(m.Snapshot(), JsonBody.Response)), localOnly: true),
    ];

    public static RouteDef Get(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No route named '{name}'.", nameof(name));
}
