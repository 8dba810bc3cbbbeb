using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

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

    /// <summary>The bureau home's settlement sections (the home page composes them with the other areas' sections).</summary>
    public async Task<RenderFragment> BureauSectionsAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var model = await SectionModelAsync(Cities.Get(p.Scope ?? ""), ct);
        return builder =>
        {
            builder.OpenComponent<BureauSettlementSection>(0);
            builder.AddAttribute(1, nameof(BureauSettlementSection.Model), model);
            builder.CloseComponent();
        };
    }

    public async Task<BureauSettlementModel> SectionModelAsync(City city, CancellationToken ct)
    {
        var policy = await policies.GetCurrentAsync(city.Code, ct);
        var period = SettlementPeriod.Containing(policy.Cadence, Today);
        var all = await settlements.BatchesOfCityAsync(city.Code, ct);
        var batches = all.OrderByDescending(b => b.FormedAt).Take(20)
            .Select(b => new BatchLine(b, $"/batches/{batchLinks.ReviewToken(b)}", PublicityWindows.IsProvisional(b))).ToList();
        var attention = await AttentionAsync(city.Code, ct);
        var (queued, queuedFen) = await settlements.QueuedAsync(city.Code, ct);
        return new BureauSettlementModel(city, policy.Cadence, period.Id, all.FirstOrDefault(b => b.PeriodId == period.Id), queued, queuedFen, batches, attention);
    }

    /// <summary>
    /// The city's redemptions that need the bureau (objected, binding overdue, disputed): only those rows of the city's
    /// listing partition come back (the filter runs in the table), not the whole city.
    /// </summary>
    async Task<List<RedemptionIndexEntity>> AttentionAsync(string cityCode, CancellationToken ct)
    {
        var rows = new List<RedemptionIndexEntity>();
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter(
            $"PartitionKey eq {RedemptionStore.CityPartition(cityCode)} and (Status eq {nameof(RedemptionStatus.Objected)} or Status eq {nameof(RedemptionStatus.BindingOverdue)} or Status eq {nameof(RedemptionStatus.Disputed)})");
        await foreach (var row in settlements.Tables.Table(VoucherStore.RedemptionIndex).QueryAsync<RedemptionIndexEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// The bureau settles its city's current period now (the period is the form's): refused with the reason when the
    /// period's batch exists or nothing is queued; otherwise the confirmation naming the period, count and amount first.
    /// </summary>
    public async Task<IResult> StartSettlementFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以发起本市结算。");
        }

        var model = await SectionModelAsync(city, ctx.Aborted);
        var periodId = form["periodId"].ToString().Trim();
        if (periodId != model.PeriodId)
        {
            return PageParts.Back("/", error: $"只能发起本期（{SettlementText.PeriodName(model.PeriodId)}）的结算，请刷新工作台后重试。");
        }

        if (model.StartRefusal is { } refusal)
        {
            return PageParts.Back("/", error: refusal);
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            return Pages.View<ConfirmPage>("确认发起结算", p, new ConfirmModel(
                $"确认发起{city.NameZh}{SettlementText.PeriodName(periodId)}结算？",
                [
                    ("结算期次", $"{SettlementText.PeriodName(periodId)}（{Glossary.Of(model.Cadence)}结算）"),
                    ("截止时间", $"以确认时刻为截止（{Glossary.Time(time.GetUtcNow())} 前后）"),
                    ("纳入批次", $"{model.Queued} 笔待结算的兑付申请"),
                    ("核定兑付合计", Glossary.Money(model.QueuedFen)),
                    ("之后", "这些兑付申请冻结为本期批次，批次审核链接发送至本局通知；本期不能再次发起结算。"),
                ],
                "/portal/settlements",
                [("periodId", periodId)],
                "确认发起结算",
                "/"));
        }

        var outcome = await settlement.StartAsync(p, new StartSettlement(city.Code, periodId), ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return PageParts.Back("/", error: Glossary.ChineseOnly(failure.Message));
        }

        var start = outcome.Value;
        return PageParts.Back("/", done: start.Started
            ? $"已发起{SettlementText.PeriodName(start.PeriodId)}结算，批次审核链接将发送至本局通知。"
            : $"{SettlementText.PeriodName(start.PeriodId)}结算已发起过，未重复发起。");
    }

    /// <summary>
    /// The bureau resolves the objections of one of its redemptions from the redemption's page, after a confirmation
    /// naming the enterprise, the amount and what follows.
    /// </summary>
    public async Task<IResult> ResolveObjectionFormAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("redemptionId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        bool? uphold = form["uphold"] is { Count: 1 } choice && bool.TryParse(choice[0], out var chosen) ? chosen : null;
        var reason = form["reason"].ToString().Trim();
        var back = $"/portal/redemptions/{id}";
        var r = await redemptions.GetAsync(id, ctx.Aborted);
        if (r is null || !ctx.Principal!.IsBureauOf(r.CityCode))
        {
            return Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市。");
        }

        if (uphold is not null && reason.Length is > 0 and <= PublicityService.MaxResolutionLength && r.State == RedemptionStatus.Objected && !ConfirmModel.IsConfirmed(form))
        {
            return Pages.View<ConfirmPage>("确认处理异议", ctx.Principal, new ConfirmModel(
                uphold.Value ? "确认异议成立？" : "确认异议不成立？",
                [
                    ("企业", r.EnterpriseName),
                    ("服务", $"{r.InstitutionName} · {r.ServiceTitle}"),
                    ("核定兑付", Glossary.Money(r.PayoutFen)),
                    ("处理理由", reason),
                    ("之后", uphold.Value
                        ? "该兑付申请不予兑付，预留的年度额度释放；已事前兑付的资金须追回。系统通知企业。"
                        : "该兑付申请继续：公示期内恢复公示，公示期已满的转为待拨付。系统通知企业。"),
                ],
                $"/portal/objections/{id}",
                ConfirmModel.Carry(form),
                uphold.Value ? "确认异议成立" : "确认异议不成立",
                back,
                Danger: uphold.Value));
        }

        var outcome = await publicity.ResolveObjectionAsync(ctx.Principal!, new ResolveObjection(id, uphold, reason), ctx.Durable, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(back, done: uphold == true ? "已确认异议成立，该兑付申请不予兑付，已通知企业。" : "已确认异议不成立，兑付继续，已通知企业。"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, "兑付申请不存在或不属于本市。"),
            { } resolved when resolved == PublicityService.NoOpenObjection => PageParts.Back(back, done: "该异议已处理。"),
            Failure.Invalid invalid => PageParts.Back(back, error: string.Join("；", invalid.Errors.Select(e => e.Field == "uphold" ? "请选择异议是否成立" : Glossary.ChineseOnly(e.Message)))),
            { } failure => PageParts.Back(back, error: Glossary.ChineseOnly(failure.Message)),
        };
    }

    static readonly string[] ObjectionTabs = ["open", "done"];

    static readonly string[] ObjectionSorts = ["filed", "payout", "enterprise"];

    static readonly string[] ObjectionFilters = ["batch"];

    static readonly IReadOnlyList<ExportColumn<ObjectionIndexEntity>> ObjectionColumns =
    [
        new("受理编号", o => o.ReceiptNo),
        new("公示批次", o => SettlementIds.Split(o.BatchId) is { } k ? SettlementText.PeriodName(k.Period) : o.BatchId),
        new("企业名称", o => o.EnterpriseName),
        new("服务机构", o => o.InstitutionName),
        new("服务内容", o => o.ServiceTitle),
        new("兑付金额（元）", o => Cny.FromFen(o.PayoutFen).Yuan),
        new("异议理由", o => o.Grounds),
        new("提出时间", o => o.FiledAt),
        new("状态", o => Enum.TryParse<ObjectionStatus>(o.Status, out var st) ? Glossary.Of(st) : ""),
        new("处理意见", o => o.Resolution ?? ""),
        new("处理时间", o => o.ResolvedAt),
    ];

    /// <summary>
    /// The bureau's objections work list (待办: open, 已办: resolved): keyword (enterprise, institution, receipt number,
    /// redemption), the batch filter, sortable columns, paging and the export of the same list; one partition of the city.
    /// Resolving stays on the redemption's page.
    /// </summary>
    public async Task<IResult> ObjectionsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以处理异议。");
        }

        var query = ListQuery.From(ctx.Request, ObjectionTabs, ObjectionSorts, "filed", true, ObjectionFilters);
        var all = await publicity.CityObjectionsAsync(city.Code, ctx.Aborted);
        bool Open(ObjectionIndexEntity o) => o.Status == nameof(ObjectionStatus.Open);
        var batch = query.Filter("batch");
        var keyword = query.Keyword;
        IEnumerable<ObjectionIndexEntity> rows = all.Where(o => query.Tab == "open" ? Open(o) : !Open(o))
            .Where(o => batch is null || o.BatchId == batch)
            .Where(o => keyword.Length == 0 || o.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase) || o.InstitutionName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || o.ReceiptNo.Equals(ReceiptNumbers.Normalize(keyword), StringComparison.Ordinal) || o.RedemptionId.Equals(keyword, StringComparison.OrdinalIgnoreCase));
        rows = (query.Sort, query.Descending) switch
        {
            ("payout", false) => rows.OrderBy(o => o.PayoutFen),
            ("payout", true) => rows.OrderByDescending(o => o.PayoutFen),
            ("enterprise", false) => rows.OrderBy(o => o.EnterpriseName, StringComparer.Ordinal),
            ("enterprise", true) => rows.OrderByDescending(o => o.EnterpriseName, StringComparer.Ordinal),
            (_, false) => rows.OrderBy(o => o.FiledAt),
            _ => rows.OrderByDescending(o => o.FiledAt),
        };
        var list = rows.ToList();
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{city.NameZh}公示异议{(query.Tab == "open" ? "待办" : "已办")}", "公示异议", ObjectionColumns, list);
        }

        var tabs = new List<ListTab> { new("open", "待办", all.Count(Open)), new("done", "已办", all.Count(o => !Open(o))) };
        var batches = all.Select(o => o.BatchId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => (id, SettlementIds.Split(id) is { } k ? SettlementText.PeriodName(k.Period) : id)).ToList();
        return Pages.View<PublicityObjectionsPage>("公示异议", p, new ObjectionsWorkListModel(city, query, query.PageOf(list), tabs, batches, list.Sum(o => o.PayoutFen)));
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

/// <summary>The bureau's settlement sections: the cadence, the current period and its batch if any, the queue, recent batches, what needs attention.</summary>
public sealed record BureauSettlementModel(
    City City,
    SettlementCadence Cadence,
    string PeriodId,
    BatchEntity? CurrentBatch,
    int Queued,
    long QueuedFen,
    IReadOnlyList<BatchLine> Batches,
    IReadOnlyList<RedemptionIndexEntity> Attention)
{
    /// <summary>Why "发起本期结算" is not offered now; null when it is.</summary>
    public string? StartRefusal => CurrentBatch is { } batch
        ? $"本期结算已发起（批次：{City.NameZh}{SettlementText.PeriodName(batch.PeriodId)}，阶段：{Glossary.Of(batch.Stage)}），不能重复发起。"
        : Queued == 0 ? "当前没有待结算的兑付申请（机构确认且材料齐全后才进入结算队列），无需发起结算。" : null;
}

/// <summary>A batch in the bureau's list, with its review link and whether its publicity end is provisional.</summary>
public sealed record BatchLine(BatchEntity Batch, string Href, bool Provisional);

/// <summary>The bureau's objections work list: the city, the query, the page, the tabs with counts, the batches to filter by and the filtered total.</summary>
public sealed record ObjectionsWorkListModel(City City, ListQuery Query, ListPage<ObjectionIndexEntity> Page, IReadOnlyList<ListTab> Tabs, IReadOnlyList<(string Id, string Name)> Batches, long TotalFen);
