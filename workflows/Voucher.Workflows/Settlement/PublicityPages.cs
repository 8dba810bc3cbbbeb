using MiniExcelLibs;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The public publicity pages (公示公告): the current notices with a filter by city, each notice on its own page (paged
/// table with the total, an Excel download, a printable version) with the objection form of a chosen row, the archive of
/// past notices, and the lookup of an objection's outcome by its receipt number (rate-limited like the form).
/// </summary>
public sealed class PublicityPages(PublicityService publicity, PublicRateLimiter limiter)
{
    const string Title = "公示公告";

    /// <summary>Rows per page of a notice (the total is on every page).</summary>
    public const int NoticePageSize = 500;

    /// <summary>The rate limiter's bucket of the receipt lookup.</summary>
    public const string ReceiptLimit = "objection-receipt";

    static readonly string[] ArchiveFilters = ["city", "year"];

    public async Task<IResult> ShowAsync(RequestContext ctx)
    {
        var city = CityFilter(ctx.Request.Query["city"].ToString());
        return Pages.View<PublicityPage>(Title, ctx.Principal, new PublicityModel(await publicity.CurrentNoticesAsync(city, ctx.Aborted), city));
    }

    public async Task<IResult> NoticeAsync(RequestContext ctx) => await NoticePageAsync(ctx, print: false);

    public async Task<IResult> PrintAsync(RequestContext ctx) => await NoticePageAsync(ctx, print: true);

    async Task<IResult> NoticePageAsync(RequestContext ctx, bool print)
    {
        var notice = await publicity.NoticeAsync(ctx.RouteValue("batchId"), ctx.Aborted);
        if (notice is null)
        {
            return Pages.NotFound(ctx.Principal, "该公示不存在。");
        }

        if (!print && TableExport.ParseFormat(ctx.Request.Query["format"]) == ExportFormat.Xlsx)
        {
            return Results.File(NoticeXlsx(notice), TableExport.XlsxContentType, $"{notice.Summary.Title}.xlsx");
        }

        var chosen = print ? null : ctx.Request.Query["object"].ToString() is { Length: > 0 } id ? id : null;
        return NoticeView(ctx, notice, PageNumber(ctx, notice, chosen), chosen, print, null, null, [], null, StatusCodes.Status200OK);
    }

    public async Task<IResult> ArchiveAsync(RequestContext ctx)
    {
        var query = ListQuery.From(ctx.Request, [], [], null, true, ArchiveFilters);
        var city = CityFilter(query.Filter("city"));
        var year = query.Filter("year");
        var all = await publicity.ArchiveAsync(city, ctx.Aborted);
        var years = all.Select(n => n.PeriodId.Length >= 4 ? n.PeriodId[..4] : n.PeriodId).Distinct(StringComparer.Ordinal).OrderDescending(StringComparer.Ordinal).ToList();
        var rows = all.Where(n => year is null || n.PeriodId.StartsWith(year, StringComparison.Ordinal))
            .Where(n => query.Keyword.Length == 0 || n.Title.Contains(query.Keyword, StringComparison.Ordinal)).ToList();
        return Pages.View<PublicityArchivePage>("公示公告档案", ctx.Principal, new PublicityArchiveModel(query, query.PageOf(rows), years));
    }

    public async Task<IResult> ReceiptAsync(RequestContext ctx)
    {
        var typed = ctx.Request.Query["no"].ToString().Trim();
        var filed = ctx.Request.Query["filed"].ToString() == "1";
        if (typed.Length == 0)
        {
            return Pages.View<PublicityReceiptPage>("异议受理查询", ctx.Principal, new PublicityReceiptModel("", null, false, null));
        }

        if (!limiter.TryAcquire(ctx.Request, ReceiptLimit))
        {
            return Pages.View<PublicityReceiptPage>("异议受理查询", ctx.Principal, new PublicityReceiptModel(typed, null, false, "查询过于频繁，请一分钟后再试。"), StatusCodes.Status429TooManyRequests);
        }

        var receipt = await publicity.ReceiptAsync(typed, ctx.Aborted);
        return receipt is null
            ? Pages.View<PublicityReceiptPage>("异议受理查询", ctx.Principal, new PublicityReceiptModel(typed, null, false, "未找到该受理编号，请核对后重新输入。"), StatusCodes.Status404NotFound)
            : Pages.View<PublicityReceiptPage>("异议受理查询", ctx.Principal, new PublicityReceiptModel(receipt.ReceiptNo, receipt, filed, null));
    }

    public async Task<IResult> ObjectAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("redemptionId");
        var notice = await publicity.NoticeOfRedemptionAsync(id, ctx.Aborted);
        if (!limiter.TryAcquire(ctx.Request, PublicityApi.ObjectionLimit))
        {
            return notice is null
                ? Pages.Error(ctx.Principal, "提交过于频繁，请一分钟后再试。", StatusCodes.Status429TooManyRequests)
                : NoticeView(ctx, notice, PageOfRow(notice, id), id, false, null, null, [], "提交过于频繁，请一分钟后再试。", StatusCodes.Status429TooManyRequests);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var contact = form["contact"].ToString();
        var grounds = form["grounds"].ToString();
        var outcome = await publicity.FileObjectionAsync(new FileObjection(id, contact, grounds), ctx.Aborted);
        if (outcome.Failure is not { } failure)
        {
            // Post-redirect-get: a refresh does not file the objection again; the receipt page names the number to keep.
            return Results.Redirect($"/publicity/receipts?no={Uri.EscapeDataString(outcome.Value.ReceiptNo)}&filed=1");
        }

        var errors = failure is Failure.Invalid invalid ? invalid.Errors : [];
        var message = errors.Count > 0 ? "异议未提交，请按提示修改。" : Glossary.ChineseOnly(failure.Message);
        return notice is null
            ? Pages.Error(ctx.Principal, "该兑付不在公示中，不能提出异议。", PageStatus.Of(failure))
            : NoticeView(ctx, notice, PageOfRow(notice, id), id, false, contact, grounds, errors, message, PageStatus.Of(failure));
    }

    static IResult NoticeView(RequestContext ctx, NoticeDocument notice, int page, string? formFor, bool print, string? contact, string? grounds, IReadOnlyList<FieldError> errors, string? message, int status)
    {
        var query = new ListQuery("", "", null, false, page, NoticePageSize, new Dictionary<string, string>());
        return Pages.View<PublicityNoticePage>(notice.Summary.Title, ctx.Principal,
            new PublicityNoticeModel(notice, query.PageOf(notice.Rows), query, print, formFor, contact, grounds, errors, message, status >= 400), status);
    }

    /// <summary>The page asked for; with a chosen row and no page, the page that holds the row.</summary>
    static int PageNumber(RequestContext ctx, NoticeDocument notice, string? chosen) =>
        int.TryParse(ctx.Request.Query["page"].ToString(), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
            ? page
            : chosen is null ? 1 : PageOfRow(notice, chosen);

    static int PageOfRow(NoticeDocument notice, string redemptionId) =>
        notice.Rows.FirstOrDefault(r => r.RedemptionId == redemptionId) is { } row ? ((row.Number - 1) / NoticePageSize) + 1 : 1;

    static string? CityFilter(string? code) => Cities.TryGet(code, out var city) ? city.Code : null;

    /// <summary>The notice as a workbook: the title rows (title, issuing unit and window, where objections go), the numbered table and its total.</summary>
    public static byte[] NoticeXlsx(NoticeDocument notice)
    {
        var s = notice.Summary;
        var c = notice.Contacts;
        IEnumerable<IDictionary<string, object?>> Rows()
        {
            static Dictionary<string, object?> Line(object? a, object? b = null, object? c = null, object? d = null, object? e = null) =>
                new(StringComparer.Ordinal) { ["A"] = a, ["B"] = b, ["C"] = c, ["D"] = d, ["E"] = e };

            yield return Line(s.Title);
            yield return Line($"发布单位：{c.Unit}　公示期：{s.Start} 至 {s.End}");
            yield return Line($"受理单位：{c.Unit}　联系电话：{c.Phone}　地址：{c.Address}　邮箱：{c.Email}");
            yield return Line("");
            yield return Line("序号", "企业名称", "服务机构", "服务内容", "兑付金额（元）");
            foreach (var row in notice.Rows)
            {
                yield return Line(row.Number, Cell(row.EnterpriseName), Cell(row.InstitutionName), Cell($"{ServiceCategories.NameOf(row.ServiceCategory)} · {row.ServiceTitle}"), Cny.FromFen(row.PayoutFen).Yuan);
            }

            yield return Line("合计", $"{notice.Rows.Count} 笔", null, null, Cny.FromFen(notice.TotalFen).Yuan);
        }

        using var stream = new MemoryStream();
        stream.SaveAs(Rows(), printHeader: false, sheetName: "公示名单", excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>Cells are values, never formulas: text that a spreadsheet would read as one gets an apostrophe.</summary>
    static string Cell(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;
}

/// <summary>The current notices (of one city when filtered).</summary>
public sealed record PublicityModel(IReadOnlyList<NoticeSummary> Notices, string? City);

/// <summary>One notice's page: the document, the page of rows shown, printable or not, and the objection form of a chosen row with what was typed and the messages.</summary>
public sealed record PublicityNoticeModel(
    NoticeDocument Notice,
    ListPage<NoticeRow> Page,
    ListQuery Query,
    bool Print,
    string? FormFor,
    string? Contact,
    string? Grounds,
    IReadOnlyList<FieldError> Errors,
    string? Message,
    bool MessageIsError);

/// <summary>The archive: the query (keyword, city, year), the page of notices and the years there are.</summary>
public sealed record PublicityArchiveModel(ListQuery Query, ListPage<NoticeSummary> Page, IReadOnlyList<string> Years);

/// <summary>The receipt lookup: the number typed, what it shows (null: nothing found or not asked), just filed, a message.</summary>
public sealed record PublicityReceiptModel(string Typed, ReceiptView? Receipt, bool JustFiled, string? Message);
