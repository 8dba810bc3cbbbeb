using Voucher.Domain.Catalogue;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>The institution's matching SME demand, each with an offer form (make or revise) and, for a standing offer, withdraw.</summary>
public sealed class InstitutionDemandPages(InstitutionService institutions, CatalogueService services, DemandService demands, OfferService offers)
{
    const string Path = "/portal/institution/demands";

    public async Task<IResult> DemandsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (await institutions.OwnAsync(p, ctx.Aborted) is null)
        {
            return Web.PageParts.Back("/portal/institution", error: "请先登记机构 (Register the institution first)");
        }

        var published = (await services.OwnAsync(p, ctx.Aborted)).Where(s => s.Status == ServiceStatus.Published).ToList();
        var matching = await demands.ForCallerAsync(p, ctx.Aborted);
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        sb.Append($"<section class=\"card\"><p>按本机构在架服务的类别匹配，本市需求在前。Demand in the categories of your published services, your city first.（{matching.Count}）</p></section>");
        foreach (var (d, own) in matching)
        {
            var mine = own.FirstOrDefault();
            var standing = mine is { Status: OfferStatus.Open };
            var options = published.Where(s => s.Category == d.Category).Select(s => (s.ServiceId, s.Title));
            var form = new FormView(new Dictionary<string, string?>
            {
                ["serviceId"] = mine?.ServiceId, ["price"] = mine is null ? "" : Cny.FromFen(mine.PriceFen).ToInvariantString(),
                ["turnaroundDays"] = mine?.TurnaroundDays.ToString(CultureInfo.InvariantCulture), ["message"] = mine?.Message,
            }, [], d.DemandId + "-");
            var note = mine switch
            {
                null => "",
                { Status: OfferStatus.Withdrawn } => "<p class=\"muted\">报价已撤回，可重新报价 Withdrawn; you may offer again</p>",
                _ => $"<p class=\"ok\">已报价 Offered: {E(Cny.FromFen(mine.PriceFen).ToString())}（可修改 you may revise）</p>"
                    + $"""<form method="post" action="{Path}/{Attr(d.DemandId)}/withdraw" onsubmit="return confirm('撤回报价？ Withdraw the offer?');"><button type="submit" class="secondary" aria-label="{Attr("撤回报价 Withdraw " + d.DemandId)}">撤回报价 Withdraw</button></form>""",
            };
            sb.Append($"""
                <section class="card" data-demand="{Attr(d.DemandId)}"><h2>{E(ServiceCategories.NameOf(d.Category))} · {E(CataloguePages.CityName(d.CityCode))} · 预算 {E(Cny.FromFen(d.BudgetFen).ToString())}</h2>
                <p>{E(d.Description)}</p><p class="muted">{E(d.EnterpriseName)} · 截止 Deadline {E(d.Deadline)} · 编号 {E(d.DemandId)}</p>
                {note}
                <form method="post" action="{Path}/{Attr(d.DemandId)}/offer">
                {form.Select("serviceId", "提供的服务 Service", options)}
                {form.Input("price", "报价（元）Price (CNY)", "inputmode=\"decimal\" maxlength=\"14\" required")}
                {form.Input("turnaroundDays", "服务周期（天）Turnaround (days)", "inputmode=\"numeric\" maxlength=\"3\" required")}
                {form.TextArea("message", "说明 Message", 500)}
                <div><button type="submit">{(standing ? "更新报价 Update offer" : "提交报价 Send offer")}</button></div></form></section>
                """);
        }

        return Pages.Page("匹配的企业需求 Matching demand", sb.ToString(), p);
    }

    public async Task<IResult> OfferAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        decimal? price = decimal.TryParse(form["price"].ToString().Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;
        int? days = int.TryParse(form["turnaroundDays"].ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var outcome = await offers.MakeAsync(p, new MakeOffer(demandId, new OfferTerms(form["serviceId"], price, days, form["message"])), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Web.PageParts.Back(Path, error: $"{demandId}：{failure.Message}")
            : Web.PageParts.Back(Path, done: $"已向需求 {demandId} 报价 (Offer sent)");
    }

    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var outcome = await offers.WithdrawAsync(p, new WithdrawOffer(demandId, p.Scope ?? ""), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Web.PageParts.Back(Path, error: $"{demandId}：{failure.Message}")
            : Web.PageParts.Back(Path, done: $"已撤回对需求 {demandId} 的报价 (Offer withdrawn)");
    }
}
