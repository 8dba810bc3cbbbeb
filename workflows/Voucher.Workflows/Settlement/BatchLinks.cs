using Voucher.Workflows.Configuration;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Settlement;

/// <summary>Signed links of a settlement: the bureau's batch review page and an expert's opinion page.</summary>
public sealed class BatchLinks(LinkSigner signer, VoucherSettings settings, TimeProvider time)
{
    public const string ReviewAction = "batch-review";
    public const string OpinionAction = "opinion";

    /// <summary>Batch review has no statutory deadline; the link lives 60 days and the signed-in bureau can always get a fresh one.</summary>
    public static readonly TimeSpan ReviewLifetime = TimeSpan.FromDays(60);

    public static readonly TimeSpan OpinionLifetime = TimeSpan.FromDays(30);

    public string ReviewUrl(BatchEntity batch) => $"{settings.PublicBaseUrl}/batches/{ReviewToken(batch)}";

    public string ReviewToken(BatchEntity batch) =>
        signer.Sign(new LinkClaims(SettlementIds.InstanceId(batch.BatchId), ReviewAction, Addresses.CityBureau(batch.CityCode), 1,
            (time.GetUtcNow() + ReviewLifetime).ToUnixTimeSeconds()));

    /// <summary>The expert's link names the batch item (instance = settlement instance + redemption) and the expert.</summary>
    public string OpinionUrl(string batchId, string redemptionId, string expertId) =>
        $"{settings.PublicBaseUrl}/opinions/{signer.Sign(new LinkClaims($"{SettlementIds.InstanceId(batchId)}/{redemptionId}", OpinionAction, Addresses.For(Role.Expert, expertId), 1, (time.GetUtcNow() + OpinionLifetime).ToUnixTimeSeconds()))}";

    /// <summary>The batch a review link names.</summary>
    public static string ReviewedBatch(LinkClaims claims) => SettlementIds.BatchOf(claims.InstanceId) ?? "";

    /// <summary>The batch row an opinion link names (null when the link names none).</summary>
    public static (string? BatchId, string? RedemptionId) OpinionRow(LinkClaims claims)
    {
        var slash = claims.InstanceId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && SettlementIds.BatchOf(claims.InstanceId[..slash]) is { } batchId
            ? (batchId, claims.InstanceId[(slash + 1)..])
            : (null, null);
    }

    public static string ChinaDate(DateTimeOffset at) => at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm");
}
