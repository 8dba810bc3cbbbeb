using Voucher.Workflows.Durable;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Settlement;

/// <summary>Publicity is over: the batch closes, leaves the public list, and the finance bureau is told what is payable.</summary>
public sealed class CloseSettlement(
    SettlementStore settlements,
    Outbox outbox,
    Voucher.Workflows.Configuration.VoucherSettings settings,
    Microsoft.Extensions.Logging.ILogger<CloseSettlement> log) : IActivity<BatchStep, bool>
{
    public async Task<bool> RunAsync(BatchStep input, CancellationToken ct = default)
    {
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        if (batch.Stage != BatchStage.Closed)
        {
            batch.MoveTo(BatchStage.Closed);
            batch.ClosedAt = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
            await settlements.Tables.UpsertAsync(VoucherStore.Batches, batch, ct);
        }

        await settlements.Tables.Table(VoucherStore.PublicityIndex).DeleteEntityAsync("open", batch.BatchId, cancellationToken: ct);
        if (batch.ItemCount > 0)
        {
            await outbox.EnqueueAndTryDeliverAsync(new Notification(
                $"payable-{batch.BatchId}",
                Addresses.For(Role.FinanceBureau, batch.CityCode),
                $"待拨付：{Cities.Get(batch.CityCode).NameZh}{SettlementText.PeriodName(batch.PeriodId)}批次公示期满",
                "公示期满无异议的兑付申请已转为待拨付，请在工作台逐笔确认拨付。",
                [new NotificationLink("待拨付清单", $"{settings.PublicBaseUrl}/")],
                batch.ClosedAt ?? new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc)),
                batch.BatchId), ct);
        }

        SettlementLog.Closed(log, batch.BatchId, batch.ItemCount, batch.ItemCount > 0);
        return true;
    }
}
