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

    public Task<IResult> ApplicationsAsync(RequestContext ctx) => CityListAsync<ApplicationWorkRow, WorkApplicationsPage>(ctx, "只有市科技局可以查看本市的申请审核清单。",
        async city => ApplicationWorkList.Answer($"{city.NameZh}科技局 · 创新券申请审核", $"{city.NameZh}创新券申请审核", await lists.ApplicationsAsync(city.Code, ctx.Aborted), ApplicationWorkList.Query(ctx.Request)),
        async (city, list, tabs) =>
        {
            var calendar = await calendars.CurrentAsync(ctx.Aborted);
            var page = list.Query.PageOf(list.Rows);
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
            return new ApplicationWorkModel(city.NameZh, list.Query, tabs, new ListPage<ApplicationWorkItem>(items, page.Total, page.Page, page.PageSize), list.Error);
        });

    public Task<IResult> RedemptionsAsync(RequestContext ctx) => CityListAsync<RedemptionWorkRow, WorkRedemptionsPage>(ctx, "只有市科技局可以查看本市的兑付申请清单。",
        async city => RedemptionWorkList.Answer($"{city.NameZh}科技局 · 兑付申请", $"{city.NameZh}创新券兑付申请", await lists.RedemptionsAsync(city.Code, ctx.Aborted), RedemptionWorkList.Query(ctx.Request)),
        (city, list, tabs) => Task.FromResult<object>(new RedemptionWorkModel(city.NameZh, list.Query, tabs, list.Query.PageOf(list.Rows), RedemptionWorkList.Totals(list.Rows), list.Error)));

    public Task<IResult> BatchesAsync(RequestContext ctx) => CityListAsync<BatchWorkRow, WorkBatchesPage>(ctx, "只有市科技局可以查看本市的结算批次。",
        async city => BatchWorkList.Answer($"{city.NameZh}科技局 · 结算批次", $"{city.NameZh}创新券结算批次", await lists.BatchesAsync(city.Code, ctx.Aborted), BatchWorkList.Query(ctx.Request)),
        (city, list, tabs) =>
        {
            var page = list.Query.PageOf(list.Rows);
            var items = page.Items.Select(r => new BatchWorkItem(r, r.Stage == BatchStage.Reviewing
                ? $"/batches/{batchLinks.ReviewToken(new Settlement.BatchEntity { PartitionKey = city.Code, RowKey = r.PeriodId })}"
                : null)).ToList();
            return Task.FromResult<object>(new BatchWorkModel(city.NameZh, list.Query, tabs, new ListPage<BatchWorkItem>(items, page.Total, page.Page, page.PageSize), BatchWorkList.Totals(list.Rows), list.Error));
        });

    public Task<IResult> ClawBacksAsync(RequestContext ctx) => CityListAsync<ClawBackWorkRow, WorkClawBacksPage>(ctx, "只有市财政局可以查看本市的资金追回清单。",
        async city => ClawBackWorkList.Answer($"{city.NameZh}财政局 · 资金追回清单", $"{city.NameZh}创新券资金追回", await lists.ClawBacksAsync(city.Code, ctx.Aborted), ClawBackWorkList.Query(ctx.Request)),
        (city, list, tabs) => Task.FromResult<object>(new ClawBackWorkModel(city.NameZh, list.Query, tabs, list.Query.PageOf(list.Rows), ClawBackWorkList.Totals(list.Rows), list.Error)));

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
        var scopeName = p.Role == Role.CityBureau && cities.Count == 1 ? cities[0].NameZh : "全省";
        var list = new WorkListAnswer<ViolationWorkRow>($"{scopeName} · 违规处理清单", $"{scopeName}创新券违规处理", query,
            ViolationWorkList.Apply(all, query, today), ViolationWorkList.Columns,
            new(ViolationWorkList.Todo, "限制期内", ViolationWorkList.Count(all, ViolationWorkList.Todo, today)),
            new(ViolationWorkList.Done, "已期满", ViolationWorkList.Count(all, ViolationWorkList.Done, today)),
            ViolationWorkList.Filters(query).Error);
        return await AnswerAsync<ViolationWorkRow, WorkViolationsPage>(ctx, list, (shown, tabs) =>
            Task.FromResult<object>(new ViolationWorkModel(scopeName, p.Role == Role.Province ? cities : [], shown.Query, tabs, shown.Query.PageOf(shown.Rows), ViolationWorkList.Totals(shown.Rows), shown.Error)));
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
        var list = new WorkListAnswer<InstitutionWorkRow>("服务机构认证清单", "服务机构认证", query,
            InstitutionWorkList.Apply(query.Tab == InstitutionWorkList.Done ? doneRows : todoRows, query), InstitutionWorkList.Columns,
            new(InstitutionWorkList.Todo, "待审核", todoRows.Count),
            new(InstitutionWorkList.Done, "已审核", doneRows.Count),
            InstitutionWorkList.Filters(query).Error);
        return await AnswerAsync<InstitutionWorkRow, WorkInstitutionsPage>(ctx, list, (shown, tabs) =>
            Task.FromResult<object>(new InstitutionWorkModel(shown.Query, tabs, shown.Query.PageOf(shown.Rows), shown.Error)));
    }

    /// <summary>A list of the caller's own city (a bureau's scope; refused with <paramref name="refusal"/> without one), answered by <see cref="AnswerAsync"/>.</summary>
    async Task<IResult> CityListAsync<TRow, TPage>(RequestContext ctx, string refusal, Func<City, Task<WorkListAnswer<TRow>>> read, Func<City, WorkListAnswer<TRow>, IReadOnlyList<ListTab>, Task<object>> model)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        if (!Cities.TryGet(ctx.Principal!.Scope, out var city))
        {
            return Pages.Forbidden(ctx.Principal!, refusal);
        }

        return await AnswerAsync<TRow, TPage>(ctx, await read(city), (list, tabs) => model(city, list, tabs));
    }

    /// <summary>
    /// The shape every work list answers in: <c>format=xlsx|csv</c> gives the file of the filtered rows (every page) named
    /// by the list, the tab and the date; otherwise the page (its model built only then) with the two tabs and their
    /// counts, 400 when a filter was refused (the list shown unfiltered, the message by the field).
    /// </summary>
    async Task<IResult> AnswerAsync<TRow, TPage>(RequestContext ctx, WorkListAnswer<TRow> list, Func<WorkListAnswer<TRow>, IReadOnlyList<ListTab>, Task<object>> model)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var tabName = list.Query.Tab == list.Done.Key ? list.Done.Label : list.Todo.Label;
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return TableExport.File(format, $"{list.FileName}-{tabName}-{Glossary.Date(Today)}", tabName, list.Columns, list.Rows);
        }

        IReadOnlyList<ListTab> tabs = [list.Todo, list.Done];
        return Pages.View<TPage>(list.Title, ctx.Principal, await model(list, tabs), list.Error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}

/// <summary>
/// One work list's answer: the page title, the export's file name, the query, the filtered and sorted rows, the export
/// columns, the 待办 and 已办 tabs with their counts, and the refused filter's message (null when none).
/// </summary>
public sealed record WorkListAnswer<TRow>(string Title, string FileName, ListQuery Query, IReadOnlyList<TRow> Rows, IReadOnlyList<ExportColumn<TRow>> Columns, ListTab Todo, ListTab Done, string? Error);

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
