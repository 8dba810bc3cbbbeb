using Microsoft.DurableTask.Client;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Redemptions;

/// <summary>The institution confirms (<paramref name="Confirm"/> true) or disputes the round it was asked in; a dispute needs a reason.</summary>
public sealed record BindRedemption(string RedemptionId, int? Round, bool? Confirm, string? Reason);

/// <summary>The answer given through the signed link, whose claims name the redemption, the institution and the round.</summary>
public sealed record BindingAnswer(bool? Confirm, string? Reason);

/// <summary>The bureau re-opens an overdue or disputed binding: a new round with a new deadline and link.</summary>
public sealed record ReopenBinding(string RedemptionId, int? Round);

/// <summary>A binding request waiting on the institution, with the working days left until its deadline (negative: overdue).</summary>
public sealed record PendingBinding(RedemptionIndexEntity Row, int DaysLeft);

/// <summary>The institution's binding work: what waits on it, nearest deadline first, and what it handled.</summary>
public sealed record InstitutionBindings(IReadOnlyList<PendingBinding> Pending, IReadOnlyList<RedemptionIndexEntity> Handled);

/// <summary>
/// The institution's binding of a redemption (signed in, or through its signed link: one answer per round either way)
/// and the city bureau's re-opening of a binding that is overdue or disputed.
/// </summary>
public sealed class BindingService(
    RedemptionStore redemptions,
    RedemptionEvents events,
    Policies.CalendarStore calendars,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<BindingService> log)
{
    public const int MaxReasonLength = 500;

    /// <summary>The institution named in the redemption, signed in, answers the current round.</summary>
    public async Task<Outcome<RedemptionEntity>> BindAsync(VoucherPrincipal caller, BindRedemption command, DurableTaskClient durable, CancellationToken ct)
    {
        var errors = AnswerErrors(command.Confirm, command.Reason);
        if (command.Round is null or < 1)
        {
            errors.Insert(0, new FieldError("round", "必填：当前确认轮次 (Required: the binding round)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var r = await redemptions.GetAsync(command.RedemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(command.RedemptionId);
        }

        if (caller.Role != Role.Institution || caller.Scope != r.InstitutionId)
        {
            return Failure.Deny(RedemptionService.CanRead(caller, r), RedemptionService.NotFound(command.RedemptionId), "只有被选择的服务机构可以确认 (Only the institution named in the redemption binds it)");
        }

        return await AnswerAsync(r, command.Round!.Value, command.Confirm!.Value, command.Reason, caller.Actor, durable, ct) switch
        {
            BindingOutcome.Accepted => r,
            BindingOutcome.AlreadyDone => new Failure.Conflict("本轮已确认或已提出异议 (Already answered for this round)"),
            _ => new Failure.Conflict("当前不在等待机构确认（可能已逾期）(Not awaiting binding in this round; it may be overdue)"),
        };
    }

    /// <summary>
    /// The redemption a verified binding link opens, while the round it names still waits for the answer: not found,
    /// or a conflict once the round was answered or is over.
    /// </summary>
    public async Task<Outcome<RedemptionEntity>> OpenByLinkAsync(LinkClaims claims, CancellationToken ct)
    {
        var redemptionId = claims.InstanceId.StartsWith("redemption-", StringComparison.Ordinal) ? claims.InstanceId["redemption-".Length..] : "";
        var r = await redemptions.GetAsync(redemptionId, ct);
        if (r is null)
        {
            return new Failure.NotFound("兑付申请不存在 (Redemption not found)");
        }

        if (r.Bound || r.BindingRound != claims.Round || r.State != RedemptionStatus.AwaitingBinding
            || await events.IsBindingAnsweredAsync(r.RedemptionId, claims.Round, ct))
        {
            return new Failure.Conflict("此确认链接已使用或本轮确认已结束 (This link was already used, or this binding round is over)");
        }

        return r;
    }

    /// <summary>The answer through the signed link, recorded as the link's party, once for the link's round.</summary>
    public async Task<Outcome<RedemptionEntity>> AnswerByLinkAsync(LinkClaims claims, BindingAnswer answer, DurableTaskClient durable, CancellationToken ct)
    {
        if (AnswerErrors(answer.Confirm, answer.Reason) is { Count: > 0 } errors)
        {
            return new Failure.Invalid(errors);
        }

        var opened = await OpenByLinkAsync(claims, ct);
        if (opened.Failure is { } failure)
        {
            return failure;
        }

        var r = opened.Value;
        return await AnswerAsync(r, claims.Round, answer.Confirm!.Value, answer.Reason, claims.Party, durable, ct) == BindingOutcome.Accepted
            ? r
            : new Failure.Conflict("此确认链接已使用或本轮确认已结束 (This link was already used, or this binding round is over)");
    }

    /// <summary>The bureau of the redemption's city re-opens the current round's binding once it is overdue or disputed; once per round.</summary>
    public async Task<Outcome<RedemptionEntity>> ReopenAsync(VoucherPrincipal caller, ReopenBinding command, DurableTaskClient durable, CancellationToken ct)
    {
        var r = await redemptions.GetAsync(command.RedemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(command.RedemptionId);
        }

        if (!caller.IsBureauOf(r.CityCode))
        {
            return Failure.Deny(RedemptionService.CanRead(caller, r), RedemptionService.NotFound(command.RedemptionId), "只有所在地市科技局可以延期 (Only the bureau of the redemption's city extends)");
        }

        if (command.Round is null || command.Round != r.BindingRound)
        {
            return new Failure.Invalid("round", $"须为当前确认轮次 {r.BindingRound} (Must be the current binding round)");
        }

        if (!RedemptionTransitions.CanReopenBinding(r.State))
        {
            return new Failure.Conflict("只有确认逾期或有异议的申请可以重新发起确认 (Only overdue or disputed bindings can be re-opened)");
        }

        if (!await events.ClaimAsync(r.RedemptionId, "extend", r.BindingRound, caller.Address, ct))
        {
            return new Failure.Conflict("本轮已延期 (Already extended for this round)");
        }

        await events.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.ExtendBinding, r.BindingRound, true, null, caller.Address), durable, ct);
        RedemptionLog.BindingReopenSent(log, r.RedemptionId, r.BindingRound, caller.Address);
        return r;
    }

    /// <summary>The signed-in institution's binding requests (nearest deadline first) and the redemptions it no longer has to answer.</summary>
    public async Task<InstitutionBindings> ForInstitutionAsync(VoucherPrincipal institution, CancellationToken ct)
    {
        var list = await redemptions.ForInstitutionAsync(institution.Scope ?? "", ct);
        var calendar = await calendars.CurrentAsync(ct);
        var today = ChinaTime.Today(time);
        var pending = list.Where(i => i.Status == RedemptionStatus.AwaitingBinding && i.BindingDeadline is not null)
            .Select(i => new PendingBinding(i, calendar.WorkingDaysBetween(today, DateOnly.Parse(i.BindingDeadline!, System.Globalization.CultureInfo.InvariantCulture))))
            .OrderBy(x => x.DaysLeft)
            .ToList();
        var handled = list.Where(i => i.Status != RedemptionStatus.AwaitingBinding).OrderByDescending(i => i.SubmittedAt).Take(50).ToList();
        return new InstitutionBindings(pending, handled);
    }

    /// <summary>An answer's fields: confirm or dispute, and a reason (required to dispute) of at most 500 characters.</summary>
    static List<FieldError> AnswerErrors(bool? confirm, string? reason)
    {
        var errors = new List<FieldError>();
        if (confirm is null)
        {
            errors.Add(new FieldError("confirm", "必填：true 确认，false 异议 (Required: true or false)"));
        }

        var trimmed = reason?.Trim();
        if (confirm == false && string.IsNullOrEmpty(trimmed))
        {
            errors.Add(new FieldError("reason", "提出异议须填写理由 (A reason is required to dispute)"));
        }

        if (trimmed is { Length: > MaxReasonLength })
        {
            errors.Add(new FieldError("reason", $"理由不能超过 {MaxReasonLength} 字 (At most {MaxReasonLength} characters)"));
        }

        return errors;
    }

    async Task<BindingOutcome> AnswerAsync(RedemptionEntity r, int round, bool confirm, string? reason, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        var trimmed = reason?.Trim();
        var outcome = await events.BindAsync(r, round, confirm, string.IsNullOrEmpty(trimmed) ? null : trimmed, actor, durable, ct);
        if (outcome == BindingOutcome.Accepted)
        {
            RedemptionLog.BindingAnswerSent(log, r.RedemptionId, round, actor, confirm);
        }

        return outcome;
    }
}
