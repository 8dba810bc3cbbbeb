using Voucher.Domain.Catalogue;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The enterprise's marketplace page (post a demand; its demands with the offers received; accept one or close the
/// demand, each confirmed first; its orders) and the service order page, from which a redemption starts with the
/// order's details filled in.
/// </summary>
public sealed class EnterpriseMarketPages(
    DemandService demands, OfferService offers, OrderService orders, CatalogueSearch search, VoucherRepository vouchers, RedemptionStore redemptions, TimeProvider time)
{
    const string Market = "/portal/market";

    static readonly string[] DemandFields = ["category", "description", "budget", "cityCode", "deadline"];

    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public Task<IResult> MarketAsync(RequestContext ctx) => RenderAsync(ctx, null, [], StatusCodes.Status200OK);

    async Task<IResult> RenderAsync(RequestContext ctx, Dictionary<string, string?>? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var form = new FormState(typed ?? new Dictionary<string, string?> { ["deadline"] = Glossary.Date(Today.AddDays(30)) }, errors);
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        var mine = await demands.ForCallerAsync(p, ctx.Aborted);
        var taken = await orders.ForCallerAsync(p, ctx.Aborted);
        return Pages.View<EnterpriseMarketPage>("服务需求与订单", p, new EnterpriseMarketModel(form, eligible, mine, taken), status);
    }

    public async Task<IResult> PostDemandAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = MarketForms.Typed(form, DemandFields);
        var errors = new List<FieldError>();
        decimal? budget = null;
        var raw = typed["budget"]?.Trim().Replace(",", "", StringComparison.Ordinal) ?? "";
        if (raw.Length > 0)
        {
            if (decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var b))
            {
                budget = b;
            }
            else
            {
                errors.Add(new FieldError("budget", "请填写数字金额，如 20000"));
            }
        }

        var outcome = await demands.PostAsync(ctx.Principal!, new DemandDetails(typed["category"], typed["description"], budget, typed["cityCode"], typed["deadline"]), ctx.Aborted);
        if (outcome.Failure is null && errors.Count == 0)
        {
            return PageParts.Back(Market, done: $"需求已发布，编号 {outcome.Value.DemandId}。该类别的服务机构可以看到并报价。");
        }

        if (outcome.Failure is { } failure)
        {
            errors.AddRange(MarketForms.ErrorsOf(failure, "description").Where(e => !errors.Any(x => x.Field == e.Field)));
        }

        return await RenderAsync(ctx, typed, errors, outcome.Failure is { } f ? MarketForms.StatusOf(f) : StatusCodes.Status400BadRequest);
    }

    /// <summary>Accepts an offer: the first post answers with the confirmation (the order it makes, the other offers it ends), the second acts.</summary>
    public async Task<IResult> AcceptAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var institutionId = form["institutionId"].ToString();
        if (!ConfirmModel.IsConfirmed(form) && await demands.ViewAsync(p, demandId, ctx.Aborted) is { Failure: null } view
            && view.Value.Demand.Status == DemandStatus.Open
            && view.Value.Offers.FirstOrDefault(o => o.InstitutionId == institutionId && o.Status == OfferStatus.Open) is { } offer)
        {
            var d = view.Value.Demand;
            var others = view.Value.Offers.Count(o => o.Status == OfferStatus.Open) - 1;
            var contract = form["contractNumber"].ToString().Trim();
            return Pages.View<ConfirmPage>("确认选择报价", p, new ConfirmModel(
                $"确认选择“{offer.InstitutionName}”的报价？",
                [
                    ("需求", $"{ServiceCategories.NameOf(d.Category)}：{MarketPages.Summary(d.Description, 40)}"),
                    ("服务机构", offer.InstitutionName), ("服务", offer.ServiceTitle), ("报价", Glossary.Money(offer.PriceFen)), ("服务周期", $"{offer.TurnaroundDays} 天"),
                    ("合同编号", contract.Length > 0 ? contract : "由系统生成"),
                    ("选择后", others > 0 ? $"生成服务订单，需求结束征集，其他 {others} 份报价不再有效。" : "生成服务订单，需求结束征集。"),
                ],
                $"{Market}/demands/{Uri.EscapeDataString(demandId)}/accept", ConfirmModel.Carry(form), "确认选择并生成订单", Market));
        }

        var outcome = await offers.AcceptAsync(p, new AcceptOffer(demandId, institutionId, form["contractNumber"]), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back($"/portal/orders/{outcome.Value.Order.OrderId}", done: "已生成服务订单。服务完成后，可在本页用创新券申请兑付。"),
            Failure.NotFound => PageParts.Back(Market, error: "没有找到该需求。"),
            { } failure => PageParts.Back(Market, error: failure.Message),
        };
    }

    /// <summary>Closes an open demand: the first post answers with the confirmation (the offers it ends), the second acts.</summary>
    public async Task<IResult> CloseAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var demandId = ctx.RouteValue("demandId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        if (!ConfirmModel.IsConfirmed(form) && await demands.ViewAsync(p, demandId, ctx.Aborted) is { Failure: null } view && view.Value.Demand.Status == DemandStatus.Open)
        {
            var d = view.Value.Demand;
            var received = view.Value.Offers.Count(o => o.Status == OfferStatus.Open);
            return Pages.View<ConfirmPage>("确认关闭需求", p, new ConfirmModel(
                "确认关闭这项需求？",
                [
                    ("需求", $"{ServiceCategories.NameOf(d.Category)}：{MarketPages.Summary(d.Description, 40)}"),
                    ("已收到报价", $"{received} 份"),
                    ("关闭后", "服务机构不能再报价，已收到的报价不再有效；需求不能重新打开。"),
                ],
                $"{Market}/demands/{Uri.EscapeDataString(demandId)}/close", ConfirmModel.Carry(form), "确认关闭", Market, Danger: true));
        }

        var outcome = await demands.CloseAsync(p, new CloseDemand(demandId), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(Market, done: $"需求已关闭，编号 {outcome.Value.DemandId}。"),
            Failure.NotFound => PageParts.Back(Market, error: "没有找到该需求。"),
            { } failure => PageParts.Back(Market, error: failure.Message),
        };
    }

    /// <summary>One order; for its enterprise, a redemption request form with the order's institution, service, contract and price filled in.</summary>
    public async Task<IResult> OrderAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await orders.ViewAsync(p, ctx.RouteValue("orderId"), ctx.Aborted);
        if (outcome.Failure is not null)
        {
            return Pages.NotFound(p, "没有找到该服务订单。");
        }

        var o = outcome.Value;
        OrderRedemption? redemption = null;
        if (p.IsEnterprise(o.Uscc))
        {
            if (!(await search.EligibleCategoriesAsync(ctx.Aborted)).Contains(o.Category))
            {
                redemption = new OrderRedemption([], "该服务类别不在创新券支持范围内，不能用创新券兑付。");
            }
            else
            {
                var open = (await redemptions.ForEnterpriseAsync(o.Uscc, ctx.Aborted)).Where(r => !RedemptionTransitions.IsFinal(r.State)).Select(r => r.VoucherId).ToHashSet();
                var live = (await vouchers.ForEnterpriseAsync(o.Uscc, ctx.Aborted)).Where(v => VoucherRepository.StatusOf(v, Today) == VoucherStatus.Active && !open.Contains(v.VoucherId)).ToList();
                redemption = live.Count == 0
                    ? new OrderRedemption([], "暂无可用的创新券：没有有效的创新券，或创新券已有进行中的兑付。")
                    : new OrderRedemption([.. live.Select(v => new SelectOption(v.VoucherId, $"{v.VoucherId}（面额 {Glossary.Money(v.FaceValueFen)}，有效期至 {v.ExpiresOn}）"))], null);
            }
        }

        var back = p.Role switch { Role.Enterprise => Market, Role.Institution => "/portal/institution", _ => "/" };
        return Pages.View<OrderPage>("服务订单", p, new OrderModel(o, redemption, back));
    }
}

/// <summary>The enterprise's marketplace page: the demand form (as typed), its demands with their offers, its orders.</summary>
public sealed record EnterpriseMarketModel(FormState Form, IReadOnlySet<string> EligibleCategories, IReadOnlyList<DemandWithOffers> Demands, IReadOnlyList<OrderEntity> Orders);

/// <summary>A service order and, for its enterprise, the vouchers it may redeem for it or why it may not.</summary>
public sealed record OrderModel(OrderEntity Order, OrderRedemption? Redemption, string BackHref);

public sealed record OrderRedemption(IReadOnlyList<SelectOption> Vouchers, string? Unavailable);
