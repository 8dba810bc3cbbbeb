using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;

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
            return PageParts.Back("/portal/institution", error: "请先登记服务机构。");
        }

        var published = (await services.OwnAsync(p, ctx.Aborted)).Where(s => s.Status == ServiceStatus.Published).ToList();
        var matching = await demands.ForCallerAsync(p, ctx.Aborted);
        var items = matching.Select(m =>
        {
            var mine = m.Offers.FirstOrDefault();
            var form = new FormState(new Dictionary<string, string?>
            {
                ["serviceId"] = mine?.ServiceId, ["price"] = mine is null ? "" : Cny.FromFen(mine.PriceFen).ToInvariantString(),
                ["turnaroundDays"] = mine?.TurnaroundDays.ToString(CultureInfo.InvariantCulture), ["message"] = mine?.Message,
            }, []);
            return new MatchingDemand(m.Demand, mine, form, [.. published.Where(s => s.Category == m.Demand.Category).Select(s => new SelectOption(s.ServiceId, s.Title))]);
        }).ToList();
        return Pages.View<MatchingDemandPage>("匹配的企业需求", p, items);
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
            ? PageParts.Back(Path, error: $"{demandId}：{Glossary.ChineseOnly(failure.Message)}")
            : PageParts.Back(Path, done: $"报价已提交（需求编号 {demandId}）。企业选择后将生成服务订单。");
    }

    public async Task<IResult> WithdrawAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var outcome = await offers.WithdrawAsync(p, new WithdrawOffer(demandId, p.Scope ?? ""), ctx.Aborted);
        return outcome.Failure is { } failure
            ? PageParts.Back(Path, error: $"{demandId}：{Glossary.ChineseOnly(failure.Message)}")
            : PageParts.Back(Path, done: $"已撤回报价（需求编号 {demandId}），需求征集期间可以重新报价。");
    }
}

/// <summary>One matching demand: the institution's own offer on it (if any), its offer form, and its published services of the demand's category.</summary>
public sealed record MatchingDemand(DemandEntity Demand, OfferEntity? Mine, FormState Form, IReadOnlyList<SelectOption> Services);
