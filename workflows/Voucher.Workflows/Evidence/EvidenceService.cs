using Microsoft.DurableTask.Client;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Evidence;

/// <summary>A file as it arrived: its content (read forward once), the length the client declared, the name it gave.</summary>
/// <remarks><paramref name="PaidOn"/>: the 付款日期 the enterprise declares with a payment proof (optional; <c>yyyy-MM-dd</c>).</remarks>
public sealed record EvidenceFile(Stream Content, long? DeclaredLength, string FileName, string? PaidOn = null);

/// <summary>An evidence file to hand out: its content, its type as judged when it was stored, and the download name.</summary>
/// <remarks><paramref name="OriginalFileName"/> is the name the uploader's file had (empty when not known); the portal offers it as the download name.</remarks>
public sealed record EvidenceDownload(Stream Content, string ContentType, string FileName, string OriginalFileName = "");

/// <summary>
/// Where an upload goes, checked for the caller: a redemption of the caller's enterprise that still takes evidence, and
/// the kind. Only <see cref="EvidenceService.TargetAsync"/> makes one, so every upload act starts from that check — made
/// before the request's body is read.
/// </summary>
public sealed class EvidenceTarget
{
    internal EvidenceTarget(RedemptionEntity redemption, EvidenceKind kind, VoucherPrincipal uploader)
    {
        Redemption = redemption;
        Kind = kind;
        Uploader = uploader;
    }

    public RedemptionEntity Redemption { get; }

    public EvidenceKind Kind { get; }

    public VoucherPrincipal Uploader { get; }
}

/// <summary>
/// A redemption's three evidence files: the enterprise uploads them (a short-lived SAS and its completion, or the file
/// itself) until the redemption is queued; the complete set tells the redemption's orchestration. Who may download them
/// is decided here too.
/// </summary>
public sealed class EvidenceService(
    RedemptionStore redemptions,
    EvidenceStore evidence,
    EvidenceCompletion completion,
    RedemptionEvents events,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<EvidenceService> log)
{
    const string KindRule = "材料类型只能为 report、contract 或 payment (Kind must be report, contract or payment)";

    /// <summary>The place of an upload: a known kind, the caller's own redemption, not locked yet (queued evidence is locked).</summary>
    public async Task<Outcome<EvidenceTarget>> TargetAsync(VoucherPrincipal caller, string redemptionId, string kind, CancellationToken ct)
    {
        if (!EvidenceRules.TryParseKind(kind, out var parsed))
        {
            return new Failure.Invalid("kind", KindRule);
        }

        var r = await redemptions.GetAsync(redemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(redemptionId);
        }

        if (!caller.IsEnterprise(r.Uscc))
        {
            return Failure.Deny(RedemptionService.CanRead(caller, r), RedemptionService.NotFound(redemptionId), "只有申请企业可以上传材料 (Only the enterprise uploads evidence)");
        }

        if (!RedemptionTransitions.TakesEvidence(r.State))
        {
            return new Failure.Conflict("材料已锁定，不能再上传 (Evidence is locked once queued for settlement)");
        }

        return new EvidenceTarget(r, parsed, caller);
    }

    /// <summary>A write-only link to put the file straight into Blob Storage, valid for a few minutes; completed by <see cref="CompleteUploadAsync"/>.</summary>
    public Task<UploadSlot> RequestUploadAsync(EvidenceTarget target, CancellationToken ct) =>
        evidence.CreateUploadSlotAsync(target.Redemption.RedemptionId, target.Kind, ct);

    /// <summary>The file put through the link is checked by its content and recorded (an invalid one is deleted).</summary>
    /// <remarks><paramref name="fileName"/> is the name of the file on the uploader's computer, when the client gives it.</remarks>
    public async Task<Outcome<EvidenceEntity>> CompleteUploadAsync(EvidenceTarget target, string? uploadId, DurableTaskClient durable, CancellationToken ct, string? fileName = null) =>
        await StoredAsync(target, await evidence.CompleteUploadAsync(target.Redemption.RedemptionId, target.Kind, uploadId?.Trim() ?? "", target.Uploader.Actor, ct, fileName, target.Redemption.ETag), durable, ct);

    /// <summary>The file itself (multipart), checked by its content and stored under a name the server chooses.</summary>
    public async Task<Outcome<EvidenceEntity>> UploadAsync(EvidenceTarget target, EvidenceFile file, DurableTaskClient durable, CancellationToken ct)
    {
        var (paidOn, error) = PaidOn(target.Kind, file.PaidOn, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)));
        if (error is not null)
        {
            return new Failure.Invalid(PaidOnField, error);
        }

        return await StoredAsync(target, await evidence.UploadAsync(target.Redemption.RedemptionId, target.Kind, file.Content, file.DeclaredLength, file.FileName, target.Uploader.Actor, ct, paidOn, target.Redemption.ETag), durable, ct);
    }

    public const string PaidOnField = "paidOn";

    /// <summary>
    /// The optional 付款日期 of a payment proof: empty is none; otherwise a date <c>yyyy-MM-dd</c> not after today (China
    /// time). Only a payment proof has one (the risk rule payment-before-voucher compares it with the voucher's issue date).
    /// </summary>
    public static (string? PaidOn, string? Error) PaidOn(EvidenceKind kind, string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        if (kind != EvidenceKind.Payment)
        {
            return (null, "只有支付凭证可以填写付款日期 (Only a payment proof has a payment date)");
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date > today || date.Year < 2000)
        {
            return (null, "付款日期须为不晚于今天的日期，格式如 2026-12-18 (Payment date: yyyy-MM-dd, not after today)");
        }

        return (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null);
    }

    /// <summary>An evidence file for the enterprise, the institution concerned, the city bureau or the province (<see cref="RedemptionService.CanReadEvidence"/>).</summary>
    public async Task<Outcome<EvidenceDownload>> DownloadAsync(VoucherPrincipal caller, string redemptionId, string kind, CancellationToken ct)
    {
        var r = await redemptions.GetAsync(redemptionId, ct);
        if (r is null)
        {
            return RedemptionService.NotFound(redemptionId);
        }

        if (!RedemptionService.CanRead(caller, r))
        {
            return RedemptionService.NotFound(redemptionId);
        }

        if (!RedemptionService.CanReadEvidence(caller, r))
        {
            return new Failure.Forbidden("兑付材料仅限企业、相关服务机构、市科技局和省中心查看 (Evidence is for the enterprise, the institution, the city bureau and the province)");
        }

        if (!EvidenceRules.TryParseKind(kind, out var parsed))
        {
            return new Failure.NotFound(KindRule);
        }

        if (await evidence.OpenAsync(r.RedemptionId, parsed, ct) is not { } opened)
        {
            return new Failure.NotFound($"尚未上传{EvidenceRules.Chinese(parsed)} (Not uploaded yet)");
        }

        var contentType = opened.Evidence.ContentType;
        return new EvidenceDownload(opened.Content, contentType, $"{r.RedemptionId}-{EvidenceRules.Slug(parsed)}{Extension(contentType)}", opened.Evidence.OriginalFileName);
    }

    /// <summary>
    /// A refused file names the rule. A stored one completing the set is recorded on the redemption here; its
    /// orchestration is told only when it waits for the evidence — bound, awaiting the evidence (again on a retry: it
    /// changes nothing twice). Before the binding nothing waits for it: the step that applies the binding reads the flag
    /// (or the files) and queues at once; this record and that step are ordered by the row's ETag, so one of them sees the other.
    /// </summary>
    async Task<Outcome<EvidenceEntity>> StoredAsync(EvidenceTarget target, EvidenceResult result, DurableTaskClient durable, CancellationToken ct)
    {
        if (result.Error is not null)
        {
            return new Failure.Invalid("file", result.Error);
        }

        var r = target.Redemption;
        var stored = result.Evidence!;
        if (result.RedemptionETag is { } etag)
        {
            // Nothing else wrote the row since it was read: it is as the upload left it (the file named on it), so the
            // completion below writes it on without a read. Otherwise the completion reads it afresh.
            r.NameViewFile(stored.RowKey, stored.BlobName);
            r.ETag = etag;
        }

        var complete = await evidence.IsCompleteAsync(r.RedemptionId, ct);
        if (complete)
        {
            var (row, _) = await completion.RecordIfCompleteAsync(r.RedemptionId, time.GetUtcNow().UtcDateTime, ct, known: r, completeInStorage: true);
            if (row.State == RedemptionStatus.AwaitingEvidence)
            {
                await events.RaiseAsync(r, new RedemptionEvent(RedemptionEvent.EvidenceComplete, 0, true, null, target.Uploader.Actor), durable, ct);
            }
        }

        RedemptionLog.EvidenceStored(log, r.RedemptionId, stored.RowKey, stored.Size, target.Uploader.Actor, complete);
        return stored;
    }

    static string Extension(string contentType) => contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
}
