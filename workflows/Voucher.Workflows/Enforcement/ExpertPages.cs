using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The province centre's expert pool page and an expert's own page of opinion requests (with the signed links to give
/// each opinion), over <see cref="ExpertService"/>.
/// </summary>
public sealed class ExpertPages(ExpertService experts, SettlementStore settlements, BatchLinks batchLinks)
{
    public Task<IResult> ExpertsAsync(RequestContext ctx) => ExpertsPageAsync(ctx, null, [], null, StatusCodes.Status200OK);

    public async Task<IResult> SaveExpertFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new SaveExpertRequest(form["expertId"], form["name"], ExpertEntity.Split(form["fields"]), form["affiliationInstitutionId"], form["affiliation"],
            ExpertEntity.Split(form["tiedUsccs"]), form["active"].ToString() != "off");
        var outcome = await experts.SaveExpertAsync(ctx.Principal!, request, ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Invalid invalid:
                return await ExpertsPageAsync(ctx, form, invalid.Errors, null, StatusCodes.Status400BadRequest);
            case { } failure:
                return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        var expert = outcome.Value;
        return await ExpertsPageAsync(ctx, null, [], $"已保存专家 {expert.Name}（{expert.ExpertId}）。Saved.", StatusCodes.Status200OK);
    }

    async Task<IResult> ExpertsPageAsync(RequestContext ctx, IFormCollection? typed, IReadOnlyList<FieldError> errors, string? message, int status)
    {
        var rows = (await experts.PoolAsync(ctx.Aborted))
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
        var outcome = await experts.OpinionRequestsAsync(p, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(p, failure.Message);
        }

        var expertId = p.Scope ?? "";
        var (member, requests) = outcome.Value;
        var rows = new List<string[]>();
        foreach (var o in requests)
        {
            var item = await settlements.GetItemAsync(o.BatchId, o.RedemptionId, ctx.Aborted);
            var open = item is not null && item.ExpertId == expertId;
            var url = open ? batchLinks.OpinionUrl(o.BatchId, o.RedemptionId, expertId) : null;
            var action = o.Opinion is null ? "出具意见 Give opinion" : "查看 View";
            var links = url is null ? "—" : Link(url, action, $"{action} · {o.RedemptionId}") + "<br>"
                + string.Join(" ", EvidenceRules.Required.Select(k => Link($"{url}/evidence/{EvidenceRules.Slug(k)}", EvidenceRules.Chinese(k), $"{EvidenceRules.Chinese(k)} {o.RedemptionId}")));
            rows.Add([E(BatchLinks.ChinaDate(o.RequestedAt)), E(o.EnterpriseName) + "<br><span class=\"muted\">" + E(o.RedemptionId) + "</span>", E($"{o.ServiceTitle}（{o.Field}）"), E(o.Opinion ?? "待出具 pending"), links]);
        }

        var body = $"""
            <section class="card"><dl class="facts"><dt>专家 Expert</dt><dd>{E(member?.Name ?? expertId)}（{E(expertId)}）</dd><dt>领域 Fields</dt><dd>{E(member is null ? "未入库 not in the pool" : string.Join("、", member.FieldList()))}</dd></dl></section>
            <section class="card"><h2>意见请求 Opinion requests</h2>{Table(["请求时间 Requested", "企业 / 兑付 Enterprise", "服务 Service", "意见 Opinion", "材料与链接 Evidence"], rows, "暂无意见请求 No requests")}</section>
            """;
        return Pages.Page("我的评审意见 My opinion requests", body, p);
    }
}
