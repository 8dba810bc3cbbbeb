using System.Net;
using Voucher.Domain;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Storage;

namespace Voucher.Browser.Tests;

/// <summary>
/// A local host (over its own in-memory Azurite) with the demo seed and one piece of every kind of work in Taiyuan,
/// arranged through the public API so every page has something real to show:
/// <list type="bullet">
/// <item>enterprise P: voucher, redemption at inst-sxu bound, batched, approved with an expert asked (expert-001 of the demo pool) and
///   published; publicity lasts one minute, so it becomes payable for the finance bureau shortly after start;</item>
/// <item>enterprise A: voucher and a redemption at inst-sxu with its evidence, waiting for the institution's binding;</item>
/// <item>enterprise B: an application waiting for the bureau's review;</item>
/// <item>enterprise O: an application whose (escalated) review deadline passed three working days ago — written
///   straight to storage, because ten working days cannot pass in a test.</item>
/// </list>
/// Evidence files are limited to 1 MB here so the oversize case of the upload page is cheap to test.
/// </summary>
public sealed class PortalScenarioFixture : LocalSite
{
    public const int MaxEvidenceBytes = 1_048_576;
    public const string InstitutionId = "inst-sxu";
    public const string ServiceId = "svc-icp-ms";
    public const string ExpertId = "expert-001";
    public const string AgencyId = "agency-jinke";
    public const string OverdueName = "太原逾期待审示例有限公司";

    public PortalScenarioFixture()
        : base(new LocalSiteSettings
        {
            TaskHubPrefix = "portal", SettleNow = true, OnlyTestsSettle = true, SeedDemoData = true, MaxEvidenceBytes = MaxEvidenceBytes,
        })
    {
    }

    public string PaidUscc { get; private set; } = "";

    public string PayableRedemptionId { get; private set; } = "";

    public string BindingUscc { get; private set; } = "";

    public string BindingRedemptionId { get; private set; } = "";

    public string ReviewUscc { get; private set; } = "";

    public string ReviewApplicationId { get; private set; } = "";

    public string OverdueApplicationId { get; private set; } = "";

    public string BatchId { get; private set; } = "";

    /// <inheritdoc />
    protected override async Task SeedAsync()
    {
        using var bureau = await SignInAsync("city-bureau", "taiyuan", "太原市科技局审核员");
        using var institution = await SignInAsync("institution", InstitutionId, "山西大学分析测试中心");

        // P, A and B in parallel: they touch different enterprises.
        var paid = ArrangeRedemptionAsync(bureau, "太原汾水精密检测科技有限公司", "SXU-ICP-2026-0501");
        var binding = ArrangeRedemptionAsync(bureau, "太原龙城新能源材料有限公司", "SXU-ICP-2026-0502");
        var review = Arrange.ApplicationAsync(this, "太原迎泽生物科技有限公司");
        await Task.WhenAll(paid, binding, review);
        (PaidUscc, PayableRedemptionId) = await paid;
        (BindingUscc, BindingRedemptionId) = await binding;
        (ReviewUscc, ReviewApplicationId, _) = await review;

        // P: the institution confirms through the API, the bureau forms the batch, asks an expert, approves, submits.
        var (bound, boundBody) = await institution.PostJsonAsync($"api/redemptions/{PayableRedemptionId}/binding", new { round = 1, confirm = true });
        Assert.True(bound == HttpStatusCode.Accepted || bound == HttpStatusCode.OK, $"binding answered {(int)bound}: {boundBody}");
        using (var p = await SignInAsync("enterprise", PaidUscc, "企业经办人"))
        {
            await p.WaitForStatusAsync($"api/redemptions/{PayableRedemptionId}", "Queued", Arrange.FlowTimeout);
        }

        await QueueStep.WaitForItsTailAsync(Store, PayableRedemptionId, Arrange.FlowTimeout);
        BatchId = await bureau.StartSettlementAsync("taiyuan");
        var batchLink = await bureau.WaitForMailboxLinkAsync($"batch-review-{BatchId}", Arrange.FlowTimeout);
        var (submitted, submittedBody) = await bureau.PostFormAsync(batchLink, new Dictionary<string, string>
        {
            ["id_0"] = PayableRedemptionId, ["decision_0"] = "approve", ["reason_0"] = "", ["expert_0"] = ExpertId, ["override_0"] = "on", ["action"] = "submit", ["confirmed"] = "yes",
        });
        Assert.True(submitted == HttpStatusCode.OK && submittedBody.Contains("已提交", StringComparison.Ordinal), $"batch submit answered {(int)submitted}: {submittedBody}");

        // O: an application that has been waiting too long (see the class summary).
        OverdueApplicationId = await ArrangeOverdueApplicationAsync(Store);

        // E: the province publishes last year's evaluation (its public page is then linked from the province's work
        // page), and the first demo enterprise accepts the demo offer (a service order its market page links to).
        using (var province = await SignInAsync("province", "", "省中心督查员"))
        {
            var (published, publishedBody) = await province.PostFormAsync($"supervision/evaluations/{DateTime.UtcNow.Year - 1}", new Dictionary<string, string> { ["action"] = "publish" });
            Assert.True(published is HttpStatusCode.Redirect or HttpStatusCode.OK, $"evaluation publish answered {(int)published}: {publishedBody[..Math.Min(400, publishedBody.Length)]}");
        }

        using (var demoEnterprise = await SignInAsync("enterprise", FirstDemoEnterpriseUscc, "演示企业经办人"))
        {
            var demands = await demoEnterprise.GetJsonAsync("api/demands");
            var demandId = demands[0].GetProperty("demandId").GetString();
            var (accepted, acceptedBody) = await demoEnterprise.PostJsonAsync($"api/demands/{demandId}/offers/inst-tyut/accept", new { contractNumber = "DEMO-SO-2026-01" });
            Assert.True(accepted is HttpStatusCode.Created or HttpStatusCode.OK, $"accepting the demo offer answered {(int)accepted}: {acceptedBody}");
        }

    }

    /// <summary>An enterprise with a voucher (approved through the review link) and a redemption at inst-sxu with its three files.</summary>
    public async Task<(string Uscc, string RedemptionId)> ArrangeRedemptionAsync(SiteClient bureau, string name, string contract, string institutionId = InstitutionId, string serviceId = ServiceId)
    {
        var (uscc, applicationId, enterprise) = await Arrange.ApplicationAsync(this, name);
        using (enterprise)
        {
            var voucherId = await Arrange.VoucherAsync(bureau, enterprise, applicationId);
            var (created, createdBody) = await enterprise.PostJsonAsync("api/redemptions", new { voucherId, institutionId, serviceId, contractNumber = contract, amountPaid = 80_000m });
            Assert.True(created == HttpStatusCode.Accepted, $"POST /api/redemptions answered {(int)created}: {createdBody}");
            var redemptionId = SiteClient.Json(createdBody).GetProperty("redemptionId").GetString()!;
            foreach (var kind in new[] { "report", "contract", "payment" })
            {
                var (uploaded, uploadBody) = await enterprise.PostFileAsync($"api/redemptions/{redemptionId}/evidence/{kind}", TestFiles.Pdf(kind), $"{kind}.pdf", "application/pdf");
                Assert.True(uploaded == HttpStatusCode.Created, $"upload of {kind} answered {(int)uploaded}: {uploadBody}");
            }

            await Eventually.UntilAsync(
                () => enterprise.GetJsonAsync($"api/redemptions/{redemptionId}"),
                view => view.GetProperty("evidenceComplete").GetBoolean() && view.GetProperty("status").GetString() == "AwaitingBinding",
                Arrange.FlowTimeout,
                $"{redemptionId} has its evidence and waits for binding");
            return (uscc, redemptionId);
        }
    }

    private static async Task<string> ArrangeOverdueApplicationAsync(VoucherStore store)
    {
        var calendar = WorkingCalendar.Embedded;
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var deadline = today;
        for (var back = 0; back < 3;)
        {
            deadline = deadline.AddDays(-1);
            if (calendar.IsWorkingDay(deadline))
            {
                back++;
            }
        }

        var uscc = TestUscc.New();
        var id = ApplicationStore.NewId(uscc, today.Year, 1);
        var submitted = DateTimeOffset.UtcNow.AddDays(-30);
        await new ApplicationStore(store).TryCreateAsync(new ApplicationEntity
        {
            PartitionKey = uscc, RowKey = id, EnterpriseName = OverdueName, CityCode = "taiyuan", Status = ApplicationStatus.Escalated,
            RequestedFaceValueFen = 5_000_000, Round = 2, SubmittedAt = submitted, NotifiedAt = submitted, EscalatedAt = submitted.AddDays(15),
            DeadlineDate = deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), PolicyVersion = 2,
        });
        return id;
    }
}
