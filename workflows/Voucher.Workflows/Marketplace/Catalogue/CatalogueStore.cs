using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The catalogue's rows: institutions (with the pointers of those awaiting verification), services and their versions.
/// Every change is followed by a row in the change log (<see cref="CatalogueChangeEntity"/>), so other instances'
/// search indexes pick it up.
/// </summary>
public sealed class CatalogueStore(VoucherStore store, TimeProvider time)
{
    const string PendingPartition = "pending";

    public Task<InstitutionEntity?> GetInstitutionAsync(string institutionId, CancellationToken ct) =>
        store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId, InstitutionEntity.ProfileRow, ct);

    /// <summary>Inserts a new institution; false when one of that id exists.</summary>
    public Task<bool> TryAddInstitutionAsync(InstitutionEntity institution, CancellationToken ct) =>
        store.TryAddAsync(VoucherStore.Institutions, institution, ct);

    /// <summary>Replaces the institution under the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> TryReplaceInstitutionAsync(InstitutionEntity institution, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.Institutions).UpdateEntityAsync(institution, institution.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Puts the institution on the province centre's list of those awaiting verification (and off its decided list).</summary>
    public async Task MarkPendingAsync(InstitutionEntity i, CancellationToken ct)
    {
        await store.UpsertAsync(VoucherStore.MarketIndex, new MarketIndexEntity
        {
            PartitionKey = PendingPartition, RowKey = MarketIndexEntity.InstitutionKind + ":" + i.InstitutionId, Kind = MarketIndexEntity.InstitutionKind,
            RefId = i.InstitutionId, Title = i.Name, CityCode = i.CityCode, At = time.GetUtcNow(),
        }, ct);
        await store.Table(VoucherStore.MarketIndex).DeleteEntityAsync(InstitutionDecisionEntity.Partition, i.InstitutionId, ETag.All, ct);
    }

    /// <summary>Puts a decided institution on the province centre's decided list (idempotent upsert).</summary>
    public Task MarkDecidedAsync(InstitutionEntity i, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.MarketIndex, InstitutionDecisionEntity.For(i), ct);

    /// <summary>The province centre's decided institutions: one partition of the market index.</summary>
    public Task<List<InstitutionDecisionEntity>> DecidedAsync(int max, CancellationToken ct) =>
        store.PartitionAsync<InstitutionDecisionEntity>(VoucherStore.MarketIndex, InstitutionDecisionEntity.Partition, max, ct);

    public Task UnmarkPendingAsync(string institutionId, CancellationToken ct) =>
        store.Table(VoucherStore.MarketIndex).DeleteEntityAsync(PendingPartition, MarketIndexEntity.InstitutionKind + ":" + institutionId, ETag.All, ct);

    /// <summary>The institutions on the list awaiting verification (pointers; the caller reads each row).</summary>
    public async Task<IReadOnlyList<string>> PendingIdsAsync(CancellationToken ct) =>
        [.. (await store.PartitionAsync<MarketIndexEntity>(VoucherStore.MarketIndex, PendingPartition, 500, ct)).Select(r => r.RefId)];

    public Task<ServiceEntity?> GetServiceAsync(string institutionId, string serviceId, CancellationToken ct) =>
        store.GetAsync<ServiceEntity>(VoucherStore.Services, institutionId, serviceId, ct);

    public Task<List<ServiceEntity>> ServicesOfAsync(string institutionId, CancellationToken ct) =>
        store.PartitionAsync<ServiceEntity>(VoucherStore.Services, institutionId, 1000, ct);

    /// <summary>Records that an institution changed (its verification decides whether its services are searchable).</summary>
    public Task NoteInstitutionChangeAsync(string institutionId, CancellationToken ct) =>
        NoteChangeAsync(CatalogueChangeEntity.InstitutionKind, institutionId, "", ct);

    /// <summary>Records that a service row changed (written by the data-row writers here, and by tests that write rows directly).</summary>
    public Task NoteServiceChangeAsync(string institutionId, string serviceId, CancellationToken ct) =>
        NoteChangeAsync(CatalogueChangeEntity.ServiceKind, institutionId, serviceId, ct);

    /// <summary>Records that something in the catalogue changed (idempotent to re-apply: readers re-read the row).</summary>
    Task NoteChangeAsync(string kind, string institutionId, string serviceId, CancellationToken ct) =>
        store.Table(VoucherStore.CatalogueChanges).AddEntityAsync(new CatalogueChangeEntity
        {
            PartitionKey = CatalogueChangeEntity.Partition,
            RowKey = ChangeKey(time.GetUtcNow()),
            Kind = kind,
            InstitutionId = institutionId,
            ServiceId = serviceId,
        }, ct);

    public static string ChangeKey(DateTimeOffset at) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Changes whose key is after <paramref name="afterKey"/> (a row-key range query on one partition).</summary>
    public async Task<List<CatalogueChangeEntity>> ChangesAfterAsync(string afterKey, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CatalogueChangeEntity.Partition} and RowKey gt {afterKey}");
        var list = new List<CatalogueChangeEntity>();
        await foreach (var row in store.Table(VoucherStore.CatalogueChanges).QueryAsync<CatalogueChangeEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            list.Add(row);
        }

        return list;
    }

    public async Task<List<InstitutionEntity>> AllInstitutionsAsync(CancellationToken ct)
    {
        var list = new List<InstitutionEntity>();
        await foreach (var row in store.Table(VoucherStore.Institutions).QueryAsync<InstitutionEntity>(cancellationToken: ct))
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>Every service row: read once when an instance's index starts, never per request.</summary>
    public IAsyncEnumerable<ServiceEntity> AllServicesAsync(CancellationToken ct) =>
        store.Table(VoucherStore.Services).QueryAsync<ServiceEntity>(maxPerPage: 1000, cancellationToken: ct);

    /// <summary>Inserts a new (published) service with its version 1; false when the id exists.</summary>
    public async Task<bool> TryPublishAsync(ServiceEntity service, string actor, CancellationToken ct)
    {
        service.Version = 1;
        service.UpdatedAt = time.GetUtcNow();
        if (!await store.TryAddAsync(VoucherStore.Services, service, ct))
        {
            return false;
        }

        await AddVersionAsync(service, "发布 published", actor, ct);
        await NoteServiceChangeAsync(service.InstitutionId, service.ServiceId, ct);
        return true;
    }

    /// <summary>
    /// Changes a service under its ETag (a concurrent edit makes the second writer retry on fresh content) and keeps
    /// the new content as the next version. <paramref name="change"/> answers false for "nothing to change".
    /// </summary>
    public async Task<ServiceEntity?> UpdateServiceAsync(string institutionId, string serviceId, Func<ServiceEntity, bool> change, string what, string actor, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await GetServiceAsync(institutionId, serviceId, ct);
            if (current is null)
            {
                return null;
            }

            if (!change(current))
            {
                return current;
            }

            current.Version = Math.Max(1, current.Version) + 1;
            current.UpdatedAt = time.GetUtcNow();
            try
            {
                await store.Table(VoucherStore.Services).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                continue;
            }

            await AddVersionAsync(current, what, actor, ct);
            await NoteServiceChangeAsync(institutionId, serviceId, ct);
            return current;
        }

        throw new InvalidOperationException($"Service {institutionId}/{serviceId} kept changing under concurrent edits.");
    }

    /// <summary>Counts an order against the service (the "most used" sort); not a new version of its content.</summary>
    public async Task CountUseAsync(string institutionId, string serviceId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await GetServiceAsync(institutionId, serviceId, ct);
            if (current is null)
            {
                return;
            }

            current.UsedCount++;
            try
            {
                await store.Table(VoucherStore.Services).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
                await NoteServiceChangeAsync(institutionId, serviceId, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
    }

    public async Task<List<ServiceVersionEntity>> VersionsAsync(string institutionId, string serviceId, CancellationToken ct) =>
        await store.PartitionAsync<ServiceVersionEntity>(VoucherStore.ServiceVersions, institutionId + "|" + serviceId, 500, ct);

    Task AddVersionAsync(ServiceEntity s, string what, string actor, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.ServiceVersions, new ServiceVersionEntity
        {
            PartitionKey = s.InstitutionId + "|" + s.ServiceId,
            RowKey = s.Version.ToString("D6", CultureInfo.InvariantCulture),
            Version = s.Version,
            Change = what,
            ChangedBy = actor,
            ChangedAt = s.UpdatedAt ?? time.GetUtcNow(),
            Title = s.Title,
            Category = s.Category,
            Description = s.Description,
            Specifications = s.Specifications,
            Equipment = s.Equipment,
            PriceFromFen = s.PriceFromFen,
            PriceToFen = s.PriceToFen,
            TurnaroundDays = s.TurnaroundDays,
            Contact = s.Contact,
            Staff = s.Staff,
            Status = s.Status,
        }, ct);
}
