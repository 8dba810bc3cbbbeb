using System.Globalization;
using MiniExcelLibs;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The formal publicity notices over Azurite, through the page handlers: the list with its city filter, a notice's
/// header (title, 公示期, issuing unit, the city's objection contacts), numbered rows and total, its <c>.xlsx</c> opened
/// and read, the archive after publicity closes, and the receipt number flow (filed → receipt → outcome after the
/// bureau resolves; unknown and forged numbers answered alike) with the bureau's objections work list.
/// </summary>
public sealed class PublicityNoticeTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    static readonly PageRenderer Renderer = new(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance);

    [Fact]
    public async Task Notice_HasTitleWindowIssuerContactsNumberedRowsAndTotal_AndTheListFiltersByCity()
    {
        const string city = "shuozhou";
        var (batchId, first, second) = await Seed.PublicityBatchAsync(city);
        var pages = Get<PublicityPages>();

        var listed = Model<PublicityModel>(await pages.ShowAsync(Query(Seed.Request(null, null), "?city=shuozhou")));
        var notice = Assert.Single(listed.Notices);
        Assert.Equal((batchId, "朔州市"), (notice.BatchId, notice.Title[..3]));
        var elsewhere = Model<PublicityModel>(await pages.ShowAsync(Query(Seed.Request(null, null), "?city=datong")));
        Assert.DoesNotContain(elsewhere.Notices, n => n.BatchId == batchId);
        var listHtml = await Renderer.RenderAsync<PublicityPage>(new Dictionary<string, object?> { ["Model"] = listed });
        Assert.Contains($"href=\"/publicity/notices/{batchId}\"", listHtml);
        Assert.Contains("<option value=\"shuozhou\" selected>朔州市</option>", listHtml);

        var result = await pages.NoticeAsync(Seed.Request(null, null, ("batchId", batchId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(result));
        var model = Model<PublicityNoticeModel>(result);
        Assert.Equal([1, 2], model.Notice.Rows.Select(r => r.Number));
        Assert.Equal(new[] { first.RedemptionId, second.RedemptionId }.Order(StringComparer.Ordinal), model.Notice.Rows.Select(r => r.RedemptionId));
        var total = model.Notice.Rows.Sum(r => r.PayoutFen);
        Assert.Equal(first.Payout.Payout.Fen + second.Payout.Payout.Fen, total);

        var html = await Renderer.RenderAsync<PublicityNoticePage>(new Dictionary<string, object?> { ["Model"] = model });
        var period = SettlementIds.Split(batchId)!.Value.Period;
        Assert.Contains($"<h2 class=\"notice-title\" id=\"notice-title\">{SettlementText.NoticeTitle(city, period)}</h2>", html);
        Assert.Contains("科技创新券兑付结果公示", html);
        Assert.Contains("发布单位：朔州市科技局", html);
        var start = SettlementSeed.Today;
        Assert.Contains($"<dt>公示期</dt>\n<dd>{Glossary.DateInSentence(start)}至", html.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains("<dt>受理单位</dt><dd>朔州市科技局</dd>", html);
        Assert.Contains("<dt>联系电话</dt><dd>0349-12345</dd>", html);
        Assert.Contains("<dt>地址</dt><dd>朔州市政务服务中心科技局窗口</dd>", html);
        Assert.Contains("mailto:kjj@shuozhou.gov.cn", html);
        Assert.Contains("<td data-label=\"序号\">1</td>", html);
        Assert.Contains("<td data-label=\"序号\">2</td>", html);
        Assert.Contains("合计 2 笔", html);
        Assert.Contains(Glossary.Money(total), html);
        Assert.Contains($"href=\"/publicity/notices/{batchId}?format=xlsx\"", html);
        Assert.Contains($"href=\"/publicity/notices/{batchId}/print\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("onclick", html);

        // The printable version: the same notice without the objection column and links.
        var print = Model<PublicityNoticeModel>(await pages.PrintAsync(Seed.Request(null, null, ("batchId", batchId))));
        var printHtml = await Renderer.RenderAsync<PublicityNoticePage>(new Dictionary<string, object?> { ["Model"] = print });
        Assert.True(print.Print);
        Assert.DoesNotContain("?object=", printHtml);
        Assert.Contains("?object=", html);
        Assert.Contains("合计 2 笔", printHtml);

        // A batch that never reached publicity has no notice.
        Assert.Equal(StatusCodes.Status404NotFound, SettlementSeed.StatusOf(await pages.NoticeAsync(Seed.Request(null, null, ("batchId", $"{city}-1999M01")))));
    }

    [Fact]
    public async Task NoticeXlsx_OpensWithTheTitleRowsTheNumberedTableAndTheTotal()
    {
        const string city = "xinzhou";
        var (batchId, _, _) = await Seed.PublicityBatchAsync(city);

        var result = await Get<PublicityPages>().NoticeAsync(Query(Seed.Request(null, null, ("batchId", batchId)), "?format=xlsx"));

        var file = Assert.IsType<FileContentHttpResult>(result);
        Assert.Equal(TableExport.XlsxContentType, file.ContentType);
        Assert.EndsWith("科技创新券兑付结果公示.xlsx", file.FileDownloadName, StringComparison.Ordinal);
        using var stream = new MemoryStream(file.FileContents.ToArray());
        var rows = MiniExcel.Query(stream, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        var notice = (await Get<PublicityService>().NoticeAsync(batchId, CancellationToken.None))!;
        Assert.Equal(notice.Summary.Title, rows[0]["A"]);
        Assert.Contains("忻州市科技局", rows[1]["A"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("0350-12345", rows[2]["A"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["序号", "企业名称", "服务机构", "服务内容", "兑付金额（元）"], new[] { "A", "B", "C", "D", "E" }.Select(k => rows[4][k]?.ToString()));
        for (var i = 0; i < notice.Rows.Count; i++)
        {
            var row = rows[5 + i];
            Assert.Equal(i + 1, Convert.ToInt32(row["A"], CultureInfo.InvariantCulture));
            Assert.Equal(notice.Rows[i].EnterpriseName, row["B"]);
            Assert.Equal(Cny.FromFen(notice.Rows[i].PayoutFen).Yuan, Convert.ToDecimal(row["E"], CultureInfo.InvariantCulture));
        }

        var last = rows[5 + notice.Rows.Count];
        Assert.Equal(("合计", "2 笔"), (last["A"], last["B"]));
        Assert.Equal(Cny.FromFen(notice.TotalFen).Yuan, Convert.ToDecimal(last["E"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Archive_KeepsTheNoticeAfterPublicityCloses_ByCityAndYear()
    {
        const string city = "linfen";
        var (batchId, _, _) = await Seed.PublicityBatchAsync(city);
        var pages = Get<PublicityPages>();

        await Get<CloseSettlement>().RunAsync(new BatchStep(batchId, DateTime.UtcNow));

        var current = Model<PublicityModel>(await pages.ShowAsync(Query(Seed.Request(null, null), "?city=linfen")));
        Assert.Empty(current.Notices);
        var year = SettlementIds.Split(batchId)!.Value.Period[..4];
        var archive = Model<PublicityArchiveModel>(await pages.ArchiveAsync(Query(Seed.Request(null, null), $"?city=linfen&year={year}")));
        var kept = Assert.Single(archive.Page.Items);
        Assert.Equal((batchId, false), (kept.BatchId, kept.Current));
        var otherCity = Model<PublicityArchiveModel>(await pages.ArchiveAsync(Query(Seed.Request(null, null), "?city=datong")));
        Assert.DoesNotContain(otherCity.Page.Items, n => n.BatchId == batchId);
        var archiveHtml = await Renderer.RenderAsync<PublicityArchivePage>(new Dictionary<string, object?> { ["Model"] = archive });
        Assert.Contains($"<a href=\"/publicity/notices/{batchId}\">", archiveHtml);
        Assert.Contains("公示期已结束", archiveHtml);

        // The closed notice still opens, says its window ended, and takes no objection.
        var closed = Model<PublicityNoticeModel>(await pages.NoticeAsync(Seed.Request(null, null, ("batchId", batchId))));
        var html = await Renderer.RenderAsync<PublicityNoticePage>(new Dictionary<string, object?> { ["Model"] = closed });
        Assert.Contains("（公示期已结束）", html);
        Assert.Contains("公示期已结束，不再受理异议。", html);
        Assert.DoesNotContain("?object=", html);
        Assert.Equal(2, closed.Notice.Rows.Count);
    }

    [Fact]
    public async Task Receipt_FiledGivesANumber_LookupShowsOpenThenTheOutcome_AndTheBureauListMovesItToDone()
    {
        const string city = "jinzhong";
        var (batchId, objected, _) = await Seed.PublicityBatchAsync(city);
        var pages = Get<PublicityPages>();

        var filed = await pages.ObjectAsync(Seed.FormRequest(new Dictionary<string, string> { ["contact"] = "李明 13800138000", ["grounds"] = "服务并未实际发生。" }, ("redemptionId", objected.RedemptionId)));
        var redirect = Assert.IsType<RedirectHttpResult>(filed);
        Assert.StartsWith("/publicity/receipts?no=", redirect.Url, StringComparison.Ordinal);
        var receiptNo = Uri.UnescapeDataString(redirect.Url["/publicity/receipts?no=".Length..].Split('&')[0]);
        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", receiptNo);

        var open = Model<PublicityReceiptModel>(await pages.ReceiptAsync(Query(Seed.Request(null, null), $"?no={receiptNo.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)}&filed=1")));
        Assert.NotNull(open.Receipt);
        Assert.Equal((receiptNo, ObjectionStatus.Open, batchId), (open.Receipt.ReceiptNo, open.Receipt.Status, open.Receipt.Notice.BatchId));
        var openHtml = await Renderer.RenderAsync<PublicityReceiptPage>(new Dictionary<string, object?> { ["Model"] = open });
        Assert.Contains($"受理编号：<strong class=\"receipt-no\">{receiptNo}</strong>", openHtml);
        Assert.Contains("待处理", openHtml);
        Assert.DoesNotContain("13800138000", openHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("李明", openHtml, StringComparison.Ordinal);

        // The notice marks the row; the bureau's 待办 lists it with the receipt number.
        var notice = (await Get<PublicityService>().NoticeAsync(batchId, CancellationToken.None))!;
        Assert.Equal(ObjectionStatus.Open, notice.ObjectionOf(objected.RedemptionId));
        var bureau = SettlementSeed.CityBureau(city);
        var todo = Model<ObjectionsWorkListModel>(await Get<BureauSettlementPages>().ObjectionsAsync(Seed.Request(bureau, null)));
        var row = Assert.Single(todo.Page.Items);
        Assert.Equal((objected.RedemptionId, receiptNo), (row.RedemptionId, row.ReceiptNo));

        // The bureau dismisses it (the portal form, confirmed): the receipt shows the outcome, the list moves it to 已办.
        var resolved = await Get<BureauSettlementPages>().ResolveObjectionFormAsync(Seed.FormRequest(bureau,
            new Dictionary<string, string> { ["uphold"] = "false", ["reason"] = "经核查服务真实发生。", ["confirmed"] = "yes" }, ("redemptionId", objected.RedemptionId)));
        Assert.NotEqual(StatusCodes.Status404NotFound, SettlementSeed.StatusOf(resolved));
        Assert.Equal(RedemptionStatus.Published, (await Seed.RedemptionAsync(objected.RedemptionId)).State);

        var outcome = Model<PublicityReceiptModel>(await pages.ReceiptAsync(Query(Seed.Request(null, null), $"?no={receiptNo}")));
        Assert.Equal((ObjectionStatus.Dismissed, "经核查服务真实发生。"), (outcome.Receipt!.Status, outcome.Receipt.Resolution));
        var outcomeHtml = await Renderer.RenderAsync<PublicityReceiptPage>(new Dictionary<string, object?> { ["Model"] = outcome });
        Assert.Contains("异议不成立", outcomeHtml);
        Assert.Contains("经核查服务真实发生。", outcomeHtml);

        var pagesOf = Get<BureauSettlementPages>();
        Assert.Empty(Model<ObjectionsWorkListModel>(await pagesOf.ObjectionsAsync(Seed.Request(bureau, null))).Page.Items);
        var done = Model<ObjectionsWorkListModel>(await pagesOf.ObjectionsAsync(Query(Seed.Request(bureau, null), $"?tab=done&q={receiptNo}")));
        Assert.Equal(objected.RedemptionId, Assert.Single(done.Page.Items).RedemptionId);
        var doneHtml = await Renderer.RenderAsync<PublicityObjectionsPage>(new Dictionary<string, object?> { ["Model"] = done });
        Assert.Contains("异议不成立", doneHtml);
        Assert.Contains("合计 1 件", doneHtml);

        var export = Assert.IsType<FileContentHttpResult>(await pagesOf.ObjectionsAsync(Query(Seed.Request(bureau, null), "?tab=done&format=xlsx")));
        using var stream = new MemoryStream(export.FileContents.ToArray());
        var exported = Assert.Single(MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>());
        Assert.Equal((receiptNo, "异议不成立", "经核查服务真实发生。"), (exported["受理编号"], exported["状态"], exported["处理意见"]));

        // Another city's bureau sees none of it.
        Assert.Empty(Model<ObjectionsWorkListModel>(await pagesOf.ObjectionsAsync(Query(Seed.Request(SettlementSeed.CityBureau("datong"), null), "?tab=done"))).Page.Items);
    }

    [Fact]
    public async Task Receipt_UnknownMalformedAndForgedNumbers_AreAnsweredAlike_RevealingNothing()
    {
        const string city = "yangquan";
        var (_, objected, _) = await Seed.PublicityBatchAsync(city);
        var pages = Get<PublicityPages>();
        var filed = Assert.IsType<RedirectHttpResult>(await pages.ObjectAsync(Seed.FormRequest(new Dictionary<string, string> { ["contact"] = "王某", ["grounds"] = "金额有误。" }, ("redemptionId", objected.RedemptionId))));
        var real = Uri.UnescapeDataString(filed.Url["/publicity/receipts?no=".Length..].Split('&')[0]);
        var forged = (real[0] == 'A' ? 'B' : 'A') + real[1..];

        foreach (var typed in new[] { forged, "ZZZZ-ZZZZ-ZZZZ", "1234", objected.RedemptionId, "<script>" })
        {
            var result = await pages.ReceiptAsync(Query(Seed.Request(null, null), $"?no={Uri.EscapeDataString(typed)}"));
            Assert.Equal(StatusCodes.Status404NotFound, SettlementSeed.StatusOf(result));
            var model = Model<PublicityReceiptModel>(result);
            Assert.Null(model.Receipt);
            Assert.Equal("未找到该受理编号，请核对后重新输入。", model.Message);
        }

        Assert.NotNull(Model<PublicityReceiptModel>(await pages.ReceiptAsync(Query(Seed.Request(null, null), $"?no={real}"))).Receipt);
    }

    [Fact]
    public async Task A_published_notice_keeps_the_contacts_of_its_batchs_policy_version_and_the_next_notice_shows_the_bureaus_new_ones()
    {
        const string city = "datong";
        var (batchId, _, _) = await Seed.PublicityBatchAsync(city, policyVersion: 1);
        var bureau = new VoucherPrincipal("dev:bureau:dt", "赵敏", Role.CityBureau, city);
        var published = await Get<PolicyService>().PublishObjectionContactsAsync(bureau, city,
            new ObjectionContactsChange(null, "大同市科技局成果转化科", "0352-7654321", "大同市御东新区文瀛湖街", "gs@kjj.datong.gov.cn", "受理窗口调整"), CancellationToken.None);
        Assert.True(published.Succeeded, published.Failure?.Message);

        // The notice published before the change keeps its version's contacts.
        var old = Assert.IsType<NoticeDocument>(await Get<PublicityService>().NoticeAsync(batchId, CancellationToken.None));
        Assert.Equal(NoticeContacts.DefaultFor(city), old.Contacts);

        // A batch formed under the new version shows the new contacts, on the page too.
        var next = A.Batch(city, "2025Q1").InStage(BatchStage.Closed).InPublicity("2025-04-07", "2025-04-11", new DateTimeOffset(2025, 4, 11, 16, 0, 0, TimeSpan.Zero))
            .With(b => b.PolicyVersion = published.Value.Version).Build();
        await Get<VoucherStore>().UpsertAsync(VoucherStore.Batches, next);
        var result = await Get<PublicityPages>().NoticeAsync(Seed.Request(null, null, ("batchId", next.BatchId)));
        var html = await Renderer.RenderAsync<PublicityNoticePage>(new Dictionary<string, object?> { ["Model"] = Model<PublicityNoticeModel>(result) });
        Assert.Contains("<dt>受理单位</dt><dd>大同市科技局成果转化科</dd>", html);
        Assert.Contains("<dt>联系电话</dt><dd>0352-7654321</dd>", html);
        Assert.Contains("mailto:gs@kjj.datong.gov.cn", html);
    }

    static T Model<T>(IResult result) => Assert.IsType<T>(Assert.IsType<PageResult>(result).Parameters["Model"]);

    static RequestContext Query(RequestContext ctx, string query)
    {
        ctx.Request.QueryString = new QueryString(query);
        return ctx;
    }
}
