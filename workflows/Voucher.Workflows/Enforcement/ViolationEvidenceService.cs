using Azure.Data.Tables;
using Voucher.Workflows.Evidence;

namespace Voucher.Workflows.Enforcement;

/// <summary>A file handed in as a violation's evidence: its name as uploaded, its length and how to read it (again).</summary>
public sealed record EvidenceUpload(string FileName, long Length, Func<Stream> Open);

/// <summary>
/// A violation's evidence files (PDF, PNG or JPEG, judged by content; at most <see cref="MaxEvidenceFiles"/>), read and
/// added by the province or the bureau of the violation's city.
/// </summary>
public sealed class ViolationEvidenceService(EnforcementStore enforcement, VoucherStore store, EvidenceStore evidence, TimeProvider time, ILogger<ViolationEvidenceService> log)
{
    public const int MaxEvidenceFiles = 10;

    /// <summary>The violation if the caller may see it: unknown city or id, not found; another city's, forbidden.</summary>
    public async Task<Outcome<ViolationEntity>> ViolationForAsync(VoucherPrincipal caller, string cityCode, string violationId, CancellationToken ct)
    {
        if (!Cities.TryGet(cityCode, out _))
        {
            return new Failure.NotFound("违规记录不存在 (Violation not found)");
        }

        if (!ViolationService.MaySupervise(caller, cityCode))
        {
            return new Failure.Forbidden("只能查看本市的违规记录 (Your own city's violations only)");
        }

        return await enforcement.GetViolationAsync(cityCode, violationId, ct) is { } v ? v : new Failure.NotFound("违规记录不存在 (Violation not found)");
    }

    /// <summary>Adds one file to a violation's evidence.</summary>
    public async Task<Outcome<ViolationEvidenceEntity>> AddEvidenceAsync(VoucherPrincipal caller, string cityCode, string violationId, EvidenceUpload? file, CancellationToken ct)
    {
        var found = await ViolationForAsync(caller, cityCode, violationId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        if (file is null)
        {
            return new Failure.Invalid("file", "请以 multipart/form-data 上传，字段名 file (Upload as multipart/form-data, field 'file')");
        }

        var (row, error) = await StoreAsync(found.Value, file, caller.Address, ct);
        return error is not null ? new Failure.Invalid("file", error) : row!;
    }

    /// <summary>One evidence file and its content.</summary>
    public async Task<Outcome<(ViolationEvidenceEntity File, Stream Content)>> OpenAsync(VoucherPrincipal caller, string cityCode, string violationId, string fileKey, CancellationToken ct)
    {
        var found = await ViolationForAsync(caller, cityCode, violationId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var file = await store.GetAsync<ViolationEvidenceEntity>(VoucherStore.ViolationEvidence, found.Value.ViolationId, fileKey, ct);
        return file is null ? new Failure.NotFound("证据文件不存在 (No such evidence file)") : (file, await evidence.OpenBlobAsync(file.BlobName, ct));
    }

    /// <summary>Judges files before anything is recorded (how many, type by content, size), so a bad file changes nothing.</summary>
    public async Task<List<FieldError>> CheckAsync(IReadOnlyList<EvidenceUpload> files, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (files.Count > MaxEvidenceFiles)
        {
            errors.Add(new FieldError("files", $"最多 {MaxEvidenceFiles} 个文件 (At most {MaxEvidenceFiles} files)"));
        }

        foreach (var file in files)
        {
            await using var s = file.Open();
            var head = new byte[EvidenceRules.SniffLength];
            var read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            if (EvidenceRules.Validate(file.Length, head.AsSpan(0, read), evidence.MaxBytes) is { } fileError)
            {
                errors.Add(new FieldError("files", $"{file.FileName}：{fileError}"));
            }
        }

        return errors;
    }

    /// <summary>Stores checked files with a violation; with <paramref name="skipHeld"/>, a file it already holds (same SHA-256) is not stored again.</summary>
    public async Task AddFilesAsync(ViolationEntity violation, IReadOnlyList<EvidenceUpload> files, string by, bool skipHeld, CancellationToken ct)
    {
        var held = skipHeld && files.Count > 0
            ? (await enforcement.EvidenceOfAsync(violation.ViolationId, ct)).Select(e => e.Sha256).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var file in files)
        {
            if (held.Count > 0 && held.Contains(await Sha256Async(file, ct)))
            {
                continue;
            }

            await StoreAsync(violation, file, by, ct);
        }
    }

    async Task<(ViolationEvidenceEntity? File, string? Error)> StoreAsync(ViolationEntity violation, EvidenceUpload file, string by, CancellationToken ct)
    {
        var existing = await enforcement.EvidenceOfAsync(violation.ViolationId, ct);
        if (existing.Count >= MaxEvidenceFiles)
        {
            return (null, $"每项违规最多 {MaxEvidenceFiles} 个证据文件 (At most {MaxEvidenceFiles} evidence files)");
        }

        await using var content = file.Open();
        var stored = await evidence.StoreFileAsync($"violations/{violation.ViolationId}/{Guid.NewGuid():N}", content, file.Length, ct);
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
                OriginalFileName = Path.GetFileName(file.FileName.Replace('\\', '/')) is { Length: > 0 and <= 200 } f ? f : "",
                UploadedAt = time.GetUtcNow(),
                UploadedBy = by,
            };
            if (await store.TryAddAsync(VoucherStore.ViolationEvidence, row, ct))
            {
                violation.EvidenceCount = n;
                await store.Table(VoucherStore.Violations).UpdateEntityAsync(
                    new TableEntity(violation.PartitionKey, violation.RowKey) { [nameof(ViolationEntity.EvidenceCount)] = n }, Azure.ETag.All, TableUpdateMode.Merge, ct);
                EnforcementLog.EvidenceAdded(log, violation.ViolationId, row.RowKey, row.Size, by);
                return (row, null);
            }
        }
    }

    static async Task<string> Sha256Async(EvidenceUpload file, CancellationToken ct)
    {
        await using var s = file.Open();
        return Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(s, ct)).ToLowerInvariant();
    }
}
