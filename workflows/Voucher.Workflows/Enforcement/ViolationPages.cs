using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The violations page (province, city bureau): record a violation with evidence files, and the list. Errors are shown
/// next to their fields with the typed values kept (files must be chosen again).
/// </summary>
public sealed class ViolationPages(ViolationService violations)
{
    sealed record ViolationForm(string Uscc, string DecidedOn, string Reason, string RedemptionIds);

    ViolationForm Blank => new("", violations.Today.ToString("yyyy-MM-dd"), "", "");

    public Task<IResult> ViolationsAsync(RequestContext ctx) => RenderAsync(ctx, Blank, [], null, StatusCodes.Status200OK);

    public async Task<IResult> RecordViolationFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new ViolationForm(form["uscc"].ToString().Trim(), form["decidedOn"].ToString().Trim(), form["reason"].ToString(), form["redemptionIds"].ToString());
        var ids = typed.RedemptionIds.Split([',', '，', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = form.Files.GetFiles("files").Where(f => f.Length > 0).Select(f => new EvidenceUpload(f.FileName, f.Length, f.OpenReadStream)).ToList();
        var outcome = await violations.RecordViolationAsync(p, new RecordViolation(typed.Uscc, typed.Reason, typed.DecidedOn, ids), files, ctx.Durable, ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            case Failure.Invalid invalid:
                return await RenderAsync(ctx, typed, invalid.Errors, null, StatusCodes.Status400BadRequest);
            case { } failure:
                // The enterprise named is not registered (or, rarely, its id is another violation's): said next to the USCC.
                return await RenderAsync(ctx, typed, [new FieldError("uscc", failure.Message)], null, StatusCodes.Status400BadRequest);
        }

        var recorded = outcome.Value;
        var v = recorded.Violation;
        var message = (recorded.Repeat ? $"相同的违规已记录为 {v.ViolationId}，未重复记录（追回与限制不变）。Already recorded; nothing was added twice. " : "") + $"已记录违规 {v.ViolationId}：{v.EnterpriseName} 限制申请至 {v.BarredUntil}；追回 {Cny.FromFen(v.ClawBackFen)}（{recorded.ClawBacks.Count} 笔）；终止在办兑付 {recorded.Stopped.Count} 笔"
            + (recorded.Existing.Count > 0 ? $"；{string.Join("、", recorded.Existing.Select(c => c.RedemptionId))} 的资金已由追回 {string.Join("、", recorded.Existing.Select(c => c.ClawBackId))} 追回，不重复追回 (already clawed back)" : "")
            + (recorded.InReview.Count > 0 ? $"；批次审核中 {recorded.InReview.Count} 笔请在审核中驳回" : "") + "。Recorded.";
        return await RenderAsync(ctx, Blank, [], message, StatusCodes.Status200OK);
    }

    async Task<IResult> RenderAsync(RequestContext ctx, ViolationForm typed, IReadOnlyList<FieldError> errors, string? message, int status)
    {
        var p = ctx.Principal!;
        var cities = p.Role == Role.CityBureau ? [Cities.Get(p.Scope ?? "")] : Cities.All.ToList();
        var rows = new List<string[]>();
        foreach (var city in cities)
        {
            var listed = await violations.ViolationsAsync(p, city.Code, ctx.Aborted);
            foreach (var v in listed.Succeeded ? listed.Value : [])
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
}
