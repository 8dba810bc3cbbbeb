using Voucher.Workflows.Durable;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The batch is frozen: its review totals are counted from its rows (after the risk check wrote the flags) and kept on
/// the batch row with the stage (<see cref="KeptTotals"/>), and the city bureau gets a signed link to the batch review page.
/// </summary>
public sealed class OpenBatchReview(SettlementStore settlements, BatchLinks links, Outbox outbox, Microsoft.Extensions.Logging.ILogger<OpenBatchReview> log) : IActivity<BatchStep, bool>
{
    public async Task<bool> RunAsync(BatchStep input, CancellationToken ct = default)
    {
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        if (batch.Stage == BatchStage.Forming)
        {
            batch.MoveTo(BatchStage.Reviewing);
            await KeptTotals.CountAsync(batch, settlements.ItemPagesAsync(batch.BatchId, ct), ct);
            await settlements.Tables.UpsertAsync(VoucherStore.Batches, batch, ct);
        }

        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"batch-review-{batch.BatchId}",
            Addresses.CityBureau(batch.CityCode),
            $"结算批次待审核：{Cities.Get(batch.CityCode).NameZh}{SettlementText.PeriodName(batch.PeriodId)}（{batch.ItemCount} 笔）",
            $"本期截至 {Web.Glossary.Time(batch.CutoffUtc)} 的 {batch.ItemCount} 笔兑付申请已冻结为结算批次，请逐笔审核（通过或驳回并写明理由，可请专家评审），全部决定后提交。",
            [new NotificationLink("审核结算批次", links.ReviewUrl(batch))],
            Utc(input.At),
            batch.BatchId), ct);
        SettlementLog.ReviewOpened(log, batch.BatchId, batch.ItemCount);
        return true;
    }

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
