using Voucher.Workflows.Applications;
using Voucher.Workflows.Web;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>
/// The city bureau's work lists (<c>/portal/work/applications</c>, <c>/portal/work/redemptions</c>) over
/// <see cref="WorkListService"/>: the bureau's own city only (its scope), one page of the filtered and sorted rows with
/// the total; <c>format=xlsx|csv</c> answers the file of the same list (every page). A status filter that is not one
/// of the tab's shows the list unfiltered with the message by the field (400).
/// </summary>
public sealed class WorkListPages(WorkListService lists, Enforcement.ViolationService violations, Marketplace.InstitutionService institutions, Policies.CalendarStore calendars, ReviewLinks reviewLinks, Settlement.BatchLinks batchLinks, TimeProvider time)
{
    DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public async Task<IResult> ApplicationsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以查看本市的申请审核清单。");
        }

        var query = ApplicationWorkList.Query(ctx.Request);
        var all = await lists.ApplicationsAsync(city.Code, ctx.Aborted);
        var rows = ApplicationWorkList.Apply(all, query);
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{city.NameZh}创新券申请审核-{TabName(query.Tab)}-{Glossary.Date(Today)}", TabName(query.Tab), ApplicationWorkList.Columns, rows);
        }

        var calendar = await calendars.CurrentAsync(ctx.Aborted);
        var page = query.PageOf(rows);
        var items = page.Items.Select(r =>
        {
            DeadlineCell? deadline = r.Deadline is { } d && ApplicationWorkList.StatusesOf(ApplicationWorkList.Todo).Contains(r.Status)
                ? new DeadlineCell(Glossary.Date(d), calendar.WorkingDaysBetween(Today, d), r.DeadlineProvisional)
                : null;
            var review = deadline is not null
                ? $"/review/{reviewLinks.TokenFor(r.Id, city.Code, r.Round, Today.AddDays(1) > r.Deadline!.Value ? Today.AddDays(1) : r.Deadline.Value)}"
                : null;
            return new ApplicationWorkItem(r, deadline, review);
        }).ToList();
        var (_, error) = ApplicationWorkList.StatusFilter(query);
        var tabs = new List<ListTab>
        {
            new(ApplicationWorkList.Todo, "待办", ApplicationWorkList.Count(all, ApplicationWorkList.Todo)),
            new(ApplicationWorkList.Done, "已办", ApplicationWorkList.Count(all, ApplicationWorkList.Done)),
        };
        var model = new ApplicationWorkModel(city.NameZh, query, tabs, new ListPage<ApplicationWorkItem>(items, page.Total, page.Page, page.PageSize), error);
        return Pages.View<WorkApplicationsPage>($"{city.NameZh}科技局 · 创新券申请审核", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> RedemptionsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以查看本市的兑付申请清单。");
        }

        var query = RedemptionWorkList.Query(ctx.Request);
        var all = await lists.RedemptionsAsync(city.Code, ctx.Aborted);
        var rows = RedemptionWorkList.Apply(all, query);
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{city.NameZh}创新券兑付申请-{RedemptionTabName(query.Tab)}-{Glossary.Date(Today)}", RedemptionTabName(query.Tab), RedemptionWorkList.Columns, rows);
        }

        var (_, error) = RedemptionWorkList.StatusFilter(query);
        var tabs = new List<ListTab>
        {
            new(RedemptionWorkList.Todo, "在办", RedemptionWorkList.Count(all, RedemptionWorkList.Todo)),
            new(RedemptionWorkList.Done, "已办结", RedemptionWorkList.Count(all, RedemptionWorkList.Done)),
        };
        var model = new RedemptionWorkModel(city.NameZh, query, tabs, query.PageOf(rows), RedemptionWorkList.Totals(rows), error);
        return Pages.View<WorkRedemptionsPage>($"{city.NameZh}科技局 · 兑付申请", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> BatchesAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市科技局可以查看本市的结算批次。");
        }

        var query = BatchWorkList.Query(ctx.Request);
        var all = await lists.BatchesAsync(city.Code, ctx.Aborted);
        var rows = BatchWorkList.Apply(all, query);
        var tabName = query.Tab == BatchWorkList.Done ? "已办" : "待办";
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{city.NameZh}创新券结算批次-{tabName}-{Glossary.Date(Today)}", tabName, BatchWorkList.Columns, rows);
        }

        var (_, error) = BatchWorkList.StageFilter(query);
        var tabs = new List<ListTab>
        {
            new(BatchWorkList.Todo, "待办", BatchWorkList.Count(all, BatchWorkList.Todo)),
            new(BatchWorkList.Done, "已办", BatchWorkList.Count(all, BatchWorkList.Done)),
        };
        var page = query.PageOf(rows);
        var items = page.Items.Select(r => new BatchWorkItem(r, r.Stage == BatchStage.Reviewing
            ? $"/batches/{batchLinks.ReviewToken(new Settlement.BatchEntity { PartitionKey = city.Code, RowKey = r.PeriodId })}"
            : null)).ToList();
        var model = new BatchWorkModel(city.NameZh, query, tabs, new ListPage<BatchWorkItem>(items, page.Total, page.Page, page.PageSize), BatchWorkList.Totals(rows), error);
        return Pages.View<WorkBatchesPage>($"{city.NameZh}科技局 · 结算批次", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    public async Task<IResult> ClawBacksAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        if (!Cities.TryGet(p.Scope, out var city))
        {
            return Pages.Forbidden(p, "只有市财政局可以查看本市的资金追回清单。");
        }

        var query = ClawBackWorkList.Query(ctx.Request);
        var all = await lists.ClawBacksAsync(city.Code, ctx.Aborted);
        var rows = ClawBackWorkList.Apply(all, query);
        var tabName = query.Tab == ClawBackWorkList.Done ? "已确认" : "待确认";
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{city.NameZh}创新券资金追回-{tabName}-{Glossary.Date(Today)}", tabName, ClawBackWorkList.Columns, rows);
        }

        var (_, error) = ClawBackWorkList.KindFilter(query);
        var tabs = new List<ListTab>
        {
            new(ClawBackWorkList.Todo, "待确认", ClawBackWorkList.Count(all, ClawBackWorkList.Todo)),
            new(ClawBackWorkList.Done, "已确认", ClawBackWorkList.Count(all, ClawBackWorkList.Done)),
        };
        var model = new ClawBackWorkModel(city.NameZh, query, tabs, query.PageOf(rows), ClawBackWorkList.Totals(rows), error);
        return Pages.View<WorkClawBacksPage>($"{city.NameZh}财政局 · 资金追回清单", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The violations of the caller's city (city bureau) or of every city (the province: one partition per city), through the violation service's access rule.</summary>
    public async Task<IResult> ViolationsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var cities = p.Role == Role.CityBureau ? (Cities.TryGet(p.Scope, out var own) ? [own] : []) : Cities.All.ToList();
        var reads = cities.Select(c => violations.ViolationsAsync(p, c.Code, ctx.Aborted)).ToList();
        await Task.WhenAll(reads);
        var all = reads.SelectMany(r => r.Result.Succeeded ? r.Result.Value : []).Select(ViolationWorkRow.From).ToList();

        var query = ViolationWorkList.Query(ctx.Request);
        var today = Today;
        var rows = ViolationWorkList.Apply(all, query, today);
        var tabName = query.Tab == ViolationWorkList.Done ? "已期满" : "限制期内";
        var scopeName = p.Role == Role.CityBureau && cities.Count == 1 ? cities[0].NameZh : "全省";
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{scopeName}创新券违规处理-{tabName}-{Glossary.Date(today)}", tabName, ViolationWorkList.Columns, rows);
        }

        var (_, _, error) = ViolationWorkList.Filters(query);
        var tabs = new List<ListTab>
        {
            new(ViolationWorkList.Todo, "限制期内", ViolationWorkList.Count(all, ViolationWorkList.Todo, today)),
            new(ViolationWorkList.Done, "已期满", ViolationWorkList.Count(all, ViolationWorkList.Done, today)),
        };
        var model = new ViolationWorkModel(scopeName, p.Role == Role.Province ? cities : [], query, tabs, query.PageOf(rows), ViolationWorkList.Totals(rows), error);
        return Pages.View<WorkViolationsPage>($"{scopeName} · 违规处理清单", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The province centre's institutions: 待审核 from the pending pointers, 已审核 from the decided list rows; deciding stays on <c>/portal/institutions</c>.</summary>
    public async Task<IResult> InstitutionsAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var pending = institutions.PendingAsync(p, ctx.Aborted);
        var decided = institutions.DecidedAsync(p, ctx.Aborted);
        await Task.WhenAll(pending, decided);
        if ((await pending).Failure is { } failure)
        {
            return Pages.Forbidden(p, failure.Message);
        }

        var todoRows = (await pending).Value.Select(InstitutionWorkRow.From).ToList();
        var doneRows = (await decided).Succeeded ? (await decided).Value.Select(InstitutionWorkRow.From).ToList() : [];
        var query = InstitutionWorkList.Query(ctx.Request);
        var rows = InstitutionWorkList.Apply(query.Tab == InstitutionWorkList.Done ? doneRows : todoRows, query);
        var tabName = query.Tab == InstitutionWorkList.Done ? "已审核" : "待审核";
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"服务机构认证-{tabName}-{Glossary.Date(Today)}", tabName, InstitutionWorkList.Columns, rows);
        }

        var (_, _, error) = InstitutionWorkList.Filters(query);
        var tabs = new List<ListTab>
        {
            new(InstitutionWorkList.Todo, "待审核", todoRows.Count),
            new(InstitutionWorkList.Done, "已审核", doneRows.Count),
        };
        var model = new InstitutionWorkModel(query, tabs, query.PageOf(rows), error);
        return Pages.View<WorkInstitutionsPage>("服务机构认证清单", p, model, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    static string TabName(string tab) => tab == ApplicationWorkList.Done ? "已办" : "待办";

    static string RedemptionTabName(string tab) => tab == RedemptionWorkList.Done ? "已办结" : "在办";
}

/// <summary>A row of the application work list as shown: the deadline cell and review link only for 待办 rows.</summary>
public sealed record ApplicationWorkItem(ApplicationWorkRow Row, DeadlineCell? Deadline, string? ReviewHref);

public sealed record ApplicationWorkModel(string City, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<ApplicationWorkItem> Page, string? StatusError);

public sealed record RedemptionWorkModel(string City, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<RedemptionWorkRow> Page, RedemptionTotals Totals, string? StatusError);

public sealed record ClawBackWorkModel(string City, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<ClawBackWorkRow> Page, ClawBackTotals Totals, string? KindError);

/// <summary>The violations work list: the scope's name, the cities offered as a filter (the province only), the page and its totals.</summary>
public sealed record ViolationWorkModel(string Scope, IReadOnlyList<City> CityChoices, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<ViolationWorkRow> Page, ViolationTotals Totals, string? FilterError);

public sealed record InstitutionWorkModel(ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<InstitutionWorkRow> Page, string? FilterError);

/// <summary>A batch row as shown: the review link while the bureau reviews it.</summary>
public sealed record BatchWorkItem(BatchWorkRow Row, string? ReviewHref);

public sealed record BatchWorkModel(string City, ListQuery Query, IReadOnlyList<ListTab> Tabs, ListPage<BatchWorkItem> Page, BatchTotals Totals, string? StageError);
