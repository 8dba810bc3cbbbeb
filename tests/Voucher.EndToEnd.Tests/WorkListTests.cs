using System.Globalization;
using MiniExcelLibs;
using Voucher.Domain;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The city bureau's work lists over the real local host and Azurite: applications and redemptions written through
/// the stores (records and their city index rows, as the activities write them) in a city no other flow test uses;
/// the page's 共 N 条, the tab counts, the .xlsx and CSV exports and the totals agree with counts taken from the
/// records' own table; filters and tabs narrow; another city's bureau sees none of it.
/// </summary>
[Collection(FlowCollection.Name)]
public sealed class WorkListTests(FlowHostFixture fixture, ITestOutputHelper output)
{
    const string City = "jincheng";
    const string OtherCity = "shuozhou";

    Uri Base => fixture.Host.BaseAddress;

    static readonly ApplicationStatus[] AppStatuses =
    [
        .. Enumerable.Repeat(ApplicationStatus.UnderReview, 27), .. Enumerable.Repeat(ApplicationStatus.Escalated, 4),
        .. Enumerable.Repeat(ApplicationStatus.Approved, 6), .. Enumerable.Repeat(ApplicationStatus.Rejected, 3),
        ApplicationStatus.Submitted, ApplicationStatus.Withdrawn,
    ];

    async Task<List<ApplicationEntity>> SeedApplicationsAsync(string tag)
    {
        var store = new ApplicationStore(fixture.Store);
        var now = DateTimeOffset.UtcNow;
        var seeded = new List<ApplicationEntity>();
        for (var i = 0; i < AppStatuses.Length; i++)
        {
            var uscc = TestUscc.New(City);
            var status = AppStatuses[i];
            var decided = status is ApplicationStatus.Approved or ApplicationStatus.Rejected;
            var app = new ApplicationEntity
            {
                PartitionKey = uscc,
                RowKey = ApplicationStore.NewId(uscc, now.Year, 1),
                EnterpriseName = $"晋城{tag}企业{i:D2}",
                CityCode = City,
                Status = status,
                Round = 1,
                SubmittedAt = now.AddDays(-60 + i),
                DeadlineDate = status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated ? Glossary(DateOnly.FromDateTime(now.UtcDateTime).AddDays(5 + i)) : null,
                Approved = decided ? status == ApplicationStatus.Approved : null,
                DecidedAt = decided ? now.AddDays(-i) : null,
            };
            Assert.True(await store.TryCreateAsync(app));
            seeded.Add(app);
        }

        return seeded;
    }

    static string Glossary(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The city's applications counted from the records' table (a test may scan it; the host never does).</summary>
    async Task<List<ApplicationEntity>> RecordsOfCityAsync(string city) =>
        await ReadAllAsync(fixture.Store.Table(VoucherStore.Applications).QueryAsync<ApplicationEntity>(e => e.CityCode == city));

    static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> rows)
    {
        var list = new List<T>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    static int Total(string html)
    {
        var at = html.IndexOf("共 <strong>", StringComparison.Ordinal);
        Assert.True(at >= 0, "the page shows 共 N 条");
        var start = at + "共 <strong>".Length;
        return int.Parse(html[start..html.IndexOf('<', start)], CultureInfo.InvariantCulture);
    }

    static async Task<List<IDictionary<string, object>>> XlsxAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
    }

    [Fact]
    public async Task Application_reviews_totals_tabs_filters_and_export_agree_with_the_records_and_other_cities_see_nothing()
    {
        var tag = Guid.NewGuid().ToString("N")[..4];
        var seeded = await SeedApplicationsAsync(tag);
        using var bureau = await SiteClient.SignInAsync(Base, "city-bureau", City, "晋城市科技局审核员");
        var records = await RecordsOfCityAsync(City);
        var todo = records.Count(r => r.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated);
        var done = records.Count(r => r.Status is ApplicationStatus.Approved or ApplicationStatus.Rejected);
        output.WriteLine($"records in {City}: {records.Count}, 待办 {todo}, 已办 {done}");

        // 待办, 20 a page: the total is the whole queue, the page holds 20 rows, tabs carry both counts.
        var (status, html) = await bureau.GetAsync("portal/work/applications?size=20");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(todo, Total(html));
        Assert.DoesNotContain("@if", html, StringComparison.Ordinal);
        Assert.Contains($"待办<span class=\"count\">（{todo}）</span>", html, StringComparison.Ordinal);
        Assert.Contains($"已办<span class=\"count\">（{done}）</span>", html, StringComparison.Ordinal);
        Assert.Equal(20, CountOccurrences(html, "data-label=\"办件编号\""));
        var (_, page2) = await bureau.GetAsync("portal/work/applications?size=20&page=2");
        Assert.Equal(todo - 20, CountOccurrences(page2, "data-label=\"办件编号\""));

        // The export is the whole filtered list in the same order (nearest deadline first), every page.
        var rows = await XlsxAsync(bureau.Http, "portal/work/applications?size=20&format=xlsx");
        Assert.Equal(todo, rows.Count);
        var expectedOrder = records.Where(r => r.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated)
            .OrderBy(r => r.DeadlineDate, StringComparer.Ordinal).ThenBy(r => r.ApplicationId, StringComparer.Ordinal).Select(r => r.ApplicationId);
        Assert.Equal(expectedOrder, rows.Select(r => r["办件编号"].ToString()));

        // Filters and the 已办 tab.
        Assert.Equal(records.Count(r => r.Status == ApplicationStatus.Escalated), (await XlsxAsync(bureau.Http, "portal/work/applications?status=Escalated&format=xlsx")).Count);
        var doneRows = await XlsxAsync(bureau.Http, "portal/work/applications?tab=done&format=xlsx");
        Assert.Equal(done, doneRows.Count);
        Assert.All(doneRows, r => Assert.Contains(r["状态"].ToString(), new[] { "已通过", "未通过" }));
        var one = seeded[3];
        var (_, searched) = await bureau.GetAsync("portal/work/applications?q=" + Uri.EscapeDataString(one.EnterpriseName));
        Assert.Equal(1, Total(searched));
        Assert.Contains(one.ApplicationId, searched, StringComparison.Ordinal);

        // CSV of the same list.
        using (var csv = await bureau.Http.GetAsync("portal/work/applications?tab=done&format=csv"))
        {
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Equal(done + 1, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        // A status of the other tab: the list unfiltered, the message by the field.
        var (refused, refusedHtml) = await bureau.GetAsync("portal/work/applications?status=Approved");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("请从列出的状态中选择。", refusedHtml, StringComparison.Ordinal);

        // Another city's bureau sees none of this city's rows: its own totals only.
        using var other = await SiteClient.SignInAsync(Base, "city-bureau", OtherCity, "朔州市科技局审核员");
        var otherRecords = await RecordsOfCityAsync(OtherCity);
        var (_, otherHtml) = await other.GetAsync("portal/work/applications");
        Assert.Equal(otherRecords.Count(r => r.Status is ApplicationStatus.UnderReview or ApplicationStatus.Escalated), Total(otherHtml));
        Assert.All(seeded, s => Assert.DoesNotContain(s.ApplicationId, otherHtml, StringComparison.Ordinal));
        var otherExport = await XlsxAsync(other.Http, "portal/work/applications?tab=done&format=xlsx");
        Assert.All(otherExport, r => Assert.DoesNotContain(r["办件编号"].ToString(), seeded.Select(s => s.ApplicationId)));
    }

    [Fact]
    public async Task Redemption_totals_and_amounts_agree_with_the_records_and_the_status_filter_narrows()
    {
        var store = new RedemptionStore(fixture.Store);
        var now = DateTimeOffset.UtcNow;
        RedemptionStatus[] statuses = [.. Enumerable.Repeat(RedemptionStatus.Queued, 12), .. Enumerable.Repeat(RedemptionStatus.AwaitingEvidence, 5), RedemptionStatus.InBatch, RedemptionStatus.Paid, RedemptionStatus.Paid, RedemptionStatus.Withdrawn];
        var seeded = new List<RedemptionEntity>();
        for (var i = 0; i < statuses.Length; i++)
        {
            var uscc = TestUscc.New(City);
            var r = new RedemptionEntity
            {
                PartitionKey = uscc,
                RowKey = RedemptionStore.NewId($"V-{uscc}-{now.Year}-01", 1),
                EnterpriseName = $"晋城兑付企业{i:D2}",
                VoucherId = $"V-{uscc}-{now.Year}-01",
                CityCode = City,
                InstitutionId = i % 2 == 0 ? "inst-jc-a" : "inst-jc-b",
                InstitutionName = i % 2 == 0 ? "晋城检测中心" : "晋城工业设计院",
                ServiceTitle = "检测服务",
                AmountPaidFen = 10_000_00 + (i * 1_234_56),
                PayoutFen = statuses[i] is RedemptionStatus.AwaitingEvidence or RedemptionStatus.Withdrawn ? 0 : 5_000_00 + (i * 617_28),
                Status = statuses[i],
                SubmittedAt = now.AddDays(-30 + i),
            };
            Assert.True(await store.TryCreateAsync(r));
            seeded.Add(r);
        }

        using var bureau = await SiteClient.SignInAsync(Base, "city-bureau", City, "晋城市科技局审核员");
        var records = await ReadAllAsync(fixture.Store.Table(VoucherStore.Redemptions).QueryAsync<RedemptionEntity>(e => e.CityCode == City));
        var open = records.Where(r => !RedemptionTransitions.IsFinal(r.Status)).ToList();

        var (status, html) = await bureau.GetAsync("portal/work/redemptions?size=20");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(open.Count, Total(html));
        Assert.Contains(Voucher.Workflows.Web.Glossary.Money(open.Sum(r => r.PayoutFen)), html, StringComparison.Ordinal);
        Assert.Contains(Voucher.Workflows.Web.Glossary.Money(open.Sum(r => r.AmountPaidFen)), html, StringComparison.Ordinal);

        var rows = await XlsxAsync(bureau.Http, "portal/work/redemptions?sort=payout&dir=desc&format=xlsx");
        Assert.Equal(open.Count, rows.Count);
        Assert.Equal(open.Sum(r => r.PayoutFen) / 100m, rows.Sum(r => Convert.ToDecimal(r["核定兑付（元）"], CultureInfo.InvariantCulture)));
        var payouts = rows.Select(r => Convert.ToDecimal(r["核定兑付（元）"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(payouts.OrderByDescending(p => p), payouts);

        var queued = await XlsxAsync(bureau.Http, "portal/work/redemptions?status=Queued&institution=" + Uri.EscapeDataString("检测中心") + "&format=xlsx");
        Assert.Equal(records.Count(r => r.Status == RedemptionStatus.Queued && r.InstitutionName == "晋城检测中心"), queued.Count);
        Assert.All(queued, r => Assert.Equal("晋城检测中心", r["服务机构"]));

        var done = await XlsxAsync(bureau.Http, "portal/work/redemptions?tab=done&format=xlsx");
        Assert.Equal(records.Count(r => RedemptionTransitions.IsFinal(r.Status)), done.Count);

        using var other = await SiteClient.SignInAsync(Base, "city-bureau", OtherCity, "朔州市科技局审核员");
        var (_, otherHtml) = await other.GetAsync("portal/work/redemptions");
        Assert.All(seeded, s => Assert.DoesNotContain(s.RedemptionId, otherHtml, StringComparison.Ordinal));
        Assert.DoesNotContain("晋城检测中心", otherHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batches_show_counts_and_payout_totals_of_the_redemptions_frozen_into_them()
    {
        const string city = "changzhi";
        var redemptions = new RedemptionStore(fixture.Store);
        var now = DateTimeOffset.UtcNow;
        var periods = new[] { ("2019M01", BatchStage.Reviewing, 4), ("2019M02", BatchStage.Closed, 3), ("2019M03", BatchStage.Publicity, 5) };
        foreach (var (period, stage, items) in periods)
        {
            await fixture.Store.UpsertAsync(VoucherStore.Batches, new Voucher.Workflows.Settlement.BatchEntity { PartitionKey = city, RowKey = period, Stage = stage, ItemCount = items, FormedAt = now });
            for (var i = 0; i < items; i++)
            {
                var uscc = TestUscc.New(city);
                Assert.True(await redemptions.TryCreateAsync(new RedemptionEntity
                {
                    PartitionKey = uscc,
                    RowKey = RedemptionStore.NewId($"V-{uscc}-{now.Year}-01", 1),
                    EnterpriseName = $"长治批次企业{period}{i}",
                    VoucherId = $"V-{uscc}-{now.Year}-01",
                    CityCode = city,
                    InstitutionId = "inst-cz",
                    InstitutionName = "长治检测中心",
                    ServiceTitle = "检测服务",
                    AmountPaidFen = 20_000_00,
                    PayoutFen = 10_000_00 + (i * 100_00),
                    Status = stage == BatchStage.Reviewing ? RedemptionStatus.InBatch : i == 0 ? RedemptionStatus.Rejected : RedemptionStatus.Payable,
                    BatchId = $"{city}-{period}",
                    SubmittedAt = now.AddDays(-40),
                }));
            }
        }

        using var bureau = await SiteClient.SignInAsync(Base, "city-bureau", city, "长治市科技局审核员");
        var records = await ReadAllAsync(fixture.Store.Table(VoucherStore.Redemptions).QueryAsync<RedemptionEntity>(e => e.CityCode == city));
        var batches = await fixture.Store.PartitionAsync<Voucher.Workflows.Settlement.BatchEntity>(VoucherStore.Batches, city, 1000);

        var (status, html) = await bureau.GetAsync("portal/work/batches");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(batches.Count(b => b.Stage is BatchStage.Forming or BatchStage.Reviewing), Total(html));
        Assert.Contains("2019年1月", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/batches/", html, StringComparison.Ordinal);

        var done = await XlsxAsync(bureau.Http, "portal/work/batches?tab=done&sort=payout&dir=asc&format=xlsx");
        Assert.Equal(batches.Count(b => b.Stage is BatchStage.Deciding or BatchStage.Publicity or BatchStage.Closed), done.Count);
        foreach (var row in done)
        {
            var batchId = city + "-" + batches.Single(b => Voucher.Workflows.Settlement.SettlementText.PeriodName(b.PeriodId) == row["结算期次"].ToString()).PeriodId;
            var items = records.Where(r => r.BatchId == batchId).ToList();
            Assert.Equal(items.Count, Convert.ToInt32(row["兑付笔数"], CultureInfo.InvariantCulture));
            Assert.Equal(items.Sum(r => r.PayoutFen) / 100m, Convert.ToDecimal(row["核定兑付（元）"], CultureInfo.InvariantCulture));
            Assert.Equal(items.Where(r => r.Status == RedemptionStatus.Payable).Sum(r => r.PayoutFen) / 100m, Convert.ToDecimal(row["审核通过金额（元）"], CultureInfo.InvariantCulture));
        }

        // Sorted by pay-out, smallest first: 2019M02 (three items) before 2019M03 (five).
        Assert.Equal(["2019年2月", "2019年3月"], done.Select(r => r["结算期次"].ToString()));

        using var other = await SiteClient.SignInAsync(Base, "city-bureau", OtherCity, "朔州市科技局审核员");
        var (_, otherHtml) = await other.GetAsync("portal/work/batches?tab=done");
        Assert.DoesNotContain("2019年2月", otherHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claw_backs_tabs_totals_and_export_agree_with_the_records_and_another_citys_finance_bureau_sees_none()
    {
        var now = DateTimeOffset.UtcNow;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var seeded = new List<Voucher.Workflows.Enforcement.ClawBackEntity>();
        for (var i = 0; i < 30; i++)
        {
            var uscc = TestUscc.New(City);
            var confirmed = i % 4 == 0;
            var claw = new Voucher.Workflows.Enforcement.ClawBackEntity
            {
                PartitionKey = City,
                RowKey = Voucher.Workflows.Enforcement.ClawBackEntity.IdFor($"VIO-{tag}-{i:D2}", $"R-{uscc}-{i:D2}"),
                ViolationId = $"VIO-{tag}-{i:D2}",
                RedemptionId = $"R-{uscc}-{i:D2}",
                Uscc = uscc,
                EnterpriseName = $"晋城追回{tag}企业{i:D2}",
                AmountFen = 1_000_00 + (i * 333_33),
                Kind = i % 3 == 0 ? "prepaid" : "paid",
                CreatedAt = now.AddDays(-40 + i),
                Status = confirmed ? ClawBackStatus.Confirmed : ClawBackStatus.Due,
                Reference = confirmed ? $"ZH-{tag}-{i:D2}" : null,
                ConfirmedAt = confirmed ? now.AddDays(-10 + i) : null,
            };
            await fixture.Store.UpsertAsync(VoucherStore.ClawBacks, claw);
            seeded.Add(claw);
        }

        using var finance = await SiteClient.SignInAsync(Base, "finance-bureau", City, "晋城市财政局经办人");
        var records = await fixture.Store.PartitionAsync<Voucher.Workflows.Enforcement.ClawBackEntity>(VoucherStore.ClawBacks, City, 100_000);
        var due = records.Where(r => r.Status == ClawBackStatus.Due).ToList();
        var recovered = records.Where(r => r.Status == ClawBackStatus.Confirmed).ToList();

        var (status, html) = await finance.GetAsync("portal/work/clawbacks?size=20");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(due.Count, Total(html));
        Assert.Equal(Math.Min(20, due.Count), CountOccurrences(html, "data-label=\"兑付申请编号\""));
        var (_, page2) = await finance.GetAsync("portal/work/clawbacks?size=20&page=2");
        Assert.Equal(due.Count - 20, CountOccurrences(page2, "data-label=\"兑付申请编号\""));
        Assert.Contains($"待确认<span class=\"count\">（{due.Count}）</span>", html, StringComparison.Ordinal);
        Assert.Contains($"已确认<span class=\"count\">（{recovered.Count}）</span>", html, StringComparison.Ordinal);
        Assert.Contains(Voucher.Workflows.Web.Glossary.Money(due.Sum(r => r.AmountFen)), html, StringComparison.Ordinal);

        // The export: every due claw-back, oldest first, amounts adding up to the records'.
        var rows = await XlsxAsync(finance.Http, "portal/work/clawbacks?size=20&format=xlsx");
        Assert.Equal(due.Count, rows.Count);
        Assert.Equal(due.Sum(r => r.AmountFen) / 100m, rows.Sum(r => Convert.ToDecimal(r["追回金额（元）"], CultureInfo.InvariantCulture)));
        Assert.Equal(due.OrderBy(r => r.CreatedAt).ThenBy(r => r.ClawBackId, StringComparer.Ordinal).Select(r => r.RedemptionId), rows.Select(r => r["兑付申请编号"].ToString()));

        // 已确认 with the kind filter; the keyword finds one by its reference.
        var prepaidDone = await XlsxAsync(finance.Http, "portal/work/clawbacks?tab=done&kind=prepaid&format=xlsx");
        Assert.Equal(recovered.Count(r => r.Kind == "prepaid"), prepaidDone.Count);
        Assert.All(prepaidDone, r => Assert.Equal("事前兑付资金", r["资金类别"]));
        var one = seeded.First(s => s.Reference is not null);
        var (_, searched) = await finance.GetAsync("portal/work/clawbacks?tab=done&q=" + Uri.EscapeDataString(one.Reference!));
        Assert.Equal(1, Total(searched));
        Assert.Contains(one.RedemptionId, searched, StringComparison.Ordinal);

        // An unknown kind: refused by the field, the list unfiltered.
        var (refused, refusedHtml) = await finance.GetAsync("portal/work/clawbacks?kind=other");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("请从列出的资金类别中选择。", refusedHtml, StringComparison.Ordinal);

        // Another city's finance bureau: none of these.
        using var other = await SiteClient.SignInAsync(Base, "finance-bureau", OtherCity, "朔州市财政局经办人");
        var (_, otherHtml) = await other.GetAsync("portal/work/clawbacks");
        Assert.All(seeded, s => Assert.DoesNotContain(s.RedemptionId, otherHtml, StringComparison.Ordinal));
        var otherExport = await XlsxAsync(other.Http, "portal/work/clawbacks?tab=done&format=xlsx");
        Assert.All(otherExport, r => Assert.DoesNotContain(tag, r["企业名称"].ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Violations_open_and_expired_totals_and_export_agree_with_the_records_and_the_province_sees_every_city()
    {
        const string city = "linfen";
        var today = Voucher.Domain.ChinaTime.DateOf(DateTime.UtcNow);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var seeded = new List<Voucher.Workflows.Enforcement.ViolationEntity>();
        for (var i = 0; i < 9; i++)
        {
            var decided = today.AddYears(i < 6 ? -1 : -4).AddDays(-i);
            var v = new Voucher.Workflows.Enforcement.ViolationEntity
            {
                PartitionKey = city,
                RowKey = $"VIO-{tag}-{i:D2}",
                Uscc = TestUscc.New(city),
                EnterpriseName = $"临汾违规{tag}企业{i:D2}",
                DecidedOn = new DateTimeOffset(decided.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)),
                BarredUntil = Glossary(decided.AddYears(3).AddDays(-1)),
                Reason = i == 2 ? $"虚构合同{tag}" : "套取财政资金",
                Source = i % 3 == 0 ? "audit" : "manual",
                ClawBackFen = i * 1_111_11,
                RecordedAt = DateTimeOffset.UtcNow,
            };
            await fixture.Store.UpsertAsync(VoucherStore.Violations, v);
            seeded.Add(v);
        }

        var records = await fixture.Store.PartitionAsync<Voucher.Workflows.Enforcement.ViolationEntity>(VoucherStore.Violations, city, 100_000);
        var open = records.Where(r => string.CompareOrdinal(r.BarredUntil, Glossary(today)) >= 0).ToList();
        var expired = records.Count - open.Count;

        using var bureau = await SiteClient.SignInAsync(Base, "city-bureau", city, "临汾市科技局审核员");
        var (status, html) = await bureau.GetAsync("portal/work/violations?size=20");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(open.Count, Total(html));
        Assert.Equal(Math.Min(20, open.Count), CountOccurrences(html, "data-label=\"违规事实\""));
        Assert.Contains($"已期满<span class=\"count\">（{expired}）</span>", html, StringComparison.Ordinal);
        Assert.Contains(Voucher.Workflows.Web.Glossary.Money(open.Sum(r => r.ClawBackFen)), html, StringComparison.Ordinal);

        var rows = await XlsxAsync(bureau.Http, "portal/work/violations?format=xlsx");
        Assert.Equal(open.Count, rows.Count);
        Assert.Equal(open.Sum(r => r.ClawBackFen) / 100m, rows.Sum(r => Convert.ToDecimal(r["追回金额（元）"], CultureInfo.InvariantCulture)));
        Assert.Equal(expired, (await XlsxAsync(bureau.Http, "portal/work/violations?tab=expired&format=xlsx")).Count);
        var audit = await XlsxAsync(bureau.Http, "portal/work/violations?source=audit&format=xlsx");
        Assert.Equal(open.Count(r => r.Source == "audit"), audit.Count);
        var (_, searched) = await bureau.GetAsync("portal/work/violations?q=" + Uri.EscapeDataString($"虚构合同{tag}"));
        Assert.Equal(1, Total(searched));

        // Another city's bureau sees none; the province sees them under the city filter.
        using var other = await SiteClient.SignInAsync(Base, "city-bureau", OtherCity, "朔州市科技局审核员");
        var (_, otherHtml) = await other.GetAsync("portal/work/violations");
        Assert.DoesNotContain(tag, otherHtml, StringComparison.Ordinal);
        using var province = await SiteClient.SignInAsync(Base, "province", "", "省中心督查员");
        var provinceRows = await XlsxAsync(province.Http, $"portal/work/violations?city={city}&format=xlsx");
        Assert.Equal(open.Count, provinceRows.Count);
        Assert.All(provinceRows, r => Assert.Equal("临汾市", r["地市"]));
    }

    [Fact]
    public async Task Institutions_to_verify_and_decided_agree_with_the_records_and_a_repeated_decision_lists_once()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, 3).Select(i => $"inst-wl{tag}{i}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            using var inst = await SiteClient.SignInAsync(Base, "institution", ids[i], "机构联系人");
            var (registered, body) = await inst.PostJsonAsync("api/institutions", new
            {
                name = $"清单{tag}检测中心{i}", type = "platform", cityCode = "yuncheng", code = $"WL-{tag}-{i}",
                sharingPlatformId = $"SX-OSP-WL{tag}{i}", contactName = "联系人", contactPhone = "13800000000", introduction = "",
            });
            Assert.True(registered == HttpStatusCode.Created, body);
        }

        using var province = await SiteClient.SignInAsync(Base, "province", "", "省中心督查员");
        Assert.Equal(HttpStatusCode.OK, (await province.PostJsonAsync($"api/institutions/{ids[0]}/verification", new { approve = true })).Status);
        Assert.Equal(HttpStatusCode.OK, (await province.PostJsonAsync($"api/institutions/{ids[1]}/verification", new { approve = false, reason = "登记编号不符" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await province.PostJsonAsync($"api/institutions/{ids[0]}/verification", new { approve = true })).Status);

        var pendingApi = (await province.GetJsonAsync("api/institutions")).GetArrayLength();
        var (status, html) = await province.GetAsync("portal/work/institutions");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(pendingApi, Total(html));
        Assert.Contains($"清单{tag}检测中心2", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"清单{tag}检测中心0", html, StringComparison.Ordinal);

        var done = await XlsxAsync(province.Http, "portal/work/institutions?tab=done&q=" + Uri.EscapeDataString($"清单{tag}") + "&sort=name&format=xlsx");
        Assert.Equal([$"清单{tag}检测中心0", $"清单{tag}检测中心1"], done.Select(r => r["机构名称"].ToString()));
        Assert.Equal(["已认证", "未通过"], done.Select(r => r["状态"].ToString()));
        Assert.Equal("登记编号不符", done[1]["不通过理由"]);
        Assert.Equal("运城市", done[0]["所在地市"]);
        var rejected = await XlsxAsync(province.Http, "portal/work/institutions?tab=done&status=Rejected&q=" + Uri.EscapeDataString(tag) + "&format=xlsx");
        Assert.Single(rejected);

        // The decided tab's count is the decided list's rows (one partition), each institution once.
        var decidedRows = await fixture.Store.PartitionAsync<Voucher.Workflows.Marketplace.InstitutionDecisionEntity>(VoucherStore.MarketIndex, Voucher.Workflows.Marketplace.InstitutionDecisionEntity.Partition, 100_000);
        Assert.Contains($"已审核<span class=\"count\">（{decidedRows.Count}）</span>", html, StringComparison.Ordinal);
        Assert.Single(decidedRows, r => r.RowKey == ids[0]);

        // Not the province: refused.
        using var bureau = await SiteClient.SignInAsync(Base, "city-bureau", City, "晋城市科技局审核员");
        Assert.Equal(HttpStatusCode.Forbidden, (await bureau.GetAsync("portal/work/institutions")).Status);
    }

    static int CountOccurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
