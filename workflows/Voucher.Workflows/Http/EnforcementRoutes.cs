using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Http;

/// <summary>Routes of supervision (violations, claw-backs, credit history, expert pool); spread into <see cref="VoucherRoutes.All"/>.</summary>
public static class EnforcementRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<EnforcementHandlers>("RecordViolation", "POST", "api/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.RecordAsync(c)),
        RouteDef.For<EnforcementHandlers>("ListViolations", "GET", "api/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ListAsync(c)),
        RouteDef.For<EnforcementHandlers>("GetViolation", "GET", "api/violations/{city}/{id}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<EnforcementHandlers>("UploadViolationEvidence", "POST", "api/violations/{city}/{id}/evidence", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.UploadEvidenceAsync(c)),
        RouteDef.For<EnforcementHandlers>("GetViolationEvidence", "GET", "api/violations/{city}/{id}/evidence/{file}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.DownloadEvidenceAsync(c)),
        RouteDef.For<EnforcementHandlers>("GetClawBacks", "GET", "api/clawbacks", Access.Only(Role.FinanceBureau, Role.Province), (h, c) => h.ClawBacksAsync(c)),
        RouteDef.For<EnforcementHandlers>("ConfirmClawBack", "POST", "api/clawbacks/{city}/{id}/confirm", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmClawBackAsync(c)),
        RouteDef.For<EnforcementHandlers>("GetCreditHistory", "GET", "api/enterprises/{uscc}/credit", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.CreditAsync(c)),
        RouteDef.For<EnforcementHandlers>("ListExperts", "GET", "api/experts", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ExpertsAsync(c)),
        RouteDef.For<EnforcementHandlers>("SaveExpert", "POST", "api/experts", Access.Only(Role.Province), (h, c) => h.SaveExpertAsync(c)),
        RouteDef.For<EnforcementHandlers>("GetMyOpinionRequests", "GET", "api/expert/opinions", Access.Only(Role.Expert), (h, c) => h.MyOpinionsAsync(c)),

        RouteDef.For<EnforcementPages>("PortalViolations", "GET", "portal/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ViolationsAsync(c)),
        RouteDef.For<EnforcementPages>("PortalRecordViolation", "POST", "portal/violations", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.RecordViolationFormAsync(c)),
        RouteDef.For<EnforcementPages>("PortalClawBacks", "GET", "portal/clawbacks", Access.Only(Role.FinanceBureau), (h, c) => h.ClawBacksAsync(c)),
        RouteDef.For<EnforcementPages>("PortalConfirmClawBack", "POST", "portal/clawbacks/{city}/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmClawBackFormAsync(c)),
        RouteDef.For<EnforcementPages>("PortalCredit", "GET", "portal/credit", Access.Only(Role.Enterprise), (h, c) => h.CreditPageAsync(c)),
        RouteDef.For<EnforcementPages>("PortalExperts", "GET", "portal/experts", Access.Only(Role.Province), (h, c) => h.ExpertsAsync(c)),
        RouteDef.For<EnforcementPages>("PortalSaveExpert", "POST", "portal/experts", Access.Only(Role.Province), (h, c) => h.SaveExpertFormAsync(c)),
        RouteDef.For<EnforcementPages>("PortalExpertHome", "GET", "portal/expert", Access.Only(Role.Expert), (h, c) => h.ExpertHomeAsync(c)),
    ];
}
