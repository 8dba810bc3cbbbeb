using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Agencies;

/// <summary>
/// Portal pages of delegation: an enterprise or institution grants, lists and revokes its delegations; an agency sees
/// the parties it acts for and picks one, after which the party's own pages and forms work for it (the dispatcher
/// checks the delegation on every request).
/// </summary>
public sealed class AgencyPages(AgencyService agencies)
{
    // ---- The delegating party ---------------------------------------------------------------------------------

    public Task<IResult> DelegationsPageAsync(RequestContext ctx) => RenderDelegationsAsync(ctx, null, [], StatusCodes.Status200OK);

    public async Task<IResult> CreateFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var request = new CreateDelegationRequest(form["agencyId"].ToString(), form["actions"].Select(a => a ?? "").ToList(), form["validUntil"].ToString());
        var outcome = await agencies.GrantDelegationAsync(ctx.Principal!, request, ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.Invalid invalid:
                return await RenderDelegationsAsync(ctx, request, invalid.Errors, StatusCodes.Status400BadRequest);
            case { } failure:
                return Pages.Forbidden(ctx.Principal!, failure.Message);
        }

        var created = outcome.Value;
        return Results.Redirect("/portal/delegations?done=" + Uri.EscapeDataString($"已委托 {created.AgencyName}（{created.DelegationId}）Delegated"));
    }

    public async Task<IResult> RevokeFormAsync(RequestContext ctx)
    {
        var outcome = await agencies.RevokeDelegationAsync(ctx.Principal!, ctx.RouteValue("id"), ctx.Aborted);
        var message = outcome.Failure switch
        {
            null => "done=" + Uri.EscapeDataString($"已撤销对 {outcome.Value.AgencyName} 的委托，立即生效 (Revoked, effective now)"),
            Failure.Conflict => "error=" + Uri.EscapeDataString("该委托已撤销 (Already revoked)"),
            _ => "error=" + Uri.EscapeDataString("没有这项委托 (No such delegation of yours)"),
        };
        return Results.Redirect("/portal/delegations?" + message);
    }

    async Task<IResult> RenderDelegationsAsync(RequestContext ctx, CreateDelegationRequest? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var today = agencies.Today;
        var rows = (await agencies.DelegationsOfAsync(p, ctx.Aborted)).Select(d =>
        {
            var state = d.ToGrant().StateOn(today);
            var revoke = state == DelegationState.Active
                ? $"<form method=\"post\" action=\"/portal/delegations/{Attr(d.DelegationId)}/revoke\" onsubmit=\"return confirm('撤销后代理机构立即不能再代办，确认撤销？ Revoke now?');\"><button type=\"submit\" class=\"danger\" aria-label=\"撤销 Revoke {Attr(d.AgencyName)}\">撤销 Revoke</button></form>"
                : "";
            return new[]
            {
                $"{E(d.AgencyName)}<br><span class=\"muted\">{E(d.AgencyId)}</span>",
                string.Join("<br>", d.ToGrant().Actions.Select(a => E(DelegationActions.LabelOf(p.Role, a)))),
                E(d.ValidUntil),
                E(StateText(state)),
                revoke,
            };
        });
        var registered = await agencies.AgenciesAsync(ctx.Aborted);
        var body = Web.PageParts.Flash(ctx.Request) + $"""
            <section class="card"><h2>已授予的委托 Delegations granted</h2>
            <p class="muted">代理机构只能在委托的事项和期限内，以本单位名义办理；每项操作都同时记录代理机构和本单位。An agency acts for you only within these action groups and dates; every action records both.</p>
            {Table(["代理机构 Agency", "委托事项 Actions", "有效期至 Valid until", "状态 State", "操作 Action"], rows, "尚未委托代理机构 No delegations yet")}</section>
            {CreateForm(p.Role, registered, typed, errors, today)}
            """;
        return Pages.Page("代理委托 Delegations", body, p, status);
    }

    static string CreateForm(Role partyRole, IReadOnlyList<AgencyEntity> agencies, CreateDelegationRequest? typed, IReadOnlyList<FieldError> errors, DateOnly today)
    {
        string Err(string field) => string.Concat(errors.Where(e => e.Field == field).Select(e => $"<p class=\"error\" id=\"{field}-error\" role=\"alert\">{E(e.Message)}</p>"));
        string Invalid(string field) => errors.Any(e => e.Field == field) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";
        var agencyOptions = "<option value=\"\">请选择 Choose…</option>" + string.Concat(agencies.OrderBy(a => a.AgencyId, StringComparer.Ordinal).Select(a =>
            $"<option value=\"{Attr(a.AgencyId)}\"{(typed?.AgencyId == a.AgencyId ? " selected" : "")}>{E(a.Name)}（{E(a.AgencyId)}）</option>"));
        var checks = string.Concat(DelegationActions.For(partyRole).Select((g, i) =>
            $"<div><input type=\"checkbox\" id=\"action-{i}\" name=\"actions\" value=\"{Attr(g.Name)}\"{(typed?.Actions?.Contains(g.Name) == true ? " checked" : "")} style=\"width:auto\"> <label for=\"action-{i}\" style=\"display:inline\">{E(g.Label)}</label></div>"));
        var until = typed?.ValidUntil ?? today.AddMonths(6).ToString(DelegationStore.DateFormat, CultureInfo.InvariantCulture);
        return $"""
            <section class="card"><h2>委托代理机构 Delegate to an agency</h2>
            <form method="post" action="/portal/delegations" onsubmit="return confirm('确认授予该委托？ Grant this delegation?');">
            <label for="agencyId">代理机构 Agency</label>{Err("agencyId")}
            <select id="agencyId" name="agencyId"{Invalid("agencyId")}>{agencyOptions}</select>
            <fieldset{Invalid("actions")}><legend>委托事项 Action groups</legend>{Err("actions")}{checks}</fieldset>
            <label for="validUntil">有效期至（含当日）Valid until (inclusive)</label>{Err("validUntil")}
            <input id="validUntil" name="validUntil" type="date" value="{Attr(until)}"{Invalid("validUntil")}>
            <div><button type="submit">授予委托 Delegate</button></div>
            </form></section>
            """;
    }

    static string StateText(DelegationState state) => state switch
    {
        DelegationState.Active => "有效 Active",
        DelegationState.Expired => "已到期 Expired",
        _ => "已撤销 Revoked",
    };

    // ---- The agency -------------------------------------------------------------------------------------------

    public async Task<IResult> AgencyHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var today = agencies.Today;
        var (agency, held) = await agencies.DeskAsync(p, ctx.Aborted);
        var current = ActingFor.Read(ctx.Request);
        var rows = held.Select(d =>
        {
            var grant = d.ToGrant();
            var state = grant.StateOn(today);
            var act = state == DelegationState.Active
                ? $"<form method=\"post\" action=\"/portal/agency/acting\"><input type=\"hidden\" name=\"partyId\" value=\"{Attr(d.PartyId)}\"><button type=\"submit\" aria-label=\"{(current == d.PartyId ? "继续代办 Continue" : "代为办理 Act for")} {Attr(d.PartyId)}\">{(current == d.PartyId ? "继续代办 Continue" : "代为办理 Act for")}</button></form>"
                : "";
            return new[]
            {
                $"{E(RoleNames.Chinese(d.PartyRole))} {E(d.PartyId)}{(current == d.PartyId ? " <strong>（当前 current）</strong>" : "")}",
                string.Join("<br>", grant.Actions.Select(a => E(DelegationActions.LabelOf(d.PartyRole, a)))),
                E(d.ValidUntil),
                E(StateText(state)),
                act,
            };
        });
        var stop = current is null ? "" : """<form method="post" action="/portal/agency/acting"><input type="hidden" name="partyId" value=""><button type="submit" class="secondary">停止代办 Stop acting</button></form>""";
        var register = agency is null
            ? "<p class=\"warn\">本机构尚未登记，委托方无法选择本机构：请通过 POST /api/agencies 登记。Not registered yet: POST /api/agencies.</p>"
            : $"<p>{E(agency.Name)}（{E(agency.AgencyId)}）</p>";
        var body = Web.PageParts.Flash(ctx.Request) + $"""
            <section class="card"><h2>委托本机构的单位 Parties you act for</h2>{register}
            <p class="muted">选择一个委托方后，首页和各办理页面即为该单位的页面，只能办理委托范围内的事项；API 调用请加请求头 {ActingFor.HeaderName}。Pick a party to work on its pages; API calls name it in the {ActingFor.HeaderName} header.</p>
            {Table(["委托方 Party", "委托事项 Actions", "有效期至 Valid until", "状态 State", "操作 Action"], rows, "暂无委托 No delegations yet")}{stop}</section>
            """;
        return Pages.Page("代理机构工作台 Agency", body, p);
    }

    public async Task<IResult> ActForAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var partyId = form["partyId"].ToString().Trim();
        if (partyId.Length == 0)
        {
            ctx.Http.Response.Cookies.Delete(ActingFor.CookieName);
            return Results.Redirect("/portal/agency?done=" + Uri.EscapeDataString("已停止代办 Stopped acting"));
        }

        var outcome = await agencies.ActForAsync(ctx.Principal!, partyId, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Results.Redirect("/portal/agency?error=" + Uri.EscapeDataString(failure.Message));
        }

        ctx.Http.Response.Cookies.Append(ActingFor.CookieName, outcome.Value, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        return Results.Redirect("/");
    }
}
