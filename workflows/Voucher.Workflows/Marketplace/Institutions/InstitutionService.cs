namespace Voucher.Workflows.Marketplace;

/// <summary>An institution as a reader may see it: contact details and every service for itself and the province centre.</summary>
public sealed record InstitutionListing(InstitutionEntity Institution, bool Full, IReadOnlyList<ServiceEntity> Services);

/// <summary>
/// The institution's acts: it registers (id = its scope) and edits its own profile; the province centre verifies or
/// rejects it. A change of the code or the sharing-platform id sends a decided institution back for verification, and
/// its services leave the catalogue until then. The HTTP API and the pages call these.
/// </summary>
public sealed class InstitutionService(CatalogueStore catalogue, CatalogueIndex index, TimeProvider time, ILogger<InstitutionService> log, Accounts.ClaimInstitutions? people = null)
{
    const int MaxReasonLength = 500;

    /// <summary>An institution user registers its own institution; it waits for the province centre.</summary>
    public async Task<Outcome<InstitutionEntity>> RegisterAsync(VoucherPrincipal caller, InstitutionProfile profile, CancellationToken ct)
    {
        if (caller.Role != Role.Institution || string.IsNullOrEmpty(caller.Scope))
        {
            return new Failure.Forbidden("只有服务机构账号可以登记本机构 (Only an institution account registers its institution)");
        }

        var (validated, errors) = InstitutionProfileRules.Validate(profile);
        if (validated is null)
        {
            return new Failure.Invalid(errors);
        }

        var entity = new InstitutionEntity
        {
            PartitionKey = caller.Scope, Name = validated.Name, Type = validated.Type, CityCode = validated.CityCode, Code = validated.Code,
            SharingPlatformId = validated.SharingPlatformId, ContactName = validated.ContactName, ContactPhone = validated.ContactPhone,
            Introduction = validated.Introduction, Status = InstitutionStatus.Pending, RegisteredAt = time.GetUtcNow(),
        };
        if (!await catalogue.TryAddInstitutionAsync(entity, ct))
        {
            return new Failure.Conflict("本机构已登记，请修改机构信息 (Already registered; edit the profile instead)");
        }

        await catalogue.MarkPendingAsync(entity, ct);
        await catalogue.NoteInstitutionChangeAsync(entity.InstitutionId, ct);
        MarketplaceLog.InstitutionRegistered(log, entity.InstitutionId, caller.Actor);
        return entity;
    }

    /// <summary>
    /// The institution edits its own profile. A change of the code or the platform id sends it back to the province
    /// centre for verification (its services leave the catalogue until then); other edits keep the decision.
    /// </summary>
    public async Task<Outcome<InstitutionEntity>> EditProfileAsync(VoucherPrincipal caller, EditInstitutionProfile command, CancellationToken ct)
    {
        if (!MarketAccess.IsInstitution(caller, command.InstitutionId))
        {
            return new Failure.Forbidden("只能修改本机构信息 (An institution edits only its own profile)");
        }

        var (edited, errors) = InstitutionProfileRules.Validate(command.Profile);
        if (edited is null)
        {
            return new Failure.Invalid(errors);
        }

        var current = await catalogue.GetInstitutionAsync(command.InstitutionId, ct);
        if (current is null)
        {
            return new Failure.NotFound("本机构尚未登记 (Not registered yet)");
        }

        var was = current.Status;
        var reverify = current.Code != edited.Code || current.SharingPlatformId != edited.SharingPlatformId;
        current.Name = edited.Name;
        current.Type = edited.Type;
        current.CityCode = edited.CityCode;
        current.Code = edited.Code;
        current.SharingPlatformId = edited.SharingPlatformId;
        current.ContactName = edited.ContactName;
        current.ContactPhone = edited.ContactPhone;
        current.Introduction = edited.Introduction;
        if (reverify && was != InstitutionStatus.Pending)
        {
            current.MoveTo(InstitutionStatus.Pending);
            current.DecisionReason = "机构代码或共享平台编号已修改，待重新核验 (Code or platform id changed)";
        }

        if (!await catalogue.TryReplaceInstitutionAsync(current, ct))
        {
            return new Failure.Conflict("机构信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        if (current.Status == InstitutionStatus.Pending)
        {
            await catalogue.MarkPendingAsync(current, ct);
        }

        await catalogue.NoteInstitutionChangeAsync(current.InstitutionId, ct);
        await index.ApplyInstitutionChangeAsync(current.InstitutionId, ct);
        if (was != current.Status)
        {
            MarketplaceLog.InstitutionSentBack(log, current.InstitutionId, was);
        }

        return current;
    }

    /// <summary>
    /// The province centre verifies or rejects (with a reason) a registered institution, and with it the memberships still
    /// waiting for it (<see cref="Accounts.ClaimInstitutions"/>); the same decision again changes nothing.
    /// </summary>
    public async Task<Outcome<InstitutionEntity>> DecideAsync(VoucherPrincipal caller, DecideVerification command, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("由省中心核验服务机构 (The province centre verifies institutions)");
        }

        if (command.Approve is not { } approve)
        {
            return new Failure.Invalid("approve", "请选择通过或驳回 (Choose approve or reject)");
        }

        var reason = command.Reason?.Trim() ?? "";
        if (!approve && reason.Length == 0)
        {
            return new Failure.Invalid("reason", "驳回须说明理由 (A rejection needs a reason)");
        }

        if (reason.Length > MaxReasonLength)
        {
            return new Failure.Invalid("reason", $"不能超过 {MaxReasonLength} 个字符 (At most {MaxReasonLength} characters)");
        }

        var current = await catalogue.GetInstitutionAsync(command.InstitutionId, ct);
        if (current is null)
        {
            return new Failure.NotFound($"服务机构 {command.InstitutionId} 不存在 (No such institution)");
        }

        var target = approve ? InstitutionStatus.Verified : InstitutionStatus.Rejected;
        if (current.Status == target)
        {
            // The same decision again: its list row and its people are written again (heals a crash after the first write).
            await catalogue.MarkDecidedAsync(current, ct);
            await DecidePeopleAsync(current, caller, ct);
            return current;
        }

        current.MoveTo(target);
        current.DecidedAt = time.GetUtcNow();
        current.DecidedBy = caller.Address;
        current.DecisionReason = reason;
        if (!await catalogue.TryReplaceInstitutionAsync(current, ct))
        {
            return new Failure.Conflict("机构信息刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        await catalogue.UnmarkPendingAsync(current.InstitutionId, ct);
        await catalogue.MarkDecidedAsync(current, ct);
        await catalogue.NoteInstitutionChangeAsync(current.InstitutionId, ct);
        await index.ApplyInstitutionChangeAsync(current.InstitutionId, ct);
        MarketplaceLog.InstitutionDecided(log, current.InstitutionId, target, caller.Actor);
        await DecidePeopleAsync(current, caller, ct);
        return current;
    }

    Task DecidePeopleAsync(InstitutionEntity institution, VoucherPrincipal caller, CancellationToken ct) =>
        people is null ? Task.CompletedTask : people.DecidedAsync(institution.InstitutionId, institution.Status == InstitutionStatus.Verified, institution.DecisionReason, caller.Actor, ct);

    /// <summary>The institutions the province centre has decided (verified or rejected), from their list rows (one partition).</summary>
    public async Task<Outcome<IReadOnlyList<InstitutionDecisionEntity>>> DecidedAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("由省中心核验服务机构 (The province centre verifies institutions)");
        }

        return await catalogue.DecidedAsync(Worklists.WorkListService.MaxRows, ct);
    }

    /// <summary>The institutions awaiting the province centre's verification (from their pointers, not a table scan).</summary>
    public async Task<Outcome<IReadOnlyList<InstitutionEntity>>> PendingAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("由省中心核验服务机构 (The province centre verifies institutions)");
        }

        var list = new List<InstitutionEntity>();
        foreach (var id in await catalogue.PendingIdsAsync(ct))
        {
            if (await catalogue.GetInstitutionAsync(id, ct) is { Status: InstitutionStatus.Pending } i)
            {
                list.Add(i);
            }
        }

        return list;
    }

    /// <summary>The caller's own institution (an institution user's scope), or null before it registered.</summary>
    public Task<InstitutionEntity?> OwnAsync(VoucherPrincipal caller, CancellationToken ct) =>
        caller.Role == Role.Institution && !string.IsNullOrEmpty(caller.Scope) ? catalogue.GetInstitutionAsync(caller.Scope, ct) : Task.FromResult<InstitutionEntity?>(null);

    /// <summary>
    /// An institution as the caller may see it: anyone a verified one with its published services; the institution
    /// itself and the province centre every state, every service and the contact details.
    /// </summary>
    public async Task<Outcome<InstitutionListing>> ViewAsync(VoucherPrincipal? caller, string institutionId, CancellationToken ct)
    {
        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        var full = MarketAccess.SeesAllOf(caller, institutionId);
        if (institution is null || (!institution.Verified && !full))
        {
            return new Failure.NotFound($"服务机构 {institutionId} 不存在或未通过核验 (No such verified institution)");
        }

        var services = (await catalogue.ServicesOfAsync(institutionId, ct)).Where(s => full || s.Status == ServiceStatus.Published).ToList();
        return new InstitutionListing(institution, full, services);
    }
}
