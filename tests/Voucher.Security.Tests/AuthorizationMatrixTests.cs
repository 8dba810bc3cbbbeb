using Voucher.Workflows.Http;

namespace Voucher.Security.Tests;

/// <summary>
/// Every route × anonymous, the seven roles (with a scope owning the seeded resources: enterprise A, institution
/// inst-sec-ty, the Taiyuan bureaus), and "someone else" (enterprise B, the Datong institution and bureaus) against
/// an explicit expectation table written here, independent of the routes' own Access declarations.
/// Codes, per caller in <see cref="Callers"/> order: A allowed (not 401/403, no 5xx); U 401; F 403;
/// H 404 (another party's resource answered exactly as a missing one, API and pages alike); R a form post redirected back
/// with an error; B 400, a form shown again with a field error (e.g. "not registered" for another city's enterprise).
/// 403 (F) stays for a role refused the route outright, or an act refused on a resource the caller may see: neither says
/// whether an id exists. <see cref="Every_route_with_an_id_answers_someone_elses_resource_exactly_as_a_missing_one"/>
/// checks that for every route with an id.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AuthorizationMatrixTests(SecurityHost host, ITestOutputHelper output)
{
    /// <summary>anonymous, the seven roles (owners), then someone else: enterprise B, Datong institution, Datong bureaus.</summary>
    public static readonly string[] Callers = ["anon", "entA", "instTY", "agency", "cityTY", "finTY", "expert", "prov", "entB", "instDT", "cityDT", "finDT"];

    sealed record Row(string Method, string Path, string Codes, Func<SecurityHost, HttpContent?>? Body = null, string? EnterpriseAs = null, bool SignedLink = false);

    static Func<SecurityHost, HttpContent?> Json(string json) => h => new StringContent(h.Fill(json), Encoding.UTF8, "application/json");

    static Func<SecurityHost, HttpContent?> Form(params (string Key, string Value)[] fields) =>
        h => new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, h.Fill(f.Value))));

    static Func<SecurityHost, HttpContent?> File() => _ =>
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestFiles.Pdf("matrix")), "file", "matrix.pdf");
        return form;
    };

    const string All = "AAAAAAAAAAAA";

    // The expectation table: one entry per route name. A new route without an entry fails Table_covers_every_route.
    static readonly Dictionary<string, Row> Table = new()
    {
        ["Health"] = new("GET", "healthz", All),
        ["Ready"] = new("GET", "healthz/ready", All),
        ["ReadyAlias"] = new("GET", "readyz", All),
        ["OpenApi"] = new("GET", "api/openapi.json", All),
        ["Home"] = new("GET", "", All),
        ["Guide"] = new("GET", "guide", All),
        ["Progress"] = new("GET", "progress", All),
        ["StaticAsset"] = new("GET", "static/portal.css", All),
        ["GuideSelfCheck"] = new("POST", "guide/self-check", All, Form(("cityCode", "taiyuan"), ("uscc", "{usccA}"))),
        ["PortalApplication"] = new("GET", "portal/applications/{appA}", "UAFFAFFAHFHF"),
        ["SignIn"] = new("GET", "signin", All),
        ["SignOut"] = new("GET", "signout", All),
        ["Inbox"] = new("GET", "inbox", "UAAAAAAAAAAA"),
        ["PortalRegister"] = new("POST", "portal/register", "UAFFFFFFAFFF", Form(("name", "")), EnterpriseAs: "entE"),
        ["PortalApply"] = new("POST", "portal/apply", "UAFFFFFFAFFF", Form(), EnterpriseAs: "entE"),
        ["PortalRedemption"] = new("GET", "portal/redemptions/{redA}", "UAAFAAFAHHHH"),
        ["PortalRequestRedemption"] = new("POST", "portal/redemptions", "UAFFFFFFHFFF",
            Form(("voucherId", "{vA}"), ("service", SecurityHost.InstTy + "|" + SecurityHost.SvcTy), ("contractNumber", "MATRIX-1"), ("amountPaid", "100"))),
        ["PortalNewRedemption"] = new("GET", "portal/redemptions/new", "UAFFFFFFAFFF"),
        ["PortalEvidenceFile"] = new("GET", "portal/redemptions/{redA}/evidence/report", "UAAFAFFAHHHF"),
        ["PortalUploadEvidence"] = new("POST", "portal/redemptions/{redA}/evidence/report", "UAFFFFFFRFFF", File()),
        ["PortalWithdraw"] = new("POST", "portal/redemptions/{redA}/withdraw", "UAFFFFFFRFFF", Form()),
        ["PortalExtendBinding"] = new("POST", "portal/redemptions/{redA}/extend", "UFFFAFFFFFHF", Form(("round", "1"))),
        ["PortalStartSettlement"] = new("POST", "portal/settlements", "UFFFAFFFFFAF", Form(("periodId", "bogus"))),
        ["PortalObjections"] = new("GET", "portal/objections", "UFFFAFFFFFAF"),
        ["PortalResolveObjection"] = new("POST", "portal/objections/{redA}", "UFFFAFFFFFHF", Form(("reason", ""))),
        ["PortalConfirmPayment"] = new("POST", "portal/payments/{redA}", "UFFFFAFFFFFH", Form(("reference", ""), ("paidOn", ""))),
        ["PortalConfirmAdvance"] = new("POST", "portal/advances/{redA}", "UFFFFAFFFFFH", Form(("reference", ""), ("paidOn", ""))),

        ["RegisterEnterprise"] = new("POST", "api/enterprises", "UAFFFFFAFFFF",
            Json("""{"uscc":"{usccA}","name":"太原安全测试科技有限公司","cityCode":"taiyuan","sizeClass":"small","techSmeNumber":"202614010001","contactName":"赵联系甲","contactPhone":"13903510001"}""")),
        ["GetEnterprise"] = new("GET", "api/enterprises/{usccA}", "UAFFAAFAHFHH"),
        // Bank accounts: whole for the enterprise and its city's finance bureau, masked for its city's bureau and the province, missing for anyone else.
        ["GetBankAccount"] = new("GET", "api/enterprises/{usccA}/bank-account", "UAFFAAFAHFHH"),
        ["SaveBankAccount"] = new("PUT", "api/enterprises/{usccA}/bank-account", "UAFFFFFFHFFF", Json("{}")),
        ["ConfirmBankAccountChange"] = new("POST", "api/enterprises/{usccA}/bank-account/confirmation", "UAFFFFFFHFFF", Json("{}")),
        ["SubmitApplication"] = new("POST", "api/applications", "UAFFFFFAFFFF", Json("""{"uscc":"{usccA}","faceValue":1}""")),
        ["GetApplication"] = new("GET", "api/applications/{appA}", "UAFFAFFAHFHF"),
        ["DecideApplication"] = new("POST", "api/applications/{appA}/decision", "UFFFAFFFFFHF", Json("""{"round":1,"approve":false,"reason":"matrix"}""")),
        ["GetVoucher"] = new("GET", "api/vouchers/{vA}", "UAFFAAFAHFHH"),
        // The voucher's page hides another enterprise's or city's voucher (404), as the application's page does.
        ["PortalVoucher"] = new("GET", "portal/vouchers/{vA}", "UAFFAFFAHFHF"),

        ["CreateRedemption"] = new("POST", "api/redemptions", "UAFFFFFFHFFF",
            Json("""{"voucherId":"{vA}","institutionId":"inst-sec-ty","serviceId":"svc-sec-ty","contractNumber":"MATRIX-2","amountPaid":100}""")),
        ["GetRedemption"] = new("GET", "api/redemptions/{redA}", "UAAFAAFAHHHH"),
        ["RequestEvidenceUpload"] = new("POST", "api/redemptions/{redA}/evidence/report/sas", "UAFFFFFFHFFF"),
        ["CompleteEvidenceUpload"] = new("POST", "api/redemptions/{redA}/evidence/report/complete", "UAFFFFFFHFFF", Json("""{"uploadId":"x"}""")),
        ["UploadEvidence"] = new("POST", "api/redemptions/{redA}/evidence/report", "UAFFFFFFHFFF", File()),
        ["GetEvidence"] = new("GET", "api/redemptions/{redA}/evidence/report", "UAAFAFFAHHHF"),
        ["WithdrawRedemption"] = new("POST", "api/redemptions/{redA}/withdraw", "UAFFFFFFHFFF"),
        ["ExtendBinding"] = new("POST", "api/redemptions/{redA}/binding/extend", "UFFFAFFFFFHF", Json("""{"round":1}""")),
        ["BindRedemption"] = new("POST", "api/redemptions/{redA}/binding", "UFAFFFFFFHFF", Json("""{"round":1,"confirm":true}""")),

        ["BindingPage"] = new("GET", "binding/{token}", All, SignedLink: true),
        ["BindingAnswer"] = new("POST", "binding/{token}", All, Form(("decision", "")), SignedLink: true),

        ["StartSettlement"] = new("POST", "api/settlements", "UFFFAFFAFFFF", Json("""{"cityCode":"taiyuan","periodId":"{period-taiyuan}"}""")),
        ["GetSettlement"] = new("GET", "api/settlements/{batchTY}", "UFFFAAFAFFHH"),
        ["SaveBatchDecisions"] = new("POST", "api/settlements/{batchTY}/decisions", "UFFFAFFFFFHF", Json("""{"decisions":[{"redemptionId":"nope","decision":"approve"}]}""")),
        ["SubmitBatch"] = new("POST", "api/settlements/{batchTY}/submit", "UFFFAFFFFFHF"),
        ["BulkBatchDecisions"] = new("POST", "api/settlements/{batchTY}/bulk-decisions", "UFFFAFFFFFHF", Json("""{"operationId":"matrix","decision":"approve","redemptionIds":["nope"]}""")),
        ["BatchReviewBulk"] = new("POST", "batches/{token}/bulk", All, Form(("confirmed", "yes"), ("op", "matrix-page"), ("decision", "approve"), ("scope", "selected"), ("sel", "nope")), SignedLink: true),
        ["BatchReviewItem"] = new("GET", "batches/{token}/items/{redA}", All, SignedLink: true),
        ["BatchReviewPage"] = new("GET", "batches/{token}", All, SignedLink: true),
        ["BatchReviewPost"] = new("POST", "batches/{token}", All, Form(("action", "save")), SignedLink: true),
        ["BatchReviewEvidence"] = new("GET", "batches/{token}/evidence/{redA}/report", All, SignedLink: true),
        ["OpinionPage"] = new("GET", "opinions/{token}", All, SignedLink: true),
        ["OpinionSubmit"] = new("POST", "opinions/{token}", All, Form(("opinion", "")), SignedLink: true),
        ["OpinionEvidence"] = new("GET", "opinions/{token}/evidence/report", All, SignedLink: true),
        ["PublicityPage"] = new("GET", "publicity", All),
        ["PublicityNoticePage"] = new("GET", "publicity/notices/{batchTY}", All),
        ["PublicityNoticePrint"] = new("GET", "publicity/notices/{batchTY}/print", All),
        ["PublicityArchive"] = new("GET", "publicity/archive", All),
        ["PublicityReceipt"] = new("GET", "publicity/receipts", All),
        ["PublicityObjectionForm"] = new("POST", "publicity/{redA}/objection", All, Form(("contact", ""), ("grounds", ""))),
        ["GetPublicity"] = new("GET", "api/publicity", All),
        ["FileObjection"] = new("POST", "api/publicity/{redA}/objections", All, Json("{}")),
        ["ResolveObjection"] = new("POST", "api/objections/{redA}/resolve", "UFFFAFFFFFHF", Json("""{"uphold":false,"reason":"matrix"}""")),
        ["GetPayables"] = new("GET", "api/payables", "UFFFFAFFFFFA"),
        ["ConfirmPayments"] = new("POST", "api/payments", "UFFFFAFFFFFA", Json("{}")),
        ["PortalPayables"] = new("GET", "portal/payables", "UFFFFAFFFFFA"),
        ["PortalPaymentFile"] = new("GET", "portal/payments/file", "UFFFFAFFFFFA"),
        ["PortalConfirmPayments"] = new("POST", "portal/payments", "UFFFFAFFFFFA", Form(("scope", "selected"))),
        ["ConfirmPayment"] = new("POST", "api/redemptions/{redA}/payment", "UFFFFAFFFFFH", Json("""{"reference":"MATRIX","paidOn":"{today}"}""")),
        ["GetAdvancesDue"] = new("GET", "api/advances", "UFFFFAFFFFFA"),
        ["ConfirmAdvancePayment"] = new("POST", "api/redemptions/{redA}/advance-payment", "UFFFFAFFFFFH", Json("""{"reference":"MATRIX","paidOn":"{today}"}""")),

        // Supervision: a city bureau acts for its own city's enterprises only (cityDT against enterprise A: 404 as an unregistered one;
        // another city's violation list or record: 403 by city before any lookup, whatever the id).
        ["RecordViolation"] = new("POST", "api/violations", "UFFFAFFAFFHF", Json("""{"uscc":"{usccA}","reason":""}""")),
        ["ListViolations"] = new("GET", "api/violations?city=taiyuan", "UFFFAFFAFFAF"),
        ["GetViolation"] = new("GET", "api/violations/taiyuan/V-matrix", "UFFFAFFAFFFF"),
        ["UploadViolationEvidence"] = new("POST", "api/violations/taiyuan/V-matrix/evidence", "UFFFAFFAFFFF", File()),
        ["GetViolationEvidence"] = new("GET", "api/violations/taiyuan/V-matrix/evidence/file-01", "UFFFAFFAFFFF"),
        ["GetClawBacks"] = new("GET", "api/clawbacks?city=taiyuan", "UFFFFAFAFFFA"),
        ["ConfirmClawBack"] = new("POST", "api/clawbacks/taiyuan/nope/confirm", "UFFFFAFFFFFF", Json("""{"reference":"MATRIX"}""")),
        ["GetCreditHistory"] = new("GET", "api/enterprises/{usccA}/credit", "UAFFAFFAHFHF"),
        ["ListExperts"] = new("GET", "api/experts", "UFFFAFFAFFAF"),
        ["SaveExpert"] = new("POST", "api/experts", "UFFFFFFAFFFF", Json("""{"expertId":""}""")),
        ["GetMyOpinionRequests"] = new("GET", "api/expert/opinions", "UFFFFFAFFFFF"),
        ["PortalViolations"] = new("GET", "portal/violations", "UFFFAFFAFFAF"),
        ["PortalRecordViolation"] = new("POST", "portal/violations", "UFFFAFFAFFBF", Form(("uscc", "{usccA}"), ("reason", ""))),
        ["PortalViolation"] = new("GET", "portal/violations/taiyuan/V-matrix", "UFFFAFFAFFFF"),
        ["PortalAddViolationEvidence"] = new("POST", "portal/violations/taiyuan/V-matrix/evidence", "UFFFAFFAFFFF", File()),
        ["PortalViolationEvidence"] = new("GET", "portal/violations/taiyuan/V-matrix/evidence/file-01", "UFFFAFFAFFFF"),
        ["PortalClawBacks"] = new("GET", "portal/clawbacks", "UFFFFAFFFFFA"),
        ["PortalWorkApplications"] = new("GET", "portal/work/applications?tab=done&sort=submitted&format=xlsx", "UFFFAFFFFFAF"),
        ["PortalWorkBatches"] = new("GET", "portal/work/batches?tab=done&format=csv", "UFFFAFFFFFAF"),
        ["PortalWorkClawBacks"] = new("GET", "portal/work/clawbacks?tab=done&kind=paid&format=xlsx", "UFFFFAFFFFFA"),
        ["PortalWorkViolations"] = new("GET", "portal/work/violations?tab=expired&source=manual&format=csv", "UFFFAFFAFFAF"),
        ["PortalWorkInstitutions"] = new("GET", "portal/work/institutions?tab=done&status=Verified&format=xlsx", "UFFFFFFAFFFF"),
        ["PortalWorkRedemptions"] = new("GET", "portal/work/redemptions?q=x&status=Queued", "UFFFAFFFFFAF"),
        ["PortalConfirmClawBack"] = new("POST", "portal/clawbacks/taiyuan/nope", "UFFFFAFFFFFF", Form(("reference", ""))),
        ["PortalCredit"] = new("GET", "portal/credit", "UAFFFFFFAFFF"),
        ["PortalExperts"] = new("GET", "portal/experts", "UFFFFFFAFFFF"),
        ["PortalSaveExpert"] = new("POST", "portal/experts", "UFFFFFFAFFFF", Form(("expertId", ""))),
        ["PortalExpertHome"] = new("GET", "portal/expert", "UFFFFFAFFFFF"),

        ["ReviewPage"] = new("GET", "review/{token}", All, SignedLink: true),
        ["ReviewDecide"] = new("POST", "review/{token}", All, Form(("decision", "")), SignedLink: true),

        // The marketplace (another institution's service or offer: 403 by the institution id in the path, before any lookup; another
        // enterprise's demand or order: 404 as a missing one; demand A
        // is accepted, so closing it or withdrawing its accepted offer is refused without a change).
        ["RegisterInstitution"] = new("POST", "api/institutions", "UFAFFFFFFAFF", Json("""{"name":""}""")),
        ["PendingInstitutions"] = new("GET", "api/institutions", "UFFFFFFAFFFF"),
        ["GetInstitution"] = new("GET", "api/institutions/inst-sec-ty", All),
        ["UpdateInstitution"] = new("POST", "api/institutions/inst-sec-ty", "UFAFFFFFFFFF", Json("""{"name":""}""")),
        ["VerifyInstitution"] = new("POST", "api/institutions/inst-sec-ty/verification", "UFFFFFFAFFFF", Json("""{"approve":true}""")),
        ["GetFacultyRecord"] = new("GET", "api/institutions/inst-sec-ty/faculty-record", "UFAFFFFAFFFF"),
        ["SearchServices"] = new("GET", "api/services", All),
        ["PublishService"] = new("POST", "api/services", "UFAFFFFFFAFF", Json("""{"title":""}""")),
        ["GetService"] = new("GET", "api/services/inst-sec-ty/svc-sec-ty", All),
        ["UpdateService"] = new("POST", "api/services/inst-sec-ty/svc-sec-ty", "UFAFFFFFFFFF", Json("""{"title":""}""")),
        ["SetServiceStatus"] = new("POST", "api/services/inst-sec-ty/svc-sec-ty/status", "UFAFFFFFFFFF", Json("""{"status":"bogus"}""")),
        ["GetServiceVersions"] = new("GET", "api/services/inst-sec-ty/svc-sec-ty/versions", All),
        ["SimilarServices"] = new("GET", "api/services/inst-sec-ty/svc-sec-ty/similar", All),
        ["PostDemand"] = new("POST", "api/demands", "UAFFFFFFAFFF", Json("""{"category":""}""")),
        ["ListDemands"] = new("GET", "api/demands", "UAAFFFFFAAFF"),
        ["GetDemand"] = new("GET", "api/demands/{demandA}", "UAAFFFFAHAFF"),
        ["CloseDemand"] = new("POST", "api/demands/{demandA}/close", "UAFFFFFFHFFF"),
        ["MakeOffer"] = new("POST", "api/demands/{demandA}/offers", "UFAFFFFFFAFF", Json("""{"price":0}""")),
        ["WithdrawOffer"] = new("POST", "api/demands/{demandA}/offers/inst-sec-ty/withdraw", "UFAFFFFFFFFF"),
        ["AcceptOffer"] = new("POST", "api/demands/{demandA}/offers/inst-sec-ty/accept", "UAFFFFFFHFFF", Json("{}")),
        ["GetOrder"] = new("GET", "api/orders/{orderA}", "UAAFFFFAHHFF"),
        ["CataloguePage"] = new("GET", "catalogue", All),
        ["CatalogueServicePage"] = new("GET", "catalogue/inst-sec-ty/svc-sec-ty", All),
        ["PortalInstitution"] = new("GET", "portal/institution", "UFAFFFFFFAFF"),
        ["PortalInstitutionProfile"] = new("POST", "portal/institution/profile", "UFAFFFFFFAFF", Form(("name", ""))),
        ["PortalServiceForm"] = new("GET", "portal/institution/services/svc-sec-ty", "UFAFFFFFFHFF"),
        ["PortalServiceSave"] = new("POST", "portal/institution/services/svc-sec-ty", "UFAFFFFFFAFF", Form(("title", ""))),
        ["PortalServiceStatus"] = new("POST", "portal/institution/services/svc-sec-ty/status", "UFRFFFFFFRFF", Form(("status", "bogus"))),
        ["PortalMatchingDemand"] = new("GET", "portal/institution/demands", "UFAFFFFFFAFF"),
        ["PortalMakeOffer"] = new("POST", "portal/institution/demands/{demandA}/offer", "UFRFFFFFFRFF", Form(("price", ""))),
        ["PortalWithdrawOffer"] = new("POST", "portal/institution/demands/{demandA}/withdraw", "UFRFFFFFFRFF", Form()),
        ["PortalFaculty"] = new("GET", "portal/faculty", "UFAFFFFFFAFF"),
        ["PortalFacultyExport"] = new("GET", "portal/faculty/export", "UFAFFFFFFAFF"),
        ["PortalMarket"] = new("GET", "portal/market", "UAFFFFFFAFFF"),
        ["PortalPostDemand"] = new("POST", "portal/market/demands", "UAFFFFFFAFFF", Form(("category", ""))),
        ["PortalAcceptOffer"] = new("POST", "portal/market/demands/{demandA}/accept", "UAFFFFFFRFFF", Form(("institutionId", "inst-sec-ty"))),
        ["PortalCloseDemand"] = new("POST", "portal/market/demands/{demandA}/close", "URFFFFFFRFFF", Form()),
        ["PortalOrder"] = new("GET", "portal/orders/{orderA}", "UAAFFFFAHHFF"),
        ["PortalInstitutions"] = new("GET", "portal/institutions", "UFFFFFFAFFFF"),
        ["PortalProvinceRisk"] = new("GET", "portal/province/risk", "UFFFFFFAFFFF"),
        ["PortalProvinceRiskPolicy"] = new("GET", "portal/province/risk/policy", "UFFFFFFAFFFF"),
        ["PortalProvinceRiskPolicyPublish"] = new("POST", "portal/province/risk/policy", "UFFFFFFAFFFF", Form(("reason", ""))),
        ["PortalVerifyInstitution"] = new("POST", "portal/institutions/inst-sec-ty/verification", "UFFFFFFRFFFF", Form(("approve", ""))),
        ["RegisterAgency"] = new("POST", "api/agencies", "UFFAFFFAFFFF", Json("""{"name":"矩阵测试代理","cityCode":"taiyuan","contactName":"孙代理","contactPhone":"13903510009"}""")),
        ["ListAgencies"] = new("GET", "api/agencies", "UAAFFFFAAAFF"),
        ["CreateDelegation"] = new("POST", "api/delegations", "UAAFFFFFAAFF", Json("""{"agencyId":"nope-agency","actions":["view-records"],"validUntil":"{today}"}""")),
        ["ListDelegations"] = new("GET", "api/delegations", "UAAFFFFFAAFF"),
        ["RevokeDelegation"] = new("POST", "api/delegations/nope-agency.0000000000000000001/revoke", "UAAFFFFFHHFF"),
        ["GetAgencyParties"] = new("GET", "api/agency/parties", "UFFAFFFFFFFF"),
        ["PortalDelegations"] = new("GET", "portal/delegations", "UAAFFFFFAAFF"),
        ["PortalCreateDelegation"] = new("POST", "portal/delegations", "UAAFFFFFAAFF", Form(("agencyId", ""))),
        ["PortalRevokeDelegation"] = new("POST", "portal/delegations/nope-agency.0000000000000000001/revoke", "URRFFFFFRRFF", Form()),
        ["AgencyHome"] = new("GET", "portal/agency", "UFFAFFFFFFFF"),
        ["PortalRegisterAgency"] = new("POST", "portal/agency/register", "UFFAFFFFFFFF", Form(("name", ""))),
        ["PortalBindRedemption"] = new("POST", "portal/redemptions/{redA}/binding", "UFRFFFFFFHFF", Form(("round", "1"), ("decision", ""))),
        ["PortalActFor"] = new("POST", "portal/agency/acting", "UFFRFFFFFFFF", Form(("partyId", "{usccA}"))),
        ["UpdateEnterpriseProfile"] = new("PUT", "api/enterprises/{usccA}/profile", "UAFFFFFAFFFF",
            Json("""{"name":"","cityCode":"taiyuan","sizeClass":"small","techSmeNumber":"202614010001","contactName":"赵联系甲","contactPhone":"13903510001"}""")),
        ["PortalEnterpriseProfile"] = new("GET", "portal/profile", "UAFFFFFFAFFF"),
        ["PortalSaveEnterpriseProfile"] = new("POST", "portal/profile", "UAFFFFFFAFFF", Form(("name", ""))),
        // The copy of an enterprise's personal data: the enterprise itself only (its own, never another's: no id in the path).
        ["PortalSaveBankAccount"] = new("POST", "portal/profile/bank-account", "UAFFFFFFAFFF", Form(("bankName", ""))),
        ["PortalConfirmBankAccount"] = new("POST", "portal/profile/bank-account/confirmation", "UAFFFFFFAFFF", Form(("accountNumber", ""))),
        ["PortalPersonalData"] = new("GET", "portal/profile/personal-data", "UAFFFFFFAFFF"),
        ["StatsPage"] = new("GET", "stats", All),
        ["StatsTable1Csv"] = new("GET", "stats/table1.csv", All),
        ["StatsFiguresCsv"] = new("GET", "stats/figures.csv", All),
        ["GetStatsRedemptions"] = new("GET", "api/stats/redemptions", All),
        ["GetStatsYear"] = new("GET", "api/stats/years/2025", All),
        ["ImportStatsHistory"] = new("POST", "supervision/stats/import", "UFFFFFFAFFFF", Form()),
        ["PolicyAdminPage"] = new("GET", "supervision/policies", "UFFFFFFAFFFF"),
        ["PortalCityPolicy"] = new("GET", "portal/city-policy", "UFFFAFFFFFAF"),
        ["PortalCityPolicyContacts"] = new("POST", "portal/city-policy/contacts", "UFFFAFFFFFAF", Form(("reason", ""))),
        ["GetCalendarYear"] = new("GET", "api/calendar/2027", All),
        ["PublishCalendarYear"] = new("PUT", "api/calendar/2027", "UFFFFFFAFFFF", Json("""{"holidays":["2027-13-01"],"source":"","reason":""}""")),
        ["CalendarAdminPage"] = new("GET", "supervision/calendar", "UFFFFFFAFFFF"),
        ["CalendarAdminPublish"] = new("POST", "supervision/calendar/2027", "UFFFFFFAFFFF", Form(("holidays", "bad"), ("reason", ""))),
        ["PolicyAdminPublish"] = new("POST", "supervision/policies/taiyuan", "UFFFFFFAFFFF", Form(("reason", ""))),
        ["ProvincePolicyPublishForm"] = new("POST", "supervision/province-policy", "UFFFFFFAFFFF", Form(("reason", ""))),
        ["GetCityPolicy"] = new("GET", "api/policies/taiyuan", "UFFFAFFAFFFF"),
        ["PublishCityPolicy"] = new("POST", "api/policies/taiyuan", "UFFFFFFAFFFF", Json("""{"reason":""}""")),
        ["GetProvincePolicy"] = new("GET", "api/province-policy", "UFFFAFFAFFAF"),
        ["PublishProvincePolicy"] = new("POST", "api/province-policy", "UFFFFFFAFFFF", Json("""{"reason":""}""")),
        ["EvaluationPublicPage"] = new("GET", "evaluations/2025", All),
        ["GetEvaluation"] = new("GET", "api/evaluations/2025", All),
        ["EvaluationWorkPage"] = new("GET", "supervision/evaluations/2025", "UFFFAFFAFFAF"),
        ["EvaluationSave"] = new("POST", "supervision/evaluations/2025", "UFFFFFFAFFFF", Form(("score-taiyuan", "101"))),
        ["FindingsPage"] = new("GET", "supervision/findings", "UFFFFFFAFFFF"),
        ["AddFinding"] = new("POST", "supervision/findings", "UFFFFFFAFFFF", Form(("finding", ""))),
        ["SupervisionReport"] = new("GET", "supervision/report", "UFFFFFFAFFFF"),
        ["SupervisionReportCsv"] = new("GET", "supervision/report.csv", "UFFFFFFAFFFF"),

        ["Account"] = new("GET", "account", "UAAAAAAAAAAA"),
        ["AccountSwitch"] = new("POST", "account/membership", "URRRRRRRRRRR", Form(("membership", "00000000000000000000"))),
        ["AccountMembers"] = new("GET", "account/members", "UAAAAAAAAAAA"),
        ["AccountInvite"] = new("POST", "account/invitations", "UFFFAFFAFFAF", Form(("role", "city-bureau"), ("scope", "taiyuan"), ("inviteeName", "矩阵受邀人"))),
        // {memberTY}: a Taiyuan officer revoked already (revoking again changes nothing).
        // {inviteTY}: an open Taiyuan invitation; withdrawing it again changes nothing (another party's answers as missing).
        ["AccountWithdrawInvitation"] = new("POST", "account/invitations/{inviteTY}/withdrawal", "UHHHAHHAHHHH", Form(("role", "city-bureau"), ("scope", "taiyuan"))),
        ["AccountRevokeMember"] = new("POST", "account/members/{memberTY}/revoke", "UHHHAHHAHHHH", Form(("reason", "矩阵"))),
        ["Invitation"] = new("GET", "invite/{token}", "BBBBBBBBBBBB", SignedLink: true),
        ["InvitationAccept"] = new("POST", "invite/{inviteForged}/accept", "UBBBBBBBBBBB", Form()),

        // Onboarding: a person's claims (anyone signed in; another person's claim is missing), the Taiyuan bureau's claims list,
        // review, documents and decision (another city's claim is missing; the province reviews institution claims only, so
        // a Taiyuan enterprise's claim is missing for it too), the enterprise's members page (entA is its administrator).
        ["PortalClaims"] = new("GET", "portal/claims", "UAAAAAAAAAAA"),
        ["PortalSubmitClaim"] = new("POST", "portal/claims", "UBBBBBBBBBBB", Form(("uscc", ""))),
        ["PortalClaim"] = new("GET", "portal/claims/{claimTY}", "UHHHHHHHHHHH"),
        ["PortalWorkClaims"] = new("GET", "portal/work/claims?tab=todo&format=xlsx", "UFFFAFFAFFAF"),
        ["PortalWorkClaim"] = new("GET", "portal/work/claims/{claimTY}", "UFFFAFFHFFHF"),
        ["PortalWorkClaimDocument"] = new("GET", "portal/work/claims/{claimTY}/documents/licence", "UFFFAFFHFFHF"),
        ["PortalDecideClaim"] = new("POST", "portal/work/claims/{claimTY}/decision", "UFFFAFFHFFHF", Form(("decision", ""))),
        ["PortalMembers"] = new("GET", "portal/members", "UAAFFFFFAAFF"),
        ["PortalAddMember"] = new("POST", "portal/members", "UBBFFFFFBBFF", Form(("accountNumber", ""))),
        ["PortalRemoveMember"] = new("POST", "portal/members/{memberEntA}/removal", "UAAFFFFFAAFF", Form()),

        ["DevSignInPage"] = new("GET", "dev/signin", All),
        ["DevSignIn"] = new("POST", "dev/signin", All, Form(("role", "bogus"))),
        ["DevMailbox"] = new("GET", "dev/mailbox", All),
        ["DevMetrics"] = new("GET", "dev/metrics", All),
    };

    /// <summary>The table's rows as (route name, method, path with placeholders, signed link, the first caller allowed), for checks over every route (SecurityHeadersTests).</summary>
    internal static IEnumerable<(string Name, string Method, string Path, bool SignedLink, string? Owner)> Routes() =>
        Table.Select(t => (t.Key, t.Value.Method, t.Value.Path, t.Value.SignedLink,
            t.Value.Codes.IndexOf('A', StringComparison.Ordinal) is var i and >= 0 ? (i < 1 ? "anon" : t.Value.EnterpriseAs is not null && Callers[i] is "entA" or "entB" ? t.Value.EnterpriseAs : Callers[i]) : null));

    [Fact]
    public void Table_covers_every_route()
    {
        var routes = VoucherRoutes.All.Select(r => r.Name).ToHashSet();
        var missing = routes.Except(Table.Keys).Order().ToList();
        var extra = Table.Keys.Except(routes).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"routes without an expectation: [{string.Join(", ", missing)}]; expectations without a route: [{string.Join(", ", extra)}]");
        foreach (var (name, row) in Table)
        {
            var route = VoucherRoutes.Get(name);
            Assert.Equal(route.Method, row.Method);
            Assert.Equal(Callers.Length, row.Codes.Length);
            Assert.Equal(route.Template.Replace("{id}", "{redA}").Split('/').Length, row.Path.Split('/').Length);
        }
    }

    string TokenFor(string routeName)
    {
        var exp = DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds();
        var claims = routeName switch
        {
            "ReviewPage" or "ReviewDecide" => new LinkClaims($"application-{host.Ids["appA"]}", "review", "city-bureau:taiyuan", 1, exp),
            "BindingPage" or "BindingAnswer" => new LinkClaims($"redemption-{host.Ids["redA"]}", "bind", "institution:" + SecurityHost.InstTy, 1, exp),
            "BatchReviewPage" or "BatchReviewPost" or "BatchReviewEvidence" or "BatchReviewBulk" or "BatchReviewItem" => new LinkClaims($"settlement-{host.Ids["batchTY"]}", "batch-review", "city-bureau:taiyuan", 1, exp),
            _ => new LinkClaims($"settlement-{host.Ids["batchTY"]}/{host.Ids["redA"]}", "opinion", "expert:expert-sec-1", 1, exp),
        };
        return host.Signer.Sign(claims);
    }

    [Fact]
    public async Task Every_route_allows_and_denies_each_role_as_the_table_says()
    {
        var watch = Stopwatch.StartNew();
        host.Ids["today"] = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var failures = new List<string>();
        var checks = 0;
        foreach (var (name, row) in Table.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var path = host.Fill(row.Path);
            if (row.SignedLink)
            {
                path = path.Replace("{token}", TokenFor(name), StringComparison.Ordinal);
            }

            for (var i = 0; i < Callers.Length; i++)
            {
                var caller = Callers[i];
                if (row.EnterpriseAs is not null && caller is "entA" or "entB")
                {
                    caller = row.EnterpriseAs;
                }

                var answer = await host.SendAsync(caller, new HttpMethod(row.Method), path, row.Body?.Invoke(host));
                checks++;
                var code = row.Codes[i];
                var ok = code switch
                {
                    'A' => answer.Code is not (401 or 403) && answer.Code < 500,
                    'U' => answer.Status == HttpStatusCode.Unauthorized,
                    'F' => answer.Status == HttpStatusCode.Forbidden,
                    'H' => answer.Status == HttpStatusCode.NotFound,
                    'B' => answer.Status == HttpStatusCode.BadRequest,
                    'R' => answer.Status == HttpStatusCode.Redirect && answer.Location?.Contains("error=", StringComparison.Ordinal) == true,
                    _ => false,
                };
                if (!ok)
                {
                    failures.Add($"{name} {row.Method} /{path} as {Callers[i]}{(caller != Callers[i] ? $" ({caller})" : "")}: expected {code}, got {answer}");
                }

                if (row.SignedLink)
                {
                    // The same route with a forged token (random payload and signature) is refused with 400.
                    var forged = path[..path.IndexOf('/', StringComparison.Ordinal)] + "/" + ForgedToken() + (name == "OpinionEvidence" ? "/evidence/report" : name == "BatchReviewEvidence" ? $"/evidence/{host.Ids["redA"]}/report" : name == "BatchReviewItem" ? $"/items/{host.Ids["redA"]}" : name == "BatchReviewBulk" ? "/bulk" : "");
                    var refused = await host.SendAsync(caller, new HttpMethod(row.Method), forged, row.Body?.Invoke(host));
                    checks++;
                    if (refused.Status != HttpStatusCode.BadRequest)
                    {
                        failures.Add($"{name} with a forged token as {caller}: expected 400, got {refused}");
                    }
                }
            }
        }

        output.WriteLine($"{Table.Count} routes × {Callers.Length} callers: {checks} route×role checks (incl. forged-token checks on signed-link routes) in {watch.Elapsed.TotalSeconds:0.0} s; {failures.Count} failures");
        foreach (var f in failures)
        {
            output.WriteLine("FAIL " + f);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checks} checks failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>
    /// The ids a route's path can name (the scenario's, owned by enterprise A, the Taiyuan institution and bureaus), each with
    /// an id of the same shape that names nothing. City codes and years are not ids here: the set of cities and years is public.
    /// </summary>
    Dictionary<string, string> MissingIds() => new(StringComparer.Ordinal)
    {
        ["{appA}"] = host.Ids["appA"].Replace(host.Ids["usccA"], host.Ids["usccUnknown"], StringComparison.Ordinal),
        ["{vA}"] = host.Ids["vA"].Replace(host.Ids["usccA"], host.Ids["usccUnknown"], StringComparison.Ordinal),
        ["{redA}"] = host.Ids["redA"].Replace(host.Ids["usccA"], host.Ids["usccUnknown"], StringComparison.Ordinal),
        ["{usccA}"] = host.Ids["usccUnknown"],
        ["{batchTY}"] = Twin(host.Ids["batchTY"]),
        ["{demandA}"] = Twin(host.Ids["demandA"]),
        ["{orderA}"] = Twin(host.Ids["orderA"]),
        ["{memberTY}"] = Twin(host.Ids["memberTY"]),
        ["{memberEntA}"] = Twin(host.Ids["memberEntA"]),
        ["{claimTY}"] = Twin(host.Ids["claimTY"]),
        [SecurityHost.InstTy] = "inst-sec-xx",
        [SecurityHost.SvcTy] = "svc-sec-xx",
    };

    /// <summary>An id of the same shape that names nothing: its last letters or digits replaced.</summary>
    static string Twin(string id) =>
        id.Length < 4 ? id + "x" : id[..^3] + string.Concat(id[^3..].Select(c => char.IsDigit(c) ? (char)('0' + (c - '0' + 5) % 10) : char.IsLetter(c) ? (c == 'z' ? 'y' : 'z') : c));

    /// <summary>True when the row's body (JSON or form) changes with the scenario id <paramref name="placeholder"/> (e.g. {vA}).</summary>
    bool BodyNames(Row row, string placeholder) =>
        row.Body is not null && placeholder.StartsWith('{') && row.Body(host) is StringContent or FormUrlEncodedContent
        && row.Body(host)!.ReadAsStringAsync().Result != WithMissing(placeholder, "missing-id", () => row.Body(host))!.ReadAsStringAsync().Result;

    /// <summary>Builds a body with the scenario id of <paramref name="placeholder"/> standing for <paramref name="value"/>.</summary>
    HttpContent? WithMissing(string placeholder, string value, Func<HttpContent?> make)
    {
        if (!placeholder.StartsWith('{'))
        {
            return make();
        }

        var key = placeholder[1..^1];
        var saved = host.Ids[key];
        host.Ids[key] = value;
        try
        {
            return make();
        }
        finally
        {
            host.Ids[key] = saved;
        }
    }

    /// <summary>
    /// No existence oracle: for every route whose path or JSON/form body names an id, every caller the table refuses on the scenario's resource
    /// (someone else's, or a role refused outright) gets exactly the same answer — status, Location and body, ids aside — for
    /// an id that names nothing. A caller cannot learn which ids exist.
    /// </summary>
    [Fact]
    public async Task Every_route_with_an_id_answers_someone_elses_resource_exactly_as_a_missing_one()
    {
        host.Ids["today"] = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var missing = MissingIds();
        var failures = new List<string>();
        var checks = 0;
        var routes = 0;
        foreach (var (name, row) in Table.Where(t => !t.Value.SignedLink).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            // An id in the path, or a scenario id in a JSON or form body (multipart bodies name none).
            var named = missing.Keys.Where(k => row.Path.Contains(k, StringComparison.Ordinal) || BodyNames(row, k)).ToList();
            if (named.Count == 0)
            {
                continue;
            }

            routes++;
            foreach (var id in named)
            {
                var real = host.Fill(row.Path);
                var absent = host.Fill(row.Path.Replace(id, missing[id], StringComparison.Ordinal));
                string Neutral(string? text) => (text ?? "").Replace(host.Fill(id), "{id}", StringComparison.Ordinal).Replace(missing[id], "{id}", StringComparison.Ordinal);
                for (var i = 0; i < Callers.Length; i++)
                {
                    // Allowed callers see the resource; an owner's 'R' is its own bad input, not a refusal to see.
                    if (row.Codes[i] == 'A' || (row.Codes[i] == 'R' && i is >= 1 and <= 7))
                    {
                        continue;
                    }

                    var caller = row.EnterpriseAs is not null && Callers[i] is "entA" or "entB" ? row.EnterpriseAs : Callers[i];
                    var theirs = await host.SendAsync(caller, new HttpMethod(row.Method), real, row.Body?.Invoke(host));
                    var none = await host.SendAsync(caller, new HttpMethod(row.Method), absent, WithMissing(id, missing[id], () => row.Body?.Invoke(host)));
                    checks++;
                    if (theirs.Status != none.Status || Neutral(theirs.Location) != Neutral(none.Location) || Neutral(theirs.Body) != Neutral(none.Body))
                    {
                        failures.Add($"{name} {row.Method} as {Callers[i]} ({id}): existing /{real} → {Neutral(theirs.ToString())}{Environment.NewLine}    missing /{absent} → {Neutral(none.ToString())}");
                    }
                }
            }
        }

        output.WriteLine($"{routes} routes with an id, {checks} refused caller × id checks; {failures.Count} differ");
        foreach (var f in failures)
        {
            output.WriteLine("DIFF " + f);
        }

        Assert.True(routes >= 50, $"only {routes} routes with an id were found");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checks} answers tell an existing resource from a missing one:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    static string ForgedToken()
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)) + "." + B64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }
}
