using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Domain;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Benchmarks;

/// <summary>
/// Catalogue search over a large catalogue (<c>-- --search 50000</c>): writes N generated services (Chinese titles,
/// 11 cities, 6 categories, 50 per institution) into a fresh Azurite, starts the search index the way an app
/// instance does (one read of the table), then times searches through <see cref="CatalogueSearch.SearchAsync"/> —
/// the same path the API and the catalogue page use, change-log refresh included — and the freshness of a second
/// instance after writes. Prints a Markdown report.
/// </summary>
internal static class SearchBenchmark
{
    const int PerInstitution = 50;
    const int Repeats = 300;

    static readonly string[] Objects = ["铝合金", "钢材", "煤炭", "土壤", "水质", "食品", "中药材", "小杂粮", "粉煤灰", "光学元件", "锂电池", "陶瓷", "高分子材料", "医疗器械", "集成电路", "农产品", "饲料", "化肥", "橡胶", "纺织品", "焦炭", "玻璃", "涂料", "药品"];
    static readonly string[] Tests = ["成分分析", "力学性能测试", "微观形貌表征", "重金属检测", "农药残留检测", "热稳定性分析", "可靠性试验", "无损检测", "元素分析", "结构鉴定", "电镜分析", "光谱分析"];
    static readonly string[] Equipment = ["ICP-MS 质谱仪", "场发射扫描电镜", "X 射线衍射仪", "气相色谱-质谱联用仪", "万能材料试验机", "傅里叶红外光谱仪", "同步热分析仪", "液相色谱仪"];
    static readonly string[] Types = ["university", "research-institute", "platform"];

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var n = args.Length > 1 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 50_000;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## Catalogue search, {n:N0} services").AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInfo()}; command `dotnet run -c Release --project tests/Voucher.Benchmarks -- --search {n}`").AppendLine();

        await using var azurite = await BenchEnvironment.StartAzuriteAsync(ct);
        var store = new VoucherStore(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString));
        await store.EnsureCreatedAsync(ct);

        var watch = Stopwatch.StartNew();
        var written = await SeedAsync(store, n, ct);
        var seedTime = watch.Elapsed;
        Console.WriteLine($"seeded {written:N0} services in {seedTime.TotalSeconds:0.0} s");

        var catalogue = new CatalogueStore(store, TimeProvider.System);
        var index = new CatalogueIndex(catalogue, TimeProvider.System, NullLogger<CatalogueIndex>.Instance);
        var market = new CatalogueSearch(index, new Voucher.Workflows.Policies.ProvincePolicyStore(store));
        var services = new CatalogueService(catalogue, index, NullLogger<CatalogueService>.Instance);
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        watch.Restart();
        var loaded = await index.CurrentAsync(ct);
        var loadTime = watch.Elapsed;
        GC.Collect();
        var indexBytes = GC.GetTotalMemory(true) - before;
        Console.WriteLine($"index loaded: {loaded.Count:N0} services in {loadTime.TotalSeconds:0.0} s, ~{indexBytes / 1048576.0:0} MB");

        var some = loaded.Search(new SearchQuery("检测", PageSize: 1)).Hits[0].Doc;
        (string Kind, Func<Task<int>> Run)[] kinds =
        [
            ("keyword, common (\"检测\"), relevance, page 1", async () => (await market.SearchAsync(new SearchQuery("检测"), ct)).Total),
            ("keyword phrase (\"铝合金力学性能\")", async () => (await market.SearchAsync(new SearchQuery("铝合金力学性能"), ct)).Total),
            ("keyword + city + category + eligible", async () => (await market.SearchAsync(new SearchQuery("电镜", Category: "testing", CityCode: "taiyuan", VoucherEligible: true), ct)).Total),
            ("keyword + price range, sort by price", async () => (await market.SearchAsync(new SearchQuery("分析", PriceMinFen: 50_000, PriceMaxFen: 300_000, Sort: SearchSort.Price), ct)).Total),
            ("filters only (city + institution type), most used", async () => (await market.SearchAsync(new SearchQuery(CityCode: "datong", InstitutionType: "university", Sort: SearchSort.MostUsed), ct)).Total),
            ("no filter at all, sort by turnaround, page 40", async () => (await market.SearchAsync(new SearchQuery(Sort: SearchSort.Turnaround, Page: 40), ct)).Total),
            ("no service holds every keyword (relaxed)", async () => (await market.SearchAsync(new SearchQuery("锂电池重金属种质"), ct)).Total),
            ("similar services of one service", async () => (await market.SimilarAsync(some.InstitutionId, some.ServiceId, ct)).Count),
        ];

        report.AppendLine(CultureInfo.InvariantCulture, $"- seeding {written:N0} rows into Azurite (batches of 100): {seedTime.TotalSeconds:0.0} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"- index start (one read of Institutions and Services, build): {loadTime.TotalSeconds:0.00} s; managed heap held by the index ≈ {indexBytes / 1048576.0:0} MB").AppendLine();
        report.AppendLine("| query | matches | p50 ms | p90 ms | p99 ms | max ms |").AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (kind, run) in kinds)
        {
            var total = await run(); // warm-up
            var samples = new List<double>(Repeats);
            for (var i = 0; i < Repeats; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await run();
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var s = Percentiles.Summarize(kind, samples, 0);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {total:N0} | {s.P50:0.00} | {s.P90:0.00} | {s.P99:0.00} | {s.Max:0.00} |");
            Console.WriteLine($"{kind}: p50 {s.P50:0.00} ms p99 {s.P99:0.00} ms");
        }

        // Freshness: 100 services published through one instance; a second instance applies them from the change log.
        var other = new CatalogueIndex(catalogue, TimeProvider.System, NullLogger<CatalogueIndex>.Instance);
        await other.CurrentAsync(ct);
        var institution = "inst-search-0000";
        var publisher = new VoucherPrincipal("bench", "bench", Role.Institution, institution);
        watch.Restart();
        for (var i = 0; i < 100; i++)
        {
            var outcome = await services.PublishAsync(publisher, new ServiceContent($"新增基准服务{i}号量子点荧光检测", "testing", "基准测试新增服务", "", "", 100m, null, 3, "0351", "测试员"), ct);
            if (outcome.Failure is { } failure)
            {
                throw new InvalidOperationException(failure.Message);
            }
        }

        var publishMs = watch.Elapsed.TotalMilliseconds / 100;
        await Task.Delay(CatalogueIndex.RefreshInterval, ct);
        watch.Restart();
        var seen = (await other.CurrentAsync(ct)).Search(new SearchQuery("量子点荧光")).Total;
        var refreshMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        await Task.Delay(CatalogueIndex.RefreshInterval, ct);
        var t0 = Stopwatch.GetTimestamp();
        await other.CurrentAsync(ct);
        var idleRefreshMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- publishing one service (row + version + change-log row + own index): {publishMs:0.0} ms on average over 100");
        report.AppendLine(CultureInfo.InvariantCulture, $"- a second instance's refresh that applies those 100 changes (one range query + 100 point reads): {refreshMs:0} ms; it then finds {seen} of 100");
        report.AppendLine(CultureInfo.InvariantCulture, $"- an idle refresh (no changes: one range query on the change log), at most once per {CatalogueIndex.RefreshInterval.TotalSeconds:0} s per instance: {idleRefreshMs:0.0} ms");
        Console.WriteLine();
        Console.WriteLine(report.ToString());
        return seen == 100 ? 0 : 1;
    }

    static string RuntimeInfo() => $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    /// <summary>N services in batches of 100 per institution partition; institutions verified, spread over the 11 cities.</summary>
    static async Task<int> SeedAsync(VoucherStore store, int n, CancellationToken ct)
    {
        var random = new Random(20261126);
        var institutions = (n + PerInstitution - 1) / PerInstitution;
        var written = 0;
        var categories = ServiceCategories.All;
        var throttle = new SemaphoreSlim(8);
        var tasks = new List<Task>();
        for (var i = 0; i <= institutions; i++)
        {
            var id = $"inst-search-{i:D4}";
            var city = Cities.All[i % Cities.All.Count];
            var type = Types[i % Types.Length];
            var name = $"{city.NameZh}第{i}号{(type == "university" ? "大学测试中心" : type == "platform" ? "创新平台" : "研究院")}";
            await store.UpsertAsync(VoucherStore.Institutions, new InstitutionEntity
            {
                PartitionKey = id, CityCode = city.Code, Name = name, Type = type, Code = id.ToUpperInvariant(), SharingPlatformId = "SX-OSP-" + id, Status = InstitutionStatus.Verified,
            }, ct);
            if (i == institutions)
            {
                break; // the last one publishes during the freshness probe
            }

            var rows = new List<TableTransactionAction>();
            for (var k = 0; k < PerInstitution && written < n; k++, written++)
            {
                var obj = Objects[random.Next(Objects.Length)];
                var test = Tests[random.Next(Tests.Length)];
                var category = random.Next(10) < 6 ? categories[2] : categories[random.Next(categories.Count)];
                var title = category.Code switch
                {
                    "testing" => obj + test,
                    "scientific-data" => obj + "行业科学数据服务",
                    "germplasm" => obj + "种质资源鉴定与提供",
                    "novelty-search" => obj + "技术科技查新",
                    "consulting" => obj + "工艺优化技术咨询",
                    _ => obj + "新产品联合研发",
                };
                var from = (long)random.Next(2, 2000) * 10_000;
                rows.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new ServiceEntity
                {
                    PartitionKey = id, RowKey = $"svc-{k:D3}", Title = title, Category = category.Code,
                    Description = $"面向中小企业提供{obj}{test}服务，依据国家及行业标准出具报告，可加急。",
                    Specifications = $"GB/T {random.Next(1000, 40000)}", Equipment = Equipment[random.Next(Equipment.Length)],
                    PriceFromFen = from, PriceToFen = random.Next(3) == 0 ? 0 : from * random.Next(2, 6), TurnaroundDays = random.Next(1, 60),
                    CityCode = city.Code, InstitutionName = name, InstitutionType = type, Contact = "0351-0000000", Staff = "张工、李工",
                    Status = ServiceStatus.Published, Version = 1, UsedCount = random.Next(0, 200),
                }));
            }

            await throttle.WaitAsync(ct);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await store.Table(VoucherStore.Services).SubmitTransactionAsync(rows, ct);
                }
                finally
                {
                    throttle.Release();
                }
            }, ct));
        }

        await Task.WhenAll(tasks);
        return written;
    }
}
