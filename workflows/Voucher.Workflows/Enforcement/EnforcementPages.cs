using System.Text;
using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// Pages of supervision: recording violations (province, city bureau) with evidence files; the finance bureau's
/// claw-backs; the enterprise's credit history; the province's expert pool; the expert's opinion requests.
/// Errors are shown next to their fields with the typed values kept (files must be chosen again).
/// </summary>
public sealed class EnforcementPages(
    EnforcementStore enforcement,
    EnforcementHandlers handlers,
    ViolationService violations,
    VoucherStore store,
    SettlementStore settlements,
    BatchLinks batchLinks)
{
    sealed record ViolationForm(string Uscc, string DecidedOn, string Reason, string RedemptionIds);

    public Task<IResult> ViolationsAsync(RequestContext ctx) =>
        ViolationsPageAsync(ctx, new ViolationForm("", violations.Today.ToString("yyyy-MM-dd"), "", ""), [], null, StatusCodes.Status200OK);

    public async Task<IResult> RecordViolationFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new ViolationForm(form["uscc"].ToString().Trim(), form["decidedOn"].ToString().Trim(), form["reason"].ToString(), form["redemptionIds"].ToString());
        var (_, problem) = await handlers.EnterpriseForAsync(p, typed.Uscc, ctx.Aborted);
        if (problem is IStatusCodeHttpResult { StatusCode: StatusCodes.Status403Forbidden })
        {
            return Pages.Forbidden(p, "市科技局只能处理本市企业的违规 (A city bureau records violations of its own city's enterprises only)");
        }

        var ids = typed.RedemptionIds.Split([',', '，', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (errors, plan) = await violations.CheckAsync(new ViolationRequest(typed.Uscc, typed.Reason, typed.DecidedOn, ids), ctx.Aborted);
        var files = form.Files.GetFiles("files").Where(f => f.Length > 0).ToList();
        if (files.Count > ViolationService.MaxEvidenceFiles)
        {
            errors.Add(new FieldError("files", $"最多 {ViolationService.MaxEvidenceFiles} 个文件 (At most {ViolationService.MaxEvidenceFiles} files)"));
        }

        // Files are judged (type by content, size) before anything is recorded, so a bad file changes nothing.
        foreach (var file in files)
        {
            await using var s = file.OpenReadStream();
            var head = new byte[EvidenceRules.SniffLength];
            var read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ctx.Aborted);
            if (EvidenceRules.Validate(file.Length, head.AsSpan(0, read), violations.MaxEvidenceBytes) is { } fileError)
            {
                errors.Add(new FieldError("files", $"{file.FileName}：{fileError}"));
            }
        }

        if (errors.Count > 0)
        {
            return await ViolationsPageAsync(ctx, typed, errors, null, StatusCodes.Status400BadRequest);
        }

        // The same facts again (a double submit, a resent form) are the violation already recorded: nothing is added
        // twice, and a file already among its evidence (same SHA-256) is not stored again.
        var id = ViolationService.IdFor(plan!, null);
        var repeat = await enforcement.GetViolationAsync(plan!.Enterprise.CityCode, id, ctx.Aborted) is not null;
        var recorded = await violations.RecordAsync(id, plan, p.Address, "manual", ctx.Durable, ctx.Aborted);
        var held = repeat ? (await enforcement.EvidenceOfAsync(id, ctx.Aborted)).Select(e => e.Sha256).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var file in files)
        {
            if (repeat && held.Contains(await Sha256Async(file, ctx.Aborted)))
            {
                continue;
            }

            await using var s = file.OpenReadStream();
            await violations.AddEvidenceAsync(recorded.Violation, s, file.Length, file.FileName, p.Address, ctx.Aborted);
        }

        var v = recorded.Violation;
        var message = (repeat ? $"相同的违规已记录为 {v.ViolationId}，未重复记录（追回与限制不变）。Already recorded; nothing was added twice. " : "") + $"已记录违规 {v.ViolationId}：{v.EnterpriseName} 限制申请至 {v.BarredUntil}；追回 {Cny.FromFen(v.ClawBackFen)}（{recorded.ClawBacks.Count} 笔）；终止在办兑付 {recorded.Stopped.Count} 笔"
            + (recorded.Existing.Count > 0 ? $"；{string.Join("、", recorded.Existing.Select(c => c.RedemptionId))} 的资金已由追回 {string.Join("、", recorded.Existing.Select(c => c.ClawBackId))} 追回，不重复追回 (already clawed back)" : "")
            + (recorded.InReview.Count > 0 ? $"；批次审核中 {recorded.InReview.Count} 笔请在审核中驳回" : "") + "。Recorded.";
        return await ViolationsPageAsync(ctx, new ViolationForm("", violations.Today.ToString("yyyy-MM-dd"), "", ""), [], message, StatusCodes.Status200OK);
    }

    static async Task<string> Sha256Async(IFormFile file, CancellationToken ct)
    {
        await using var s = file.OpenReadStream();
        return Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(s, ct)).ToLowerInvariant();
    }

    async Task<IResult> ViolationsPageAsync(RequestContext ctx, ViolationForm typed, IReadOnlyList<FieldError> errors, string? message, int status)
    {
        var p = ctx.Principal!;
        var cities = p.Role == Role.CityBureau ? [Cities.Get(p.Scope ?? "")] : Cities.All.ToList();
        var rows = new List<string[]>();
        foreach (var city in cities)
        {
            foreach (var v in (await enforcement.ViolationsInCityAsync(city.Code, ctx.Aborted)).OrderByDescending(v => v.DecidedOn))
            {
                var files = v.EvidenceCount == 0 ? "—" : string.Join(" ", Enumerable.Range(1, v.EvidenceCount).Select(n => Link($"/api/violations/{v.CityCode}/{v.ViolationId}/evidence/file-{n:D2}", $"证据{n}", $"证据{n} evidence {n} · {v.ViolationId}")));
                rows.Add([E(city.NameZh), E(v.EnterpriseName) + "<br><span class=\"muted\">" + E(v.Uscc) + "</span>", E(ChinaTime.DateOf(v.DecidedOn.UtcDateTime).ToString("yyyy-MM-dd")), E(v.BarredUntil), E(v.Reason), E(Cny.FromFen(v.ClawBackFen).ToString()), files]);
            }
        }

        string Err(string field) => string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" role=\"alert\" id=\"{field}-error\">{E(e.Message)}</p>"));
        string Aria(string field) => errors.Any(e => e.Field == field) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";
        var body = new StringBuilder();
        if (message is not null)
        {
            body.Append($"<section class=\"card\"><p class=\"ok\" role=\"status\">{E(message)}</p></section>");
        }
        else if (errors.Count > 0)
        {
            body.Append("<section class=\"card\"><p class=\"error\" role=\"alert\">有错误，未记录。请修改后重新提交（文件需重新选择）。Nothing was recorded; fix the fields (choose the files again).</p></section>");
        }

        body.Append($"""
            <section class="card"><h2>记录违规 Record a violation</h2>
            <p class="muted">弄虚作假、套取财政资金：追回所列已拨付（或事前兑付）资金，自处理决定之日起三年内不得申请；未进入批次的兑付申请自动终止。Claw back what was paid, bar for three years, stop open redemptions.</p>
            <form method="post" action="/portal/violations" enctype="multipart/form-data">
            <label for="uscc">企业统一社会信用代码 Enterprise USCC</label>{Err("uscc")}<input id="uscc" name="uscc" maxlength="18" value="{Attr(typed.Uscc)}" required{Aria("uscc")}>
            <label for="decidedOn">处理决定日期 Decision date</label>{Err("decidedOn")}<input id="decidedOn" name="decidedOn" type="date" value="{Attr(typed.DecidedOn)}" required{Aria("decidedOn")}>
            <label for="reason">违规事实与依据 Facts and grounds</label>{Err("reason")}<textarea id="reason" name="reason" rows="4" maxlength="1000" required{Aria("reason")}>{E(typed.Reason)}</textarea>
            <label for="redemptionIds">须追回的兑付申请编号（逗号分隔）Redemptions to claw back (ids, comma-separated)</label>{Err("redemptionIds")}<input id="redemptionIds" name="redemptionIds" value="{Attr(typed.RedemptionIds)}"{Aria("redemptionIds")}>
            <label for="files">证据文件（PDF/PNG/JPEG，可多选）Evidence files</label>{Err("files")}<input id="files" name="files" type="file" multiple accept="application/pdf,image/png,image/jpeg"{Aria("files")}>
            <div><button type="submit" class="danger">记录违规 Record violation</button></div></form></section>
            <section class="card"><h2>违规记录 Violations</h2>{Table(["地市 City", "企业 Enterprise", "决定日期 Decided", "限制申请至 Barred until", "事由 Reason", "追回 Claw-back", "证据 Evidence"], rows, "暂无违规记录 None")}</section>
            """);
        return Pages.Page("违规处理 Violations", body.ToString(), p, status);
    }

    public Task<IResult> ClawBacksAsync(RequestContext ctx) => ClawBacksPageAsync(ctx, null, null, StatusCodes.Status200OK);

    public async Task<IResult> ConfirmClawBackFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var city = ctx.RouteValue("city");
        if (!string.Equals(p.Scope, city, StringComparison.OrdinalIgnoreCase))
        {
            return Pages.Forbidden(p, "只有本市财政局可以确认追回 (Only the city's finance bureau confirms a claw-back)");
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var reference = form["reference"].ToString().Trim();
        var id = ctx.RouteValue("id");
        if (reference.Length is 0 or > 64)
        {
            return await ClawBacksPageAsync(ctx, (id, reference, "请填写追回凭证号（不超过 64 字符）(A reference of at most 64 characters is required)"), null, StatusCodes.Status400BadRequest);
        }

        return await violations.ConfirmClawBackAsync(city, id, reference, p.Address, ctx.Aborted) switch
        {
            ClawBackOutcome.Confirmed => await ClawBacksPageAsync(ctx, null, $"已确认追回 {id}。Confirmed.", StatusCodes.Status200OK),
            ClawBackOutcome.AlreadyConfirmed => await ClawBacksPageAsync(ctx, (id, reference, "此笔追回已确认 (Already confirmed)"), null, StatusCodes.Status409Conflict),
            _ => Pages.NotFound(p, "追回记录不存在 (Claw-back not found)"),
        };
    }

    async Task<IResult> ClawBacksPageAsync(RequestContext ctx, (string Id, string Reference, string Error)? failed, string? message, int status)
    {
        var p = ctx.Principal!;
        var city = p.Scope ?? "";
        var all = await enforcement.ClawBacksAsync(city, ctx.Aborted);
        var sb = new StringBuilder();
        if (message is not null)
        {
            sb.Append($"<section class=\"card\"><p class=\"ok\" role=\"status\">{E(message)}</p></section>");
        }

        sb.Append($"<section class=\"card\"><h2>待追回 Due（{all.Count(c => c.Status != "Confirmed")}）</h2>");
        var n = 0;
        foreach (var c in all.Where(c => c.Status != "Confirmed").OrderBy(c => c.CreatedAt))
        {
            n++;
            var error = failed is { } f && f.Id == c.ClawBackId ? f : ((string, string, string)?)null;
            sb.Append($"""
                <form method="post" action="/portal/clawbacks/{Attr(city)}/{Attr(c.ClawBackId)}" class="card">
                <p><strong>{E(c.EnterpriseName)}</strong>（{E(c.Uscc)}）· 兑付 {Link($"/portal/redemptions/{c.RedemptionId}", c.RedemptionId)} · {(c.Kind == "prepaid" ? "事前兑付 prepaid" : "已拨付 paid")} · 追回 <strong>{E(Cny.FromFen(c.AmountFen).ToString())}</strong> · 违规 {E(c.ViolationId)}</p>
                <label for="ref-{n}">追回凭证号 Recovery reference</label>{(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"ref-{n}-error\">{E(error.Value.Item3)}</p>")}
                <input id="ref-{n}" name="reference" maxlength="64" value="{Attr(error?.Item2)}" required{(error is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"ref-{n}-error\"")}>
                <div><button type="submit">确认已追回 Confirm recovered</button></div></form>
                """);
        }

        if (n == 0)
        {
            sb.Append("<p class=\"muted\">暂无待追回资金 Nothing due.</p>");
        }

        var done = all.Where(c => c.Status == "Confirmed").OrderByDescending(c => c.ConfirmedAt)
            .Select(c => new[] { E(c.EnterpriseName), E(c.RedemptionId), E(Cny.FromFen(c.AmountFen).ToString()), E(c.Reference), E(c.ConfirmedAt is { } at ? BatchLinks.ChinaDate(at) : "") });
        sb.Append($"</section><section class=\"card\"><h2>已追回 Recovered</h2>{Table(["企业 Enterprise", "兑付 Redemption", "金额 Amount", "凭证号 Reference", "确认时间 Confirmed"], done, "暂无 None")}</section>");
        return Pages.Page($"{Cities.Get(city).NameZh}财政局 资金追回 Claw-backs", sb.ToString(), p, status);
    }

    public async Task<IResult> CreditPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, p.Scope ?? "", EnterpriseEntity.ProfileRow, ctx.Aborted);
        if (enterprise is null)
        {
            return Pages.NotFound(p, "请先登记企业信息 (Register the enterprise first)");
        }

        var view = await handlers.CreditViewAsync(enterprise, ctx.Aborted);
        var entries = (await enforcement.CreditAsync(enterprise.Uscc, ctx.Aborted)).OrderByDescending(e => e.At)
            .Select(e => new[] { E(BatchLinks.ChinaDate(e.At)), E(KindText(e.Kind)), E(e.Reference), E(Cny.FromFen(e.AmountFen).ToString()), E(e.Detail) });
        var body = $"""
            <section class="card"><dl class="facts">
            <dt>企业 Enterprise</dt><dd>{E(enterprise.Name)}（{E(enterprise.Uscc)}）</dd>
            <dt>使用创新券年度 Years of voucher use</dt><dd>{E(view.YearsOfUse.Count == 0 ? "—" : string.Join("、", view.YearsOfUse))}</dd>
            <dt>守信企业（可事前兑付）Trusted for pre-payment</dt><dd>{(view.Trusted ? "是 Yes" : "否 No")}</dd>
            <dt>限制申请 Barred</dt><dd>{(view.BarredUntil is null ? "无 No" : $"<span class=\"warn\">至 {E(view.BarredUntil)} 止 until {E(view.BarredUntil)}</span>")}</dd></dl>
            <p class="muted">连续两年以上使用创新券且无违规记录的企业可获事前兑付，批次审核即为事后审计。Two or more consecutive years of use and no violation: paid in advance, audited in the batch review.</p></section>
            <section class="card"><h2>信用记录 Credit history</h2>{Table(["时间 When", "事项 Entry", "编号 Reference", "金额 Amount", "说明 Detail"], entries, "暂无记录 No entries yet")}</section>
            """;
        return Pages.Page("信用记录 Credit history", body, p);
    }

    static string KindText(string kind) => kind switch
    {
        "prepaid" => "事前兑付 Pre-paid",
        "audit-passed" => "事后审核通过 Audit passed",
        "audit-failed" => "事后审核未通过 Audit failed",
        "violation" => "违规 Violation",
        "clawback-confirmed" => "资金已追回 Claw-back recovered",
        _ => kind,
    };

    public Task<IResult> ExpertsAsync(RequestContext ctx) => ExpertsPageAsync(ctx, null, [], null, StatusCodes.Status200OK);

    public async Task<IResult> SaveExpertFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new SaveExpertRequest(form["expertId"], form["name"], ExpertEntity.Split(form["fields"]), form["affiliationInstitutionId"], form["affiliation"],
            ExpertEntity.Split(form["tiedUsccs"]), form["active"].ToString() != "off");
        var (expert, errors) = handlers.ValidateExpert(request, ctx.Principal!.Address);
        if (errors.Count > 0)
        {
            return await ExpertsPageAsync(ctx, form, errors, null, StatusCodes.Status400BadRequest);
        }

        await enforcement.UpsertExpertAsync(expert!, ctx.Aborted);
        return await ExpertsPageAsync(ctx, null, [], $"已保存专家 {expert!.Name}（{expert.ExpertId}）。Saved.", StatusCodes.Status200OK);
    }

    async Task<IResult> ExpertsPageAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError> errors, string? message, int status)
    {
        var rows = (await enforcement.ExpertsAsync(ctx.Aborted)).OrderBy(e => e.ExpertId, StringComparer.Ordinal)
            .Select(e => new[] { E(e.ExpertId), E(e.Name), E(string.Join("、", e.FieldList())), E($"{e.Affiliation} {e.AffiliationInstitutionId}"), E(string.Join(" ", e.TieList())), e.Active ? "在库 Active" : "停用 Inactive" });
        string V(string name) => Attr(typed?[name].ToString());
        string Err(string field) => string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" role=\"alert\" id=\"{field}-error\">{E(e.Message)}</p>"));
        string Aria(string field) => errors.Any(e => e.Field == field) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";
        var body = (message is null ? "" : $"<section class=\"card\"><p class=\"ok\" role=\"status\">{E(message)}</p></section>") + $"""
            <section class="card"><h2>添加或修改专家 Add or update an expert</h2>
            <p class="muted">专家编号即其登录身份（评审专家角色的范围）。专家不得对本单位或其申报关联企业的兑付出具意见。The id is the expert's sign-in scope; conflicts of interest are refused automatically.</p>
            <form method="post" action="/portal/experts">
            <label for="expertId">专家编号 Expert id</label>{Err("expertId")}<input id="expertId" name="expertId" maxlength="64" value="{V("expertId")}" required{Aria("expertId")}>
            <label for="name">姓名 Name</label>{Err("name")}<input id="name" name="name" maxlength="100" value="{V("name")}" required{Aria("name")}>
            <label for="fields">专业领域（逗号分隔，如 testing, data, novelty-search, consulting）Fields</label>{Err("fields")}<input id="fields" name="fields" value="{V("fields")}" required{Aria("fields")}>
            <label for="affiliationInstitutionId">所在单位编号（服务机构）Affiliation institution id</label>{Err("affiliation")}<input id="affiliationInstitutionId" name="affiliationInstitutionId" maxlength="64" value="{V("affiliationInstitutionId")}"{Aria("affiliation")}>
            <label for="affiliation">所在单位名称 Affiliation</label><input id="affiliation" name="affiliation" maxlength="100" value="{V("affiliation")}">
            <label for="tiedUsccs">申报关联企业（统一社会信用代码，逗号分隔）Declared ties (USCCs)</label>{Err("tiedUsccs")}<input id="tiedUsccs" name="tiedUsccs" value="{V("tiedUsccs")}"{Aria("tiedUsccs")}>
            <label for="active">状态 Status</label><select id="active" name="active"><option value="on">在库 Active</option><option value="off"{(typed?["active"].ToString() == "off" ? " selected" : "")}>停用 Inactive</option></select>
            <div><button type="submit">保存 Save</button></div></form></section>
            <section class="card"><h2>专家库 Expert pool</h2>{Table(["编号 Id", "姓名 Name", "领域 Fields", "单位 Affiliation", "关联企业 Ties", "状态 Status"], rows, "专家库为空 The pool is empty")}</section>
            """;
        return Pages.Page("专家库 Expert pool", body, ctx.Principal, status);
    }

    public async Task<IResult> ExpertHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var expertId = p.Scope ?? "";
        var rows = new List<string[]>();
        foreach (var o in (await enforcement.OpinionsForExpertAsync(expertId, ctx.Aborted)).OrderByDescending(o => o.RequestedAt))
        {
            var item = await settlements.GetItemAsync(o.BatchId, o.RedemptionId, ctx.Aborted);
            var open = item is not null && item.ExpertId == expertId;
            var url = open ? batchLinks.OpinionUrl(o.BatchId, o.RedemptionId, expertId) : null;
            var action = o.Opinion is null ? "出具意见 Give opinion" : "查看 View";
            var links = url is null ? "—" : Link(url, action, $"{action} · {o.RedemptionId}") + "<br>"
                + string.Join(" ", EvidenceRules.Required.Select(k => Link($"{url}/evidence/{EvidenceRules.Slug(k)}", EvidenceRules.Chinese(k), $"{EvidenceRules.Chinese(k)} {o.RedemptionId}")));
            rows.Add([E(BatchLinks.ChinaDate(o.RequestedAt)), E(o.EnterpriseName) + "<br><span class=\"muted\">" + E(o.RedemptionId) + "</span>", E($"{o.ServiceTitle}（{o.Field}）"), E(o.Opinion ?? "待出具 pending"), links]);
        }

        var member = await enforcement.GetExpertAsync(expertId, ctx.Aborted);
        var body = $"""
            <section class="card"><dl class="facts"><dt>专家 Expert</dt><dd>{E(member?.Name ?? expertId)}（{E(expertId)}）</dd><dt>领域 Fields</dt><dd>{E(member is null ? "未入库 not in the pool" : string.Join("、", member.FieldList()))}</dd></dl></section>
            <section class="card"><h2>意见请求 Opinion requests</h2>{Table(["请求时间 Requested", "企业 / 兑付 Enterprise", "服务 Service", "意见 Opinion", "材料与链接 Evidence"], rows, "暂无意见请求 No requests")}</section>
            """;
        return Pages.Page("我的评审意见 My opinion requests", body, p);
    }
}
