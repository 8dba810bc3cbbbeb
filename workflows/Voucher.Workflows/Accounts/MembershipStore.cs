using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// <see cref="IMemberships"/> over Table Storage. The person's partition of <see cref="VoucherStore.Memberships"/> holds the
/// person and the canonical membership rows (one partition read lists them: the request path's read, through the
/// host's <see cref="Cache"/>). The index table holds a copy per party (<see cref="OfPartyAsync"/>) and per id
/// (<see cref="FindAsync"/>). A change writes
/// the canonical row first, then the copies and the audit entry; a change that finds nothing to do writes the copies and
/// the audit entry again, so a retry after a crash between the writes heals them. <see cref="OfPartyAsync"/> reads the
/// canonical row of every copy, so a stale copy never decides anything. The last-administrator rule is decided on one
/// row per party (<see cref="AdministratorsEntity"/>: the ids of its verified administrators), written with its ETag
/// before the membership changes: two administrators revoking each other at once, one write wins and the other reads
/// the set again and is refused. Every change of a membership row then evicts the person from this store's
/// <see cref="Cache"/> (this host's next request sees it) and appends a record to the change feed (every other host's
/// cache evicts the person within about a second): a crash between the row and the record leaves the other hosts' copies
/// stale until their <see cref="MembershipCache.TimeToLive"/>.
/// </summary>
public sealed class MembershipStore(VoucherStore store, AuditLog audit, TimeProvider time, IMembershipChangeFeed? changes = null) : IMemberships
{
    public const string LastAdministratorRefusal = "不能撤销本单位最后一位管理员：请先将另一位已认证成员设为管理员，再撤销此成员。";

    readonly IMembershipChangeFeed feed = changes ?? new MembershipChangeFeed(store, time);
    MembershipCache? cache;

    /// <summary>This host's copy of people's memberships (the principal's lookup), evicted by this store's own changes at once.</summary>
    public MembershipCache Cache => LazyInitializer.EnsureInitialized(ref cache, () => new MembershipCache(OfPersonAsync, time));

    public async Task<Person> EnsurePersonAsync(string subject, string name, string? phone, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var partition = MembershipKeys.PersonPartition(subject);
        var row = await store.GetAsync<PersonEntity>(VoucherStore.Memberships, partition, MembershipKeys.PersonRow, ct);
        var trimmedName = name.Trim() is { Length: > 0 } n ? n : subject;
        var trimmedPhone = phone?.Trim() is { Length: > 0 } p ? p : null;
        if (row is null)
        {
            row = new PersonEntity
            {
                PartitionKey = partition, RowKey = MembershipKeys.PersonRow, Subject = subject, Name = trimmedName, Phone = trimmedPhone ?? "", FirstSeen = time.GetUtcNow(),
            };
            if (!await store.TryAddAsync(VoucherStore.Memberships, row, ct))
            {
                row = (await store.GetAsync<PersonEntity>(VoucherStore.Memberships, partition, MembershipKeys.PersonRow, ct))!;
            }

            return row.ToPerson();
        }

        if (row.Name != trimmedName || (trimmedPhone is not null && row.Phone != trimmedPhone))
        {
            row.Name = trimmedName;
            row.Phone = trimmedPhone ?? row.Phone;
            await store.UpsertAsync(VoucherStore.Memberships, row, ct);
        }

        return row.ToPerson();
    }

    public async Task<Person?> FindPersonAsync(string subject, CancellationToken ct) =>
        (await store.GetAsync<PersonEntity>(VoucherStore.Memberships, MembershipKeys.PersonPartition(subject), MembershipKeys.PersonRow, ct))?.ToPerson();

    public async Task<Membership?> FindAsync(string membershipId, CancellationToken ct)
    {
        if (!MembershipKeys.IsIdShape(membershipId))
        {
            return null;
        }

        var pointer = await store.GetAsync<MembershipEntity>(VoucherStore.MembershipIndex, MembershipKeys.IdPartition(membershipId), MembershipKeys.IdRow, ct);
        return pointer is null ? null : await FindOfPersonAsync(pointer.Subject, membershipId, ct);
    }

    /// <summary>
    /// One membership of one person: a single point read in the person's partition, straight from storage (an
    /// administrator's check, the switch form). An id of another person's membership is simply not found here.
    /// </summary>
    public async Task<Membership?> FindOfPersonAsync(string subject, string membershipId, CancellationToken ct) =>
        MembershipKeys.IsIdShape(membershipId)
            ? (await store.GetAsync<MembershipEntity>(VoucherStore.Memberships, MembershipKeys.PersonPartition(subject), membershipId, ct))?.ToMembership()
            : null;

    public async Task<IReadOnlyList<Membership>> OfPersonAsync(string subject, CancellationToken ct)
    {
        var rows = await store.PartitionAsync<MembershipEntity>(VoucherStore.Memberships, MembershipKeys.PersonPartition(subject), 200, ct);
        return rows.Where(r => r.RowKey != MembershipKeys.PersonRow && r.Id.Length > 0)
            .Select(r => r.ToMembership())
            .OrderByDescending(m => m.ChangedAt)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<Membership>> OfPartyAsync(Role role, string? scope, CancellationToken ct)
    {
        var copies = await store.PartitionAsync<MembershipEntity>(VoucherStore.MembershipIndex, MembershipKeys.PartyPartition(role, Normalize(scope)), 1000, ct);
        var canonical = await Task.WhenAll(copies.Select(c => FindOfPersonAsync(c.Subject, c.Id, ct)));
        return canonical.OfType<Membership>()
            .OrderByDescending(m => m.ChangedAt)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<Membership> RequestAsync(string subject, Role role, string? scope, string requestedBy, CancellationToken ct)
    {
        scope = Normalize(scope);
        var row = await CanonicalAsync(subject, MembershipKeys.IdOf(subject, role, scope), ct);
        if (row is not null && row.State is nameof(MembershipState.Pending) or nameof(MembershipState.Verified))
        {
            return await HealAsync(row, ct);
        }

        // A new claim, or a claim again after a rejection or a revocation: it waits for verification once more.
        return await ChangeAsync(row ?? New(subject, role, scope), MembershipState.Pending, false, requestedBy, null, ct);
    }

    public async Task<Membership> GrantAsync(string subject, Role role, string? scope, bool administrator, string grantedBy, CancellationToken ct)
    {
        scope = Normalize(scope);
        var row = await CanonicalAsync(subject, MembershipKeys.IdOf(subject, role, scope), ct);
        if (row is not null && row.State == nameof(MembershipState.Verified) && (row.Administrator || !administrator))
        {
            return await HealAsync(row, ct);
        }

        return await ChangeAsync(row ?? New(subject, role, scope), MembershipState.Verified, administrator || row?.Administrator == true, grantedBy, null, ct);
    }

    public async Task<Membership> VerifyAsync(string membershipId, string verifiedBy, CancellationToken ct)
    {
        var row = await ByIdAsync(membershipId, ct);
        switch (Enum.Parse<MembershipState>(row.State))
        {
            case MembershipState.Verified:
                return await HealAsync(row, ct);
            case MembershipState.Rejected:
                throw new DomainException("该申请已被驳回，不能再认证；请申请人重新提交。");
            case MembershipState.Revoked:
                throw new DomainException("该成员资格已撤销，不能再认证；请重新邀请或重新提交申请。");
        }

        var party = await OfPartyAsync(Enum.Parse<Role>(row.Role), row.Scope, ct);
        var firstAdministrator = !party.Any(m => m.Id != row.Id && m.State == MembershipState.Verified && m.Administrator);
        return await ChangeAsync(row, MembershipState.Verified, firstAdministrator, verifiedBy, null, ct);
    }

    public async Task<Membership> RejectAsync(string membershipId, string rejectedBy, string reason, CancellationToken ct)
    {
        var row = await ByIdAsync(membershipId, ct);
        switch (Enum.Parse<MembershipState>(row.State))
        {
            case MembershipState.Rejected:
                return await HealAsync(row, ct);
            case MembershipState.Verified:
                throw new DomainException("该成员已认证，不能驳回；如需取消其资格，请撤销。");
            case MembershipState.Revoked:
                throw new DomainException("该成员资格已撤销，无需驳回。");
        }

        return await ChangeAsync(row, MembershipState.Rejected, false, rejectedBy, Reasoned(reason, "驳回"), ct);
    }

    public async Task<Membership> RevokeAsync(string membershipId, string revokedBy, string reason, CancellationToken ct)
    {
        var row = await ByIdAsync(membershipId, ct);
        switch (Enum.Parse<MembershipState>(row.State))
        {
            case MembershipState.Revoked:
                return await HealAsync(row, ct);
            case MembershipState.Rejected:
                throw new DomainException("该申请已被驳回，无需撤销。");
        }

        var why = Reasoned(reason, "撤销");
        return await ChangeAsync(row, MembershipState.Revoked, false, revokedBy, why, ct, LastAdministratorRefusal);
    }

    /// <summary>Makes a verified member an administrator of its party (or no longer one; the last administrator stays).</summary>
    public async Task<Membership> SetAdministratorAsync(string membershipId, bool administrator, string changedBy, CancellationToken ct)
    {
        var row = await ByIdAsync(membershipId, ct);
        if (row.State != nameof(MembershipState.Verified))
        {
            throw new DomainException("只有已认证的成员可以设为管理员。");
        }

        if (row.Administrator == administrator)
        {
            return await HealAsync(row, ct);
        }

        return await ChangeAsync(row, MembershipState.Verified, administrator, changedBy, null, ct, "不能取消本单位最后一位管理员：请先将另一位已认证成员设为管理员。");
    }

    static string? Normalize(string? scope) => scope?.Trim() is { Length: > 0 } s ? s : null;

    static string Reasoned(string reason, string what) =>
        reason?.Trim() is { Length: > 0 and <= 500 } r ? r : throw new DomainException($"请填写{what}理由（不超过 500 字）。");

    static MembershipEntity New(string subject, Role role, string? scope) => new()
    {
        PartitionKey = MembershipKeys.PersonPartition(subject),
        RowKey = MembershipKeys.IdOf(subject, role, scope),
        Id = MembershipKeys.IdOf(subject, role, scope),
        Subject = subject,
        Role = role.ToString(),
        Scope = scope ?? "",
        State = "",
    };

    Task<MembershipEntity?> CanonicalAsync(string subject, string id, CancellationToken ct) =>
        store.GetAsync<MembershipEntity>(VoucherStore.Memberships, MembershipKeys.PersonPartition(subject), id, ct);

    async Task<MembershipEntity> ByIdAsync(string membershipId, CancellationToken ct)
    {
        if (MembershipKeys.IsIdShape(membershipId)
            && await store.GetAsync<MembershipEntity>(VoucherStore.MembershipIndex, MembershipKeys.IdPartition(membershipId), MembershipKeys.IdRow, ct) is { } pointer
            && await CanonicalAsync(pointer.Subject, membershipId, ct) is { } row)
        {
            return row;
        }

        throw new DomainException("未找到该成员资格。");
    }

    async Task<Membership> ChangeAsync(MembershipEntity row, MembershipState to, bool administrator, string by, string? reason, CancellationToken ct, string? lastAdministratorRefusal = null)
    {
        var wasAdministrator = row.State == nameof(MembershipState.Verified) && row.Administrator;
        var isAdministrator = to == MembershipState.Verified && administrator;
        if (wasAdministrator && !isAdministrator)
        {
            // The party's set of administrators loses this one first (refused when it is the last): a crash after this
            // write leaves the set short of a member, which only refuses more, and the same change again completes it.
            await ChangeAdministratorsAsync(row, add: false, lastAdministratorRefusal ?? LastAdministratorRefusal, ct);
        }

        row.PreviousState = row.State;
        row.State = to.ToString();
        row.Administrator = administrator;
        row.ChangedAt = time.GetUtcNow();
        row.ChangedBy = by;
        row.Reason = reason ?? "";

        // The id's copy first: from then on the membership can be found by id, even when a later write fails.
        await store.UpsertAsync(VoucherStore.MembershipIndex, row.CopyAs(MembershipKeys.IdPartition(row.Id), MembershipKeys.IdRow), ct);
        await store.UpsertAsync(VoucherStore.Memberships, row, ct);

        // The row first, then the caches: this host's at once, the others' through the feed (the record after the row).
        Cache.Evict(row.Subject);
        await feed.AppendAsync(row.Subject, ct);
        if (isAdministrator)
        {
            // Added after the membership is written: a crash in between leaves the set short (refusing more, never less),
            // and HealAsync adds it again.
            await ChangeAdministratorsAsync(row, add: true, null, ct);
        }

        return await HealAsync(row, ct);
    }

    /// <summary>
    /// Adds the membership to its party's set of administrators, or takes it out — refused (DomainException) when it is
    /// the last one. A read, the rule, and a write conditional on the read's ETag; another change in between → read again.
    /// The set is made from the party's memberships the first time it is needed.
    /// </summary>
    async Task ChangeAdministratorsAsync(MembershipEntity row, bool add, string? refusal, CancellationToken ct)
    {
        var role = Enum.Parse<Role>(row.Role);
        var scope = Normalize(row.Scope);
        var table = store.Table(VoucherStore.MembershipIndex);
        for (var attempt = 0; ; attempt++)
        {
            var set = await store.GetAsync<AdministratorsEntity>(VoucherStore.MembershipIndex, AdministratorsEntity.PartitionOf(role, scope), AdministratorsEntity.Row, ct);
            if (set is null)
            {
                var admins = (await OfPartyAsync(role, scope, ct)).Where(m => m is { State: MembershipState.Verified, Administrator: true }).Select(m => m.Id);
                var fresh = new AdministratorsEntity { PartitionKey = AdministratorsEntity.PartitionOf(role, scope), RowKey = AdministratorsEntity.Row };
                fresh.Set(admins);
                if (!await store.TryAddAsync(VoucherStore.MembershipIndex, fresh, ct))
                {
                    continue;
                }

                set = (await store.GetAsync<AdministratorsEntity>(VoucherStore.MembershipIndex, fresh.PartitionKey, fresh.RowKey, ct))!;
            }

            var ids = set.Ids();
            if (add ? ids.Contains(row.Id) : !ids.Contains(row.Id))
            {
                return;
            }

            if (!add && ids.Count <= 1)
            {
                throw new DomainException(refusal ?? LastAdministratorRefusal);
            }

            set.Set(add ? ids.Append(row.Id) : ids.Where(id => id != row.Id));
            try
            {
                await table.UpdateEntityAsync(set, set.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 20)
            {
                // Another administrator change of the party came first: decide again on what it left.
            }
        }
    }

    /// <summary>Writes what the canonical row implies (the copies and the audit entry of its last change) again: idempotent.</summary>
    async Task<Membership> HealAsync(MembershipEntity row, CancellationToken ct)
    {
        if (row.State == nameof(MembershipState.Verified) && row.Administrator)
        {
            await ChangeAdministratorsAsync(row, add: true, null, ct);
        }

        var role = Enum.Parse<Role>(row.Role);
        await store.UpsertAsync(VoucherStore.MembershipIndex, row.CopyAs(MembershipKeys.IdPartition(row.Id), MembershipKeys.IdRow), ct);
        await store.UpsertAsync(VoucherStore.MembershipIndex, row.CopyAs(MembershipKeys.PartyPartition(role, Normalize(row.Scope)), row.Id), ct);
        var detail = $"{Addresses.For(role, Normalize(row.Scope))} {row.Subject}" + (row.Administrator ? " administrator" : "") + (row.Reason.Length > 0 ? " — " + row.Reason : "");
        await audit.AppendAsync(MembershipKeys.AuditSubject(row.Id), row.ChangedBy, row.ChangedAt, row.PreviousState, row.State, 0, detail, ct);
        return row.ToMembership();
    }
}
