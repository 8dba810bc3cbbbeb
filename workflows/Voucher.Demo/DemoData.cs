using Voucher.Domain;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Storage;
using Voucher.Workflows.Supervision;

namespace Voucher.Demo;

/// <summary>
/// Demo data for someone trying the system: each city's policy (a few cities with their own parameters, as
/// version 2), some enterprises, institutions and services. Idempotent: running it again adds nothing.
/// </summary>
public sealed class DemoData(VoucherStore store, PolicyStore policies, TimeProvider time, SupervisionDemo supervision)
{
    /// <summary>The demo seeder over a store, for callers outside the app's container (tests seeding a running host).</summary>
    public static DemoData Over(VoucherStore store, TimeProvider time) =>
        new(store, new PolicyStore(store, time), time,
            new SupervisionDemo(new HistoryImport(store, time), new FindingsStore(store, time), time));

    public sealed record DemoEnterprise(string Uscc, string Name, string CityCode, SizeClass Size);

    /// <summary>Demo enterprises; their USCCs carry valid GB 32100 check characters and Shanxi division codes.</summary>
    public static IReadOnlyList<DemoEnterprise> Enterprises { get; } =
    [
        new(Uscc.Complete("91140100MA0DEM001"), "太原晋创新材料科技有限公司", "taiyuan", SizeClass.Small),
        new(Uscc.Complete("91140200MA0DEM002"), "大同云岗智能装备有限公司", "datong", SizeClass.Micro),
        new(Uscc.Complete("91140700MA0DEM003"), "晋中榆次生物医药科技有限公司", "jinzhong", SizeClass.Medium),
        new(Uscc.Complete("91141000MA0DEM004"), "临汾尧都数字农业有限公司", "linfen", SizeClass.Small),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        foreach (var city in Cities.All)
        {
            var current = await policies.GetCurrentAsync(city.Code, ct);
            var tailored = Tailor(current, now);
            if (current.Version == 1 && tailored != current)
            {
                await policies.TryPublishAsync(tailored, ct);
            }
        }

        var i = 0;
        foreach (var e in Enterprises)
        {
            i++;
            await store.TryAddAsync(VoucherStore.Enterprises, new EnterpriseEntity
            {
                PartitionKey = e.Uscc,
                Name = e.Name,
                CityCode = e.CityCode,
                SizeClass = e.Size.ToString().ToLowerInvariant(),
                TechSmeNumber = $"2026140{i:D3}0{i}",
                ContactName = "演示联系人",
                ContactPhone = $"1390351{i:D4}",
                RegisteredAt = now,
            }, ct);
        }

        (string City, string Id, string Name, string Type)[] institutions =
        [
            ("taiyuan", "inst-sxu", "山西大学分析测试中心", "university"),
            ("taiyuan", "inst-tyut", "太原理工大学材料测试中心", "university"),
            ("taiyuan", "inst-sxast", "山西省科学技术情报研究所（科技查新）", "research-institute"),
            ("datong", "inst-dtu", "山西大同大学煤炭工程研究院", "university"),
            ("jinzhong", "inst-sxau", "山西农业大学种质资源平台", "platform"),
        ];
        foreach (var (cityCode, id, name, type) in institutions)
        {
            await store.TryAddAsync(VoucherStore.Institutions, new InstitutionEntity
            {
                PartitionKey = id, CityCode = cityCode, Name = name, Type = type, Code = id.ToUpperInvariant(), SharingPlatformId = $"SX-OSP-{id}", Verified = true,
            }, ct);
        }

        (string Institution, string City, string Id, string Title, string Category, long From, long To, int Days)[] services =
        [
            ("inst-sxu", "taiyuan", "svc-icp-ms", "ICP-MS 微量元素检测", "testing", 80_000, 300_000, 7),
            ("inst-sxu", "taiyuan", "svc-nmr", "核磁共振波谱分析", "testing", 50_000, 200_000, 5),
            ("inst-tyut", "taiyuan", "svc-sem", "扫描电镜材料表征", "testing", 60_000, 150_000, 5),
            ("inst-sxast", "taiyuan", "svc-novelty", "科技查新（国内外）", "novelty-search", 150_000, 300_000, 10),
            ("inst-dtu", "datong", "svc-coal-data", "煤质分析科学数据服务", "scientific-data", 100_000, 500_000, 15),
            ("inst-sxau", "jinzhong", "svc-germplasm", "小杂粮种质资源鉴定", "germplasm", 200_000, 800_000, 30),
            ("inst-sxau", "jinzhong", "svc-consult", "农业生物技术咨询", "consulting", 300_000, 1_000_000, 20),
        ];
        foreach (var s in services)
        {
            await store.TryAddAsync(VoucherStore.Services, new ServiceEntity
            {
                PartitionKey = s.Institution, RowKey = s.Id, Title = s.Title, Category = s.Category, CityCode = s.City,
                Description = $"{s.Title}，出具正式检测/服务报告。", PriceFromFen = s.From * 100, PriceToFen = s.To * 100, TurnaroundDays = s.Days,
            }, ct);
        }

        await new MarketplaceDemo(store, time).SeedAsync(ct);
        await new AgencyDemoData(store, time).SeedAsync(ct);
        await new OnboardingDemo(store, time).SeedAsync(ct);
        await supervision.SeedAsync(ct);
        await EnforcementDemo.SeedAsync(store, now, ct);
    }

    /// <summary>A few cities run their own parameters, as the paper describes (cadence, seal binding, 100,000 vouchers).</summary>
    static CityPolicy Tailor(CityPolicy current, DateTimeOffset now) => current.CityCode switch
    {
        "taiyuan" => current.NextVersion("demo", "演示：太原按月兑付 (monthly settlement)", now) with { Cadence = SettlementCadence.Monthly },
        "datong" => current.NextVersion("demo", "演示：大同以机构公章代替系统确认 (seal binding)", now) with { BindingMode = BindingMode.Seal, ExcessRatio = 0.4m },
        "jinzhong" => current.NextVersion("demo", "演示：晋中开放 10 万元面额 (100,000 denomination)", now) with { LargeDenominationEnabled = true, ExcessRatio = 0.3m },
        "lvliang" => current.NextVersion("demo", "演示：吕梁半年兑付 (semiannual)", now) with { Cadence = SettlementCadence.Semiannual },
        _ => current,
    };
}
