using Voucher.Domain.Catalogue;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The enterprise's marketplace page (post a demand; its demands with the offers received; accept one or close the
/// demand; its orders) and the service order page, from which a redemption starts with the order's details filled in.
/// </summary>
public sealed class EnterpriseMarketPages(
    DemandService demands, OfferService offers, OrderService orders, CatalogueSearch search, VoucherRepository vouchers, RedemptionStore redemptions, TimeProvider time)
{
    static readonly string[] DemandFields = ["category", "description", "budget", "cityCode", "deadline"];

    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public Task<IResult> MarketAsync(RequestContext ctx) => RenderAsync(ctx, null, [], StatusCodes.Status200OK);

    async Task<IResult> RenderAsync(RequestContext ctx, Dictionary<string, string?>? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var form = new FormView(typed ?? new Dictionary<string, string?> { ["deadline"] = Today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, errors);
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        sb.Append($"""
            <section class="card"><h2>发布服务需求 Post a demand</h2><p class="muted">符合类别的服务机构会在“匹配的企业需求”中看到并报价。Institutions in the category see it and respond with offers. {Link("/catalogue", "也可以直接搜索服务目录 Or search the catalogue")}</p>
            <form method="post" action="/portal/market/demands">
            {form.Select("category", "服务类别 Category", FormView.CategoryOptions(eligible), "请选择 Choose")}
            {form.TextArea("description", "需求描述 What you need", 1000, "required")}
            {form.Input("budget", "预算（元）Budget (CNY)", "inputmode=\"decimal\" maxlength=\"14\" required")}
            {form.Select("cityCode", "服务地市 City", FormView.CityOptions, "请选择 Choose")}
            {form.Input("deadline", "报价截止日期 Offers close on (yyyy-MM-dd)", "type=\"date\" required")}
            <div><button type="submit">发布需求 Post</button></div></form></section>
            """);

        var mine = await demands.ForCallerAsync(p, ctx.Aborted);
        sb.Append($"<section class=\"card\"><h2>我的需求与报价 My demands and offers（{mine.Count}）</h2>");
        if (mine.Count == 0)
        {
            sb.Append("<p class=\"muted\">暂无需求 None yet</p>");
        }

        foreach (var (d, received) in mine)
        {
            var open = d.Status == DemandStatus.Open;
            var close = open
                ? $"""<form method="post" action="/portal/market/demands/{Attr(d.DemandId)}/close" onsubmit="return confirm('关闭需求？机构将不能再报价。 Close this demand?');"><button type="submit" class="secondary" aria-label="{Attr("关闭需求 Close " + d.DemandId)}">关闭需求 Close</button></form>"""
                : "";
            sb.Append($"<article data-demand=\"{Attr(d.DemandId)}\" style=\"border-top:1px solid var(--line);padding:.5rem 0\"><h3 style=\"font-size:1.05rem;margin:.2rem 0\">{E(ServiceCategories.NameOf(d.Category))} · 预算 {E(Cny.FromFen(d.BudgetFen).ToString())} · {E(MarketPages.StatusText(d.Status))}</h3><p>{E(d.Description)}</p><p class=\"muted\">编号 {E(d.DemandId)} · 截止 {E(d.Deadline)}</p>{close}");
            var rows = received.OrderBy(o => o.PriceFen).Select(o => new[]
            {
                E(o.InstitutionName), Link($"/catalogue/{o.InstitutionId}/{o.ServiceId}", o.ServiceTitle), E(Cny.FromFen(o.PriceFen).ToString()), E($"{o.TurnaroundDays} 天"), E(o.Message),
                OfferAction(d, o),
            });
            sb.Append(Table(["机构 Institution", "服务 Service", "报价 Price", "周期 Turnaround", "说明 Message", "操作 Action"], rows, "暂无报价 No offers yet")).Append("</article>");
        }

        sb.Append("</section>");
        var orderRows = (await orders.ForCallerAsync(p, ctx.Aborted)).Select(o => new[]
        {
            Link($"/portal/orders/{o.OrderId}", o.OrderId), E(o.InstitutionName), E(o.ServiceTitle), E(Cny.FromFen(o.AgreedPriceFen).ToString()), E(o.ContractNumber),
        });
        sb.Append($"<section class=\"card\"><h2>我的服务订单 My service orders</h2>{Table(["订单 Order", "机构 Institution", "服务 Service", "约定价格 Agreed price", "合同编号 Contract"], orderRows, "暂无订单 No orders yet")}</section>");
        return Pages.Page("服务需求与订单 Demands and orders", sb.ToString(), p, status);
    }

    /// <summary>What the enterprise can do with an offer: accept it while the demand is open; see the order it made.</summary>
    static string OfferAction(DemandEntity d, OfferEntity o) => (d.Status, o.Status) switch
    {
        (DemandStatus.Open, OfferStatus.Open) =>
            $"""<form method="post" action="/portal/market/demands/{Attr(d.DemandId)}/accept" onsubmit="return confirm('接受该报价并生成服务订单？其他报价将不再有效。 Accept this offer?');"><input type="hidden" name="institutionId" value="{Attr(o.InstitutionId)}"><label for="contract-{Attr(d.DemandId)}-{Attr(o.InstitutionId)}">合同编号（可空）Contract no.</label><input id="contract-{Attr(d.DemandId)}-{Attr(o.InstitutionId)}" name="contractNumber" maxlength="64"><button type="submit" aria-label="{Attr("接受报价 Accept " + o.InstitutionName)}">接受报价 Accept</button></form>""",
        (_, OfferStatus.Accepted) => $"<strong class=\"ok\">已接受 Accepted</strong> {Link($"/portal/orders/{d.OrderId}", "查看订单 Order")}",
        (_, OfferStatus.Withdrawn) => "<span class=\"muted\">机构已撤回 Withdrawn</span>",
        _ => "—",
    };

    public async Task<IResult> PostDemandAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = DemandFields.ToDictionary(k => k, k => (string?)form[k].ToString());
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
                errors.Add(new FieldError("budget", "请填写数字金额，如 20000 (A number)"));
            }
        }

        var outcome = await demands.PostAsync(ctx.Principal!, new DemandDetails(typed["category"], typed["description"], budget, typed["cityCode"], typed["deadline"]), ctx.Aborted);
        if (outcome.Failure is null && errors.Count == 0)
        {
            return Web.PageParts.Back("/portal/market", done: $"需求已发布：{outcome.Value.DemandId} (Posted)");
        }

        if (outcome.Failure is { } failure)
        {
            errors.AddRange(FormView.ErrorsOf(failure, "description").Where(e => !errors.Any(x => x.Field == e.Field)));
        }

        return await RenderAsync(ctx, typed, errors, outcome.Failure is { } f ? FormView.StatusOf(f) : StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> AcceptAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await offers.AcceptAsync(ctx.Principal!, new AcceptOffer(ctx.RouteValue("demandId"), form["institutionId"].ToString(), form["contractNumber"]), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Web.PageParts.Back("/portal/market", error: failure.Message)
            : Web.PageParts.Back($"/portal/orders/{outcome.Value.Order.OrderId}", done: "已生成服务订单，服务完成后可在此申请兑付 (Order created)");
    }

    public async Task<IResult> CloseAsync(RequestContext ctx)
    {
        var outcome = await demands.CloseAsync(ctx.Principal!, new CloseDemand(ctx.RouteValue("demandId")), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Web.PageParts.Back("/portal/market", error: failure.Message)
            : Web.PageParts.Back("/portal/market", done: $"需求已关闭：{outcome.Value.DemandId} (Closed)");
    }

    /// <summary>One order; for its enterprise, a redemption request form with the order's institution, service, contract and price filled in.</summary>
    public async Task<IResult> OrderAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await orders.ViewAsync(p, ctx.RouteValue("orderId"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.NotFound(p, failure.Message);
        }

        var o = outcome.Value;
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        sb.Append($"""
            <section class="card"><dl class="facts"><dt>企业 Enterprise</dt><dd>{E(o.EnterpriseName)}</dd><dt>服务机构 Institution</dt><dd>{E(o.InstitutionName)}</dd>
            <dt>服务 Service</dt><dd>{Link($"/catalogue/{o.InstitutionId}/{o.ServiceId}", o.ServiceTitle)}</dd><dt>约定价格 Agreed price</dt><dd>{E(Cny.FromFen(o.AgreedPriceFen).ToString())}</dd>
            <dt>合同编号 Contract</dt><dd>{E(o.ContractNumber)}</dd><dt>服务人员 Staff</dt><dd>{E(string.Join("、", FacultyRecords.Split(o.Staff)))}</dd><dt>需求 Demand</dt><dd>{E(o.DemandId)}</dd></dl></section>
            """);
        if (p.IsEnterprise(o.Uscc))
        {
            var open = (await redemptions.ForEnterpriseAsync(o.Uscc, ctx.Aborted)).Where(r => !RedemptionTransitions.IsFinal(r.State)).Select(r => r.VoucherId).ToHashSet();
            var live = (await vouchers.ForEnterpriseAsync(o.Uscc, ctx.Aborted)).Where(v => VoucherRepository.StatusOf(v, Today) == VoucherStatus.Active && !open.Contains(v.VoucherId)).ToList();
            if (!(await search.EligibleCategoriesAsync(ctx.Aborted)).Contains(o.Category))
            {
                sb.Append("<section class=\"card\"><p class=\"warn\">该服务类别不在创新券支持范围内。This category is not voucher-eligible.</p></section>");
            }
            else if (live.Count == 0)
            {
                sb.Append($"<section class=\"card\"><p class=\"muted\">暂无可用创新券（或已有进行中的兑付）。No active voucher free for a redemption. {Link("/", "返回首页申领 Apply on the home page")}</p></section>");
            }
            else
            {
                var options = string.Concat(live.Select(v => $"<option value=\"{Attr(v.VoucherId)}\">{E(v.VoucherId)}（面额 {E(Cny.FromFen(v.FaceValueFen).ToString())}，有效期至 {E(v.ExpiresOn)}）</option>"));
                sb.Append($"""
                    <section class="card"><h2>用创新券兑付此订单 Redeem a voucher for this order</h2><p class="muted">机构、服务、合同编号和金额已按订单填好，可按实际支付金额修改。Filled in from the order; change the amount to what you actually paid.</p>
                    <form method="post" action="/portal/redemptions" onsubmit="return confirm('确认提交兑付申请？ Submit the redemption request?');">
                    <input type="hidden" name="service" value="{Attr(o.InstitutionId + "|" + o.ServiceId)}">
                    <label for="order-voucher">创新券 Voucher</label><select id="order-voucher" name="voucherId">{options}</select>
                    <label for="order-contract">合同编号 Contract number</label><input id="order-contract" name="contractNumber" maxlength="64" required value="{Attr(o.ContractNumber)}">
                    <label for="order-amount">实际支付金额（元）Amount paid (CNY)</label><input id="order-amount" name="amountPaid" inputmode="decimal" required value="{Attr(Cny.FromFen(o.AgreedPriceFen).ToInvariantString())}">
                    <div><button type="submit">提交兑付申请 Request redemption</button></div></form></section>
                    """);
            }
        }

        return Pages.Page($"服务订单 Order {o.OrderId}", sb.ToString(), p);
    }
}
