namespace Voucher.Workflows.Tests.Supervision;

/// <summary>
/// Money by stage (queued, review, publicity, payable, paid, released) per city and cap year against a recount of the
/// redemption records, after a randomized run of the counts the steps make — single and in chunks, out of order,
/// concurrently, duplicated, and with some lost (a crash between a row's write and its count) that the final outcome's
/// sync must repair.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MoneyByStageTests(AzuriteFixture azurite)
{
    static readonly string[] Cities = ["taiyuan", "datong", "yuncheng"];

    [Fact]
    public async Task RandomizedStageCounts_WithDuplicatesAndLosses_EqualARecountOfTheRecords()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("mb")[..13]);
        var store = sp.GetRequiredService<VoucherStore>();
        var stats = sp.GetRequiredService<StatsAggregator>();
        var random = new Random(20261215);
        var records = new List<RedemptionEntity>();
        for (var i = 0; i < 400; i++)
        {
            var r = Record(random, i);
            records.Add(r);
            Assert.True(await store.TryAddAsync(VoucherStore.Redemptions, r));
        }

        // The counts the steps make: the queue step (one row), the freeze, decide and close-publicity chunks (many rows at
        // once), the objection dismissed after the close (one row), and the final outcome's sync (paid, rejected,
        // withdrawn, stopped). For finished records a quarter of the step counts are lost; the sync must make up for them.
        var calls = new List<Func<Task>>();
        var chunked = new Dictionary<MoneyStage, List<RedemptionEntity>> { [MoneyStage.Review] = [], [MoneyStage.Publicity] = [], [MoneyStage.Payable] = [] };
        foreach (var r in records)
        {
            var final = RedemptionTransitions.IsFinal(r.State);
            foreach (var stage in MoneyStages.Path(StatsAggregator.FactsOf(r)).Where(s => s is not (MoneyStage.Paid or MoneyStage.Released)))
            {
                if (final && random.NextDouble() < 0.25)
                {
                    continue;
                }

                if (stage == MoneyStage.Queued || (stage == MoneyStage.Payable && random.NextDouble() < 0.2))
                {
                    calls.Add(() => stats.CommittedEnteredAsync([r], stage));
                }
                else
                {
                    chunked[stage].Add(r);
                }
            }

            if (final)
            {
                calls.Add(() => stats.CommittedSyncAsync(r));
            }
        }

        foreach (var (stage, rows) in chunked)
        {
            foreach (var chunk in rows.OrderBy(_ => random.Next()).Chunk(random.Next(40, 160)))
            {
                calls.Add(() => stats.CommittedEnteredAsync(chunk, stage));
            }
        }

        calls.AddRange(calls.Where(_ => random.NextDouble() < 0.33).ToList());
        var shuffled = calls.OrderBy(_ => random.Next()).ToList();
        Assert.True(shuffled.Count > 400, $"only {shuffled.Count} calls");
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (call, _) => await call());

        // Recount from the stored records: each queued pay-out in the stage its record is in now.
        var stored = new List<RedemptionEntity>();
        await foreach (var row in store.Table(VoucherStore.Redemptions).QueryAsync<RedemptionEntity>())
        {
            stored.Add(row);
        }

        var reader = sp.GetRequiredService<StatsReader>();
        var keys = stored.Where(r => r.CapYear > 0).Select(r => (r.CityCode, r.CapYear)).Distinct().ToList();
        Assert.True(keys.Count >= 6, $"{keys.Count} city-years");
        foreach (var (city, year) in keys)
        {
            var row = await reader.RowAsync(city, year, default);
            var mine = stored.Where(r => r.CityCode == city && r.CapYear == year).ToList();
            foreach (var stage in Enum.GetValues<MoneyStage>())
            {
                var inStage = mine.Where(r => MoneyStages.Current(StatsAggregator.FactsOf(r)) == stage).ToList();
                Assert.True((inStage.Sum(r => r.PayoutFen), (long)inStage.Count) == row.Stage(stage), $"{city} {year} {stage}: recount {inStage.Sum(r => r.PayoutFen)} fen in {inStage.Count}, aggregate {row.Stage(stage)}");
            }

            // What the pages read: committed beside paid, for the city and summed for the province.
            var figures = MoneyByStage.Of(year, [row]);
            Assert.Equal(mine.Where(r => MoneyStages.Current(StatsAggregator.FactsOf(r)) is { } s && MoneyStages.Committed.Contains(s)).Sum(r => r.PayoutFen), figures.Committed.Fen);
            Assert.Equal(mine.Where(r => r.State == RedemptionStatus.Paid).Sum(r => r.PayoutFen), figures.Paid.Fen);
        }

        var province = (await reader.FiguresAsync(keys[0].CapYear, default)).Single(f => f.CityCode == "province").Money;
        Assert.Equal(stored.Where(r => r.CapYear == keys[0].CapYear && r.State == RedemptionStatus.Payable).Sum(r => r.PayoutFen), province.Stage(MoneyStage.Payable).Amount.Fen);
    }

    [Fact]
    public async Task AChunkCountedTwiceAtOnce_CountsOnce_AndNeverQueuedRecordsCountNothing()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("mb")[..13]);
        var stats = sp.GetRequiredService<StatsAggregator>();
        var random = new Random(7);
        var rows = Enumerable.Range(0, 230).Select(i =>
        {
            var r = Record(random, i, RedemptionStatus.InBatch, 2026, "linfen");
            return r;
        }).ToList();

        await Task.WhenAll(rows.Chunk(50).Select(c => stats.CommittedEnteredAsync(c, MoneyStage.Queued)));
        await Task.WhenAll(stats.CommittedEnteredAsync(rows, MoneyStage.Review), stats.CommittedEnteredAsync(rows, MoneyStage.Review), stats.CommittedEnteredAsync(rows.Take(120), MoneyStage.Review));
        var stopped = Record(random, 999, RedemptionStatus.Stopped, 2026, "linfen");
        stopped.QueuedAt = null; // stopped by the cap before the queue: nothing was ever committed
        await stats.CommittedSyncAsync(stopped);

        var row = await sp.GetRequiredService<StatsReader>().RowAsync("linfen", 2026, default);
        Assert.Equal((rows.Sum(r => r.PayoutFen), 230L), row.Stage(MoneyStage.Review));
        Assert.Equal((0L, 0L), row.Stage(MoneyStage.Queued));
        Assert.Equal((0L, 0L), row.Stage(MoneyStage.Released));
    }

    [Fact]
    public async Task TheApiThePageAndTheCsv_ShowCommittedBesidePaid_InTheCapYear_AndThePapersEnterpriseCount()
    {
        await using var sp = await WorkflowServices.BuildAsync(azurite, azurite.NewName("mb")[..13], new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero)));
        var store = sp.GetRequiredService<VoucherStore>();
        var stats = sp.GetRequiredService<StatsAggregator>();
        var random = new Random(3);
        var queued = Record(random, 1, RedemptionStatus.Queued, 2026, "jincheng");
        queued.PayoutFen = 100_000;
        var payable = Record(random, 2, RedemptionStatus.Payable, 2026, "jincheng");
        payable.PayoutFen = 200_000;
        var paid = Record(random, 3, RedemptionStatus.Paid, 2026, "jincheng");
        paid.PayoutFen = 300_000;
        foreach (var r in new[] { queued, payable, paid })
        {
            await stats.CommittedSyncAsync(r);
        }

        await sp.GetRequiredService<HistoryImport>().ImportEmbeddedAsync();
        var api = sp.GetRequiredService<StatsApi>();
        var pages = sp.GetRequiredService<StatsPages>();
        RequestContext Ctx(string path, params (string, string)[] route)
        {
            var http = new DefaultHttpContext { RequestServices = sp };
            http.Request.Method = "GET";
            var q = path.IndexOf('?', StringComparison.Ordinal);
            http.Request.Path = q < 0 ? path : path[..q];
            http.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(path[q..]);
            var values = new RouteValueDictionary();
            foreach (var (name, value) in route)
            {
                values[name] = value;
            }

            return new RequestContext(http, values, null, null!);
        }

        // API: the city's money by stage (cap year) beside paid, with the year bases named.
        using var year = JsonDocument.Parse(JsonSerializer.Serialize(Assert.IsAssignableFrom<IValueHttpResult>(await api.YearAsync(Ctx("/api/stats/years/2026", ("year", "2026")))).Value, JsonBody.Response));
        Assert.Contains("cap year", year.RootElement.GetProperty("yearBasis").GetProperty("money").GetString(), StringComparison.Ordinal);
        var money = year.RootElement.GetProperty("cities").EnumerateArray().Single(c => c.GetProperty("cityCode").GetString() == "jincheng").GetProperty("money");
        var stages = money.GetProperty("stages").EnumerateArray().ToDictionary(x => x.GetProperty("stage").GetString()!, x => (x.GetProperty("amount").GetString(), x.GetProperty("count").GetInt64()));
        Assert.Equal(("1000.00", 1L), stages["queued"]);
        Assert.Equal(("0.00", 0L), stages["review"]);
        Assert.Equal(("2000.00", 1L), stages["payable"]);
        Assert.Equal(("3000.00", "3000.00"), (money.GetProperty("committed").GetString(), money.GetProperty("paid").GetString()));

        // API: Table 1 keeps its total and shows the paper's 889 enterprises with the source.
        using var table = JsonDocument.Parse(JsonSerializer.Serialize(Assert.IsAssignableFrom<IValueHttpResult>(await api.RedemptionsAsync(Ctx("/api/stats/redemptions"))).Value, JsonBody.Response));
        var imported = table.RootElement.GetProperty("imported");
        Assert.Equal(4537m, imported.GetProperty("total").GetDecimal());
        var fact = Assert.Single(imported.GetProperty("facts").EnumerateArray());
        Assert.Equal((PaperFacts.EnterprisesBenefited, 889L, "2022-12"), (fact.GetProperty("name").GetString(), fact.GetProperty("value").GetInt64(), fact.GetProperty("asOf").GetString()));
        Assert.Contains("论文", fact.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains("889家", fact.GetProperty("quote").GetString(), StringComparison.Ordinal);

        // The page: the section, labelled by its year basis, and the imported count with its source.
        var page = System.Net.WebUtility.HtmlDecode(await PageHtml.RenderAsync(await pages.PageAsync(Ctx("/stats?year=2026")), sp));
        var section = page[page.IndexOf("id=\"money-by-stage\"", StringComparison.Ordinal)..];
        Assert.Contains("按计入年度限额的年度", section, StringComparison.Ordinal);
        Assert.Contains(AnnualCap.YearRuleZh, section, StringComparison.Ordinal);
        Assert.Contains("（万元）", section, StringComparison.Ordinal); // statistics in 万元, the unit in the column header
        Assert.Contains("0.10（1 笔）", section, StringComparison.Ordinal); // ¥1,000.00 queued
        Assert.Contains("<strong>0.30</strong>（2 笔）", section, StringComparison.Ordinal); // committed: queued + payable
        Assert.Contains("id=\"enterprises-benefited\">889</strong>", page, StringComparison.Ordinal);
        Assert.Contains("兑付金额（万元，按拨付年度）", page, StringComparison.Ordinal);

        // Plain Chinese: the page's main text has no English word (file types aside).
        var main = page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];
        var words = System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(main, "<[^>]*>", " "), "[A-Za-z]{3,}").Select(m => m.Value).Distinct().Except(["CSV"]).ToList();
        Assert.True(words.Count == 0, "English on the statistics page: " + string.Join(", ", words));

        // The CSV: the same figures under columns that name their year basis.
        var csv = Assert.IsType<FileContentHttpResult>(await api.YearCsvAsync(Ctx("/stats/figures.csv?year=2026")));
        var lines = System.Text.Encoding.UTF8.GetString(csv.FileContents.Span).TrimStart('\uFEFF').Split('\n');
        var header = lines[0].Split(',');
        var jincheng = lines.Single(l => l.StartsWith("jincheng,", StringComparison.Ordinal)).Split(',');
        string Col(string name) => jincheng[Array.IndexOf(header, name)];
        Assert.Equal(("1000.00", "1", "2000.00", "3000.00", "3000.00", "0.00"), (Col("queued_cap_year_cny"), Col("queued_cap_year_count"), Col("payable_cap_year_cny"), Col("committed_cap_year_cny"), Col("paid_cap_year_cny"), Col("paid_payment_year_cny")));
    }

    /// <summary>A redemption record at a random (or the given) point of its path, with the stage times that point implies.</summary>
    static RedemptionEntity Record(Random random, int n, RedemptionStatus? status = null, int? capYear = null, string? city = null)
    {
        RedemptionStatus[] statuses =
        [
            RedemptionStatus.Queued, RedemptionStatus.InBatch, RedemptionStatus.Published, RedemptionStatus.Objected, RedemptionStatus.Payable,
            RedemptionStatus.Paid, RedemptionStatus.Paid, RedemptionStatus.Rejected, RedemptionStatus.Withdrawn, RedemptionStatus.Stopped, RedemptionStatus.AwaitingEvidence,
        ];
        var s = status ?? statuses[random.Next(statuses.Length)];
        var year = capYear ?? 2025 + random.Next(2);
        var uscc = TestUscc.New("taiyuan");
        var queuedAt = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(random.Next(0, 364 * 1440));
        var queued = s != RedemptionStatus.AwaitingEvidence;
        var batched = s is not (RedemptionStatus.Queued or RedemptionStatus.Withdrawn or RedemptionStatus.Stopped or RedemptionStatus.AwaitingEvidence);
        var published = batched && s != RedemptionStatus.InBatch && (s != RedemptionStatus.Rejected || random.Next(2) == 0);
        var payable = s is RedemptionStatus.Payable or RedemptionStatus.Paid;
        return new RedemptionEntity
        {
            PartitionKey = uscc,
            RowKey = $"V-{uscc}-{year}-01-R{n % 900 + 1}",
            CityCode = city ?? Cities[random.Next(Cities.Length)],
            Status = s,
            CapYear = queued ? year : 0,
            PayoutFen = queued ? random.Next(1, 20_000_001) : 0,
            SubmittedAt = queuedAt.AddDays(-3),
            QueuedAt = queued ? queuedAt : null,
            InBatchAt = batched ? queuedAt.AddDays(20) : null,
            ReviewedAt = batched && s != RedemptionStatus.InBatch ? queuedAt.AddDays(30) : null,
            PublishedAt = published ? queuedAt.AddDays(30) : null,
            PayableAt = payable ? queuedAt.AddDays(37) : null,
            PaidAt = s == RedemptionStatus.Paid ? queuedAt.AddDays(400) : null, // paid in the next year: counts in its cap year here
            PaidOn = s == RedemptionStatus.Paid ? ChinaTime.DateOf(queuedAt.AddDays(400)).ToString("yyyy-MM-dd") : null,
            PolicyVersion = 1,
        };
    }
}
