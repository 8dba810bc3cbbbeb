using Voucher.Workflows.Configuration;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Settlement;

/// <summary>Opens the publicity (公示) window of the batch's approved redemptions: N working days (policy), objections allowed.</summary>
public sealed class OpenPublicity(
    SettlementStore settlements,
    PolicyStore policies,
    CalendarStore calendars,
    VoucherSettings settings,
    Redemptions.RedemptionStore redemptions,
    SettlementNotices notices,
    Microsoft.Extensions.Logging.ILogger<OpenPublicity> log) : IActivity<BatchStep, PublicityWindow>
{
    public async Task<PublicityWindow> RunAsync(BatchStep input, CancellationToken ct = default)
    {
        var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
        if (batch.PublicityEnd is null)
        {
            var policy = await policies.GetVersionAsync(batch.CityCode, batch.PolicyVersion, ct) ?? await policies.GetCurrentAsync(batch.CityCode, ct);
            var today = ChinaTime.DateOf(input.At);
            batch.PublicityStart = PublicityWindows.Iso(today);
            if (settings.PublicityWindowMinutes > 0)
            {
                // Demo and test setting: a short window in minutes instead of working days.
                var endsAt = DateTime.SpecifyKind(input.At, DateTimeKind.Utc).AddMinutes(settings.PublicityWindowMinutes);
                batch.PublicityEnd = PublicityWindows.Iso(ChinaTime.DateOf(endsAt));
                batch.PublicityEndsAt = new DateTimeOffset(endsAt);
            }
            else
            {
                PublicityWindows.Apply(batch, (await calendars.CurrentAsync(ct)).Plan(today, policy.PublicityWorkingDays, null));
            }

            batch.MoveTo(BatchStage.Publicity);
            await settlements.Tables.UpsertAsync(VoucherStore.Batches, batch, ct);
        }

        await PublicityWindows.IndexAsync(settlements, batch, ct);
        await TellEnterprisesAsync(batch, new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc)), ct);
        var window = PublicityWindows.Of(batch);
        SettlementLog.PublicityOpened(log, batch.BatchId, window.Start, window.End, window.Provisional);
        return window;
    }

    /// <summary>
    /// Each enterprise whose row was approved and is now in publicity (published, or already objected to) hears of it and
    /// of the window; sent again when this step runs again (same ids and time, so the same inbox rows). The items are read
    /// a page at a time, so a batch of any size is held one page at once.
    /// </summary>
    async Task TellEnterprisesAsync(BatchEntity batch, DateTimeOffset at, CancellationToken ct)
    {
        await foreach (var page in settlements.ItemPagesAsync(batch.BatchId, ct))
        {
            await Parallel.ForEachAsync(page.Where(i => i.Verdict == RowVerdict.Approve), new ParallelOptions { MaxDegreeOfParallelism = SettlementPhases.ItemConcurrency, CancellationToken = ct }, async (item, token) =>
            {
                if (await redemptions.GetAsync(item.RedemptionId, token) is { State: RedemptionStatus.Published or RedemptionStatus.Objected, BatchId: var inBatch } && inBatch == batch.BatchId)
                {
                    await notices.PublicityStartedAsync(batch, item, at, token);
                }
            });
        }
    }
}
