using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// A violation to record as it was entered: the enterprise, the facts, the decision date (empty: today) and the paid
/// redemptions to claw back. <paramref name="RequestId"/> is the client's optional idempotency key, which arrived in the
/// field <paramref name="RequestIdField"/> (the body's <c>requestId</c> or the <c>Idempotency-Key</c> header).
/// </summary>
public sealed record RecordViolation(
    string? Uscc, string? Reason, string? DecidedOn, IReadOnlyList<string>? RedemptionIds, string? RequestId = null, string RequestIdField = "requestId");

/// <summary>A checked request: the enterprise, the decision date and the named redemptions with what each claws back.</summary>
public sealed record ViolationPlan(EnterpriseEntity Enterprise, DateOnly DecidedOn, string Reason, IReadOnlyList<(RedemptionEntity Redemption, Cny Amount, string Kind)> ClawBacks);

/// <summary>
/// A recorded violation: its own claw-backs, the ones it stopped or left in review, and earlier claw-backs of the same money
/// it points to. <paramref name="Repeat"/>: the same violation was recorded before (nothing was added twice).
/// </summary>
public sealed record ViolationRecorded(
    ViolationEntity Violation, IReadOnlyList<ClawBackEntity> ClawBacks, IReadOnlyList<string> Stopped, IReadOnlyList<string> InReview, IReadOnlyList<ClawBackEntity> Existing, bool Repeat = false);

/// <summary>
/// Violations (弄虚作假), recorded by the province or the bureau of the enterprise's city: the three-year bar (computed
/// from the decision date, nothing to lift later), a claw-back per named paid or pre-paid redemption for the finance bureau
/// to confirm, the credit-file entry, and a stop for each of the enterprise's redemptions still before the batch. The
/// same request again (a retry, a resent form) is the violation already recorded (<see cref="ViolationIds"/>).
/// </summary>
public sealed class ViolationService(
    EnforcementStore enforcement,
    VoucherStore store,
    RedemptionStore redemptions,
    RedemptionEvents events,
    ClawBackClaims claims,
    ViolationEvidenceService evidence,
    Outbox outbox,
    VoucherSettings settings,
    TimeProvider time,
    ILogger<ViolationService> log)
{
    public const int MaxNamedRedemptions = 50;

    public const int MaxReasonLength = 1000;

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    /// <summary>Only the province, or the bureau of the enterprise's own city, records a violation or reads its evidence.</summary>
    public static bool MaySupervise(VoucherPrincipal p, string cityCode) => p.Role == Role.Province || p.IsBureauOf(cityCode);

    /// <summary>
    /// Records a violation with its evidence files (each judged by content before anything is recorded; a file the same
    /// violation already holds is not stored again). The same facts again answer the violation already recorded, with
    /// whatever a failed first attempt left undone completed; a client key reused for other facts is a conflict.
    /// </summary>
    public async Task<Outcome<ViolationRecorded>> RecordViolationAsync(
        VoucherPrincipal caller, RecordViolation command, IReadOnlyList<EvidenceUpload> files, DurableTaskClient durable, CancellationToken ct)
    {
        var checkedRequest = await CheckAsync(caller, command, files, ct);
        if (checkedRequest.Failure is { } failure)
        {
            return failure;
        }

        var (plan, id, existing) = checkedRequest.Value;
        var recorded = await RecordAsync(id, plan, caller.Address, "manual", durable, ct);
        await evidence.AddFilesAsync(recorded.Violation, files, caller.Address, skipHeld: existing is not null, ct);
        return recorded with { Repeat = existing is not null };
    }

    /// <summary>
    /// What recording this request would do, without doing it (the page's confirmation names it): the enterprise, the
    /// claw-backs, the end of the bar and the open redemptions it would stop; or the violation already recorded with
    /// the same facts. The same checks as <see cref="RecordViolationAsync"/>.
    /// </summary>
    public async Task<Outcome<ViolationPreview>> PreviewAsync(VoucherPrincipal caller, RecordViolation command, CancellationToken ct)
    {
        var checkedRequest = await CheckAsync(caller, command, [], ct);
        if (checkedRequest.Failure is { } failure)
        {
            return failure;
        }

        var (plan, id, existing) = checkedRequest.Value;
        var open = (await redemptions.ForEnterpriseAsync(plan.Enterprise.Uscc, ct)).Count(r => RedemptionTransitions.CanStop(r.State));
        return new ViolationPreview(plan, id, existing, ViolationRules.BarEnd(plan.DecidedOn), open);
    }

    async Task<Outcome<(ViolationPlan Plan, string Id, ViolationEntity? Existing)>> CheckAsync(
        VoucherPrincipal caller, RecordViolation command, IReadOnlyList<EvidenceUpload> files, CancellationToken ct)
    {
        if (!ViolationIds.TryRequestId(command.RequestId, out var requestId))
        {
            return new Failure.Invalid(command.RequestIdField,
                $"请求标识须为 1–{ViolationIds.MaxRequestIdLength} 个可见 ASCII 字符 (1–{ViolationIds.MaxRequestIdLength} visible ASCII characters)");
        }

        if (!Uscc.TryValidate(command.Uscc, out var uscc, out var usccError))
        {
            return new Failure.Invalid("uscc", usccError ?? "统一社会信用代码无效 (Invalid USCC)");
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null)
        {
            return Enterprises.EnterpriseService.NotFound(uscc);
        }

        if (!MaySupervise(caller, enterprise.CityCode))
        {
            return Failure.Deny(Enterprises.EnterpriseAccess.CanRead(caller, enterprise), Enterprises.EnterpriseService.NotFound(uscc), "市科技局只能处理本市企业的违规 (A city bureau records violations of its own city's enterprises only)");
        }

        var (plan, errors) = await PlanAsync(enterprise, command, ct);
        errors.AddRange(await evidence.CheckAsync(files, ct));
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var id = ViolationIds.IdFor(plan!, requestId);
        var existing = await enforcement.GetViolationAsync(enterprise.CityCode, id, ct);
        if (existing is not null && !ViolationIds.SameFacts(existing, plan!))
        {
            return new Failure.Conflict($"请求标识 {requestId} 已用于另一项违规 {id} (The idempotency key was used for another violation)");
        }

        return (plan!, id, existing);
    }

    /// <summary>The field checks of a request, and what each named redemption claws back.</summary>
    async Task<(ViolationPlan? Plan, List<FieldError> Errors)> PlanAsync(EnterpriseEntity enterprise, RecordViolation command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var reason = command.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReasonLength)
        {
            errors.Add(new FieldError("reason", $"请填写违规事实与依据（不超过 {MaxReasonLength} 字）(The facts and grounds are required, at most {MaxReasonLength} characters)"));
        }

        var today = Today;
        var decidedOn = today;
        if (!string.IsNullOrWhiteSpace(command.DecidedOn)
            && !DateOnly.TryParseExact(command.DecidedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out decidedOn))
        {
            errors.Add(new FieldError("decidedOn", "日期格式须为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (decidedOn > today || decidedOn < today.AddYears(-1))
        {
            errors.Add(new FieldError("decidedOn", "处理决定日期不能晚于今天或早于一年前 (Not in the future, not over a year ago)"));
        }

        var ids = (command.RedemptionIds ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var clawBacks = new List<(RedemptionEntity, Cny, string)>();
        if (ids.Count > MaxNamedRedemptions)
        {
            errors.Add(new FieldError("redemptionIds", $"一次最多列出 {MaxNamedRedemptions} 笔兑付 (At most {MaxNamedRedemptions} redemptions)"));
            ids = [];
        }

        foreach (var id in ids)
        {
            var r = await redemptions.GetAsync(id, ct);
            if (r is null || r.Uscc != enterprise.Uscc)
            {
                errors.Add(new FieldError("redemptionIds", $"兑付申请 {id} 不存在或不属于该企业 (Not a redemption of this enterprise)"));
            }
            else if (r.State == RedemptionStatus.Paid)
            {
                clawBacks.Add((r, Cny.FromFen(r.PayoutFen), "paid"));
            }
            else if (r.AdvancePaidFen > 0)
            {
                // Only an advance the finance bureau confirmed as paid moved money; an approved one did not.
                clawBacks.Add((r, Cny.FromFen(r.AdvancePaidFen), "prepaid"));
            }
            else
            {
                errors.Add(new FieldError("redemptionIds", $"兑付申请 {id} 尚未拨付，无需追回（未完成的申请将自动终止）(Nothing was paid on {id}; open redemptions are stopped anyway)"));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new ViolationPlan(enterprise, decidedOn, reason, clawBacks), errors);
    }

    /// <summary>
    /// Writes a checked violation under <paramref name="violationId"/> (a manual one, or a failed pre-payment audit's):
    /// claims the named redemptions' money for its claw-backs (money an earlier claw-back holds is pointed to, not clawed
    /// back twice: <see cref="ClawBackClaims"/>), then the violation (fixed id: a second call adds nothing), its index row and
    /// credit entry, then stops the enterprise's redemptions not yet in a batch when a client is given.
    /// </summary>
    public async Task<ViolationRecorded> RecordAsync(string violationId, ViolationPlan plan, string actor, string source, DurableTaskClient? durable, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var enterprise = plan.Enterprise;
        var barEnd = ViolationRules.BarEnd(plan.DecidedOn).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var decidedAt = new DateTimeOffset(ChinaTime.StartOfDayUtc(plan.DecidedOn), TimeSpan.Zero);
        var claimed = await claims.ClaimAsync(violationId, plan, actor, now, ct);
        var added = await store.TryAddAsync(VoucherStore.Violations, new ViolationEntity
        {
            PartitionKey = enterprise.CityCode,
            RowKey = violationId,
            Uscc = enterprise.Uscc,
            EnterpriseName = enterprise.Name,
            DecidedOn = decidedAt,
            Reason = plan.Reason,
            DecidedBy = actor,
            BarredUntil = barEnd,
            Source = source,
            RedemptionIds = string.Join(",", plan.ClawBacks.Select(c => c.Redemption.RedemptionId)),
            ClawBackFen = claimed.New.Sum(c => c.AmountFen),
            ExistingClawBackIds = string.Join(",", claimed.Existing.Select(c => c.ClawBackId)),
            RecordedAt = now,
        }, ct);
        var violation = (await enforcement.GetViolationAsync(enterprise.CityCode, violationId, ct))!;
        await store.UpsertAsync(VoucherStore.ViolationsByUscc, new ViolationIndexEntity
        {
            PartitionKey = enterprise.Uscc,
            RowKey = violationId,
            CityCode = enterprise.CityCode,
            DecidedOn = violation.DecidedOn,
            BarredUntil = violation.BarredUntil,
            Reason = violation.Reason,
        }, ct);
        await enforcement.AddCreditAsync(enterprise.Uscc, "violation", violationId, now, violation.ClawBackFen,
            $"违规：{violation.Reason}；限制申请至 {violation.BarredUntil} (violation; barred until {violation.BarredUntil})", ct);

        var stopped = new List<string>();
        var inReview = new List<string>();
        foreach (var r in await redemptions.ForEnterpriseAsync(enterprise.Uscc, ct))
        {
            if (RedemptionTransitions.CanStop(r.State))
            {
                stopped.Add(r.RedemptionId);
                if (durable is not null)
                {
                    await events.RaiseAsync(r.RedemptionId, new RedemptionEvent(RedemptionEvent.Violation, 0, true, violationId, actor), durable, ct);
                }
            }
            else if (!RedemptionTransitions.IsFinal(r.State))
            {
                inReview.Add(r.RedemptionId);
            }
        }

        if (stopped.Count > 0 && durable is not null && violation.StoppedRedemptionIds.Length == 0)
        {
            violation.StoppedRedemptionIds = string.Join(",", stopped);
            await store.Table(VoucherStore.Violations).UpdateEntityAsync(violation, Azure.ETag.All, TableUpdateMode.Merge, ct);
        }

        await NotifyEnterpriseAsync(violation, stopped.Count, ct);
        if (added)
        {
            EnforcementLog.ViolationRecorded(log, violationId, enterprise.Uscc, enterprise.CityCode, source, actor, barEnd, claimed.New.Count, violation.ClawBackFen, stopped.Count);
        }
        else
        {
            EnforcementLog.ViolationRepeated(log, violationId, actor);
        }

        return new ViolationRecorded(violation, claimed.New, stopped, inReview, claimed.Existing);
    }

    /// <summary>
    /// The enterprise is told of the decision against it: the facts, the bar, what it must repay and what was stopped. Fixed
    /// id and time (<c>violation-{id}-ent</c>, the recorded time), so a retried recording sends the same message once.
    /// </summary>
    Task NotifyEnterpriseAsync(ViolationEntity v, int stopped, CancellationToken ct)
    {
        var decided = ChinaTime.DateOf(v.DecidedOn.UtcDateTime);
        var bar = DateOnly.ParseExact(v.BarredUntil, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var body = new StringBuilder($"经核查，{Web.Glossary.DateInSentence(decided)} 认定贵企业存在违规行为：{Web.Glossary.ChineseOnly(v.Reason)}。"
            + $"自该日起至 {Web.Glossary.DateInSentence(bar)}（含）不得申请创新券。");
        if (v.ClawBackFen > 0)
        {
            body.Append($"须退回已获补助资金 {Web.Glossary.MoneyInProse(v.ClawBackFen)}，由市财政局办理追回。");
        }

        if (stopped > 0)
        {
            body.Append($"尚未进入结算的兑付申请 {stopped} 笔已终止。");
        }

        body.Append("详情见本企业的信用记录。");
        return outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"violation-{v.ViolationId}-ent", Addresses.Enterprise(v.Uscc), "违规处理决定通知", body.ToString(),
            [new NotificationLink("查看信用记录", $"{settings.PublicBaseUrl}/portal/credit")], v.RecordedAt, v.ViolationId), ct);
    }

    /// <summary>A city's violations, newest first: a city bureau reads its own city, the province the city it names.</summary>
    public async Task<Outcome<IReadOnlyList<ViolationEntity>>> ViolationsAsync(VoucherPrincipal caller, string? cityCode, CancellationToken ct)
    {
        var city = caller.Role == Role.CityBureau ? caller.Scope ?? "" : cityCode ?? "";
        if (!Cities.TryGet(city, out var known))
        {
            return new Failure.Invalid("city", "请指定城市代码 ?city=taiyuan (A city code is required)");
        }

        if (!MaySupervise(caller, known.Code))
        {
            return new Failure.Forbidden("只能查看本市的违规记录 (Your own city's violations only)");
        }

        return (await enforcement.ViolationsInCityAsync(known.Code, ct)).OrderByDescending(v => v.DecidedOn).ToList();
    }

    /// <summary>One violation with its evidence files and claw-backs, for the province or the bureau of its city.</summary>
    public async Task<Outcome<ViolationDetail>> ViolationAsync(VoucherPrincipal caller, string cityCode, string violationId, CancellationToken ct)
    {
        var found = await evidence.ViolationForAsync(caller, cityCode, violationId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var v = found.Value;
        var files = await enforcement.EvidenceOfAsync(v.ViolationId, ct);
        var claws = (await enforcement.ClawBacksAsync(v.CityCode, ct)).Where(c => c.ViolationId == v.ViolationId).ToList();
        return new ViolationDetail(v, files, claws);
    }
}

/// <summary>
/// What recording a violation would do: the checked plan, the violation's id, the one already recorded with the same facts
/// (null: none), the last day of the bar and how many open redemptions it would stop.
/// </summary>
public sealed record ViolationPreview(ViolationPlan Plan, string ViolationId, ViolationEntity? Existing, DateOnly BarredUntil, int OpenToStop)
{
    /// <summary>What the named redemptions claw back, before any earlier claw-back of the same money is taken off.</summary>
    public long ClawBackFen => Plan.ClawBacks.Sum(c => c.Amount.Fen);
}

/// <summary>A violation with its evidence files and its own claw-backs.</summary>
public sealed record ViolationDetail(ViolationEntity Violation, IReadOnlyList<ViolationEvidenceEntity> Files, IReadOnlyList<ClawBackEntity> ClawBacks);
