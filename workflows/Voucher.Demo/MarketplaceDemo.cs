using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Domain;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Demo;

/// <summary>
/// Demo catalogue: verified institutions in all 11 cities, about twenty hand-written services plus a few hundred
/// generated from templates (so search, facets and paging have something to work on), and one SME demand with an
/// offer. Idempotent: fixed ids, insert-if-absent.
/// </summary>
public sealed class MarketplaceDemo(VoucherStore store, TimeProvider time)
{
    static readonly (string Id, string City, string Name, string Type)[] Institutions =
    [
        ("inst-czmc", "changzhi", "长治医学院医学检验中心", "university"),
        ("inst-ycas", "yuncheng", "运城市农业科学研究院", "research-institute"),
        ("inst-lfqi", "linfen", "临汾市检验检测公共服务平台", "platform"),
        ("inst-yqcr", "yangquan", "阳泉煤炭安全技术研究所", "research-institute"),
        ("inst-jcom", "jincheng", "晋城光机电产业技术研究院", "platform"),
        ("inst-szfa", "shuozhou", "朔州粉煤灰综合利用创新平台", "platform"),
        ("inst-xzgd", "xinzhou", "忻州师范学院地理信息数据中心", "university"),
        ("inst-llnm", "lvliang", "吕梁学院新材料检测中心", "university"),
    ];

    sealed record Curated(string Institution, string Id, string Title, string Category, string Description, string Specs, string Equipment, long FromYuan, long ToYuan, int Days, string Staff);

    static readonly Curated[] Services =
    [
        new("inst-sxu", "svc-icp-ms", "ICP-MS 微量元素检测", "testing", "电感耦合等离子体质谱测定金属、土壤、水样中的微量及痕量元素，出具 CMA 检测报告。", "GB/T 5750.6、HJ 700", "Agilent 7900 ICP-MS", 800, 3000, 7, "王建国、李敏"),
        new("inst-sxu", "svc-nmr", "核磁共振波谱分析", "testing", "有机化合物结构鉴定，一维氢谱碳谱及二维谱。", "JY/T 0578", "Bruker 600 MHz 核磁共振波谱仪", 500, 2000, 5, "张伟"),
        new("inst-tyut", "svc-sem", "扫描电镜材料表征", "testing", "金属、陶瓷、高分子材料微观形貌观察与能谱成分分析。", "GB/T 17359", "场发射扫描电子显微镜 + EDS 能谱", 600, 1500, 5, "刘洋、陈静"),
        new("inst-tyut", "svc-tensile", "金属材料力学性能测试", "testing", "拉伸、弯曲、冲击、硬度测试，适用于铝合金、钢材等。", "GB/T 228.1、GB/T 229", "万能材料试验机、摆锤冲击试验机", 300, 1200, 4, "刘洋"),
        new("inst-sxast", "svc-novelty", "科技查新（国内外）", "novelty-search", "立项、成果鉴定、报奖用科技查新，检索国内外专利与文献。", "GB/T 32003 科技查新技术规范", "CNKI、Derwent、Web of Science 数据库", 1500, 3000, 10, "赵丽、孙强"),
        new("inst-sxast", "svc-patent-search", "专利查新与技术路线分析", "novelty-search", "面向企业研发立项的专利检索、侵权风险初判与技术路线图。", "GB/T 32003", "incoPat 专利数据库", 2000, 5000, 12, "孙强"),
        new("inst-dtu", "svc-coal-data", "煤质分析科学数据服务", "scientific-data", "大同矿区煤质化验历史数据查询与统计分析报告。", "GB/T 212 煤的工业分析", "煤质数据库（1990 年至今）", 1000, 5000, 15, "周涛"),
        new("inst-dtu", "svc-coal-consult", "煤矿智能化改造技术咨询", "consulting", "煤矿综采工作面智能化改造方案论证与技术咨询。", "煤矿智能化建设指南", "", 5000, 20000, 20, "周涛、吴磊"),
        new("inst-sxau", "svc-germplasm", "小杂粮种质资源鉴定", "germplasm", "谷子、高粱、荞麦等小杂粮种质资源的表型与分子鉴定。", "NY/T 2646", "种质资源库、PCR 仪", 2000, 8000, 30, "郑红、王刚"),
        new("inst-sxau", "svc-consult", "农业生物技术咨询", "consulting", "作物育种、生物农药研发的技术咨询与方案设计。", "", "", 3000, 10000, 20, "郑红"),
        new("inst-czmc", "svc-clinical-lab", "医疗器械生物相容性检测", "testing", "医疗器械细胞毒性、致敏、刺激试验。", "GB/T 16886", "细胞培养室、酶标仪", 3000, 12000, 25, "何芳、马超"),
        new("inst-czmc", "svc-drug-data", "中药材质量数据服务", "scientific-data", "上党道地药材（党参等）质量检测数据库查询与分析。", "中国药典 2020 年版", "HPLC 液相色谱仪", 800, 3000, 10, "何芳"),
        new("inst-ycas", "svc-apple-germ", "苹果种质资源提供与评价", "germplasm", "运城苹果种质资源圃资源提供、性状评价。", "NY/T 1318", "种质资源圃", 1500, 6000, 30, "杨帆"),
        new("inst-ycas", "svc-soil-test", "土壤养分与重金属检测", "testing", "土壤有机质、氮磷钾及重金属含量检测。", "HJ 803、NY/T 1121", "原子吸收光谱仪", 200, 800, 7, "杨帆、冯雪"),
        new("inst-lfqi", "svc-food-test", "食品安全检验检测", "testing", "食品微生物、农药残留、添加剂检测，出具 CMA/CNAS 报告。", "GB 2763、GB 4789", "气相色谱-质谱联用仪", 400, 2500, 5, "高峰、林娜"),
        new("inst-yqcr", "svc-gas-safety", "矿井瓦斯防治技术咨询", "consulting", "瓦斯抽采方案设计与安全评价咨询。", "AQ 1026", "", 5000, 30000, 30, "罗军"),
        new("inst-jcom", "svc-optical-test", "光学元件性能检测", "testing", "透镜、滤光片透过率、面形精度检测。", "GB/T 26331", "激光干涉仪、分光光度计", 600, 2500, 6, "谢明、韩冰"),
        new("inst-jcom", "svc-joint-rd", "光机电产品合作研发", "cooperative-rd", "与企业联合开发光机电一体化产品，按里程碑交付。", "委托开发合同", "精密加工中心", 20000, 200000, 180, "谢明"),
        new("inst-szfa", "svc-flyash", "粉煤灰成分与活性检测", "testing", "粉煤灰化学成分、细度、需水量比、活性指数检测。", "GB/T 1596", "X 射线荧光光谱仪", 300, 1000, 5, "唐亮"),
        new("inst-xzgd", "svc-gis-data", "地理信息与遥感数据服务", "scientific-data", "忻州及周边遥感影像、地形数据提供与处理。", "GB/T 35643", "遥感图像处理工作站", 1000, 8000, 10, "宋佳、邓浩"),
        new("inst-llnm", "svc-xrd", "X 射线衍射物相分析", "testing", "粉末、块体材料物相定性定量分析。", "JY/T 0587", "X 射线衍射仪", 300, 900, 5, "许可"),
    ];

    static readonly (string Stem, string Category, string Description, string Equipment, long From, long To, int Days)[] Templates =
    [
        ("材料成分分析", "testing", "金属与非金属材料化学成分分析，出具检测报告。", "直读光谱仪", 300, 1500, 5),
        ("环境水质检测", "testing", "地表水、地下水、废水常规指标与重金属检测。", "离子色谱仪", 400, 2000, 7),
        ("红外光谱分析", "testing", "有机物官能团鉴定与高分子材料表征。", "傅里叶红外光谱仪", 200, 800, 4),
        ("热分析测试", "testing", "差示扫描量热、热重分析，测定材料热稳定性。", "同步热分析仪", 300, 1200, 5),
        ("粒度与比表面积测试", "testing", "粉体材料粒径分布与比表面积测试。", "激光粒度仪", 200, 900, 4),
        ("产品质量检验", "testing", "工业产品出厂检验与型式试验。", "综合检测线", 500, 3000, 10),
        ("行业统计数据服务", "scientific-data", "行业运行数据查询、统计与专题分析报告。", "数据平台", 800, 4000, 10),
        ("气象与农情数据服务", "scientific-data", "历史气象、农情监测数据提供与分析。", "数据库", 600, 3000, 8),
        ("地方特色种质资源鉴定", "germplasm", "地方特色作物种质资源鉴定评价与提供。", "种质资源库", 1500, 6000, 30),
        ("微生物菌种资源提供", "germplasm", "工业微生物菌种保藏、提供与鉴定。", "菌种保藏库", 1000, 5000, 20),
        ("科技成果查新", "novelty-search", "成果鉴定、项目申报科技查新。", "文献数据库", 1200, 3000, 10),
        ("知识产权检索分析", "novelty-search", "专利检索、技术竞争态势分析。", "专利数据库", 1500, 5000, 12),
        ("工艺优化技术咨询", "consulting", "生产工艺诊断与优化方案咨询。", "", 3000, 15000, 20),
        ("数字化转型咨询", "consulting", "企业数字化、智能化改造规划咨询。", "", 5000, 20000, 30),
        ("新产品联合研发", "cooperative-rd", "面向企业需求的新产品联合开发。", "中试平台", 20000, 150000, 120),
        ("关键技术委托开发", "cooperative-rd", "关键共性技术攻关委托开发。", "研发实验室", 30000, 300000, 180),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var catalogue = new CatalogueStore(store, time);
        var now = time.GetUtcNow();
        foreach (var (id, city, name, type) in Institutions)
        {
            await store.TryAddAsync(VoucherStore.Institutions, new InstitutionEntity
            {
                PartitionKey = id, CityCode = city, Name = name, Type = type, Code = id.ToUpperInvariant(), SharingPlatformId = $"SX-OSP-{id}", Status = InstitutionStatus.Verified, ContactName = "演示联系人", ContactPhone = "0351-7010000", RegisteredAt = now, DecidedAt = now, DecidedBy = "province", Introduction = name + "，面向中小企业开放共享。",
            }, ct);
            if (await catalogue.GetInstitutionAsync(id, ct) is { Status: not InstitutionStatus.Pending } seeded)
            {
                await catalogue.MarkDecidedAsync(seeded, ct); // the province centre's 已审核 list
            }
        }

        var institutions = new Dictionary<string, InstitutionEntity>(StringComparer.Ordinal);
        foreach (var id in Services.Select(s => s.Institution).Distinct())
        {
            if (await catalogue.GetInstitutionAsync(id, ct) is { } i)
            {
                institutions[id] = i;
            }
        }

        foreach (var s in Services)
        {
            if (!institutions.TryGetValue(s.Institution, out var inst))
            {
                continue;
            }

            var existing = await catalogue.GetServiceAsync(s.Institution, s.Id, ct);
            if (existing is null)
            {
                await catalogue.TryPublishAsync(ToEntity(inst, s.Id, s.Title, s.Category, s.Description, s.Specs, s.Equipment, s.FromYuan, s.ToYuan, s.Days, s.Staff), "demo", ct);
            }
            else if (existing.Version == 0)
            {
                // A service from the base demo seed, written before the marketplace: fill in the catalogue fields once.
                // Its empty status reads as published, which is what it is.
                await catalogue.UpdateServiceAsync(s.Institution, s.Id, e =>
                {
                    var full = ToEntity(inst, s.Id, s.Title, s.Category, s.Description, s.Specs, s.Equipment, s.FromYuan, s.ToYuan, s.Days, s.Staff);
                    (e.Description, e.Specifications, e.Equipment, e.Staff, e.Contact, e.InstitutionName, e.InstitutionType) =
                        (full.Description, full.Specifications, full.Equipment, full.Staff, full.Contact, full.InstitutionName, full.InstitutionType);
                    return true;
                }, "补充目录信息 catalogue fields", "demo", ct);
            }
        }

        // Generated services: each institution offers a share of the templates, with its city in the title.
        var n = 0;
        foreach (var inst in institutions.Values.OrderBy(i => i.InstitutionId, StringComparer.Ordinal))
        {
            var city = Cities.Get(inst.CityCode).NameZh;
            for (var k = 0; k < Templates.Length; k++)
            {
                var t = Templates[(k + n) % Templates.Length];
                var id = $"svc-gen-{k:D2}";
                if (await catalogue.GetServiceAsync(inst.InstitutionId, id, ct) is not null)
                {
                    continue;
                }

                var factor = 1 + ((n + k) % 5 * 0.25m);
                await catalogue.TryPublishAsync(
                    ToEntity(inst, id, $"{t.Stem}（{city}）", t.Category, t.Description, "依据相关国家或行业标准", t.Equipment, (long)(t.From * factor), (long)(t.To * factor), t.Days + (k % 4), $"演示人员{(k % 6) + 1}号"),
                    "demo", ct);
            }

            n++;
        }

        var market = new MarketStore(store);
        await SeedDemandAsync(
            new DemandService(market, catalogue, store, time, NullLogger<DemandService>.Instance),
            new OfferService(market, catalogue, new CatalogueIndex(catalogue, time, NullLogger<CatalogueIndex>.Instance), time, NullLogger<OfferService>.Instance),
            now,
            ct);
    }

    static ServiceEntity ToEntity(InstitutionEntity inst, string id, string title, string category, string description, string specs, string equipment, long fromYuan, long toYuan, int days, string staff) => new()
    {
        PartitionKey = inst.InstitutionId, RowKey = id, Title = title, Category = category, Description = description, Specifications = specs, Equipment = equipment,
        PriceFromFen = fromYuan * 100, PriceToFen = toYuan > fromYuan ? toYuan * 100 : 0, TurnaroundDays = days, Contact = "0351-7010000 服务窗口",
        Staff = staff, Status = ServiceStatus.Published, CityCode = inst.CityCode, InstitutionName = inst.Name, InstitutionType = inst.Type,
    };

    /// <summary>The first demo enterprise asks for materials testing; the Taiyuan university answers with an offer.</summary>
    static async Task SeedDemandAsync(DemandService demands, OfferService offers, DateTimeOffset now, CancellationToken ct)
    {
        var enterprise = DemoData.Enterprises[0];
        var sme = new VoucherPrincipal("demo", "演示企业", Role.Enterprise, enterprise.Uscc);
        if ((await demands.ForCallerAsync(sme, ct)).Count > 0)
        {
            return;
        }

        var deadline = ChinaTime.DateOf(now.UtcDateTime).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var posted = await demands.PostAsync(sme, new DemandDetails("testing", "新型铝合金板材需要做成分分析和拉伸、冲击力学性能检测，共 12 个样品，需出具 CMA 报告。", 20000m, enterprise.CityCode, deadline), ct);
        if (posted.Succeeded)
        {
            await offers.MakeAsync(
                new VoucherPrincipal("demo", "演示机构", Role.Institution, "inst-tyut"),
                new MakeOffer(posted.Value.DemandId, new OfferTerms("svc-tensile", 12000m, 6, "可一周内完成全部样品的拉伸与冲击测试，成分分析同步进行。")), ct);
        }
    }
}
