using Voucher.Workflows.Web;

namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>
/// Violations on the real Durable engine over Azurite: the claw-back of a paid redemption that the finance bureau
/// confirms once, the three-year bar refusing a new application with its end date, a city bureau refused for another
/// city's enterprise, and a violation stopping an open (queued) redemption, whose cap reservation goes back.
/// </summary>
public sealed class ViolationWorkflowTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "yangquan";

    [Fact]
    public async Task PaidRedemption_ViolationClawsBackThePayout_FinanceConfirmsOnce_AndTheEnterpriseIsBarredThreeYears()
    {
        var paid = await Seed.QueuedAsync(City, 80_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var handlers = Get<ViolationApi>();
        var body = new { uscc = paid.Uscc, reason = "伪造检测报告套取补助 (forged test report)", redemptionIds = new[] { paid.RedemptionId } };

        // Another city's bureau is refused (404, as for an unregistered enterprise), and nothing is written.
        var foreign = await handlers.RecordAsync(Seed.Request(SettlementSeed.CityBureau("datong"), body));
        Assert.Equal(StatusCodes.Status404NotFound, SettlementSeed.StatusOf(foreign));
        Assert.Empty(await Get<EnforcementStore>().ViolationsOfAsync(paid.Uscc));

        // Bad input names its field and changes nothing.
        var bad = await handlers.RecordAsync(Seed.Request(SettlementSeed.CityBureau(City), new { uscc = paid.Uscc, reason = "", redemptionIds = new[] { "nope" } }));
        Assert.Equal(StatusCodes.Status400BadRequest, SettlementSeed.StatusOf(bad));
        Assert.Empty(await Get<EnforcementStore>().ViolationsOfAsync(paid.Uscc));

        var recorded = await handlers.RecordAsync(Seed.Request(SettlementSeed.CityBureau(City), body));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(recorded));
        var violation = Assert.Single(await Get<EnforcementStore>().ViolationsInCityAsync(City), v => v.Uscc == paid.Uscc);
        var today = SettlementSeed.Today;
        Assert.Equal(ViolationRules.BarEnd(today).ToString("yyyy-MM-dd"), violation.BarredUntil);
        Assert.Equal(today, ChinaTime.DateOf(violation.DecidedOn.UtcDateTime));
        Assert.Equal(Addresses.CityBureau(City), violation.DecidedBy);
        Assert.Equal(6_500_000, violation.ClawBackFen);

        var claw = Assert.Single(await Get<EnforcementStore>().ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
        Assert.Equal((paid.RedemptionId, 6_500_000L, "paid", ClawBackStatus.Due), (claw.RedemptionId, claw.AmountFen, claw.Kind, claw.Status));

        // Applying while barred: refused at once, naming the end date; no application row is made.
        var apply = await Get<ApplicationApi>().SubmitAsync(Seed.Request(new VoucherPrincipal("e", "e", Role.Enterprise, paid.Uscc), new { uscc = paid.Uscc }));
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, SettlementSeed.StatusOf(apply));
        var problem = await BodyOfAsync(apply);
        Assert.Contains(violation.BarredUntil, problem, StringComparison.Ordinal);
        Assert.Empty(await Get<ApplicationStore>().ForEnterpriseAsync(paid.Uscc));
        Assert.Equal(ViolationRules.BarEnd(today), await Get<EnforcementStore>().BarredUntilAsync(paid.Uscc, today));
        Assert.Null(await Get<EnforcementStore>().BarredUntilAsync(paid.Uscc, ViolationRules.BarEnd(today).AddDays(1)));

        // The finance bureau confirms the recovery once; another city's finance bureau may not.
        var route = new[] { ("city", City), ("id", claw.ClawBackId) };
        var api = Get<EnforcementApi>();
        Assert.Equal(StatusCodes.Status403Forbidden, SettlementSeed.StatusOf(await api.ConfirmClawBackAsync(Seed.Request(SettlementSeed.FinanceBureau("datong"), new { reference = "X" }, route))));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await api.ConfirmClawBackAsync(Seed.Request(SettlementSeed.FinanceBureau(City), new { reference = "ZH-2026-001" }, route))));
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(await api.ConfirmClawBackAsync(Seed.Request(SettlementSeed.FinanceBureau(City), new { reference = "ZH-2026-002" }, route))));
        claw = (await Get<EnforcementStore>().GetClawBackAsync(City, claw.ClawBackId))!;
        Assert.Equal((ClawBackStatus.Confirmed, "ZH-2026-001"), (claw.Status, claw.Reference));

        var credit = await Get<EnforcementStore>().CreditAsync(paid.Uscc);
        Assert.Equal(["clawback-confirmed", "violation"], credit.Select(c => c.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OpenRedemption_ViolationStopsIt_ReleasesTheReservation_AndTheOrchestrationEnds()
    {
        var open = await Seed.QueuedAsync(City, 30_000m, DateTimeOffset.UtcNow.AddMinutes(-3));
        Assert.Equal(3_000_000, (await Seed.LedgerAsync(open))!.ReservedFen);
        Assert.Contains(await Seed.QueueAsync(City), q => q.RedemptionId == open.RedemptionId);

        var recorded = await Get<ViolationApi>().RecordAsync(Seed.Request(new VoucherPrincipal("p", "省中心", Role.Province, null),
            new { uscc = open.Uscc, reason = "虚构服务合同 (fictitious contract)" }));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(recorded));
        Assert.Contains(open.RedemptionId, await BodyOfAsync(recorded), StringComparison.Ordinal);

        var done = await Seed.WaitForCompletionAsync(open.InstanceId);
        Assert.Equal("\"Stopped\"", done.SerializedOutput);
        var row = await Seed.RedemptionAsync(open.RedemptionId);
        Assert.Equal(RedemptionStatus.Stopped, row.State);
        Assert.StartsWith("V", row.StoppedByViolation, StringComparison.Ordinal);
        Assert.Equal(0, (await Seed.LedgerAsync(open))!.ReservedFen);
        Assert.DoesNotContain(await Seed.QueueAsync(City), q => q.RedemptionId == open.RedemptionId);
        Assert.DoesNotContain(await Get<EnforcementStore>().ClawBacksAsync(City), c => c.Uscc == open.Uscc);

        // A late duplicate of the stop, and a withdrawal after it, change nothing.
        await Get<RedemptionEvents>().RaiseAsync(open.RedemptionId, new RedemptionEvent(RedemptionEvent.Withdraw, 0, true, null, "late"), Seed.Client, CancellationToken.None);
        Assert.Equal(RedemptionStatus.Stopped, (await Seed.RedemptionAsync(open.RedemptionId)).State);
    }

    [Fact]
    public async Task SameViolationTwice_IsOneViolationAndOneClawBack_AnotherViolationOfTheEnterpriseIsASecond()
    {
        var paid = await Seed.QueuedAsync(City, 50_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var handlers = Get<ViolationApi>();
        var store = Get<EnforcementStore>();
        var bureau = SettlementSeed.CityBureau(City);
        var body = new { uscc = paid.Uscc, reason = "伪造发票套取补助 (forged invoice)", decidedOn = SettlementSeed.Today.ToString("yyyy-MM-dd"), redemptionIds = new[] { paid.RedemptionId } };

        // A retried request (or a double click): the second answers 200 with the same violation, and adds nothing.
        var first = await handlers.RecordAsync(Seed.Request(bureau, body));
        var again = await handlers.RecordAsync(Seed.Request(bureau, body with { reason = "  伪造发票套取补助   (forged invoice) " }));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(first));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(again));
        var violation = Assert.Single(await store.ViolationsOfAsync(paid.Uscc));
        Assert.Contains(violation.RowKey, await BodyOfAsync(again), StringComparison.Ordinal);
        Assert.Single(await store.ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
        Assert.Equal(["violation"], (await store.CreditAsync(paid.Uscc)).Select(c => c.Kind));

        // The page form sent again with the same facts is that violation too: no confirmation asked, its page says so.
        var form = new Dictionary<string, string> { ["uscc"] = paid.Uscc, ["decidedOn"] = body.decidedOn, ["reason"] = body.reason, ["redemptionIds"] = paid.RedemptionId };
        var page = await Get<ViolationPages>().RecordViolationFormAsync(Seed.FormRequest(bureau, form));
        var back = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(page).Url;
        Assert.StartsWith($"/portal/violations/{City}/{violation.RowKey}?error=", back, StringComparison.Ordinal);
        Assert.Contains("未重复记录", Uri.UnescapeDataString(back), StringComparison.Ordinal);
        Assert.Single(await store.ViolationsOfAsync(paid.Uscc));
        Assert.Single(await store.ClawBacksAsync(City), c => c.Uscc == paid.Uscc);

        // Other facts against the same enterprise are another violation.
        var other = await handlers.RecordAsync(Seed.Request(bureau, new { uscc = paid.Uscc, reason = "虚报设备共享时长 (inflated hours)", decidedOn = body.decidedOn }));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(other));
        Assert.Equal(2, (await store.ViolationsOfAsync(paid.Uscc)).Count);
        Assert.Single(await store.ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
    }

    [Fact]
    public async Task IdempotencyKey_RepeatIsTheSameViolation_ReusedForOtherFactsIsAConflict_BadKeyIsRefused()
    {
        var paid = await Seed.QueuedAsync(City, 40_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var handlers = Get<ViolationApi>();
        var store = Get<EnforcementStore>();
        var province = new VoucherPrincipal("p", "省中心", Role.Province, null);
        RequestContext Keyed(object json, string key)
        {
            var ctx = Seed.Request(province, json);
            ctx.Request.Headers["Idempotency-Key"] = key;
            return ctx;
        }

        var body = new { uscc = paid.Uscc, reason = "重复申报同一服务 (claimed twice)", redemptionIds = new[] { paid.RedemptionId } };
        var bad = await handlers.RecordAsync(Keyed(body, new string('k', 101)));
        Assert.Equal(StatusCodes.Status400BadRequest, SettlementSeed.StatusOf(bad));
        Assert.Contains("Idempotency-Key", await BodyOfAsync(bad), StringComparison.Ordinal);
        Assert.Empty(await store.ViolationsOfAsync(paid.Uscc));

        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(await handlers.RecordAsync(Keyed(body, "req-0001"))));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await handlers.RecordAsync(Keyed(body, "req-0001"))));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await handlers.RecordAsync(Seed.Request(province, new { body.uscc, body.reason, body.redemptionIds, requestId = "req-0001" }))));
        var conflict = await handlers.RecordAsync(Keyed(new { uscc = paid.Uscc, reason = "另一事实 (other facts)" }, "req-0001"));
        Assert.Equal(StatusCodes.Status409Conflict, SettlementSeed.StatusOf(conflict));
        var violation = Assert.Single(await store.ViolationsOfAsync(paid.Uscc));
        Assert.StartsWith("VK-", violation.RowKey, StringComparison.Ordinal);
        Assert.Single(await store.ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
    }

    /// <summary>The JSON a handler's result would write (its value: the response object or the problem details).</summary>
    public static Task<string> BodyOfAsync(IResult result) =>
        Task.FromResult(result is IValueHttpResult { Value: { } value } ? JsonSerializer.Serialize(value, Voucher.Workflows.Http.JsonBody.Response) : "");

    [Fact]
    public async Task Portal_ViolationAndClawBack_AskForConfirmationNamingEnterpriseAndAmount_ThenAct_AndTheEnterpriseIsToldWithPortalLinks()
    {
        var paid = await Seed.QueuedAsync(City, 80_000m, DateTimeOffset.UtcNow.AddDays(-40), startOrchestration: false, status: RedemptionStatus.Paid, enqueue: false);
        var name = (await Get<VoucherStore>().GetAsync<Voucher.Workflows.Enterprises.EnterpriseEntity>(VoucherStore.Enterprises, paid.Uscc, Voucher.Workflows.Enterprises.EnterpriseEntity.ProfileRow))!.Name;
        var bureau = SettlementSeed.CityBureau(City);
        var pages = Get<ViolationPages>();
        var form = new Dictionary<string, string> { ["uscc"] = paid.Uscc, ["decidedOn"] = SettlementSeed.Today.ToString("yyyy-MM-dd"), ["reason"] = "虚构检测服务", ["redemptionIds"] = paid.RedemptionId };

        // The first post only asks: the enterprise, 6.5万元 clawed back, the bar's last day; nothing is recorded.
        var ask = await pages.RecordViolationFormAsync(Seed.FormRequest(bureau, form));
        Assert.Equal(typeof(ConfirmPage), Assert.IsType<PageResult>(ask).Component);
        var question = System.Net.WebUtility.HtmlDecode(await PageHtml.RenderAsync(ask, Fixture.Services));
        Assert.Contains($"确认对 {name} 记录违规？", question, StringComparison.Ordinal);
        Assert.Contains("6.5万元", question, StringComparison.Ordinal);
        Assert.Contains(Glossary.DateInSentence(ViolationRules.BarEnd(SettlementSeed.Today)), question, StringComparison.Ordinal);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", question, StringComparison.Ordinal);
        Assert.Empty(await Get<EnforcementStore>().ViolationsOfAsync(paid.Uscc));

        // The confirming post records it and opens the violation's page.
        var done = await pages.RecordViolationFormAsync(Seed.FormRequest(bureau, new Dictionary<string, string>(form) { [ConfirmModel.ConfirmedField] = "yes" }));
        var violation = Assert.Single(await Get<EnforcementStore>().ViolationsInCityAsync(City), v => v.Uscc == paid.Uscc);
        Assert.StartsWith($"/portal/violations/{City}/{violation.ViolationId}?done=", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(done).Url, StringComparison.Ordinal);
        var detail = await PageHtml.RenderAsync(await pages.ViolationAsync(Seed.Request(bureau, null, ("city", City), ("id", violation.ViolationId))), Fixture.Services);
        Assert.Contains(Glossary.Of(ClawBackStatus.Due), detail, StringComparison.Ordinal);
        Assert.Contains("¥65,000.00", detail, StringComparison.Ordinal);

        // The finance bureau's confirmation asks first too, naming the enterprise and the amount.
        var claw = Assert.Single(await Get<EnforcementStore>().ClawBacksAsync(City), c => c.Uscc == paid.Uscc);
        var finance = SettlementSeed.FinanceBureau(City);
        var route = new[] { ("city", City), ("id", claw.ClawBackId) };
        var confirm = await Get<ClawBackPages>().ConfirmClawBackFormAsync(Seed.FormRequest(finance, new Dictionary<string, string> { ["reference"] = "ZH-PORTAL-1" }, route));
        var confirmHtml = System.Net.WebUtility.HtmlDecode(await PageHtml.RenderAsync(confirm, Fixture.Services));
        Assert.Contains($"确认已向 {name} 追回 6.5万元？", confirmHtml, StringComparison.Ordinal);
        Assert.Equal(ClawBackStatus.Due, (await Get<EnforcementStore>().GetClawBackAsync(City, claw.ClawBackId))!.Status);
        var confirmed = await Get<ClawBackPages>().ConfirmClawBackFormAsync(Seed.FormRequest(finance, new Dictionary<string, string> { ["reference"] = "ZH-PORTAL-1", [ConfirmModel.ConfirmedField] = "yes" }, route));
        Assert.Contains("done=", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(confirmed).Url, StringComparison.Ordinal);
        Assert.Equal(ClawBackStatus.Confirmed, (await Get<EnforcementStore>().GetClawBackAsync(City, claw.ClawBackId))!.Status);
        var list = await PageHtml.RenderAsync(await Get<ClawBackPages>().ClawBacksAsync(Seed.Request(finance, null)), Fixture.Services);
        Assert.Contains("ZH-PORTAL-1", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Due", list, StringComparison.Ordinal);

        // The enterprise was told of the decision, the claw-back and its recovery: once each, in Chinese, linking to portal pages.
        var inbox = await Seed.InboxAsync(Addresses.Enterprise(paid.Uscc));
        var told = new[] { $"violation-{violation.ViolationId}-ent", $"clawback-{claw.ClawBackId}-ent", $"clawback-{claw.ClawBackId}-confirmed-ent" };
        foreach (var id in told)
        {
            var message = Assert.Single(inbox, n => n.NotificationId == id);
            var link = Assert.Single(message.ToNotification().Links);
            Assert.EndsWith("/portal/credit", link.Url, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(?i)\b(the|to|of|is|be|claw|recover|confirm)\b", message.Subject + message.Body);
        }
    }
}
