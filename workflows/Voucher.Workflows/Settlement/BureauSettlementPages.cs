using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Settlement;

/// <summary>The city bureau's settlement work: batches of its cadence, what needs attention, starting a settlement, resolving an objection; and a city's redemption figures for the province.</summary>
public sealed class BureauSettlementPages(
    RedemptionStore redemptions,
    SettlementStore settlements,
    SettlementService settlement,
    BatchLinks batchLinks,
    PublicityService publicity,
    Policies.PolicyStore policies,
    TimeProvider time)
{
    DateOnly Today => ChinaTime.Today(time);

    public async Task<Microsoft.AspNetCore.Components.RenderFragment> BureauSectionsAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var city = Cities.Get(p.Scope ?? "");
        var policy = await policies.GetCurrentAsync(city.Code, ct);
        var period = SettlementPeriod.Containing(policy.Cadence, Today);
        var batches = (await settlements.BatchesOfCityAsync(city.Code, ct)).OrderByDescending(b => b.FormedAt).Take(20).Select(b => new[]
        {
            E(b.PeriodId), E(BatchReviewPages.StageText(b.Stage)), b.ItemCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            E(b.PublicityStart is null ? "" : $"{b.PublicityStart} 至 {b.PublicityEnd}") + (Settlement.PublicityWindows.IsProvisional(b) ? " " + Provisional : ""),
            Link($"/batches/{batchLinks.ReviewToken(b)}", b.Stage == BatchStage.Reviewing ? "审核批次 Review" : "查看 View", $"批次 {b.BatchId}"),
        });
        var index = await redemptions.ForCityAsync(city.Code, ct);
        var attention = index.Where(i => i.Status is RedemptionStatus.Objected or RedemptionStatus.BindingOverdue or RedemptionStatus.Disputed)
            .Select(i => new[] { E(i.EnterpriseName), E(i.InstitutionName), E(RedemptionView.StatusText(i.Status)), Link($"/portal/redemptions/{i.RowKey}", "处理 Handle", $"处理 {i.EnterpriseName} {i.RowKey}") });
        var queued = index.Count(i => i.Status == RedemptionStatus.Queued);
        return Fragments.Markup($"""
            <section class="card"><h2>结算批次 Settlement batches</h2><p>结算周期 Cadence：{E(policy.Cadence.ToString())}；本期 {E(period.Id)}；队列中 {queued} 笔 queued.</p>
            <form method="post" action="/portal/settlements" onsubmit="return confirm('以当前时刻为截止，发起本期结算？ Start this period's settlement now?');"><input type="hidden" name="periodId" value="{Attr(period.Id)}"><button type="submit">发起本期结算 Start settlement ({E(period.Id)})</button></form>
            {Table(["期次 Period", "阶段 Stage", "笔数 Items", "公示期 Publicity", "操作 Action"], batches, "暂无批次 No batches yet")}</section>
            <section class="card"><h2>待处理事项 Needs attention（{attention.Count()}）</h2>{Table(["企业 Enterprise", "服务机构 Institution", "状态 Status", "操作 Action"], attention, "暂无 Nothing")}</section>
            """);
    }

    /// <summary>The bureau settles its city's current period now (the period is the form's).</summary>
    public async Task<IResult> StartSettlementFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var outcome = await settlement.StartAsync(ctx.Principal!, new StartSettlement(ctx.Principal!.Scope, form["periodId"].ToString()), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Back("/", error: failure.Message);
        }

        var start = outcome.Value;
        return Back("/", done: start.Started ? $"已发起 {start.PeriodId} 结算，批次审核链接将发送至通知 (Started)" : $"{start.PeriodId} 结算已存在 (Already started)");
    }

    /// <summary>The bureau resolves the objections of one of its redemptions from the redemption's page.</summary>
    public async Task<IResult> ResolveObjectionFormAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("redemptionId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        bool? uphold = form["uphold"] is { Count: 1 } choice && bool.TryParse(choice[0], out var chosen) ? chosen : null;
        var outcome = await publicity.ResolveObjectionAsync(ctx.Principal!, new ResolveObjection(id, uphold, form["reason"].ToString()), ctx.Durable, ctx.Aborted);
        var back = $"/portal/redemptions/{id}";
        return outcome.Failure switch
        {
            null => Back(back, done: uphold == true ? "异议成立，兑付已驳回 (Upheld)" : "异议已驳回 (Dismissed)"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市 (Not found)"),
            { } resolved when resolved == PublicityService.NoOpenObjection => Back(back, done: "异议已处理 (Already resolved)"),
            { } failure => Back(back, error: failure.Message),
        };
    }

    /// <summary>Open redemptions, overdue bindings and the amount paid this year in a city (from the city's listing partition).</summary>
    public async Task<(int Open, int OverdueBindings, long PaidFen)> CityRedemptionFiguresAsync(string cityCode, int year, CancellationToken ct)
    {
        var index = await redemptions.ForCityAsync(cityCode, ct);
        var open = index.Count(i => !RedemptionTransitions.IsFinal(i.Status));
        var overdue = index.Count(i => i.Status == RedemptionStatus.BindingOverdue);
        var paid = index.Where(i => i.Status == RedemptionStatus.Paid && i.PaidOn is { } on && on.StartsWith($"{year}-", StringComparison.Ordinal)).Sum(i => i.PayoutFen);
        return (open, overdue, paid);
    }
}
