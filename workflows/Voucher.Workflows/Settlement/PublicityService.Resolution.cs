using Microsoft.DurableTask.Client;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>The bureau's resolution of the objections of one redemption.</summary>
public sealed partial class PublicityService
{
    public const int MaxResolutionLength = 500;

    public static readonly Failure NoOpenObjection = new Failure.Conflict("该申请没有待处理的异议 (No open objection)");

    const string UpheldPrefix = "公示异议成立：";

    /// <summary>The city's bureau resolves the objections of one of its redemptions (see <see cref="ResolveForAsync"/>).</summary>
    public async Task<Outcome<RedemptionEntity>> ResolveObjectionAsync(VoucherPrincipal caller, ResolveObjection command, DurableTaskClient durable, CancellationToken ct)
    {
        var r = await redemptions.GetAsync(command.RedemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(command.RedemptionId);
        }

        if (!caller.IsBureauOf(r.CityCode))
        {
            return Failure.Deny(RedemptionService.CanRead(caller, r), RedemptionService.NotFound(command.RedemptionId), "只有本市科技局可以处理异议 (Only the city's bureau resolves objections)");
        }

        var errors = new List<FieldError>();
        var reason = command.Reason?.Trim();
        if (command.Uphold is null)
        {
            errors.Add(new FieldError("uphold", "必填：true 维持异议，false 驳回异议 (Required)"));
        }

        if (string.IsNullOrEmpty(reason) || reason.Length > MaxResolutionLength)
        {
            errors.Add(new FieldError("reason", $"须填写处理理由，不超过 {MaxResolutionLength} 字 (A reason of at most {MaxResolutionLength} characters is required)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var resolved = await ResolveForAsync(r, command.Uphold!.Value, reason!, caller.Address, durable, ct);
        if (resolved is null)
        {
            return NoOpenObjection;
        }

        SettlementLog.ObjectionResolved(log, resolved.RedemptionId, caller.Address, command.Uphold.Value, resolved.State);
        return resolved;
    }

    /// <summary>
    /// Uphold: rejected, the redemption's orchestration gives the cap back and tells the enterprise; on a pre-paid redemption
    /// the audit fails, so a paid advance is clawed back (the finance bureau and the enterprise are told) and a violation
    /// recorded (<see cref="Enforcement.PrepaymentAudit.ObjectionUpheldAsync"/>). Dismiss: published again, or payable once
    /// the window closed. The row records the resolution (who, when, why, to what) with the move, under its ETag; everything
    /// the resolution owes after that — audit entry, objection rows, statistics, claw-back and violation, the settled event
    /// and with it the enterprise's message — is a tail with fixed keys and message ids, run again whenever the same
    /// resolution is asked again, so a resolution that stopped part-way is finished and nothing happens twice. Null when
    /// there was no open objection (also for such a repeat).
    /// </summary>
    async Task<RedemptionEntity?> ResolveForAsync(RedemptionEntity r, bool uphold, string reason, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        if (r.State != RedemptionStatus.Objected)
        {
            if (r.ObjectionResolvedAt is not null && (r.ObjectionResolvedTo == nameof(RedemptionStatus.Rejected)) == uphold)
            {
                await ResolvedTailAsync(r, durable, ct);
            }
            else if (uphold && r is { State: RedemptionStatus.Rejected, ObjectionResolvedAt: null } && r.RejectReason?.StartsWith(UpheldPrefix, StringComparison.Ordinal) == true)
            {
                // Upheld before the resolution was recorded on the row: the claw-back and violation have fixed ids.
                await prepayment.ObjectionUpheldAsync(r, r.RejectReason[UpheldPrefix.Length..], actor, time.GetUtcNow(), durable, ct);
            }

            return null;
        }

        var batch = r.BatchId is null ? null : await settlements.GetBatchAsync(r.BatchId, ct);
        var now = time.GetUtcNow();
        var windowOpen = batch is not null && PublicityWindows.IsOpen(batch, now);
        var target = uphold ? RedemptionStatus.Rejected : windowOpen ? RedemptionStatus.Published : RedemptionStatus.Payable;
        var changed = false;
        r = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            changed = false;
            if (e.State != RedemptionStatus.Objected)
            {
                return false;
            }

            // Objected → Published is the dismissal while the window is still open (the transition table allows it).
            e.MoveTo(target);
            changed = true;
            e.ObjectionResolvedAt = now;
            e.ObjectionResolvedBy = actor;
            e.ObjectionResolution = reason;
            e.ObjectionResolvedTo = target.ToString();
            if (target == RedemptionStatus.Rejected)
            {
                e.RejectReason = UpheldPrefix + reason;
            }
            else if (target == RedemptionStatus.Payable)
            {
                e.PayableAt = now;
            }

            return true;
        }, ct);
        if (!changed)
        {
            return null;
        }

        return await ResolvedTailAsync(r, durable, ct);
    }

    /// <summary>What a recorded resolution owes, each with a fixed key or id (see <see cref="ResolveForAsync"/>).</summary>
    async Task<RedemptionEntity> ResolvedTailAsync(RedemptionEntity r, DurableTaskClient durable, CancellationToken ct)
    {
        var at = r.ObjectionResolvedAt!.Value;
        var actor = r.ObjectionResolvedBy ?? "city-bureau";
        var reason = r.ObjectionResolution ?? "";
        var uphold = r.ObjectionResolvedTo == nameof(RedemptionStatus.Rejected);
        if (r.ObjectionResolvedTo == nameof(RedemptionStatus.Published) && r.State == RedemptionStatus.Published && (await settlements.GetBatchAsync(r.BatchId!, ct)) is { Stage: BatchStage.Closed })
        {
            // The window closed while this was decided: the close-publicity pass has gone by, so it becomes payable here.
            r = await redemptions.UpdateAsync(r.RedemptionId, e =>
            {
                if (e.State != RedemptionStatus.Published)
                {
                    return false;
                }

                e.MoveTo(RedemptionStatus.Payable);
                e.PayableAt = at;
                e.ObjectionResolvedTo = nameof(RedemptionStatus.Payable);
                return true;
            }, ct);
        }

        await audit.AppendAsync(Voucher.Workflows.Audit.AuditSubjects.Redemption(r.RedemptionId), actor, at, nameof(RedemptionStatus.Objected), r.ObjectionResolvedTo ?? r.Status.ToString(), r.PolicyVersion,
            (uphold ? "维持异议 (objection upheld)：" : "驳回异议 (objection dismissed)：") + reason, ct);
        if (r.ObjectionResolvedTo == nameof(RedemptionStatus.Payable))
        {
            await stats.CommittedEnteredAsync([r], MoneyStage.Payable, ct);
        }

        foreach (var objection in (await settlements.ObjectionsAsync(r.RedemptionId, ct)).Where(o => o.Status == ObjectionStatus.Open && o.FiledAt <= at))
        {
            objection.Resolve(uphold, actor, reason, at);
            await settlements.SaveObjectionAsync(objection, ct);
        }

        // The bureau's work list moves them to 已办 (every objection of the redemption, so a missed index write heals here).
        foreach (var objection in await settlements.ObjectionsAsync(r.RedemptionId, ct))
        {
            await IndexObjectionAsync(objection, r, ct);
        }

        // The enterprise hears the outcome (fixed id and time: a repeated tail writes the same message).
        await notices.ObjectionResolvedAsync(r, uphold, reason, at, ct);
        if (uphold)
        {
            await prepayment.ObjectionUpheldAsync(r, reason, actor, at, durable, ct);
            if (r.SettledAt is null)
            {
                // The money side and the enterprise's message ("rejected-{id}", once: its step records SettledAt after it).
                await durable.RaiseEventAsync(RedemptionStore.InstanceId(r.RedemptionId), RedemptionEvent.EventName,
                    new RedemptionEvent(RedemptionEvent.Settled, 0, false, reason, actor), ct);
            }
        }

        return r;
    }
}
