using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Policies;

public sealed class PolicyEntity : TableRow
{
    public int Version { get; set; }

    public string Json { get; set; } = "";
}

/// <summary>
/// Per-city policy, versioned: row <c>v000001</c>… keeps every version; row <c>current</c> points at the
/// one in force. Decisions store the version number they used.
/// </summary>
/// <remarks>
/// Every workflow step reads the policy, so reads are cached in memory (this store is a singleton): version rows are
/// never overwritten, so a version once read is kept; the "current" pointer is kept for <see cref="CurrentTtl"/>
/// and replaced at once when this process publishes or seeds. Another process's publish is seen within the TTL.
/// </remarks>
public sealed class PolicyStore(VoucherStore store, TimeProvider time)
{
    const string Current = "current";

    /// <summary>How long a read of the "current" pointer is reused.</summary>
    public static readonly TimeSpan CurrentTtl = TimeSpan.FromSeconds(30);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (CityPolicy Policy, long ReadAtMs)> currentCache = new(StringComparer.Ordinal);
    readonly System.Collections.Concurrent.ConcurrentDictionary<(string City, int Version), CityPolicy> versions = new();
    long generation;

    public async Task<CityPolicy> GetCurrentAsync(string cityCode, CancellationToken ct = default)
    {
        if (currentCache.TryGetValue(cityCode, out var cached) && Environment.TickCount64 - cached.ReadAtMs < CurrentTtl.TotalMilliseconds)
        {
            return cached.Policy;
        }

        var before = Interlocked.Read(ref generation);
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, cityCode, Current, ct);
        if (row is null)
        {
            // Not seeded yet: the default, not cached, so the seeded policy is seen as soon as it is written.
            return CityPolicy.Default(cityCode, time.GetUtcNow());
        }

        var policy = Deserialize(row);
        // A publish or seed by this process while the read was in flight wins over what the read returned.
        if (Interlocked.Read(ref generation) == before)
        {
            currentCache[cityCode] = (policy, Environment.TickCount64);
        }

        return policy;
    }

    public async Task<CityPolicy?> GetVersionAsync(string cityCode, int version, CancellationToken ct = default)
    {
        if (versions.TryGetValue((cityCode, version), out var cached))
        {
            return cached;
        }

        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, cityCode, VersionKey(version), ct);
        if (row is null)
        {
            return null;
        }

        var policy = Deserialize(row);
        versions[(cityCode, version)] = policy;
        return policy;
    }

    /// <summary>Every version of the city's policy, newest first (none seeded yet: the default version 1).</summary>
    public async Task<IReadOnlyList<CityPolicy>> HistoryAsync(string cityCode, CancellationToken ct = default)
    {
        var rows = await store.PartitionAsync<PolicyEntity>(VoucherStore.Policies, cityCode, 1000, ct);
        var list = rows.Where(r => r.RowKey != Current).Select(Deserialize).OrderByDescending(p => p.Version).ToList();
        return list.Count > 0 ? list : [await GetCurrentAsync(cityCode, ct)];
    }

    void Forget(string cityCode)
    {
        Interlocked.Increment(ref generation);
        currentCache.TryRemove(cityCode, out _);
    }

    /// <summary>Seeds version 1 for a city that has none; leaves existing policies alone.</summary>
    public async Task EnsureSeededAsync(CityPolicy initial, CancellationToken ct = default)
    {
        var json = JsonSerializer.Serialize(initial);
        await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = initial.CityCode, RowKey = VersionKey(initial.Version), Version = initial.Version, Json = json }, ct);
        await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = initial.CityCode, RowKey = Current, Version = initial.Version, Json = json }, ct);
        Forget(initial.CityCode);
    }

    /// <summary>
    /// Publishes the next version: the version row is added (never overwritten) and the current pointer moves
    /// under optimistic concurrency, so two editors cannot both publish the same version number.
    /// </summary>
    public async Task<bool> TryPublishAsync(CityPolicy next, CancellationToken ct = default)
    {
        var current = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, next.CityCode, Current, ct);
        if (current is null || current.Version + 1 != next.Version)
        {
            return false;
        }

        var json = JsonSerializer.Serialize(next);
        if (!await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = next.CityCode, RowKey = VersionKey(next.Version), Version = next.Version, Json = json }, ct))
        {
            // The version row exists but "current" was never moved (a crash in between): finish that move so later
            // publishes are not refused forever; this call still reports failure so the editor reloads.
            var stored = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, next.CityCode, VersionKey(next.Version), ct);
            if (stored is not null)
            {
                current.Version = stored.Version;
                current.Json = stored.Json;
                await TryMoveCurrentAsync(current, ct);
            }

            return false;
        }

        current.Version = next.Version;
        current.Json = json;
        return await TryMoveCurrentAsync(current, ct);
    }

    async Task<bool> TryMoveCurrentAsync(PolicyEntity pointer, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.Policies).UpdateEntityAsync(pointer, pointer.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
        finally
        {
            Forget(pointer.PartitionKey);
        }
    }

    static CityPolicy Deserialize(PolicyEntity row) =>
        JsonSerializer.Deserialize<CityPolicy>(row.Json) ?? throw new InvalidOperationException($"Policy row {row.PartitionKey}/{row.RowKey} is empty.");

    static string VersionKey(int version) => $"v{version:D6}";
}
