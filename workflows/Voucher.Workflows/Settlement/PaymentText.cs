namespace Voucher.Workflows.Settlement;

/// <summary>The words of the payments list: a batch by its city and period.</summary>
public static class PaymentText
{
    /// <summary>A batch id (<c>taiyuan-2026M11</c>) in Chinese: 太原市 2026年11月 批次; the id itself when it is not one.</summary>
    public static string BatchName(string? batchId)
    {
        if (string.IsNullOrEmpty(batchId))
        {
            return "";
        }

        var dash = batchId.IndexOf('-', StringComparison.Ordinal);
        return dash <= 0 || !Cities.TryGet(batchId[..dash], out var city)
            ? batchId
            : $"{city.NameZh}{SettlementText.PeriodName(batchId[(dash + 1)..])}批次";
    }
}
