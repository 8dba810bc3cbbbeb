using Voucher.Workflows.Applications;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Redemptions;

/// <summary>The institution's binding as the API shows it (<paramref name="Mode"/>: <c>system</c> or <c>seal</c>).</summary>
public sealed record BindingDetails(
    string Mode,
    int Round,
    bool Bound,
    DateTimeOffset? BoundAt,
    string? Deadline,
    int? RemainingWorkingDays,
    bool DeadlineProvisional,
    string? DeadlineCalendar,
    string? DisputeReason);

/// <summary>One of the three evidence files; a missing one has <paramref name="Present"/> false, empty facts and no URL.</summary>
/// <remarks><paramref name="FileName"/>: the name the file had on the uploader's computer (absent when not known).</remarks>
public sealed record EvidenceDetails(string Kind, bool Present, long Size, string Sha256, string ContentType, DateTimeOffset UploadedAt, string? Url, string? FileName = null);

/// <summary>The annual cap's part in the pay-out; <paramref name="Note"/> says so when it reduced it.</summary>
public sealed record AnnualCapDetails(int Year, bool Capped, Cny BeforeCap, Cny CapRemainingBefore, Cny Payout, string? Note);

/// <summary>When each stage was reached (the cycle-time statistics use the same times).</summary>
public sealed record StageTimes(
    DateTimeOffset Submitted,
    DateTimeOffset? Bound,
    DateTimeOffset? EvidenceComplete,
    DateTimeOffset? Queued,
    DateTimeOffset? Batched,
    DateTimeOffset? Reviewed,
    DateTimeOffset? Published,
    DateTimeOffset? Payable,
    DateTimeOffset? Paid,
    DateTimeOffset? Withdrawn);

public sealed record PaymentDetails(string? Reference, string? PaidOn, Cny FinalPaid);

/// <summary>A pre-payment: approved when queued, paid only once the finance bureau confirms it.</summary>
public sealed record AdvanceDetails(Cny Approved, bool Paid, string? PaidOn, string? Reference);

/// <summary>One redemption as <c>GET /api/redemptions/{id}</c> answers it.</summary>
public sealed record RedemptionDetails(
    string Id,
    string Uscc,
    string EnterpriseName,
    string VoucherId,
    string CityCode,
    string InstitutionId,
    string InstitutionName,
    string? ServiceId,
    string ServiceTitle,
    string ServiceCategory,
    bool CooperativeRd,
    string ContractNumber,
    Cny AmountPaid,
    RedemptionStatus Status,
    string StatusText,
    string WaitingOn,
    string NextStep,
    BindingDetails Binding,
    IReadOnlyList<EvidenceDetails> Evidence,
    bool EvidenceComplete,
    PayoutComputation? Payout,
    AnnualCapDetails? AnnualCap,
    int PolicyVersion,
    StageTimes Stages,
    string? BatchId,
    string? RejectReason,
    PaymentDetails? Payment,
    AdvanceDetails? Advance,
    IReadOnlyList<HistoryView> History)
{
    public static RedemptionDetails Of(RedemptionDossier dossier)
    {
        var r = dossier.Redemption;
        var (waitingOn, next) = RedemptionView.NextStep(r);
        var deadline = BindingDeadlines.Of(r);
        var computed = RedemptionView.Computation(r);
        return new RedemptionDetails(
            r.RedemptionId,
            r.Uscc,
            r.EnterpriseName,
            r.VoucherId,
            r.CityCode,
            r.InstitutionId,
            r.InstitutionName,
            r.ServiceId,
            r.ServiceTitle,
            r.ServiceCategory,
            r.CooperativeRd,
            r.ContractNumber,
            Cny.FromFen(r.AmountPaidFen),
            r.Status,
            RedemptionView.StatusText(r.State),
            waitingOn,
            next,
            new BindingDetails(
                r.BindingMode, r.BindingRound, r.Bound, r.BoundAt, r.BindingDeadline, dossier.BindingDaysLeft,
                deadline?.Basis.Provisional == true, deadline?.Basis.ToString(), r.DisputeReason),
            EvidenceRules.Required.Select(k => EvidenceOf(r, EvidenceRules.Slug(k), dossier.Evidence)).ToList(),
            r.EvidenceComplete,
            computed,
            computed is null ? null : new AnnualCapDetails(
                r.CapYear, computed.CappedByAnnualLimit, computed.BeforeCap, computed.CapRemainingBefore, computed.Payout, Voucher.Domain.AnnualCap.CappedNote(computed, r.CapYear)),
            r.PolicyVersion,
            new StageTimes(r.SubmittedAt, r.BoundAt, r.EvidenceCompleteAt, r.QueuedAt, r.InBatchAt, r.ReviewedAt, r.PublishedAt, r.PayableAt, r.PaidAt, r.WithdrawnAt),
            r.BatchId,
            r.RejectReason,
            r.PaidAt is null ? null : new PaymentDetails(r.PaymentReference, r.PaidOn, Cny.FromFen(r.FinalPaidFen)),
            r.PrepaidFen <= 0 ? null : new AdvanceDetails(Cny.FromFen(r.PrepaidFen), r.AdvancePaidAt is not null, r.AdvancePaidOn, r.AdvanceReference),
            dossier.History.OrderBy(h => h.At).Select(h => new HistoryView(h.At, h.Actor, h.FromState, h.ToState, h.PolicyVersion, h.Detail)).ToList());
    }

    static EvidenceDetails EvidenceOf(RedemptionEntity r, string slug, IReadOnlyList<EvidenceEntity> files) =>
        files.FirstOrDefault(f => f.RowKey == slug) is { } f
            ? new EvidenceDetails(f.RowKey, true, f.Size, f.Sha256, f.ContentType, f.UploadedAt, $"{RedemptionApi.StatusUrl(r.RedemptionId)}/evidence/{f.RowKey}", f.OriginalFileName is { Length: > 0 } name ? name : null)
            : new EvidenceDetails(slug, false, 0, "", "", DateTimeOffset.MinValue, null);
}
