namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Flow 2 up to the settlement queue: requesting a redemption, its evidence files, withdrawal, the institution's
/// binding (signed in or by signed link) and its extension; API and pages.
/// </summary>
public static class RedemptionRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<RedemptionApi>("CreateRedemption", "POST", "api/redemptions", Access.Only(Role.Enterprise), (h, c) => h.CreateAsync(c)) with { Contract = ApiContract.Send<CreateRedemptionRequest, RedemptionRequestAnswer>(202, 409, 422) with { AlsoStatus = [200] } },
        RouteDef.For<RedemptionApi>("GetRedemption", "GET", "api/redemptions/{id}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<RedemptionDetails>() with { ETag = true } },
        RouteDef.For<RedemptionApi>("RequestEvidenceUpload", "POST", "api/redemptions/{id}/evidence/{kind}/sas", Access.Only(Role.Enterprise), (h, c) => h.RequestUploadAsync(c)) with { Contract = ApiContract.Act<EvidenceUploadSlot>(200, 400, 409) },
        RouteDef.For<RedemptionApi>("CompleteEvidenceUpload", "POST", "api/redemptions/{id}/evidence/{kind}/complete", Access.Only(Role.Enterprise), (h, c) => h.CompleteUploadAsync(c)) with { Contract = ApiContract.Send<CompleteUploadRequest, EvidenceStored>(201, 409) },
        RouteDef.For<RedemptionApi>("UploadEvidence", "POST", "api/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise), (h, c) => h.UploadAsync(c)) with { Contract = ApiContract.Upload<EvidenceStored>(201, 409) },
        RouteDef.For<RedemptionApi>("GetEvidence", "GET", "api/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.Province), (h, c) => h.DownloadAsync(c)) with { Contract = ApiContract.File() },
        RouteDef.For<RedemptionApi>("WithdrawRedemption", "POST", "api/redemptions/{id}/withdraw", Access.Only(Role.Enterprise), (h, c) => h.WithdrawAsync(c)) with { Contract = ApiContract.Act<RedemptionAccepted>(202, 409) },
        RouteDef.For<RedemptionApi>("ExtendBinding", "POST", "api/redemptions/{id}/binding/extend", Access.Only(Role.CityBureau), (h, c) => h.ExtendBindingAsync(c)) with { Contract = ApiContract.Send<ExtendBindingRequest, RedemptionAccepted>(202, 409) },
        RouteDef.For<RedemptionApi>("BindRedemption", "POST", "api/redemptions/{id}/binding", Access.Only(Role.Institution), (h, c) => h.BindAsync(c)) with { Contract = ApiContract.Send<BindingDecisionRequest, RedemptionAccepted>(202, 409) },

        RouteDef.For<RedemptionPages>("PortalRedemption", "GET", "portal/redemptions/{id}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.RedemptionPageAsync(c)),
        RouteDef.For<EnterpriseRedemptionPages>("PortalNewRedemption", "GET", "portal/redemptions/new", Access.Only(Role.Enterprise), (h, c) => h.NewRequestPageAsync(c)),
        RouteDef.For<EnterpriseRedemptionPages>("PortalRequestRedemption", "POST", "portal/redemptions", Access.Only(Role.Enterprise), (h, c) => h.CreateRedemptionAsync(c)),
        RouteDef.For<RedemptionPages>("PortalEvidenceFile", "GET", "portal/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise, Role.Institution, Role.CityBureau, Role.Province), (h, c) => h.DownloadEvidenceAsync(c)),
        RouteDef.For<RedemptionPages>("PortalUploadEvidence", "POST", "portal/redemptions/{id}/evidence/{kind}", Access.Only(Role.Enterprise), (h, c) => h.UploadEvidenceFormAsync(c)),
        RouteDef.For<RedemptionPages>("PortalWithdraw", "POST", "portal/redemptions/{id}/withdraw", Access.Only(Role.Enterprise), (h, c) => h.WithdrawFormAsync(c)),
        RouteDef.For<RedemptionPages>("PortalExtendBinding", "POST", "portal/redemptions/{id}/extend", Access.Only(Role.CityBureau), (h, c) => h.ExtendFormAsync(c)),

        RouteDef.For<BindingPages>("BindingPage", "GET", "binding/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<BindingPages>("BindingAnswer", "POST", "binding/{token}", Access.SignedLink, (h, c) => h.AnswerAsync(c)),
    ];
}
