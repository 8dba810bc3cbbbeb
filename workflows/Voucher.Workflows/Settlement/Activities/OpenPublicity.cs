using Voucher.Domain;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Settlement;

/// <summary>Opens the publicity (公示) window of the batch's approved redemptions: N working days (policy), objections allowed.</summary>
public sealed class OpenPublicity(SettlementStore settlements, PolicyStore policies, WorkingCalendar calendar, VoucherSettings settings) : IActivity<BatchStep, PublicityWindow>
{
    public async Task<PublicityWindow> RunAsync(BatchStep input, CancellationToken ct = default)
    {
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        if (batch.PublicityEnd is null)
        {
            var policy = await policies.GetVersionAsync(batch.CityCode, batch.PolicyVersion, ct) ?? await policies.GetCurrentAsync(batch.CityCode, ct);
            var today = ChinaTime.DateOf(input.At);
            batch.PublicityStart = today.ToString("yyyy-MM-dd");
            var end = calendar.AddWorkingDays(today, policy.PublicityWorkingDays);
            var endsAt = ChinaTime.EndOfDayUtc(end);
            if (settings.PublicityWindowMinutes > 0)
            {
                // Demo and test setting: a short window in minutes instead of working days.
                endsAt = DateTime.SpecifyKind(input.At, DateTimeKind.Utc).AddMinutes(settings.PublicityWindowMinutes);
                end = ChinaTime.DateOf(endsAt);
            }

            batch.PublicityEnd = end.ToString("yyyy-MM-dd");
            batch.PublicityEndsAt = new DateTimeOffset(endsAt);
            batch.Stage = "Publicity";
            await settlements.Tables.UpsertAsync(VoucherStore.Batches, batch, ct);
        }

        await settlements.Tables.UpsertAsync(VoucherStore.PublicityIndex, new PublicityIndexEntity
        {
            PartitionKey = "open", RowKey = batch.BatchId, CityCode = batch.CityCode, PublicityStart = batch.PublicityStart!, PublicityEnd = batch.PublicityEnd,
        }, ct);
        return new PublicityWindow(batch.PublicityStart!, batch.PublicityEnd, batch.PublicityEndsAt!.Value.UtcDateTime);
    }
}
