namespace Voucher.Workflows.Enforcement;

/// <summary>Enforcement: violations and their evidence, claw-backs, credit history and the expert pool; API and pages.</summary>
public static class EnforcementRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<ViolationApi>("RecordViolation", "POST", "api/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.RecordAsync(c)) with { Contract = ApiContract.Send<ViolationRequest, JsonObjectResponse>(201, 409, 422) with { AlsoStatus = [200] } },
        RouteDef.For<ViolationApi>("ListViolations", "GET", "api/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ListAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() with { Query = ["city"] } },
        RouteDef.For<ViolationApi>("GetViolation", "GET", "api/violations/{city}/{id}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<ViolationApi>("UploadViolationEvidence", "POST", "api/violations/{city}/{id}/evidence", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.UploadEvidenceAsync(c)) with { Contract = ApiContract.Upload<JsonObjectResponse>(201) },
        RouteDef.For<ViolationApi>("GetViolationEvidence", "GET", "api/violations/{city}/{id}/evidence/{file}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.DownloadEvidenceAsync(c)) with { Contract = ApiContract.File() },
        RouteDef.For<EnforcementApi>("GetClawBacks", "GET", "api/clawbacks", Access.Only(Role.FinanceBureau, Role.Province), (h, c) => h.ClawBacksAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() with { Query = ["city"] } },
        RouteDef.For<EnforcementApi>("ConfirmClawBack", "POST", "api/clawbacks/{city}/{id}/confirm", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmClawBackAsync(c)) with { Contract = ApiContract.Send<ConfirmClawBackRequest, JsonObjectResponse>(200, 409) },
        RouteDef.For<EnforcementApi>("GetCreditHistory", "GET", "api/enterprises/{uscc}/credit", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.CreditAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<EnforcementApi>("ListExperts", "GET", "api/experts", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ExpertsAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() with { Query = ["field"] } },
        RouteDef.For<EnforcementApi>("SaveExpert", "POST", "api/experts", Access.Only(Role.Province), (h, c) => h.SaveExpertAsync(c)) with { Contract = ApiContract.Send<SaveExpertRequest, JsonObjectResponse>(200, 409) },
        RouteDef.For<EnforcementApi>("GetMyOpinionRequests", "GET", "api/expert/opinions", Access.Only(Role.Expert), (h, c) => h.MyOpinionsAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() },

        RouteDef.For<ViolationPages>("PortalViolations", "GET", "portal/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ViolationsAsync(c)),
        RouteDef.For<ViolationPages>("PortalRecordViolation", "POST", "portal/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.RecordViolationFormAsync(c)),
        RouteDef.For<ViolationPages>("PortalViolation", "GET", "portal/violations/{city}/{id}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ViolationAsync(c)),
        RouteDef.For<ViolationPages>("PortalAddViolationEvidence", "POST", "portal/violations/{city}/{id}/evidence", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.AddEvidenceFormAsync(c)),
        RouteDef.For<ViolationPages>("PortalViolationEvidence", "GET", "portal/violations/{city}/{id}/evidence/{file}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.EvidenceFileAsync(c)),
        RouteDef.For<ClawBackPages>("PortalClawBacks", "GET", "portal/clawbacks", Access.Only(Role.FinanceBureau), (h, c) => h.ClawBacksAsync(c)),
        RouteDef.For<ClawBackPages>("PortalConfirmClawBack", "POST", "portal/clawbacks/{city}/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmClawBackFormAsync(c)),
        RouteDef.For<CreditPages>("PortalCredit", "GET", "portal/credit", Access.Only(Role.Enterprise), (h, c) => h.CreditPageAsync(c)),
        RouteDef.For<ExpertPages>("PortalExperts", "GET", "portal/experts", Access.Only(Role.Province), (h, c) => h.ExpertsAsync(c)),
        RouteDef.For<ExpertPages>("PortalSaveExpert", "POST", "portal/experts", Access.Only(Role.Province), (h, c) => h.SaveExpertFormAsync(c)),
        RouteDef.For<ExpertPages>("PortalExpertHome", "GET", "portal/expert", Access.Only(Role.Expert), (h, c) => h.ExpertHomeAsync(c)),
    ];
}
