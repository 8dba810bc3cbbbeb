using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Agencies;

/// <summary>Agencies and delegations in Table Storage: point reads and single-partition queries only.</summary>
public sealed class DelegationStore(VoucherStore store, AuditLog audit, TimeProvider time)
{
    public const string DateFormat = "yyyy-MM-dd";

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow().UtcDateTime);

    public static string PartyPartition(Role partyRole, string partyId) => $"{RoleNames.ClaimValue(partyRole)}:{partyId}";

    public static string AgencyPartition(string agencyId) => $"agency:{agencyId}";

    public Task<AgencyEntity?> GetAgencyAsync(string agencyId, CancellationToken ct) =>
        IsWellFormedAgencyId(agencyId)
            ? store.GetAsync<AgencyEntity>(VoucherStore.Agencies, AgencyEntity.RegistryPartition, agencyId, ct)
            : Task.FromResult<AgencyEntity?>(null);

    public Task<List<AgencyEntity>> AgenciesAsync(CancellationToken ct) =>
        store.PartitionAsync<AgencyEntity>(VoucherStore.Agencies, AgencyEntity.RegistryPartition, 500, ct);

    public Task<bool> TryRegisterAgencyAsync(AgencyEntity agency, CancellationToken ct) => store.TryAddAsync(VoucherStore.Agencies, agency, ct);

    public static bool IsWellFormedAgencyId(string? id) =>
        id is { Length: >= 3 and <= 40 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    public static bool IsWellFormedDelegationId(string? id) =>
        id is { Length: > 20 and <= 70 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    /// <summary>
    /// Records a delegation: the agency's pointer first, then the authoritative row, so a crash between the two leaves
    /// only a pointer to nothing (ignored), never a delegation the agency cannot see.
    /// </summary>
    public async Task<DelegationEntity> CreateAsync(VoucherPrincipal party, AgencyEntity agency, IReadOnlyList<string> actions, DateOnly validUntil, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var partyId = party.Scope!;
        var entity = new DelegationEntity
        {
            PartitionKey = PartyPartition(party.Role, partyId),
            RowKey = $"{agency.AgencyId}.{now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}",
            AgencyId = agency.AgencyId,
            AgencyName = agency.Name,
            PartyKind = RoleNames.ClaimValue(party.Role),
            PartyId = partyId,
            Actions = string.Join(",", actions),
            ValidUntil = validUntil.ToString(DateFormat, CultureInfo.InvariantCulture),
            CreatedAt = now,
            CreatedBy = party.Actor,
        };
        await store.UpsertAsync(VoucherStore.Delegations, new DelegationPointerEntity
        {
            PartitionKey = AgencyPartition(agency.AgencyId),
            RowKey = $"{partyId}|{entity.DelegationId}",
            PartyKind = entity.PartyKind,
            PartyId = partyId,
            DelegationId = entity.DelegationId,
        }, ct);
        await store.Table(VoucherStore.Delegations).AddEntityAsync(entity, ct);
        await audit.AppendAsync(AuditSubjects.Delegations(entity.PartitionKey), party.Actor, now, "", nameof(DelegationStatus.Active), 0,
            $"委托 {agency.Name}（{agency.AgencyId}）：{entity.Actions}，有效期至 {entity.ValidUntil} (delegated {entity.DelegationId})", ct);
        return entity;
    }

    public Task<List<DelegationEntity>> ForPartyAsync(Role partyRole, string partyId, CancellationToken ct) =>
        store.PartitionAsync<DelegationEntity>(VoucherStore.Delegations, PartyPartition(partyRole, partyId), 500, ct);

    public Task<DelegationEntity?> GetAsync(Role partyRole, string partyId, string delegationId, CancellationToken ct) =>
        IsWellFormedDelegationId(delegationId)
            ? store.GetAsync<DelegationEntity>(VoucherStore.Delegations, PartyPartition(partyRole, partyId), delegationId, ct)
            : Task.FromResult<DelegationEntity?>(null);

    /// <summary>
    /// Writes a revocation made on <paramref name="revoked"/> (<see cref="DelegationEntity.Revoke"/>) if the row did not
    /// change since it was read (ETag), with its audit entry; false when someone else changed it first.
    /// </summary>
    public async Task<bool> TrySaveRevocationAsync(DelegationEntity revoked, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.Delegations).UpdateEntityAsync(revoked, revoked.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }

        await audit.AppendAsync(AuditSubjects.Delegations(revoked.PartitionKey), revoked.RevokedBy, revoked.RevokedAt!.Value, nameof(DelegationStatus.Active), nameof(DelegationStatus.Revoked), 0,
            $"撤销对 {revoked.AgencyName}（{revoked.AgencyId}）的委托 (revoked {revoked.DelegationId})", ct);
        return true;
    }

    /// <summary>Every delegation an agency holds (authoritative rows, read through its pointers), newest first.</summary>
    public async Task<List<DelegationEntity>> ForAgencyAsync(string agencyId, CancellationToken ct)
    {
        var pointers = await store.PartitionAsync<DelegationPointerEntity>(VoucherStore.Delegations, AgencyPartition(agencyId), 500, ct);
        return await ResolveAsync(agencyId, pointers, ct);
    }

    /// <summary>The delegations from one party to one agency: one row-key range in the agency's partition, then point reads.</summary>
    public async Task<List<DelegationEntity>> BetweenAsync(string agencyId, string partyId, CancellationToken ct)
    {
        if (!IsWellFormedAgencyId(agencyId) || partyId.Length is 0 or > 64 || partyId.Any(c => c is '|' or '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            return [];
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgencyPartition(agencyId)} and RowKey ge {partyId + "|"} and RowKey lt {partyId + "}"}");
        var pointers = new List<DelegationPointerEntity>();
        await foreach (var row in store.Table(VoucherStore.Delegations).QueryAsync<DelegationPointerEntity>(filter, maxPerPage: 100, cancellationToken: ct))
        {
            pointers.Add(row);
            if (pointers.Count >= 100)
            {
                break;
            }
        }

        return await ResolveAsync(agencyId, pointers, ct);
    }

    async Task<List<DelegationEntity>> ResolveAsync(string agencyId, IEnumerable<DelegationPointerEntity> pointers, CancellationToken ct)
    {
        var result = new List<DelegationEntity>();
        foreach (var p in pointers)
        {
            var row = await store.GetAsync<DelegationEntity>(VoucherStore.Delegations, $"{p.PartyKind}:{p.PartyId}", p.DelegationId, ct);
            if (row is not null && row.AgencyId == agencyId)
            {
                result.Add(row);
            }
        }

        return result.OrderByDescending(d => d.CreatedAt).ToList();
    }
}
