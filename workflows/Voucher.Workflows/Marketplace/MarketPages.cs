using Microsoft.AspNetCore.Http;
using Voucher.Domain;

namespace Voucher.Workflows.Marketplace;

/// <summary>What the marketplace's pages share: the redirect back after a form post, and how statuses read.</summary>
public static class MarketPages
{
    /// <summary>Back to <paramref name="path"/> with a message for its flash line (done, or the error).</summary>
    public static IResult Back(string path, string? done = null, string? error = null) =>
        Results.Redirect(path + (done is not null ? "?done=" + Uri.EscapeDataString(done) : error is not null ? "?error=" + Uri.EscapeDataString(error) : ""));

    public static string StatusText(ServiceStatus status) => status switch
    {
        ServiceStatus.Published => "在架 Published",
        ServiceStatus.Paused => "暂停 Paused",
        _ => "已下架 Retired",
    };

    public static string StatusText(InstitutionStatus status) => status switch
    {
        InstitutionStatus.Pending => "待省中心核验 Awaiting verification",
        InstitutionStatus.Verified => "已核验 Verified",
        _ => "已驳回 Rejected",
    };

    public static string StatusText(DemandStatus status) => status switch
    {
        DemandStatus.Open => "征集报价中 open",
        DemandStatus.Accepted => "已选定 accepted",
        _ => "已关闭 closed",
    };
}
