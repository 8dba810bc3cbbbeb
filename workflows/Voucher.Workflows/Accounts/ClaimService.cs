using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Accounts;

/// <summary>What a person types to claim an enterprise (the files come beside it).</summary>
public sealed record ClaimRequest(string? Uscc, string? EnterpriseName, string? CityCode);

/// <summary>
/// The person claiming: the identity provider's subject and name — signed in with or without a membership (a claim needs
/// none), so not a <see cref="VoucherPrincipal"/>.
/// </summary>
public sealed record Claimant(string Subject, string Name)
{
    public static Claimant Of(VoucherPrincipal p) => new(p.UserId, p.DisplayName);

    /// <summary>How audit entries and the membership's history name the claimant.</summary>
    public string Actor => "person:" + Subject;
}

/// <summary>
/// Onboarding of an enterprise's person: the claim by USCC with the business licence and the authorisation letter (a
/// pending membership through <see cref="IMemberships.RequestAsync"/>), the city bureau's work list, and its decision —
/// verify (<see cref="IMemberships.VerifyAsync"/>: the enterprise's first verified member becomes its administrator) or
/// reject with a reason (<see cref="IMemberships.RejectAsync"/>); the claimant is told in the enterprise's inbox. Only the
/// bureau of the enterprise's city sees or decides a claim; to anyone else it answers as a missing one.
/// </summary>
public sealed partial class ClaimService(VoucherStore store, EvidenceStore files, IMemberships memberships, AuditLog audit, Outbox outbox, TimeProvider time, ILogger<ClaimService> log)
{
    public const int MaxReasonLength = 500;
    public const int MaxNameLength = 100;

    public static Failure.NotFound NotFound() => new("该认领申请不存在 (No such claim)");

    /// <summary>
    /// A claim: the fields and both files checked (a bad one named by its field, nothing kept), then the pending membership,
    /// the claim record and its row in the city's list. The same claim again while it waits, or a claim by a person who
    /// already acts for the enterprise, changes nothing (409).
    /// </summary>
    public async Task<Outcome<ClaimEntity>> SubmitAsync(Claimant caller, ClaimRequest request, IReadOnlyDictionary<ClaimDocument, EvidenceFile?> documents, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var uscc = "";
        if (!Uscc.TryValidate(request.Uscc, out var normalized, out var usccError))
        {
            errors.Add(new FieldError("uscc", usccError!));
        }
        else
        {
            uscc = normalized;
        }

        var name = (request.EnterpriseName ?? "").Trim();
        if (name.Length == 0)
        {
            errors.Add(new FieldError("enterpriseName", "请填写企业名称 (Enterprise name is required)"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("enterpriseName", $"企业名称不能超过 {MaxNameLength} 个字 (At most {MaxNameLength} characters)"));
        }

        if (!Cities.TryGet(request.CityCode, out var city))
        {
            errors.Add(new FieldError("cityCode", "请从列出的山西省地市中选择企业所在地市 (Choose one of Shanxi's cities)"));
        }

        foreach (var d in ClaimDocuments.All)
        {
            if (!documents.TryGetValue(d, out var file) || file is null)
            {
                errors.Add(new FieldError(ClaimDocuments.Field(d), $"请上传{ClaimDocuments.Chinese(d)}（PDF、JPEG 或 PNG 文件） ({d} file is required)"));
            }
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var subject = caller.Subject;
        var claimId = ClaimIds.Of(subject, uscc);
        var mine = await memberships.OfPersonAsync(subject, ct);
        if (mine.Any(m => m.Role == Role.Enterprise && m.Scope == uscc && m.State == MembershipState.Verified))
        {
            return new Failure.Conflict("您已是该企业的已认证人员，无需再次认领 (Already a verified member of this enterprise)");
        }

        // An enterprise that already has a verified administrator adds its people itself: a claim on it would let a
        // stranger's pending membership open the enterprise's profile while the bureau has not looked yet.
        if ((await memberships.OfPartyAsync(Role.Enterprise, uscc, ct)).Any(m => m is { State: MembershipState.Verified, Administrator: true }))
        {
            return new Failure.Invalid([new FieldError("uscc",
                "该企业已有认证的管理员，不能再认领；请把您的账号编号告诉本企业管理员，由其在“本企业人员”页面添加您 (The enterprise already has a verified administrator, who adds its people)")]);
        }

        var existing = await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row, ct);
        if (existing is { Status: ClaimStatus.Pending })
        {
            // The same claim again: its list row is written again (heals a crash between the record and the row).
            await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(existing), ct);
            return new Failure.Conflict("您已提交该企业的认领，正在等待市科技局审核，无需重复提交 (Claim already submitted and waiting)");
        }

        var stored = new List<ClaimFile>();
        foreach (var d in ClaimDocuments.All)
        {
            var file = documents[d]!;
            var blobName = $"claims/{claimId}/{ClaimDocuments.Field(d)}/{Guid.NewGuid():N}";
            var result = await files.StoreFileAsync(blobName, file.Content, file.DeclaredLength, ct);
            if (result.Error is not null)
            {
                errors.Add(new FieldError(ClaimDocuments.Field(d), $"{ClaimDocuments.Chinese(d)}：{result.Error}"));
                continue;
            }

            stored.Add(new ClaimFile(d, result.BlobName, EvidenceRules.ContentType(result.Format!.Value), EvidenceFileNames.Safe(file.FileName), result.Size, result.Sha256));
        }

        if (errors.Count > 0)
        {
            foreach (var f in stored)
            {
                await store.EvidenceBlobs.GetBlobClient(f.BlobName).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            }

            return new Failure.Invalid(errors);
        }

        var membership = await memberships.RequestAsync(subject, Role.Enterprise, uscc, caller.Actor, ct);
        var claim = new ClaimEntity
        {
            PartitionKey = claimId, Uscc = uscc, EnterpriseName = name, CityCode = city.Code, Subject = subject, ClaimantName = caller.Name,
            MembershipId = membership.Id, Status = ClaimStatus.Pending, SubmittedAt = time.GetUtcNow(),
        };
        foreach (var f in stored)
        {
            claim.SetFile(f);
        }

        await store.UpsertAsync(OnboardingTables.Claims, claim, ct);
        await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(claim), ct);
        await audit.AppendAsync(AuditSubject(claimId), caller.Actor, claim.SubmittedAt, existing?.StatusName ?? "", claim.StatusName, 0,
            $"{caller.Name} 认领企业 {name}（{uscc}），提交营业执照和授权委托书 (claim submitted)", ct);
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"claim-submitted-{claimId}-{claim.SubmittedAt.UtcTicks}", Addresses.CityBureau(city.Code), "新的企业认领待审核",
            $"{caller.Name} 认领“{name}”，已上传营业执照和授权委托书，请核对后通过或驳回。",
            [new NotificationLink("审核认领", ClaimPaths.Review(claimId))], claim.SubmittedAt, claimId), ct);
        Log.Submitted(log, claimId, city.Code);
        return claim;
    }

    /// <summary>The claims of the caller's own person (one per enterprise claimed), newest first: from the person's memberships, then point reads.</summary>
    public async Task<IReadOnlyList<ClaimEntity>> MineAsync(string subject, CancellationToken ct)
    {
        var list = new List<ClaimEntity>();
        foreach (var m in (await memberships.OfPersonAsync(subject, ct)).Where(m => m.Role == Role.Enterprise && m.Scope is { Length: > 0 }))
        {
            if (await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, ClaimIds.Of(subject, m.Scope!), ClaimEntity.Row, ct) is { } c)
            {
                list.Add(c);
            }
        }

        return list.DistinctBy(c => c.ClaimId).OrderByDescending(c => c.SubmittedAt).ToList();
    }

    /// <summary>The caller's own claim for one enterprise, or null (the pending home's card).</summary>
    public Task<ClaimEntity?> OwnForAsync(VoucherPrincipal caller, string uscc, CancellationToken ct) =>
        store.GetAsync<ClaimEntity>(OnboardingTables.Claims, ClaimIds.Of(caller.UserId, uscc), ClaimEntity.Row, ct);

    /// <summary>A claim for its claimant; anyone else's answers as a missing one.</summary>
    public async Task<Outcome<ClaimEntity>> OwnAsync(string subject, string claimId, CancellationToken ct) =>
        await ReadAsync(claimId, ct) is { } c && c.Subject == subject ? c : NotFound();

    /// <summary>A claim for the bureau of the enterprise's city; another city's answers as a missing one.</summary>
    public async Task<Outcome<ClaimEntity>> ForBureauAsync(VoucherPrincipal caller, string claimId, CancellationToken ct) =>
        await ReadAsync(claimId, ct) is { } c && caller.IsBureauOf(c.CityCode) ? c : NotFound();

    /// <summary>The bureau's city's claims (one partition of the index).</summary>
    public async Task<Outcome<IReadOnlyList<ClaimIndexEntity>>> CityListAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.CityBureau || !Cities.TryGet(caller.Scope, out var city))
        {
            return new Failure.Forbidden("只有市科技局可以审核本市企业的认领 (City bureaus only)");
        }

        return await store.PartitionAsync<ClaimIndexEntity>(OnboardingTables.ClaimIndex, ClaimIndexEntity.CityPartition(city.Code), Worklists.WorkListService.MaxRows, ct);
    }

    /// <summary>One document of a claim, for the bureau of the enterprise's city.</summary>
    public async Task<Outcome<(ClaimFile File, Stream Content)>> OpenDocumentAsync(VoucherPrincipal caller, string claimId, string document, CancellationToken ct)
    {
        var claim = await ReadAsync(claimId, ct);
        if (claim is null || !caller.IsBureauOf(claim.CityCode) || !ClaimDocuments.TryParse(document, out var d) || claim.File(d).BlobName.Length == 0)
        {
            return NotFound();
        }

        var file = claim.File(d);
        return (file, await files.OpenBlobAsync(file.BlobName, ct));
    }

    /// <summary>
    /// The bureau verifies or rejects (a reason required) a claim of its city. The record moves first (ETag: two officers
    /// deciding at once, one wins), then the membership, the list row, the audit entry and the claimant's notice; the same
    /// decision again repeats the later steps (so a crash in between heals) and changes nothing else.
    /// </summary>
    public async Task<Outcome<ClaimEntity>> DecideAsync(VoucherPrincipal caller, string claimId, bool? approve, string? reasonText, CancellationToken ct)
    {
        var found = await ForBureauAsync(caller, claimId, ct);
        if (found.Failure is { } missing)
        {
            return missing;
        }

        if (approve is not { } verify)
        {
            return new Failure.Invalid("decision", "请选择通过或驳回 (Choose verify or reject)");
        }

        var reason = (reasonText ?? "").Trim();
        if (!verify && reason.Length == 0)
        {
            return new Failure.Invalid("reason", "驳回须填写理由，理由会告知认领人 (A rejection needs a reason)");
        }

        if (reason.Length > MaxReasonLength)
        {
            return new Failure.Invalid("reason", $"理由不能超过 {MaxReasonLength} 个字 (At most {MaxReasonLength} characters)");
        }

        var claim = found.Value;
        var target = verify ? ClaimStatus.Verified : ClaimStatus.Rejected;
        var moved = claim.Status != target;
        if (moved)
        {
            if (claim.Status != ClaimStatus.Pending)
            {
                return new Failure.Conflict($"该认领已{StatusText(claim.Status)}，不能再改 (Already decided)");
            }

            // The membership must still wait too (not revoked or decided elsewhere meanwhile): else nothing moves.
            if (await memberships.FindAsync(claim.MembershipId, ct) is not { State: MembershipState.Pending })
            {
                return new Failure.Conflict("认领人的成员资格已不在待审核状态（可能已被撤销或已由企业管理员添加），本认领不能再审核 (The membership no longer waits)");
            }

            var from = claim.StatusName;
            claim.Status = target;
            claim.DecidedAt = time.GetUtcNow();
            claim.DecidedBy = $"{caller.DisplayName} · {Cities.Get(claim.CityCode).NameZh}科技局";
            claim.Reason = verify ? "" : reason;
            try
            {
                await store.Table(OnboardingTables.Claims).UpdateEntityAsync(claim, claim.ETag, TableUpdateMode.Replace, ct);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return new Failure.Conflict("该认领刚被其他人审核，请刷新后查看 (Decided meanwhile; reload)");
            }

            await audit.AppendAsync(AuditSubject(claimId), caller.Actor, claim.DecidedAt.Value, from, claim.StatusName, 0,
                verify ? $"认领通过：{claim.EnterpriseName}（{claim.Uscc}） (claim verified)" : $"认领驳回：{reason} (claim rejected)", ct);
        }

        try
        {
            _ = verify
                ? await memberships.VerifyAsync(claim.MembershipId, caller.Actor, ct)
                : await memberships.RejectAsync(claim.MembershipId, caller.Actor, claim.Reason, ct);
        }
        catch (DomainException) when (!moved)
        {
            // The same decision again: the membership moved the first time (or has moved on since); nothing to repeat.
        }

        await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(claim), ct);
        var at = claim.DecidedAt ?? time.GetUtcNow();
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"claim-decided-{claimId}-{claim.StatusName}", Addresses.Enterprise(claim.Uscc),
            verify ? "企业认领已通过审核" : "企业认领未通过审核",
            verify
                ? $"{claim.ClaimantName}对“{claim.EnterpriseName}”的认领已由{Cities.Get(claim.CityCode).NameZh}科技局审核通过，现在可以申请和使用创新券。"
                : $"{claim.ClaimantName}对“{claim.EnterpriseName}”的认领未通过审核。理由：{claim.Reason}。可按理由准备材料后重新认领。",
            [new NotificationLink("查看认领结果", ClaimPaths.Own(claimId))], at, claimId), ct);
        Log.Decided(log, claimId, claim.StatusName, caller.Address);
        return claim;
    }

    /// <summary>Marks a waiting claim verified when an administrator of the enterprise added its person directly.</summary>
    public async Task SettleByAdministratorAsync(string subject, string uscc, string byName, CancellationToken ct)
    {
        if (await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, ClaimIds.Of(subject, uscc), ClaimEntity.Row, ct) is { Status: ClaimStatus.Pending } claim)
        {
            claim.Status = ClaimStatus.Verified;
            claim.DecidedAt = time.GetUtcNow();
            claim.DecidedBy = $"{byName}（企业管理员添加）";
            await store.UpsertAsync(OnboardingTables.Claims, claim, ct);
            await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(claim), ct);
        }
    }

    /// <summary>The caller's 账号编号, written to its lookup row on the way (so an administrator can find the person by it).</summary>
    public async Task<string> AccountNumberAsync(string subject, CancellationToken ct)
    {
        var number = ClaimIds.AccountNumber(subject);
        var row = await store.GetAsync<AccountNumberEntity>(OnboardingTables.AccountNumbers, number, AccountNumberEntity.Row, ct);
        if (row is null || row.Subject != subject)
        {
            await store.UpsertAsync(OnboardingTables.AccountNumbers, new AccountNumberEntity { PartitionKey = number, RowKey = AccountNumberEntity.Row, Subject = subject }, ct);
        }

        return number;
    }

    /// <summary>The person behind a 账号编号, when they have opened their page at least once.</summary>
    public async Task<string?> SubjectOfAsync(string number, CancellationToken ct) =>
        (await store.GetAsync<AccountNumberEntity>(OnboardingTables.AccountNumbers, number, AccountNumberEntity.Row, ct))?.Subject;

    public static string StatusText(ClaimStatus s) => s switch
    {
        ClaimStatus.Pending => "待审核",
        ClaimStatus.Verified => "已通过",
        ClaimStatus.Rejected => "未通过",
        _ => "待审核",
    };

    public static string AuditSubject(string claimId) => $"claim:{claimId}";

    async Task<ClaimEntity?> ReadAsync(string claimId, CancellationToken ct) =>
        ClaimIds.IsClaimId(claimId) ? await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row, ct) : null;

    static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Claim '{ClaimId}' submitted to the bureau of '{City}'")]
        public static partial void Submitted(ILogger logger, string claimId, string city);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Claim '{ClaimId}' decided '{Status}' by '{Actor}'")]
        public static partial void Decided(ILogger logger, string claimId, string status, string actor);
    }
}

/// <summary>The pages of onboarding, named once.</summary>
public static class ClaimPaths
{
    public const string Mine = "/portal/claims";
    public const string WorkList = "/portal/work/claims";
    public const string Members = "/portal/members";

    public static string Own(string claimId) => $"{Mine}/{claimId}";

    public static string Review(string claimId) => $"{WorkList}/{claimId}";

    public static string Document(string claimId, ClaimDocument d) => $"{WorkList}/{claimId}/documents/{ClaimDocuments.Field(d)}";
}
