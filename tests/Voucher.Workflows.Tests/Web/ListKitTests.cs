using System.Globalization;
using Microsoft.AspNetCore.Components;
using MiniExcelLibs;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Web;

/// <summary>The work-list kit: what the query string asks for, the links it builds, and the exports it writes.</summary>
public sealed class ListKitTests
{
    static readonly string[] Tabs = ["todo", "done"];
    static readonly string[] Sorts = ["submitted", "amount"];
    static readonly string[] Filters = ["city", "min"];

    static ListQuery Parse(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ListQuery.From(context.Request, Tabs, Sorts, "submitted", true, Filters);
    }

    [Fact]
    public void Unknown_or_missing_values_fall_back_to_the_lists_defaults()
    {
        var q = Parse("?tab=nope&sort=evil&page=-3&size=7&other=1");

        Assert.Equal("todo", q.Tab);
        Assert.Equal("submitted", q.Sort);
        Assert.True(q.Descending);
        Assert.Equal(1, q.Page);
        Assert.Equal(ListQuery.DefaultPageSize, q.PageSize);
        Assert.Empty(q.Filters);
        Assert.False(q.IsFiltered);
    }

    [Fact]
    public void Values_are_read_trimmed_and_clipped()
    {
        var q = Parse("?q=%20%E5%A4%AA%E5%8E%9F%20&tab=done&sort=amount&dir=asc&page=3&size=100&city=taiyuan&min=" + new string('9', 300));

        Assert.Equal("太原", q.Keyword);
        Assert.Equal("done", q.Tab);
        Assert.Equal("amount", q.Sort);
        Assert.False(q.Descending);
        Assert.Equal(3, q.Page);
        Assert.Equal(100, q.PageSize);
        Assert.Equal(200, q.Skip);
        Assert.Equal("taiyuan", q.Filter("city"));
        Assert.Equal(100, q.Filter("min")!.Length);
        Assert.True(q.IsFiltered);
    }

    [Fact]
    public void Links_keep_the_other_values_and_go_back_to_page_one_unless_only_the_page_changes()
    {
        var q = Parse("?q=x&tab=done&sort=amount&dir=asc&page=3&city=taiyuan");

        Assert.Equal("/l?q=x&tab=done&city=taiyuan&sort=amount&dir=asc&page=4", q.Href("/l", ("page", "4")));
        Assert.Equal("/l?q=x&tab=done&city=datong&sort=amount&dir=asc", q.Href("/l", ("city", "datong")));
        Assert.Equal("/l?q=x&tab=done&sort=amount&dir=asc", q.Href("/l", ("city", null)));
        Assert.Equal("/l?q=x&tab=done&city=taiyuan&sort=amount&dir=asc&format=xlsx", q.ExportHref("/l", ExportFormat.Xlsx));
    }

    [Fact]
    public void A_page_past_the_end_shows_the_last_page_with_the_total()
    {
        var q = Parse("?page=9&size=20");
        var page = q.PageOf(Enumerable.Range(1, 45).ToList());

        Assert.Equal(3, page.Page);
        Assert.Equal(45, page.Total);
        Assert.Equal([41, 42, 43, 44, 45], page.Items);
        Assert.Equal(41, page.FirstNumber);
        Assert.Equal(45, page.LastNumber);
        Assert.Equal(0, Parse("").PageOf(Array.Empty<int>()).FirstNumber);
    }

    sealed record Row(string Name, decimal Yuan, DateOnly Day);

    static readonly ExportColumn<Row>[] Columns =
    [
        new("企业名称", r => r.Name),
        new("兑付金额（元）", r => r.Yuan),
        new("日期", r => r.Day),
    ];

    static readonly Row[] Rows = [new("太原, \"甲\" 公司", 12_345.67m, new DateOnly(2027, 1, 4)), new("=HYPERLINK(\"x\")", 0.01m, new DateOnly(2027, 2, 1))];

    [Fact]
    public void Csv_has_a_bom_quotes_what_needs_it_and_defuses_formulas()
    {
        var bytes = TableExport.Csv(Columns, Rows);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);

        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("企业名称,兑付金额（元）,日期", lines[0]);
        Assert.Equal("\"太原, \"\"甲\"\" 公司\",12345.67,2027-01-04", lines[1]);
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\")\",0.01,2027-02-01", lines[2]);
    }

    [Fact]
    public void Xlsx_opens_with_the_headers_values_and_numbers_as_numbers()
    {
        using var stream = new MemoryStream(TableExport.Xlsx("兑付清单", Columns, Rows));
        Assert.Equal(["兑付清单"], MiniExcel.GetSheetNames(stream));

        stream.Position = 0;
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("太原, \"甲\" 公司", rows[0]["企业名称"]);
        Assert.Equal(12_345.67m, Convert.ToDecimal(rows[0]["兑付金额（元）"], CultureInfo.InvariantCulture));
        Assert.Equal("2027-01-04", rows[0]["日期"]);
        Assert.Equal("=HYPERLINK(\"x\")", rows[1]["企业名称"]);
    }
}

/// <summary>The kit's components, rendered by the hosts' renderer.</summary>
public sealed class ListKitComponentTests
{
    static readonly Voucher.Workflows.Web.PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    static ListQuery Parse(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return ListQuery.From(context.Request, ["todo", "done"], ["amount"], null, false, ["city"]);
    }

    static Task<string> Render(Type component, Dictionary<string, object?> parameters) =>
        Renderer.RenderPageAsync(new Voucher.Workflows.Web.ShellModel("列表", null, 0, true, "/l", null, null), component, parameters);

    [Fact]
    public async Task Pager_names_the_total_and_links_neighbouring_pages_keeping_the_filters()
    {
        var q = Parse("?city=taiyuan&page=2&size=20");
        var html = await Render(typeof(Pager), new() { ["Query"] = q, ["Path"] = "/l", ["Total"] = 95, ["ListPageNumber"] = 2, ["PageSize"] = 20 });

        Assert.Contains("共 <strong>95</strong> 条", html);
        Assert.Contains("<span>，第 21–40 条</span>", html);
        Assert.DoesNotContain("@if", html);
        Assert.Contains("<span>，第 2 / 5 页</span>", html);
        Assert.Contains("href=\"/l?tab=todo&amp;city=taiyuan&amp;size=20&amp;page=3\" rel=\"next\"", html);
        Assert.Contains("<span aria-current=\"page\">2</span>", html);
    }

    [Fact]
    public async Task Sort_header_marks_the_current_order_and_links_the_other_direction()
    {
        var html = await Render(typeof(SortHeader), new() { ["Query"] = Parse("?sort=amount&dir=asc"), ["Path"] = "/l", ["Key"] = "amount", ["Label"] = "金额" });

        Assert.Contains("aria-sort=\"ascending\"", html);
        Assert.Contains("href=\"/l?tab=todo&amp;sort=amount&amp;dir=desc\"", html);
    }

    [Fact]
    public async Task Search_opens_more_filters_only_when_one_is_set_and_tabs_mark_the_current_one()
    {
        RenderFragment filters = b => b.AddMarkupContent(0, "<label for=\"city\">地市</label>");
        var closed = await Render(typeof(ListSearch), new() { ["Query"] = Parse("?q=x"), ["Path"] = "/l", ["Filters"] = filters });
        var open = await Render(typeof(ListSearch), new() { ["Query"] = Parse("?city=taiyuan"), ["Path"] = "/l", ["Filters"] = filters });
        var tabs = await Render(typeof(ListTabs), new() { ["Query"] = Parse("?tab=done"), ["Path"] = "/l", ["Tabs"] = new List<ListTab> { new("todo", "待办", 3), new("done", "已办") } });

        Assert.Contains("<details class=\"list-filters\">", closed);
        Assert.Contains("<details class=\"list-filters\" open>", open);
        Assert.Contains("清除条件", open);
        Assert.Contains("<a href=\"/l?tab=done\" aria-current=\"page\" class=\"current\">已办<span class=\"count\"></span></a>", tabs);
        Assert.Contains("待办<span class=\"count\">（3）</span>", tabs);
    }
}
