namespace Voucher.Workflows.Marketplace;

/// <summary>How the marketplace's statuses read on its pages.</summary>
public static class MarketPages
{
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
