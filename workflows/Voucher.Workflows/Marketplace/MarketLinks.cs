using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Portal;

namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's entry points on each role's home page (a <see cref="LinkSection"/> each).</summary>
public static class MarketLinks
{
    public static RenderFragment Enterprise => new LinkSectionModel("服务市场",
        [("/catalogue", "搜索服务目录"), ("/portal/market", "我的需求、报价与订单")]).Fragment;

    public static RenderFragment Institution => new LinkSectionModel("服务市场",
        [("/portal/institution", "机构信息与我的服务"), ("/portal/institution/demands", "匹配的企业需求"), ("/portal/faculty", "人员服务记录")]).Fragment;

    public static RenderFragment Province => new LinkSectionModel("服务机构",
        [("/portal/institutions", "待核验的服务机构"), ("/catalogue", "服务目录")]).Fragment;
}
