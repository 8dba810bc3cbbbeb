using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// This instance's copy of the catalogue search index (<see cref="CatalogueSearchIndex"/>), kept fresh without
/// scanning the Services table per request:
/// <list type="bullet">
/// <item>On first use the instance reads the Institutions and Services tables once (the only full read) and
/// remembers the change-log position taken <em>before</em> that read.</item>
/// <item>Writes made through this instance update the index at once (the writer sees its own change).</item>
/// <item>At most once per <see cref="RefreshInterval"/>, prompted by a search, it asks the change log for rows after
/// its position (one range query on one partition, usually empty) and re-reads only the named rows; the search
/// does not wait for that unless the index is older than <see cref="MaxStaleness"/>. The position is kept a few
/// seconds behind the newest key, so a row written late by another instance's clock is still seen; applying a
/// change twice is harmless (the row is re-read).</item>
/// </list>
/// Only published services of verified institutions are in the index.
/// </summary>
public sealed class CatalogueIndex(CatalogueStore catalogue, TimeProvider time, ILogger<CatalogueIndex> log)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>Older than this, a search waits for the refresh instead of answering from the index it has.</summary>
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An index not refreshed for this long loads the tables again instead of reading the change log, which keeps only
    /// recent entries (<see cref="Retention.RetentionSettings.CatalogueChangesKept"/>, trimmed daily).
    /// </summary>
    public static readonly TimeSpan ReloadAfterIdle = TimeSpan.FromDays(1);

    static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(10);

    readonly CatalogueSearchIndex index = new();
    readonly SemaphoreSlim refresh = new(1, 1);
    readonly Dictionary<string, InstitutionEntity> institutions = new(StringComparer.Ordinal);
    readonly Lock backgroundGate = new();
    Task? background;
    volatile bool loaded;
    string position = "";
    DateTimeOffset lastRefresh = DateTimeOffset.MinValue;

    /// <summary>
    /// The index. Fresh (younger than <see cref="RefreshInterval"/>): as is. Older but younger than
    /// <see cref="MaxStaleness"/>: as is, while one background task reads the change log, so under steady traffic no
    /// search waits for storage. Older still, or never loaded: the caller waits for the refresh.
    /// </summary>
    public async Task<CatalogueSearchIndex> CurrentAsync(CancellationToken ct)
    {
        if (loaded)
        {
            var age = time.GetUtcNow() - lastRefresh;
            if (age < RefreshInterval)
            {
                return index;
            }

            if (age < MaxStaleness)
            {
                lock (backgroundGate)
                {
                    if (background is null || background.IsCompleted)
                    {
                        background = Task.Run(async () =>
                        {
                            try
                            {
                                await RefreshAsync(CancellationToken.None);
                            }
                            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TimeoutException or OperationCanceledException)
                            {
                                // Storage unavailable: the next search tries again; past MaxStaleness it waits and fails visibly.
                                MarketplaceLog.IndexRefreshFailed(log, e, MaxStaleness.TotalSeconds);
                            }
                        }, CancellationToken.None);
                    }
                }

                return index;
            }
        }

        await RefreshAsync(ct);
        return index;
    }

    async Task RefreshAsync(CancellationToken ct)
    {
        await refresh.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            if (!loaded || now - lastRefresh > ReloadAfterIdle)
            {
                position = CatalogueStore.ChangeKey(now - ClockSlack)[..19];
                foreach (var i in await catalogue.AllInstitutionsAsync(ct))
                {
                    lock (institutions)
                    {
                        institutions[i.InstitutionId] = i;
                    }
                }

                var docs = new List<CatalogueDoc>();
                await foreach (var s in catalogue.AllServicesAsync(ct))
                {
                    if (ToDoc(s) is { } doc)
                    {
                        docs.Add(doc);
                    }
                }

                index.Load(docs);
                lastRefresh = now;
                loaded = true;
                MarketplaceLog.IndexLoaded(log, docs.Count, institutions.Count);
            }
            else if (now - lastRefresh >= RefreshInterval)
            {
                var changes = await catalogue.ChangesAfterAsync(position, ct);
                foreach (var c in changes)
                {
                    await (c.Kind == CatalogueChangeEntity.InstitutionKind
                        ? ApplyInstitutionChangeAsync(c.InstitutionId, ct)
                        : ApplyServiceChangeAsync(c.InstitutionId, c.ServiceId, ct));
                }

                var floor = CatalogueStore.ChangeKey(now - ClockSlack)[..19];
                var newest = changes.Count == 0 ? position : changes[^1].RowKey;
                position = string.CompareOrdinal(newest, floor) < 0 ? newest : floor;
                lastRefresh = now;
            }
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>
    /// Applies a change of an institution made by this instance right away (the change log tells the others): all its
    /// services are read again, since its verification decides whether they are searchable.
    /// </summary>
    public async Task ApplyInstitutionChangeAsync(string institutionId, CancellationToken ct)
    {
        if (!loaded)
        {
            return; // the first load will read it
        }

        var institution = await catalogue.GetInstitutionAsync(institutionId, ct);
        lock (institutions)
        {
            if (institution is null)
            {
                institutions.Remove(institutionId);
            }
            else
            {
                institutions[institutionId] = institution;
            }
        }

        foreach (var old in index.OfInstitution(institutionId))
        {
            index.Remove(old.InstitutionId, old.ServiceId);
        }

        foreach (var s in await catalogue.ServicesOfAsync(institutionId, ct))
        {
            Apply(s);
        }
    }

    /// <summary>Applies a change of a service made by this instance right away (the change log tells the others).</summary>
    public async Task ApplyServiceChangeAsync(string institutionId, string serviceId, CancellationToken ct)
    {
        if (!loaded)
        {
            return; // the first load will read it
        }

        var service = await catalogue.GetServiceAsync(institutionId, serviceId, ct);
        if (service is null)
        {
            index.Remove(institutionId, serviceId);
        }
        else
        {
            Apply(service);
        }
    }

    void Apply(ServiceEntity s)
    {
        if (ToDoc(s) is { } doc)
        {
            index.Upsert(doc);
        }
        else
        {
            index.Remove(s.InstitutionId, s.ServiceId);
        }
    }

    CatalogueDoc? ToDoc(ServiceEntity s)
    {
        InstitutionEntity? institution;
        lock (institutions)
        {
            institutions.TryGetValue(s.InstitutionId, out institution);
        }

        if (institution is null || !institution.Verified || s.Status != ServiceStatus.Published)
        {
            return null;
        }

        return new CatalogueDoc(
            s.InstitutionId, s.ServiceId, s.Title, s.Description, (s.Specifications + " " + s.Equipment).Trim(), s.Category,
            institution.CityCode is { Length: > 0 } c ? c : s.CityCode,
            institution.Type is { Length: > 0 } t ? t : s.InstitutionType,
            institution.Name is { Length: > 0 } n ? n : s.InstitutionName,
            s.PriceFromFen, s.PriceToFen, s.TurnaroundDays, s.UsedCount);
    }
}
