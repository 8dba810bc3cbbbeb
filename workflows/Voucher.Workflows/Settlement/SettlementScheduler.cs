using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Settlement;

public sealed record SettlementStart(string BatchId, string InstanceId, bool Started, string PeriodId, DateTime CutoffUtc);

/// <summary>
/// Starts one settlement per city and period with a deterministic instance id, from the timer (each city's
/// cadence) or by hand (<see cref="SettlementService.StartAsync"/>). A second start for the same period changes nothing.
/// </summary>
public sealed class SettlementScheduler(
    PolicyStore policies,
    VoucherSettings settings,
    Links.OneTimeActions oneTime,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<SettlementScheduler> log)
{
    /// <summary>The timer's work: for each city, the period its cadence says is due.</summary>
    public async Task<IReadOnlyList<SettlementStart>> RunScheduledAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var started = new List<SettlementStart>();
        foreach (var city in Cities.All)
        {
            var policy = await policies.GetCurrentAsync(city.Code, ct);
            // "period-end" settles the last ended period at its cut-off; "now" (demos, tests) settles the current
            // period with the cut-off at this firing.
            var (period, cutoff) = settings.SettlementCutoffNow
                ? (SettlementPeriod.Containing(policy.Cadence, today), now)
                : (SettlementPeriod.LastEnded(policy.Cadence, today), SettlementPeriod.LastEnded(policy.Cadence, today).CutoffUtc);
            var start = await StartAsync(city.Code, period.Id, cutoff, "timer", durable, ct);
            SettlementLog.Scheduled(log, start.BatchId, start.Started, start.CutoffUtc);
            started.Add(start);
        }

        return started;
    }

    /// <summary>
    /// Starts the settlement of one city and period with the given cut-off (the timer's, or one a person chose through
    /// <see cref="SettlementService.StartAsync"/>); when it exists, answers with the cut-off it took.
    /// </summary>
    public async Task<SettlementStart> StartAsync(string cityCode, string periodId, DateTime cutoffUtc, string startedBy, DurableTaskClient durable, CancellationToken ct)
    {
        var batchId = SettlementIds.BatchId(cityCode, periodId);
        var instanceId = SettlementIds.InstanceId(batchId);
        var existing = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (existing is not null)
        {
            var input = existing.ReadInputAs<SettlementInput>();
            return new SettlementStart(batchId, instanceId, false, periodId, input?.CutoffUtc ?? cutoffUtc);
        }

        // Concurrent starts (timer and a person, or two clicks) race between the check above and the schedule:
        // a conditional insert decides which one starts it.
        if (!await oneTime.TryClaimAsync(instanceId, "settlement-start", 1, startedBy, ct))
        {
            return new SettlementStart(batchId, instanceId, false, periodId, cutoffUtc);
        }

        var started = await Orchestrations.StartOnceAsync(durable, nameof(SettlementOrchestrator), new SettlementInput(cityCode, periodId, cutoffUtc, startedBy), instanceId, ct);
        return new SettlementStart(batchId, instanceId, started, periodId, cutoffUtc);
    }
}
