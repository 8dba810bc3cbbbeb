using System.Globalization;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Enforcement;

/// <summary>A violation to record; <paramref name="RequestId"/> is the client's optional idempotency key (as the <c>Idempotency-Key</c> header).</summary>
public sealed record ViolationRequest(string? Uscc, string? Reason, string? DecidedOn, IReadOnlyList<string>? RedemptionIds, string? RequestId = null);

/// <summary>A checked request: the enterprise, the decision date and the named redemptions with what each claws back.</summary>
public sealed record ViolationPlan(EnterpriseEntity Enterprise, DateOnly DecidedOn, string Reason, IReadOnlyList<(RedemptionEntity Redemption, Cny Amount, string Kind)> ClawBacks);

/// <summary>A recorded violation: its own claw-backs, the ones it stopped or left in review, and earlier claw-backs of the same money it points to.</summary>
public sealed record ViolationRecorded(ViolationEntity Violation, IReadOnlyList<ClawBackEntity> ClawBacks, IReadOnlyList<string> Stopped, IReadOnlyList<string> InReview, IReadOnlyList<ClawBackEntity> Existing);

public enum ClawBackOutcome
{
    Confirmed,
    AlreadyConfirmed,
    NotFound,
}

/// <summary>
/// Records violations (弄虚作假): the three-year bar (computed from the decision date, nothing to lift later), a
/// claw-back per named paid or pre-paid redemption for the finance bureau to confirm, the credit-file entry, and
/// a stop for each of the enterprise's redemptions still before the batch.
/// </summary>
public sealed class ViolationService(
    EnforcementStore enforcement,
    VoucherStore store,
    RedemptionStore redemptions,
    RedemptionEvents events,
    EvidenceStore evidence,
    AuditLog audit,
    ClawBackClaims claims,
    TimeProvider time)
{
    public const int MaxNamedRedemptions = 50;

    public const int MaxEvidenceFiles = 10;

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public long MaxEvidenceBytes => evidence.MaxBytes;

    /// <summary>Checks the request; city ownership is the caller's to check against <see cref="ViolationPlan.Enterprise"/>.</summary>
    public async Task<(List<FieldError> Errors, ViolationPlan? Plan)> CheckAsync(ViolationRequest body, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        EnterpriseEntity? enterprise = null;
        if (!Uscc.TryValidate(body.Uscc, out var uscc, out var usccError))
        {
            errors.Add(new FieldError("uscc", usccError ?? "统一社会信用代码无效 (Invalid USCC)"));
        }
        else if ((enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ct)) is null)
        {
            errors.Add(new FieldError("uscc", $"企业 {uscc} 未在系统中登记 (The enterprise is not registered)"));
        }

        var reason = body.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 1000)
        {
            errors.Add(new FieldError("reason", "请填写违规事实与依据（不超过 1000 字）(The facts and grounds are required, at most 1000 characters)"));
        }

        var today = Today;
        var decidedOn = today;
        if (!string.IsNullOrWhiteSpace(body.DecidedOn)
            && !DateOnly.TryParseExact(body.DecidedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out decidedOn))
        {
            errors.Add(new FieldError("decidedOn", "日期格式须为 yyyy-MM-dd (Date as yyyy-MM-dd)"));
        }
        else if (decidedOn > today || decidedOn < today.AddYears(-1))
        {
            errors.Add(new FieldError("decidedOn", "处理决定日期不能晚于今天或早于一年前 (Not in the future, not over a year ago)"));
        }

        var ids = (body.RedemptionIds ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var clawBacks = new List<(RedemptionEntity, Cny, string)>();
        if (ids.Count > MaxNamedRedemptions)
        {
            errors.Add(new FieldError("redemptionIds", $"一次最多列出 {MaxNamedRedemptions} 笔兑付 (At most {MaxNamedRedemptions} redemptions)"));
        }
        else if (enterprise is not null)
        {
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
        }

        return errors.Count > 0 ? (errors, null) : ([], new ViolationPlan(enterprise!, decidedOn, reason, clawBacks));
    }

    public const int MaxRequestIdLength = 100;

    /// <summary>
    /// The id a request stands for, so that the same request twice is the same violation (duplicated events change nothing).
    /// With a client key (<c>Idempotency-Key</c> header or <c>requestId</c>): the key within the enterprise,
    /// <c>VK-</c> and 16 hex digits of its SHA-256 — a retry matches even if a defaulted decision date moved past midnight.
    /// Without one: the natural key — enterprise, decision date, the named redemptions (as a set) and the facts
    /// (whitespace runs folded) — <c>V{yyyyMMdd}-</c> and 10 hex digits of its SHA-256. A different date, other
    /// redemptions or other facts make another violation.
    /// </summary>
    public static string IdFor(ViolationPlan plan, string? requestId)
    {
        if (!string.IsNullOrWhiteSpace(requestId))
        {
            return "VK-" + Sha256Hex($"key\n{plan.Enterprise.Uscc}\n{requestId.Trim()}")[..16];
        }

        var ids = string.Join(",", plan.ClawBacks.Select(c => c.Redemption.RedemptionId).Order(StringComparer.Ordinal));
        return $"V{plan.DecidedOn:yyyyMMdd}-" + Sha256Hex($"facts\n{plan.Enterprise.Uscc}\n{plan.DecidedOn:yyyy-MM-dd}\n{ids}\n{Fold(plan.Reason)}")[..10];
    }

    /// <summary>Whether a stored violation records what <paramref name="plan"/> asks (a reused client key must not stand for other facts).</summary>
    public static bool SameFacts(ViolationEntity stored, ViolationPlan plan) =>
        stored.Uscc == plan.Enterprise.Uscc
        && Fold(stored.Reason) == Fold(plan.Reason)
        && stored.RedemptionIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
            .SequenceEqual(plan.ClawBacks.Select(c => c.Redemption.RedemptionId).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>A client key is 1–100 visible ASCII characters; null when none was given.</summary>
    public static bool TryRequestId(string? text, out string? requestId)
    {
        requestId = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return requestId is null || (requestId.Length <= MaxRequestIdLength && requestId.All(c => c is > ' ' and <= '~'));
    }

    static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static string Sha256Hex(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    /// <summary>
    /// Claims the named redemptions' money for this violation's claw-backs (money an earlier claw-back holds is pointed to,
    /// not clawed back twice: <see cref="ClawBackClaims"/>), then writes the violation (fixed id: a second call with the same
    /// id adds nothing), its index row and credit entry, then stops the enterprise's redemptions not yet in a batch when a
    /// client is given.
    /// </summary>
    public async Task<ViolationRecorded> RecordAsync(string violationId, ViolationPlan plan, string actor, string source, DurableTaskClient? durable, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var enterprise = plan.Enterprise;
        var barEnd = ViolationRules.BarEnd(plan.DecidedOn).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var decidedAt = new DateTimeOffset(ChinaTime.StartOfDayUtc(plan.DecidedOn), TimeSpan.Zero);
        var claimed = await claims.ClaimAsync(violationId, plan, actor, now, ct);
        var violation = new ViolationEntity
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
        };
        await store.TryAddAsync(VoucherStore.Violations, violation, ct);
        violation = (await enforcement.GetViolationAsync(enterprise.CityCode, violationId, ct))!;
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

        return new ViolationRecorded(violation, claimed.New, stopped, inReview, claimed.Existing);
    }

    /// <summary>Adds one evidence file (PDF, PNG or JPEG, judged by content) to a violation.</summary>
    public async Task<(ViolationEvidenceEntity? File, string? Error)> AddEvidenceAsync(ViolationEntity violation, Stream content, long? length, string fileName, string by, CancellationToken ct)
    {
        var existing = await enforcement.EvidenceOfAsync(violation.ViolationId, ct);
        if (existing.Count >= MaxEvidenceFiles)
        {
            return (null, $"每项违规最多 {MaxEvidenceFiles} 个证据文件 (At most {MaxEvidenceFiles} evidence files)");
        }

        var stored = await evidence.StoreFileAsync($"violations/{violation.ViolationId}/{Guid.NewGuid():N}", content, length, ct);
        if (stored.Error is not null)
        {
            return (null, stored.Error);
        }

        for (var n = existing.Count + 1; ; n++)
        {
            var row = new ViolationEvidenceEntity
            {
                PartitionKey = violation.ViolationId,
                RowKey = $"file-{n:D2}",
                BlobName = stored.BlobName,
                Size = stored.Size,
                Sha256 = stored.Sha256,
                ContentType = EvidenceRules.ContentType(stored.Format!.Value),
                OriginalFileName = Path.GetFileName(fileName.Replace('\\', '/')) is { Length: > 0 and <= 200 } f ? f : "",
                UploadedAt = time.GetUtcNow(),
                UploadedBy = by,
            };
            if (await store.TryAddAsync(VoucherStore.ViolationEvidence, row, ct))
            {
                violation.EvidenceCount = n;
                await store.Table(VoucherStore.Violations).UpdateEntityAsync(
                    new TableEntity(violation.PartitionKey, violation.RowKey) { [nameof(ViolationEntity.EvidenceCount)] = n }, Azure.ETag.All, TableUpdateMode.Merge, ct);
                return (row, null);
            }
        }
    }

    /// <summary>The finance bureau confirms that a claw-back was recovered; once.</summary>
    public async Task<ClawBackOutcome> ConfirmClawBackAsync(string cityCode, string clawBackId, string reference, string by, CancellationToken ct)
    {
        var claw = await enforcement.GetClawBackAsync(cityCode, clawBackId, ct);
        if (claw is null)
        {
            return ClawBackOutcome.NotFound;
        }

        if (claw.Status == "Confirmed")
        {
            return ClawBackOutcome.AlreadyConfirmed;
        }

        claw.Status = "Confirmed";
        claw.Reference = reference;
        claw.ConfirmedBy = by;
        claw.ConfirmedAt = time.GetUtcNow();
        try
        {
            await store.Table(VoucherStore.ClawBacks).UpdateEntityAsync(claw, claw.ETag, TableUpdateMode.Replace, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            return ClawBackOutcome.AlreadyConfirmed;
        }

        await enforcement.AddCreditAsync(claw.Uscc, "clawback-confirmed", claw.ClawBackId, claw.ConfirmedAt.Value, claw.AmountFen,
            $"财政局确认追回 {Cny.FromFen(claw.AmountFen)}（{claw.RedemptionId}，凭证号 {reference}）(claw-back recovered)", ct);
        await audit.AppendAsync(AuditSubjects.Redemption(claw.RedemptionId), by, claw.ConfirmedAt.Value, "", "", 0,
            $"财政局确认追回 {Cny.FromFen(claw.AmountFen)}，凭证号 {reference} (claw-back confirmed)", ct);
        return ClawBackOutcome.Confirmed;
    }
}
