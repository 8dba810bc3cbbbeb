using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Notifications;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// What a person types to claim an enterprise or a service institution (the files come beside it): the code (an
/// enterprise's USCC; an institution's USCC or institution code), the name and the city.
/// </summary>
public sealed record ClaimRequest(string? Uscc, string? EnterpriseName, string? CityCode, PartyKind Kind = PartyKind.Enterprise);

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
/// Onboarding of an enterprise's or a service institution's person (<see cref="PartyKind"/>): the claim by code with the
/// business licence and the authorisation letter (a pending membership through <see cref="IMemberships.RequestAsync"/>),
/// the reviewer's work list, and its decision — verify (<see cref="IMemberships.VerifyAsync"/>: the party's first verified
/// member becomes its administrator) or reject with a reason (<see cref="IMemberships.RejectAsync"/>); the claimant is
/// told in the party's inbox. The bureau of the enterprise's city reviews an enterprise claim, the province centre an
/// institution claim (<see cref="ClaimParties.Reviews"/>); to anyone else a claim answers as a missing one. Deciding an
/// institution claim also decides the institution when it is new (registered, waiting, no verified administrator yet),
/// through the province's institution verification (<see cref="Marketplace.InstitutionService.DecideAsync"/>).
/// </summary>
public sealed partial class ClaimService(VoucherStore store, EvidenceStore files, IMemberships memberships, AuditLog audit, Outbox outbox, TimeProvider time, ILogger<ClaimService> log, Marketplace.InstitutionService? institutions = null)
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
        var kind = request.Kind;
        var noun = ClaimParties.Noun(kind);
        var errors = new List<FieldError>();
        var uscc = "";
        if (!ClaimParties.TryCode(kind, request.Uscc, out var normalized, out var usccError))
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
            errors.Add(new FieldError("enterpriseName", $"请填写{noun}名称 (Name is required)"));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("enterpriseName", $"{noun}名称不能超过 {MaxNameLength} 个字 (At most {MaxNameLength} characters)"));
        }

        if (!Cities.TryGet(request.CityCode, out var city))
        {
            errors.Add(new FieldError("cityCode", $"请从列出的山西省地市中选择{noun}所在地市 (Choose one of Shanxi's cities)"));
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
        var claimId = ClaimIds.Of(kind, subject, uscc);
        var role = ClaimParties.RoleOf(kind);
        var scope = ClaimParties.Scope(kind, uscc);
        var mine = await memberships.OfPersonAsync(subject, ct);
        if (mine.Any(m => m.Role == role && m.Scope == scope && m.State == MembershipState.Verified))
        {
            return new Failure.Conflict($"您已是该{noun}的已认证人员，无需再次认领 (Already a verified member)");
        }

        // A party that already has a verified administrator adds its people itself: a claim on it would let a stranger's
        // pending membership open the party's profile while the reviewer has not looked yet.
        if ((await memberships.OfPartyAsync(role, scope, ct)).Any(m => m is { State: MembershipState.Verified, Administrator: true }))
        {
            return new Failure.Invalid([new FieldError("uscc",
                $"该{noun}已有认证的管理员，不能再认领；请把您的账号编号告诉本{noun}管理员，由其在“本单位人员”页面添加您 (The party already has a verified administrator, who adds its people)")]);
        }

        var existing = await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row, ct);
        if (existing is { Status: ClaimStatus.Pending })
        {
            // The same claim again: its list row is written again (heals a crash between the record and the row).
            await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(existing), ct);
            return new Failure.Conflict($"您已提交该{noun}的认领，正在等待{ClaimParties.Reviewer(existing)}审核，无需重复提交 (Claim already submitted and waiting)");
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

        var membership = await memberships.RequestAsync(subject, role, scope, caller.Actor, ct);
        var claim = new ClaimEntity
        {
            PartitionKey = claimId, Kind = kind, Uscc = uscc, EnterpriseName = name, CityCode = city.Code, Subject = subject, ClaimantName = caller.Name,
            MembershipId = membership.Id, Status = ClaimStatus.Pending, SubmittedAt = time.GetUtcNow(),
        };
        foreach (var f in stored)
        {
            claim.SetFile(f);
        }

        await store.UpsertAsync(OnboardingTables.Claims, claim, ct);
        await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(claim), ct);
        await audit.AppendAsync(AuditSubject(claimId), caller.Actor, claim.SubmittedAt, existing?.StatusName ?? "", claim.StatusName, 0,
            $"{caller.Name} 认领{noun} {name}（{uscc}），提交营业执照和授权委托书 (claim submitted)", ct);
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"claim-submitted-{claimId}-{claim.SubmittedAt.UtcTicks}", ClaimParties.ReviewerAddress(claim), $"新的{noun}认领待审核",
            $"{caller.Name} 认领“{name}”，已上传营业执照和授权委托书，请核对后通过或驳回。",
            [new NotificationLink("审核认领", ClaimPaths.Review(claimId))], claim.SubmittedAt, claimId), ct);
        Log.Submitted(log, claimId, city.Code);
        return claim;
    }

    /// <summary>The claims of the caller's own person (one per party claimed), newest first: from the person's memberships, then point reads.</summary>
    public async Task<IReadOnlyList<ClaimEntity>> MineAsync(string subject, CancellationToken ct)
    {
        var list = new List<ClaimEntity>();
        foreach (var m in (await memberships.OfPersonAsync(subject, ct)).Where(m => m.Role is Role.Enterprise or Role.Institution && m.Scope is { Length: > 0 }))
        {
            if (await OfMembershipAsync(subject, m.Role, m.Scope!, ct) is { } c)
            {
                list.Add(c);
            }
        }

        return list.DistinctBy(c => c.ClaimId).OrderByDescending(c => c.SubmittedAt).ToList();
    }

    /// <summary>The caller's own claim for the party it acts for, or null (the pending home's card).</summary>
    public Task<ClaimEntity?> OwnForAsync(VoucherPrincipal caller, string scope, CancellationToken ct) => OfMembershipAsync(caller.UserId, caller.Role, scope, ct);

    /// <summary>
    /// The claim behind a person's membership: an enterprise's by its USCC; an institution's by its code, which is the
    /// institution id without its <c>inst-</c> prefix (upper-cased as the claim stored it).
    /// </summary>
    async Task<ClaimEntity?> OfMembershipAsync(string subject, Role role, string scope, CancellationToken ct)
    {
        var kind = ClaimParties.KindOf(role);
        return role is Role.Enterprise or Role.Institution
            ? await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, ClaimIds.Of(kind, subject, ClaimParties.CodeOf(kind, scope)), ClaimEntity.Row, ct)
            : null;
    }

    /// <summary>A claim for its claimant; anyone else's answers as a missing one.</summary>
    public async Task<Outcome<ClaimEntity>> OwnAsync(string subject, string claimId, CancellationToken ct) =>
        await ReadAsync(claimId, ct) is { } c && c.Subject == subject ? c : NotFound();

    /// <summary>A claim for its reviewer (<see cref="ClaimParties.Reviews"/>); anyone else's answers as a missing one.</summary>
    public async Task<Outcome<ClaimEntity>> ForReviewerAsync(VoucherPrincipal caller, string claimId, CancellationToken ct) =>
        await ReadAsync(claimId, ct) is { } c && ClaimParties.Reviews(caller, c) ? c : NotFound();

    /// <summary>The claims the caller reviews (one partition of the index): a bureau's city's enterprise claims, the province centre's institution claims.</summary>
    public async Task<Outcome<IReadOnlyList<ClaimIndexEntity>>> ReviewListAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        var partition = caller.Role switch
        {
            Role.Province => ClaimIndexEntity.ProvincePartition,
            Role.CityBureau when Cities.TryGet(caller.Scope, out var city) => ClaimIndexEntity.CityPartition(city.Code),
            _ => null,
        };
        if (partition is null)
        {
            return new Failure.Forbidden("只有市科技局（本市企业）和省科技厅（服务机构）可以审核认领 (City bureaus and the province only)");
        }

        return await store.PartitionAsync<ClaimIndexEntity>(OnboardingTables.ClaimIndex, partition, Worklists.WorkListService.MaxRows, ct);
    }

    /// <summary>One document of a claim, for the bureau of the enterprise's city.</summary>
    public async Task<Outcome<(ClaimFile File, Stream Content)>> OpenDocumentAsync(VoucherPrincipal caller, string claimId, string document, CancellationToken ct)
    {
        var claim = await ReadAsync(claimId, ct);
        if (claim is null || !ClaimParties.Reviews(caller, claim) || !ClaimDocuments.TryParse(document, out var d) || claim.File(d).BlobName.Length == 0)
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
        var found = await ForReviewerAsync(caller, claimId, ct);
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
                return new Failure.Conflict("认领人的成员资格已不在待审核状态（可能已被撤销或已由管理员添加），本认领不能再审核 (The membership no longer waits)");
            }

            var from = claim.StatusName;
            claim.Status = target;
            claim.DecidedAt = time.GetUtcNow();
            claim.DecidedBy = $"{caller.DisplayName} · {ClaimParties.Reviewer(claim)}";
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

        await DecideNewInstitutionAsync(caller, claim, verify, ct);
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
        var noun = ClaimParties.Noun(claim.Kind);
        await outbox.EnqueueAndTryDeliverAsync(new Notification(
            $"claim-decided-{claimId}-{claim.StatusName}", Addresses.For(claim.Role, claim.Scope),
            verify ? $"{noun}认领已通过审核" : $"{noun}认领未通过审核",
            verify
                ? $"{claim.ClaimantName}对“{claim.EnterpriseName}”的认领已由{ClaimParties.Reviewer(claim)}审核通过，" + (claim.Kind == PartyKind.Institution ? "现在可以发布服务、确认兑付。" : "现在可以申请和使用创新券。")
                : $"{claim.ClaimantName}对“{claim.EnterpriseName}”的认领未通过审核。理由：{claim.Reason}。可按理由准备材料后重新认领。",
            [new NotificationLink("查看认领结果", ClaimPaths.Own(claimId))], at, claimId), ct);
        Log.Decided(log, claimId, claim.StatusName, caller.Address);
        return claim;
    }

    /// <summary>
    /// An institution claim decides a new institution with it: one registered (its profile filled in while the claim
    /// waited) and still waiting, with no verified administrator yet, is verified or rejected through the province's
    /// institution verification — which also decides every membership waiting for it (<see cref="ClaimInstitutions"/>).
    /// An institution already decided, or not registered yet (its profile then waits for the province's list as usual), is
    /// left as it is. Repeated, it changes nothing (the institution is no longer waiting).
    /// </summary>
    async Task DecideNewInstitutionAsync(VoucherPrincipal caller, ClaimEntity claim, bool verify, CancellationToken ct)
    {
        if (claim.Kind != PartyKind.Institution || institutions is null)
        {
            return;
        }

        var institution = await store.GetAsync<Marketplace.InstitutionEntity>(VoucherStore.Institutions, claim.Scope, Marketplace.InstitutionEntity.ProfileRow, ct);
        if (institution is not { Status: InstitutionStatus.Pending }
            || (await memberships.OfPartyAsync(Role.Institution, claim.Scope, ct)).Any(m => m is { State: MembershipState.Verified, Administrator: true }))
        {
            return;
        }

        var decided = await institutions.DecideAsync(caller, new Marketplace.DecideVerification(claim.Scope, verify, verify ? null : claim.Reason), ct);
        if (decided.Failure is { } failure)
        {
            Log.InstitutionNotDecided(log, claim.ClaimId, failure.Message);
        }
    }

    /// <summary>Marks a waiting claim verified when an administrator of the enterprise or institution added its person directly.</summary>
    public async Task SettleByAdministratorAsync(string subject, PartyKind kind, string scope, string byName, CancellationToken ct)
    {
        if (await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, ClaimIds.Of(kind, subject, ClaimParties.CodeOf(kind, scope)), ClaimEntity.Row, ct) is { Status: ClaimStatus.Pending } claim)
        {
            claim.Status = ClaimStatus.Verified;
            claim.DecidedAt = time.GetUtcNow();
            claim.DecidedBy = $"{byName}（{ClaimParties.Noun(kind)}管理员添加）";
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

        [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Claim '{ClaimId}': its new institution was not decided with it ({Reason}); the province's institution list still shows it")]
        public static partial void InstitutionNotDecided(ILogger logger, string claimId, string reason);
    }
}

/// <summary>The pages of onboarding, named once.</summary>
public static class ClaimPaths
{
    public const string Mine = "/portal/claims";
    public const string InstitutionForm = Mine + "?kind=institution";
    public const string WorkList = "/portal/work/claims";
    public const string Members = "/portal/members";

    public static string Own(string claimId) => $"{Mine}/{claimId}";

    public static string Review(string claimId) => $"{WorkList}/{claimId}";

    public static string Document(string claimId, ClaimDocument d) => $"{WorkList}/{claimId}/documents/{ClaimDocuments.Field(d)}";
}
