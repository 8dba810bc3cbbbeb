using Voucher.Domain.Catalogue;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>The public service catalogue: search with filters, facets, sorting and pages; one service with its history and similar services.</summary>
public sealed class CataloguePages(CatalogueSearch search, CatalogueService services)
{
    public static string Price(long fromFen, long toFen) =>
        toFen > fromFen ? $"{Cny.FromFen(fromFen)} – {Cny.FromFen(toFen)}" : Cny.FromFen(fromFen).ToString();

    public static string CityName(string code) => Cities.TryGet(code, out var c) ? c.NameZh : code;

    public async Task<IResult> SearchPageAsync(RequestContext ctx)
    {
        var (query, errors) = SearchParameters.Parse(ctx.Request.Query);
        var typed = new[] { "q", "category", "city", "type", "priceMin", "priceMax", "sort" }.ToDictionary(k => k, k => (string?)ctx.Request.Query[k].ToString());
        var form = new FormView(typed, errors);
        var eligibleChecked = ctx.Request.Query["eligible"].ToString() is "true" or "on" or "1";
        var eligibleCategories = await search.EligibleCategoriesAsync(ctx.Aborted);
        var sb = new StringBuilder();
        sb.Append($"""
            <section class="card"><form method="get" action="/catalogue" role="search" aria-label="服务搜索 Service search">
            {form.Input("q", "关键词 Keywords（如：电镜、种质资源、查新）", "maxlength=\"100\" type=\"search\"")}
            {form.Select("category", "服务类别 Category", FormView.CategoryOptions(eligibleCategories), "全部类别 All")}
            {form.Select("city", "地市 City", FormView.CityOptions, "全部地市 All")}
            {form.Select("type", "机构类型 Institution type", FormView.TypeOptions, "全部类型 All")}
            {form.Input("priceMin", "最低价（元）Min price (CNY)", "inputmode=\"decimal\" maxlength=\"14\"")}
            {form.Input("priceMax", "最高价（元）Max price (CNY)", "inputmode=\"decimal\" maxlength=\"14\"")}
            <label><input type="checkbox" name="eligible" value="true" style="width:auto"{(eligibleChecked ? " checked" : "")}> 仅显示可用创新券的服务 Voucher-eligible only</label>
            {form.Select("sort", "排序 Sort", [("relevance", "相关度 Relevance"), ("price", "价格从低到高 Price"), ("turnaround", "周期最短 Turnaround"), ("used", "成交最多 Most used")])}
            <div><button type="submit">搜索 Search</button> <a href="/catalogue">清除条件 Clear</a></div></form></section>
            """);
        if (errors.Count > 0)
        {
            sb.Append("<section class=\"card\"><p class=\"error\" role=\"alert\">请修改上面标出的条件 (Fix the marked fields)</p></section>");
            return Pages.Page("服务目录 Service catalogue", sb.ToString(), ctx.Principal, StatusCodes.Status400BadRequest);
        }

        var result = await search.SearchAsync(query, ctx.Aborted);
        sb.Append("<div class=\"market-grid\" style=\"display:grid;grid-template-columns:minmax(10rem,14rem) 1fr;gap:1rem\">");
        sb.Append("<section class=\"card\" aria-labelledby=\"facets-h\"><h2 id=\"facets-h\">筛选 Facets</h2>");
        sb.Append(Facet(ctx.Request.Query, "category", "类别 Category", result.Categories, ServiceCategories.NameOf));
        sb.Append(Facet(ctx.Request.Query, "city", "地市 City", result.Cities, CityName));
        sb.Append(Facet(ctx.Request.Query, "type", "机构类型 Type", result.InstitutionTypes, InstitutionTypes.NameOf));
        sb.Append("</section><section class=\"card\" aria-labelledby=\"results-h\">");
        sb.Append($"<h2 id=\"results-h\">共 {result.Total} 项服务 {result.Total} services</h2>");
        if (result.Relaxed)
        {
            sb.Append("<p class=\"warn\">没有同时包含全部关键词的服务，以下为部分匹配的结果。No service holds every keyword; partial matches shown.</p>");
        }

        if (result.Hits.Count == 0)
        {
            sb.Append("<p class=\"muted\">没有符合条件的服务。可以放宽条件，或在“企业首页 → 服务需求”发布需求，让机构来响应。No match: widen the filters, or post a demand.</p>");
        }

        sb.Append("<ol class=\"results\" style=\"list-style:none;padding:0\">");
        foreach (var h in result.Hits)
        {
            sb.Append(ResultItem(h.Doc, h.VoucherEligible));
        }

        sb.Append("</ol>").Append(Pager(ctx.Request.Query, query, result.Total)).Append("</section></div>");
        return Pages.Page("服务目录 Service catalogue", sb.ToString(), ctx.Principal);
    }

    static string ResultItem(CatalogueDoc d, bool voucherEligible)
    {
        var summary = d.Description.Length > 90 ? d.Description[..90] + "…" : d.Description;
        return $"""
            <li class="result" style="border-bottom:1px solid var(--line);padding:.5rem 0"><h3 style="margin:.2rem 0;font-size:1.05rem">{Link($"/catalogue/{d.InstitutionId}/{d.ServiceId}", d.Title)}</h3>
            <p style="margin:.1rem 0">{E(d.InstitutionName)} · {E(CityName(d.CityCode))} · {E(ServiceCategories.NameOf(d.Category))}{(voucherEligible ? " · <span class=\"ok\">可用创新券</span>" : "")}</p>
            <p style="margin:.1rem 0"><strong>{E(Price(d.PriceFromFen, d.PriceToFen))}</strong> · 周期 {d.TurnaroundDays} 天 · 已成交 {d.UsedCount} 单</p>
            <p class="muted" style="margin:.1rem 0">{E(summary)}</p></li>
            """;
    }

    static string With(IQueryCollection q, string key, string? value, bool resetPage = true)
    {
        var pairs = q.Where(kv => kv.Key != key && !(resetPage && kv.Key == "page") && kv.Value.ToString().Length > 0).Select(kv => (kv.Key, kv.Value.ToString())).ToList();
        if (value is not null)
        {
            pairs.Add((key, value));
        }

        return "/catalogue" + (pairs.Count == 0 ? "" : "?" + string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2))));
    }

    static string Facet(IQueryCollection q, string key, string title, IReadOnlyDictionary<string, int> counts, Func<string, string> name)
    {
        var current = q[key].ToString();
        var items = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            kv.Key == current
                ? $"<li><strong>{E(name(kv.Key))}（{kv.Value}）</strong> {Link(With(q, key, null), "取消 clear", $"取消 clear {name(kv.Key)}")}</li>"
                : $"<li>{Link(With(q, key, kv.Key), $"{name(kv.Key)}（{kv.Value}）")}</li>");
        return $"<h3 style=\"font-size:1rem;margin:.6rem 0 .2rem\">{E(title)}</h3><ul style=\"padding-left:1.1rem;margin:0\">{string.Concat(items)}</ul>";
    }

    static string Pager(IQueryCollection q, SearchQuery query, int total)
    {
        var pages = (int)Math.Ceiling(total / (double)query.PageSize);
        if (pages <= 1)
        {
            return "";
        }

        var links = new List<string>();
        if (query.Page > 1)
        {
            links.Add(Link(With(q, "page", (query.Page - 1).ToString(CultureInfo.InvariantCulture), false), "上一页 Previous"));
        }

        links.Add($"<span aria-current=\"page\">第 {query.Page} / {pages} 页</span>");
        if (query.Page < pages)
        {
            links.Add(Link(With(q, "page", (query.Page + 1).ToString(CultureInfo.InvariantCulture), false), "下一页 Next"));
        }

        return $"<nav aria-label=\"分页 Pages\" style=\"display:flex;gap:1rem\">{string.Join("", links)}</nav>";
    }

    public async Task<IResult> ServicePageAsync(RequestContext ctx)
    {
        var (institutionId, serviceId) = (ctx.RouteValue("institutionId"), ctx.RouteValue("serviceId"));
        var detail = await services.DetailAsync(ctx.Principal, institutionId, serviceId, ctx.Aborted);
        if (detail.Failure is { } failure)
        {
            return Pages.NotFound(ctx.Principal, failure.Message);
        }

        var (s, institution, history) = detail.Value;
        var versions = history.Select(v => new[]
        {
            E("v" + v.Version.ToString(CultureInfo.InvariantCulture)), E(v.Change), E(v.ChangedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            E(v.Title), E(Price(v.PriceFromFen, v.PriceToFen)), E(StoredName<ServiceStatus>.Of(v.Status)),
        });
        var similar = await search.SimilarAsync(institutionId, serviceId, ctx.Aborted);
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        var similarItems = string.Concat(similar.Select(d => ResultItem(d, eligible.Contains(d.Category))));
        var status = s.Status switch { ServiceStatus.Paused => "<p class=\"warn\">该服务已暂停接单 (Paused)</p>", ServiceStatus.Retired => "<p class=\"warn\">该服务已下架 (Retired)</p>", _ => "" };
        var enterpriseHint = ctx.Principal is { Role: Role.Enterprise }
            ? $"<p>{Link("/portal/market", "发布服务需求，邀请机构报价 Post a demand")}</p>"
            : "";
        var body = $"""
            <section class="card">{status}<dl class="facts">
            <dt>服务机构 Institution</dt><dd>{E(s.InstitutionName is { Length: > 0 } n ? n : institution?.Name)}（{E(InstitutionTypes.NameOf(institution?.Type ?? s.InstitutionType))}，{E(CityName(institution?.CityCode ?? s.CityCode))}）</dd>
            <dt>服务类别 Category</dt><dd>{E(ServiceCategories.NameOf(s.Category))}{(eligible.Contains(s.Category) ? "（可用创新券 voucher-eligible）" : "（不可用创新券 not voucher-eligible）")}</dd>
            <dt>价格 Price</dt><dd>{E(Price(s.PriceFromFen, s.PriceToFen))}</dd>
            <dt>服务周期 Turnaround</dt><dd>{s.TurnaroundDays} 天 days</dd>
            <dt>服务内容 Description</dt><dd>{E(s.Description)}</dd>
            <dt>标准与规格 Standards</dt><dd>{E(s.Specifications)}</dd>
            <dt>仪器设备 Equipment</dt><dd>{E(s.Equipment)}</dd>
            <dt>服务人员 Staff</dt><dd>{E(string.Join("、", FacultyRecords.Split(s.Staff)))}</dd>
            <dt>联系方式 Contact</dt><dd>{E(s.Contact)}</dd>
            <dt>已成交 Orders</dt><dd>{s.UsedCount}</dd>
            </dl>{enterpriseHint}</section>
            <section class="card"><h2>相似服务 Similar services</h2>{(similarItems.Length == 0 ? "<p class=\"muted\">暂无 None</p>" : $"<ol style=\"list-style:none;padding:0\">{similarItems}</ol>")}</section>
            <section class="card"><h2>修改记录 History</h2>{Table(["版本 Version", "变更 Change", "时间 When", "名称 Title", "价格 Price", "状态 Status"], versions, "暂无 None")}</section>
            <p>{Link("/catalogue", "返回服务目录 Back to the catalogue")}</p>
            """;
        return Pages.Page(s.Title, body, ctx.Principal);
    }
}
