using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's entry points on each role's home page (one line each in the shared home pages).</summary>
public static class MarketLinks
{
    public static RenderFragment Enterprise => Fragments.Markup(
        "<section class=\"card\"><h2>服务市场 Marketplace</h2><p><a href=\"/catalogue\">搜索服务目录 Search the catalogue</a> · <a href=\"/portal/market\">我的需求、报价与订单 My demands, offers and orders</a></p></section>");

    public static RenderFragment Institution => Fragments.Markup(
        "<section class=\"card\"><h2>服务市场 Marketplace</h2><p><a href=\"/portal/institution\">机构信息与我的服务 Profile and my services</a> · <a href=\"/portal/institution/demands\">匹配的企业需求 Matching demand</a> · <a href=\"/portal/faculty\">人员服务记录 Faculty record</a></p></section>");

    public static RenderFragment Province => Fragments.Markup(
        "<section class=\"card\"><h2>服务机构 Institutions</h2><p><a href=\"/portal/institutions\">待核验的服务机构 Institutions awaiting verification</a> · <a href=\"/catalogue\">服务目录 Catalogue</a></p></section>");
}
