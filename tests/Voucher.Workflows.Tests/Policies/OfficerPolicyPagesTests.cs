using Voucher.Workflows.Settlement.Risk;

namespace Voucher.Workflows.Tests.Policies;

/// <summary>
/// The policy officers change in the portal, over Azurite through the page handlers: the province centre's risk rules
/// and thresholds (a refused value comes back by its field with what was typed, a confirmation names each change, the
/// confirmed post publishes the next province version with the new rules, audited), and a city bureau's objection
/// contacts (validated by field, its own city only, a confirmation, a new city version named by the bureau, audited).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OfficerPolicyPagesTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    static readonly VoucherPrincipal Province = new("dev:province:p1", "王芳", Role.Province, null);

    static readonly VoucherPrincipal TaiyuanBureau = new("dev:bureau:t1", "李强", Role.CityBureau, "taiyuan");

    [Fact]
    public async Task Province_changes_risk_thresholds_refused_by_field_then_confirmed_then_published_and_audited()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("rp")[..13], new FakeTimeProvider(Now));
        var pages = sp.GetRequiredService<ProvinceRiskPolicyPages>();
        var policies = sp.GetRequiredService<PolicyService>();
        var fields = new Dictionary<string, string>
        {
            ["expectedVersion"] = "1", ["repeatedFaceValueCount"] = "2", ["repeatedFaceValueDays"] = "365", ["burstCount"] = "20", ["burstDays"] = "7",
            ["violationYears"] = "3", ["reason"] = "收紧机构集中兑付阈值",
        };
        var rules = RiskRules.All.Where(r => r != RiskRule.RepeatedFaceValue).Select(RiskRules.Code).ToList();

        // The page: the version in force, who set it, each rule ticked, each threshold.
        var page = await PageHtml.RenderAsync(await pages.PageAsync(Get(Province)), sp);
        Assert.Contains("全省政策第1版", page, StringComparison.Ordinal);
        Assert.Contains("系统初始设置", page, StringComparison.Ordinal);
        Assert.Contains("id=\"burstCount\" name=\"burstCount\" value=\"30\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"repeated-face-value\" checked", page, StringComparison.Ordinal);

        // Out of range and not a number: the page again by the fields, 400, what was typed kept, nothing published.
        var refused = await pages.PublishAsync(Post(Province, new Dictionary<string, string>(fields) { ["burstCount"] = "1", ["violationYears"] = "三" }, rules));
        Assert.Equal(StatusCodes.Status400BadRequest, ((IStatusCodeHttpResult)refused).StatusCode);
        var refusedHtml = await PageHtml.RenderAsync(refused, sp);
        Assert.Contains("<a href=\"#violationYears\">请填写整数</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"violationYears\" name=\"violationYears\" value=\"三\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(1, (await policies.ProvinceHistoryAsync(Province, default)).Value.Current.Version);

        var outOfRange = await PageHtml.RenderAsync(await pages.PublishAsync(Post(Province, new Dictionary<string, string>(fields) { ["burstCount"] = "1" }, rules)), sp);
        Assert.Contains("<a href=\"#burstCount\">机构短期兑付集中的笔数阈值必须在 2 至 100000 之间</a>", outOfRange, StringComparison.Ordinal);
        Assert.Contains("id=\"burstCount\" name=\"burstCount\" value=\"1\"", outOfRange, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"repeated-face-value\" checked", outOfRange, StringComparison.Ordinal);

        // No reason: refused by the reason field.
        var noReason = await PageHtml.RenderAsync(await pages.PublishAsync(Post(Province, new Dictionary<string, string>(fields) { ["reason"] = "" }, rules)), sp);
        Assert.Contains("<a href=\"#reason\">", noReason, StringComparison.Ordinal);

        // The confirmation names the version and each change; nothing published yet.
        var confirm = await PageHtml.RenderAsync(await pages.PublishAsync(Post(Province, fields, rules)), sp);
        Assert.Contains("全省政策第2版（现行为第1版）", confirm, StringComparison.Ordinal);
        Assert.Contains("停用“", confirm, StringComparison.Ordinal);
        Assert.Contains("机构短期兑付集中：笔数达到（笔）：30 → 20", confirm, StringComparison.Ordinal);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", confirm, StringComparison.Ordinal);
        Assert.Equal(1, (await policies.ProvinceHistoryAsync(Province, default)).Value.Current.Version);

        // Confirmed: the next province version carries the rules (the rest of the policy unchanged), audited.
        var done = Assert.IsType<RedirectHttpResult>(await pages.PublishAsync(Post(Province, new Dictionary<string, string>(fields) { ["confirmed"] = "yes" }, rules)));
        Assert.Contains("全省政策第2版", Uri.UnescapeDataString(done.Url), StringComparison.Ordinal);
        var current = (await policies.ProvinceHistoryAsync(Province, default)).Value.Current;
        Assert.Equal((2, 20, false, true), (current.Version, current.Risk.BurstCount, current.Risk.IsOn(RiskRule.RepeatedFaceValue), current.Risk.IsOn(RiskRule.SharedEvidence)));
        Assert.Equal(ProvincePolicy.Default(Now).AnnualCap, current.AnnualCap);
        var entry = Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Policy(AuditSubjects.ProvincePolicy)));
        Assert.Equal(("v1", "v2", Province.Actor), (entry.FromState, entry.ToState, entry.Actor));
        Assert.Contains("收紧机构集中兑付阈值", entry.Detail, StringComparison.Ordinal);

        // A second post of the same confirmed form (a double click): refused as changed meanwhile, nothing more published.
        var twice = await pages.PublishAsync(Post(Province, new Dictionary<string, string>(fields) { ["confirmed"] = "yes" }, rules));
        Assert.Equal(StatusCodes.Status400BadRequest, ((IStatusCodeHttpResult)twice).StatusCode);
        Assert.Equal(2, (await policies.ProvinceHistoryAsync(Province, default)).Value.Current.Version);

        // The page shows the new version with its publisher by name and unit.
        var after = await PageHtml.RenderAsync(await pages.PageAsync(Get(Province)), sp);
        Assert.Contains("王芳 · 省科技厅", after, StringComparison.Ordinal);
        Assert.DoesNotContain("dev:province", after, StringComparison.Ordinal);

        // Only the province centre publishes: a city bureau posting the form is refused.
        Assert.Equal(StatusCodes.Status403Forbidden, ((IStatusCodeHttpResult)await pages.PublishAsync(Post(TaiyuanBureau, new Dictionary<string, string>(fields) { ["expectedVersion"] = "2" }, rules))).StatusCode);
    }

    [Fact]
    public async Task A_city_bureau_changes_its_objection_contacts_validated_confirmed_versioned_and_audited()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("cc")[..13], new FakeTimeProvider(Now));
        var pages = sp.GetRequiredService<CityContactsPages>();
        var policies = sp.GetRequiredService<PolicyService>();
        var fields = new Dictionary<string, string>
        {
            ["expectedVersion"] = "1", ["objectionUnit"] = "太原市科技局成果转化科", ["objectionPhone"] = "0351-4040123", ["objectionAddress"] = "太原市府西街 69 号",
            ["objectionEmail"] = "gs@kjj.taiyuan.gov.cn", ["reason"] = "受理窗口调整",
        };

        // The page shows the city's defaults in the form.
        var page = await PageHtml.RenderAsync(await pages.PageAsync(Get(TaiyuanBureau)), sp);
        Assert.Contains("id=\"objectionPhone\" name=\"objectionPhone\" value=\"0351-12345\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"objectionUnit\" name=\"objectionUnit\" value=\"太原市科技局\"", page, StringComparison.Ordinal);

        // Bad phone and e-mail: by the fields, 400, what was typed kept, nothing published.
        var refused = await pages.PublishContactsAsync(Post(TaiyuanBureau, new Dictionary<string, string>(fields) { ["objectionPhone"] = "电话", ["objectionEmail"] = "kjj@localhost" }));
        Assert.Equal(StatusCodes.Status400BadRequest, ((IStatusCodeHttpResult)refused).StatusCode);
        var refusedHtml = await PageHtml.RenderAsync(refused, sp);
        Assert.Contains("<a href=\"#objectionPhone\">受理电话须为 5 到 40 位的电话号码</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#objectionEmail\">受理邮箱格式不正确</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"objectionEmail\" name=\"objectionEmail\" value=\"kjj@localhost\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"objectionAddress\" name=\"objectionAddress\" value=\"太原市府西街 69 号\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(1, (await policies.CityHistoryAsync(Province, "taiyuan", default)).Value.Current.Version);

        // The confirmation names each contact that changes.
        var confirm = await PageHtml.RenderAsync(await pages.PublishContactsAsync(Post(TaiyuanBureau, fields)), sp);
        Assert.Contains("第2版（现行为第1版）", confirm, StringComparison.Ordinal);
        Assert.Contains("联系电话：0351-12345 → 0351-4040123", confirm, StringComparison.Ordinal);
        Assert.Contains("受理单位：太原市科技局 → 太原市科技局成果转化科", confirm, StringComparison.Ordinal);

        // Confirmed: the city's next version has the contacts and nothing else changed; named by the bureau; audited.
        var done = Assert.IsType<RedirectHttpResult>(await pages.PublishContactsAsync(Post(TaiyuanBureau, new Dictionary<string, string>(fields) { ["confirmed"] = "yes" })));
        Assert.Contains("第2版", Uri.UnescapeDataString(done.Url), StringComparison.Ordinal);
        var history = (await policies.CityHistoryAsync(Province, "taiyuan", default)).Value;
        var (v1, v2) = (history.Versions.Single(v => v.Version == 1), history.Current);
        Assert.Equal(new NoticeContacts("太原市科技局成果转化科", "0351-4040123", "太原市府西街 69 号", "gs@kjj.taiyuan.gov.cn"), v2.Contacts);
        Assert.Equal(NoticeContacts.DefaultFor("taiyuan"), v1.Contacts);
        Assert.Equal((v1.Cadence, v1.PublicityWorkingDays, v1.ExcessRatio, v1.AnnualCap), (v2.Cadence, v2.PublicityWorkingDays, v2.ExcessRatio, v2.AnnualCap));
        Assert.Equal("李强 · 太原市科技局", Publishers.Name(v2.ChangedBy, Role.Province));
        var entry = Assert.Single(await sp.GetRequiredService<AuditLog>().ReadAsync(AuditSubjects.Policy("taiyuan")));
        Assert.Equal(("v1", "v2", TaiyuanBureau.Actor), (entry.FromState, entry.ToState, entry.Actor));
        var after = await PageHtml.RenderAsync(await pages.PageAsync(Get(TaiyuanBureau)), sp);
        Assert.Contains("李强 · 太原市科技局", after, StringComparison.Ordinal);
        Assert.Contains("太原市科技局成果转化科 · 电话 0351-4040123", after, StringComparison.Ordinal);

        // Another city's bureau cannot publish Taiyuan's contacts through the service, and its own page edits its own city.
        var datong = new VoucherPrincipal("dev:bureau:d1", "赵敏", Role.CityBureau, "datong");
        Assert.IsType<Failure.Forbidden>((await policies.PublishObjectionContactsAsync(datong, "taiyuan", new ObjectionContactsChange(2, null, "0352-1234567", null, null, "越权"), default)).Failure);
        Assert.Contains("0352-12345", await PageHtml.RenderAsync(await pages.PageAsync(Get(datong)), sp), StringComparison.Ordinal);
    }

    static RequestContext Get(VoucherPrincipal principal) =>
        new(new DefaultHttpContext(), new RouteValueDictionary(), principal, null!);

    static RequestContext Post(VoucherPrincipal principal, Dictionary<string, string> form, IReadOnlyList<string>? rules = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.ContentType = "application/x-www-form-urlencoded";
        var values = form.ToDictionary(kv => kv.Key, kv => new Microsoft.Extensions.Primitives.StringValues(kv.Value));
        if (rules is not null)
        {
            values["rules"] = new Microsoft.Extensions.Primitives.StringValues([.. rules]);
        }

        http.Request.Form = new FormCollection(values);
        return new RequestContext(http, new RouteValueDictionary(), principal, null!);
    }
}
