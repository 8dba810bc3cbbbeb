using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Tests.Support;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Tests.Supervision;

/// <summary>
/// The statistics aggregates against a recount of the records they summarise, after a randomized run of hundreds of
/// events (application decisions, paid and rejected redemptions) delivered out of order, concurrently and with duplicates.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StatsAggregatesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RandomizedEventsWithDuplicates_AggregatesEqualARecountOfTheRecords()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("st")[..13]);
        var store = sp.GetRequiredService<VoucherStore>();
        var stats = sp.GetRequiredService<StatsAggregator>();
        var reader = sp.GetRequiredService<StatsReader>();
        var random = new Random(20261126);
        var today = reader.Today;

        // Records: enterprises in random cities, decided applications (approved ones with a voucher), finished redemptions.
        var enterprises = Enumerable.Range(0, 60).Select(i => (Uscc: Uscc.Complete($"91140100MA0T{i:D5}"), City: Cities.All[random.Next(Cities.All.Count)].Code)).ToList();
        var applications = new List<ApplicationEntity>();
        var vouchers = new List<VoucherEntity>();
        foreach (var (e, i) in enterprises.SelectMany(e => Enumerable.Range(0, random.Next(1, 5)).Select(i => (e, i))))
        {
            var submitted = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 2 * 365 * 1440));
            var notified = submitted.AddMinutes(random.Next(0, 600));
            var decided = notified.AddMinutes(random.Next(1, 20 * 1440));
            var approved = random.NextDouble() < 0.75;
            var id = ApplicationStore.NewId(e.Uscc, ChinaTime.DateOf(submitted).Year, i + 1);
            var app = new ApplicationEntity
            {
                PartitionKey = e.Uscc, RowKey = id, CityCode = e.City, Status = approved ? ApplicationStatus.Approved : ApplicationStatus.Rejected, SubmittedAt = submitted, NotifiedAt = notified,
                Approved = approved, DecidedAt = decided, DecidedBy = "test", VoucherId = approved ? VoucherEntity.IdFor(id) : null, PolicyVersion = 1,
            };
            applications.Add(app);
            await store.TryAddAsync(VoucherStore.Applications, app);
            if (approved)
            {
                var issued = ChinaTime.DateOf(decided);
                var v = new VoucherEntity
                {
                    PartitionKey = e.Uscc, RowKey = app.VoucherId!, ApplicationId = id, CityCode = e.City, FaceValueFen = random.NextDouble() < 0.2 ? 10_000_000 : 5_000_000,
                    IssuedOn = issued.ToString("yyyy-MM-dd"), ExpiresOn = VoucherRules.ExpiresOn(issued, random.Next(1, 13)).ToString("yyyy-MM-dd"), IssuedAt = decided, PolicyVersion = 1,
                };
                vouchers.Add(v);
                await store.TryAddAsync(VoucherStore.Vouchers, v);
            }
        }

        var redemptions = new List<RedemptionEntity>();
        foreach (var v in vouchers.Where(_ => random.NextDouble() < 0.8))
        {
            var count = random.Next(1, 4);
            var start = v.IssuedAt;
            for (var n = 1; n <= count; n++)
            {
                var submitted = start.AddMinutes(random.Next(60, 60 * 1440));
                var bound = random.NextDouble() < 0.1 ? (DateTimeOffset?)null : submitted.AddMinutes(random.Next(1, 7 * 1440));
                var queued = (bound ?? submitted).AddMinutes(random.Next(1, 10 * 1440));
                var inBatch = queued.AddMinutes(random.Next(1, 90 * 1440));
                var reviewed = inBatch.AddMinutes(random.Next(1, 15 * 1440));
                var paid = random.NextDouble() < 0.8;
                var published = reviewed.AddMinutes(random.Next(1, 1440));
                var payable = published.AddMinutes(random.Next(5 * 1440, 9 * 1440));
                var paidAt = payable.AddMinutes(random.Next(1, 30 * 1440));
                var r = new RedemptionEntity
                {
                    PartitionKey = v.Uscc, RowKey = RedemptionStore.NewId(v.VoucherId, n), VoucherId = v.VoucherId, CityCode = v.CityCode,
                    AmountPaidFen = random.Next(1_000, 300_000) * 100L, PayoutFen = random.Next(100, 200_001) * 100L,
                    Status = paid ? RedemptionStatus.Paid : RedemptionStatus.Rejected,
                    SubmittedAt = submitted, BoundAt = bound, QueuedAt = queued, InBatchAt = inBatch, ReviewedAt = reviewed,
                    PublishedAt = paid ? published : null, PayableAt = paid ? payable : null, PaidAt = paid ? paidAt : null,
                    PaidOn = paid ? ChinaTime.DateOf(paidAt).ToString("yyyy-MM-dd") : null, PolicyVersion = 1,
                };
                redemptions.Add(r);
                await store.TryAddAsync(VoucherStore.Redemptions, r);
                if (random.NextDouble() < 0.15)
                {
                    await store.TryAddAsync(VoucherStore.Objections, new TableEntity(r.RedemptionId, "o1") { ["Status"] = "Dismissed" });
                }

                start = submitted;
            }
        }

        // Events: every record once, a third of them again (duplicates), in random order, eight at a time.
        var events = applications.Select(a => (Func<Task>)(() => stats.ApplicationDecidedAsync(a)))
            .Concat(redemptions.Select(r => (Func<Task>)(() => stats.RedemptionSettledAsync(r))))
            .ToList();
        events.AddRange(events.Where(_ => random.NextDouble() < 0.33).ToList());
        var shuffled = events.OrderBy(_ => random.Next()).ToList();
        Assert.True(shuffled.Count >= 300, $"only {shuffled.Count} events");
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (e, _) => await e());

        // Recount from the stored records.
        var storedApps = await All<ApplicationEntity>(store, VoucherStore.Applications);
        var storedVouchers = (await All<VoucherEntity>(store, VoucherStore.Vouchers)).ToDictionary(v => v.VoucherId);
        var storedRedemptions = await All<RedemptionEntity>(store, VoucherStore.Redemptions);
        var objected = (await All<TableEntity>(store, VoucherStore.Objections)).Select(o => o.PartitionKey).ToHashSet();
        var keys = storedApps.Select(a => (a.CityCode, Year: ChinaTime.DateOf(a.DecidedAt!.Value).Year))
            .Concat(storedRedemptions.Select(r => (r.CityCode, Year: StatsAggregator.YearOf(r)))).Distinct().ToList();
        Assert.True(keys.Count > 10);
        foreach (var (city, year) in keys)
        {
            var row = await reader.RowAsync(city, year, default);
            var apps = storedApps.Where(a => a.CityCode == city && ChinaTime.DateOf(a.DecidedAt!.Value).Year == year).ToList();
            var reds = storedRedemptions.Where(r => r.CityCode == city && StatsAggregator.YearOf(r) == year).ToList();
            var paid = reds.Where(r => r.State == RedemptionStatus.Paid).ToList();
            var issued = apps.Where(a => a.Approved == true).Select(a => storedVouchers[a.VoucherId!]).ToList();
            var usedHere = storedVouchers.Values.Where(v => v.CityCode == city && DateOnly.Parse(v.IssuedOn).Year == year && storedRedemptions.Any(r => r.VoucherId == v.VoucherId && r.State == RedemptionStatus.Paid)).ToList();
            var at = $"{city} {year}";

            Assert.True(apps.Count == row.ApplicationsDecided, at);
            Assert.Equal(apps.Count(a => a.Approved == true), row.ApplicationsApproved);
            Assert.Equal(apps.Count(a => a.Approved == false), row.ApplicationsRejected);
            Assert.Equal(issued.Count, row.VouchersIssued);
            Assert.Equal(issued.Sum(v => v.FaceValueFen), row.IssuedFaceFen);
            Assert.Equal(usedHere.Count, row.VouchersUsed);
            Assert.Equal(issued.Count(v => DateOnly.Parse(v.ExpiresOn) < today && usedHere.All(u => u.VoucherId != v.VoucherId)), ExpiryCounts.ExpiredUnused(row.Expiries, today));
            Assert.True(reds.Count == row.RedemptionsFinished, at);
            Assert.Equal(paid.Count, row.RedemptionsPaid);
            Assert.Equal(reds.Count - paid.Count, row.RedemptionsRejected);
            Assert.Equal(reds.Count(r => objected.Contains(r.RedemptionId)), row.RedemptionsObjected);
            Assert.Equal(reds.Count(r => objected.Contains(r.RedemptionId) || r.State == RedemptionStatus.Rejected), row.RedemptionsRejectedOrObjected);
            Assert.Equal(paid.Sum(r => r.PayoutFen), row.PaidFen);
            Assert.Equal(paid.Sum(r => r.AmountPaidFen), row.ServiceAmountFen);
            Assert.Equal(paid.Select(r => r.Uscc).Distinct().Count(), row.EnterprisesServed);
            var ranges = new long[PayoutDistribution.LowerYuan.Count];
            paid.ForEach(r => ranges[PayoutDistribution.RangeOf(Cny.FromFen(r.PayoutFen))]++);
            Assert.Equal(ranges, PayoutDistribution.Parse(row.PayoutRanges));

            Assert.Equal(Histogram(apps.Select(a => a.DecidedAt!.Value - a.NotifiedAt!.Value)), row.HApplicationReview);
            Assert.Equal(Histogram(reds.Where(r => r.BoundAt is not null).Select(r => r.BoundAt!.Value - r.SubmittedAt)), row.HBinding);
            Assert.Equal(Histogram(reds.Select(r => r.InBatchAt!.Value - r.QueuedAt!.Value)), row.HWaitForBatch);
            Assert.Equal(Histogram(reds.Select(r => r.ReviewedAt!.Value - r.InBatchAt!.Value)), row.HReview);
            Assert.Equal(Histogram(paid.Select(r => r.PayableAt!.Value - r.PublishedAt!.Value)), row.HPublicity);
            Assert.Equal(Histogram(paid.Select(r => r.PaidAt!.Value - r.PayableAt!.Value)), row.HPayment);
            Assert.Equal(Histogram(paid.Select(r => r.PaidAt!.Value - r.SubmittedAt)), row.HTotal);
        }

        // The pages' province figures are the sum over the cities.
        var year0 = keys[0].Year;
        var province = (await reader.FiguresAsync(year0, default)).Single(f => f.CityCode == "province");
        Assert.Equal(storedRedemptions.Where(r => r.State == RedemptionStatus.Paid && StatsAggregator.YearOf(r) == year0).Sum(r => r.PayoutFen), province.Paid.Fen);
    }

    [Fact]
    public async Task TheSameEventTwice_CountsOnce()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("st")[..13]);
        var stats = sp.GetRequiredService<StatsAggregator>();
        var first = await stats.ApplyAsync("taiyuan", 2025, "x|1", "ent-1", (s, isNew) => { s.RedemptionsPaid++; s.EnterprisesServed += isNew ? 1 : 0; });
        var second = await stats.ApplyAsync("taiyuan", 2025, "x|1", "ent-1", (s, isNew) => { s.RedemptionsPaid++; s.EnterprisesServed += isNew ? 1 : 0; });
        var third = await stats.ApplyAsync("taiyuan", 2025, "x|2", "ent-1", (s, isNew) => { s.RedemptionsPaid++; s.EnterprisesServed += isNew ? 1 : 0; });

        var row = await sp.GetRequiredService<StatsReader>().RowAsync("taiyuan", 2025, default);
        Assert.True(first);
        Assert.False(second);
        Assert.True(third);
        Assert.Equal(2, row.RedemptionsPaid);
        Assert.Equal(1, row.EnterprisesServed);
    }

    [Fact]
    public async Task Counts_CostOneTransaction_FromTheRowThisProcessWrote_ADuplicateIsRefusedByTheMarkersInsert_AStaleRowIsReadAgain()
    {
        var (store, metrics) = await StoreFactory.NewCountedAsync(azurite);
        var stats = new StatsAggregator(store, new VoucherRepository(store), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatsAggregator>.Instance);
        Action<CityYearStatsEntity, bool> paid = (s, isNew) => { s.RedemptionsPaid++; s.EnterprisesServed += isNew ? 1 : 0; };

        var first = false;
        // A new row: the aggregate read (nothing there) and the transaction.
        var firstCalls = await StoreFactory.TableCallsAsync(metrics, async () => first = await stats.ApplyAsync("datong", 2026, "x|1", null, paid));
        // The next event starts from the row this process wrote (with its ETag): the transaction only.
        var nextCalls = await StoreFactory.TableCallsAsync(metrics, () => stats.ApplyAsync("datong", 2026, "x|2", null, paid));
        var again = true;
        // The duplicate: the transaction refused (the marker exists), the marker read that tells why.
        var againCalls = await StoreFactory.TableCallsAsync(metrics, async () => again = await stats.ApplyAsync("datong", 2026, "x|1", null, paid));
        // With an enterprise to count once: its marker is read before the transaction (and the row, forgotten after the refusal).
        var distinctCalls = await StoreFactory.TableCallsAsync(metrics, () => stats.ApplyAsync("datong", 2026, "x|3", "ent-1", paid));
        // Another process counts an event: the row this one kept is stale, its conditional write fails, and it reads again.
        await new StatsAggregator(store, new VoucherRepository(store), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatsAggregator>.Instance).ApplyAsync("datong", 2026, "x|4", "ent-1", paid);
        var staleCalls = await StoreFactory.TableCallsAsync(metrics, () => stats.ApplyAsync("datong", 2026, "x|5", null, paid));

        Assert.True(first);
        Assert.False(again);
        Assert.Equal((2, 1, 2, 3, 4), (firstCalls, nextCalls, againCalls, distinctCalls, staleCalls));
        var row = (await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, CityYearStatsEntity.PartitionOf("datong", 2026), CityYearStatsEntity.TotalsRow))!;
        Assert.Equal((5, 1), (row.RedemptionsPaid, row.EnterprisesServed));
    }

    [Fact]
    public async Task ConcurrentFirstCountsOfOneEvent_CountOnce_AndConcurrentEventsAllCount()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("st")[..13]);
        var stats = sp.GetRequiredService<StatsAggregator>();

        // Eight writers race on one new aggregate row: four deliver the same event, four others distinct events of one enterprise.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => stats.ApplyAsync(
            "linfen", 2026, i < 4 ? "dup" : $"e|{i}", "ent-9", (s, isNew) => { s.RedemptionsPaid++; s.EnterprisesServed += isNew ? 1 : 0; })));

        var row = await sp.GetRequiredService<StatsReader>().RowAsync("linfen", 2026, default);
        Assert.Single(results.Take(4), r => r);
        Assert.All(results.Skip(4), Assert.True);
        Assert.Equal(5, row.RedemptionsPaid);
        Assert.Equal(1, row.EnterprisesServed);
    }

    [Fact]
    public async Task ApplicationDecided_WithTheIssuedVoucher_ReadsNoVoucherAndCountsAsTheReRead()
    {
        var (store, metrics) = await StoreFactory.NewCountedAsync(azurite);
        var stats = new StatsAggregator(store, new VoucherRepository(store), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatsAggregator>.Instance);
        var uscc = Uscc.Complete("91140100MA0T90001");
        (ApplicationEntity App, VoucherEntity Voucher) Decided(string city, int n)
        {
            var id = ApplicationStore.NewId(uscc, 2026, n);
            var decided = new DateTimeOffset(2026, 5, 6, 3, 0, 0, TimeSpan.Zero);
            var app = new ApplicationEntity
            {
                PartitionKey = uscc, RowKey = id, CityCode = city, Status = ApplicationStatus.Approved, SubmittedAt = decided.AddDays(-3), NotifiedAt = decided.AddDays(-2),
                Approved = true, DecidedAt = decided, VoucherId = VoucherEntity.IdFor(id), PolicyVersion = 1,
            };
            var voucher = new VoucherEntity
            {
                PartitionKey = uscc, RowKey = app.VoucherId!, ApplicationId = id, CityCode = city, FaceValueFen = 10_000_000,
                IssuedOn = "2026-05-06", ExpiresOn = "2027-05-05", IssuedAt = decided, PolicyVersion = 1,
            };
            return (app, voucher);
        }

        var handed = Decided("jincheng", 1);
        var reRead = Decided("shuozhou", 2);
        await store.TryAddAsync(VoucherStore.Vouchers, reRead.Voucher);

        var handedCalls = await StoreFactory.TableCallsAsync(metrics, () => stats.ApplicationDecidedAsync(handed.App, handed.Voucher));
        var reReadCalls = await StoreFactory.TableCallsAsync(metrics, () => stats.ApplicationDecidedAsync(reRead.App));

        Assert.Equal(2, handedCalls);
        Assert.Equal(3, reReadCalls);
        var a = (await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, CityYearStatsEntity.PartitionOf("jincheng", 2026), CityYearStatsEntity.TotalsRow))!;
        var b = (await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, CityYearStatsEntity.PartitionOf("shuozhou", 2026), CityYearStatsEntity.TotalsRow))!;
        Assert.Equal((1L, 1L, 1L, 10_000_000L, "2027-05-05:1:0"), (a.ApplicationsApproved, a.VouchersIssued, a.ApplicationsDecided, a.IssuedFaceFen, a.Expiries));
        Assert.Equal((a.ApplicationsApproved, a.VouchersIssued, a.ApplicationsDecided, a.IssuedFaceFen, a.Expiries, a.HApplicationReview),
            (b.ApplicationsApproved, b.VouchersIssued, b.ApplicationsDecided, b.IssuedFaceFen, b.Expiries, b.HApplicationReview));
    }

    static string Histogram(IEnumerable<TimeSpan> durations)
    {
        var h = new DurationHistogram();
        foreach (var d in durations)
        {
            h.Add(d);
        }

        return h.Serialize();
    }

    static async Task<List<T>> All<T>(VoucherStore store, string table)
        where T : class, ITableEntity, new()
    {
        var list = new List<T>();
        await foreach (var row in store.Table(table).QueryAsync<T>())
        {
            list.Add(row);
        }

        return list;
    }
}
