using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// A holiday arrangement was published or corrected during the batch's publicity: counts the window's end again from its
/// start with the calendar now in force (read fresh) and the batch's policy version. A window in minutes (demos and
/// tests) and a closed window stay as they were. The batch's audit trail gets old → new end and the calendar versions.
/// </summary>
public sealed class ReplanPublicity(
    SettlementStore settlements,
    PolicyStore policies,
    CalendarStore calendars,
    AuditLog audit,
    Microsoft.Extensions.Logging.ILogger<ReplanPublicity> log) : IActivity<BatchStep, PublicityWindow>
{
    public async Task<PublicityWindow> RunAsync(BatchStep input, CancellationToken ct = default)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        for (var attempt = 1; ; attempt++)
        {
            var batch = await settlements.GetBatchAsync(input.BatchId, ct) ?? throw new DomainException($"Batch {input.BatchId} not found.");
            if (batch.PublicityReplannedAt == at)
            {
                // This same wake-up changed the row (before a crash, or just now): finish its listing row and entry (idempotent).
                await FinishAsync(batch, at, ct);
                return PublicityWindows.Of(batch);
            }

            if (batch.Stage != BatchStage.Publicity || PublicityWindows.PlanOf(batch) is not { } old)
            {
                SettlementLog.PublicityKept(log, batch.BatchId, batch.Stage, batch.PublicityEnd);
                return PublicityWindows.Of(batch);
            }

            var policy = await policies.GetVersionAsync(batch.CityCode, batch.PolicyVersion, ct) ?? await policies.GetCurrentAsync(batch.CityCode, ct);
            var next = (await calendars.FreshAsync(ct)).Plan(old.Start, policy.PublicityWorkingDays, null);
            if (next.SameCountAs(old))
            {
                SettlementLog.PublicityKept(log, batch.BatchId, batch.Stage, batch.PublicityEnd);
                return PublicityWindows.Of(batch);
            }

            PublicityWindows.Apply(batch, next);
            batch.PublicityReplannedAt = at;
            batch.PublicityReplanNote =
                $"节假日安排发布后重新计算公示期：截止 {PublicityWindows.Iso(old.Deadline)} → {PublicityWindows.Iso(next.Deadline)}（{next.Basis.Describe()}；此前{old.Basis.Describe()}）";
            try
            {
                // Conditional on the row read: a concurrent change wins and the count is made again on what it wrote.
                await settlements.ReplaceBatchAsync(batch, ct);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 20)
            {
                continue;
            }

            await FinishAsync(batch, at, ct);
            SettlementLog.PublicityReplanned(log, batch.BatchId, PublicityWindows.Iso(old.Deadline), PublicityWindows.Iso(next.Deadline), next.Basis.ToString());
            return PublicityWindows.Of(batch);
        }
    }

    async Task FinishAsync(BatchEntity batch, DateTimeOffset at, CancellationToken ct)
    {
        await PublicityWindows.IndexAsync(settlements, batch, ct);
        await audit.AppendAsync(AuditSubjects.Batch(batch.BatchId), "system", at, nameof(BatchStage.Publicity), nameof(BatchStage.Publicity), batch.PolicyVersion, batch.PublicityReplanNote ?? "", ct);
    }
}
