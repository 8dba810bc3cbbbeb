using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Policies;

/// <summary>
/// The province-wide policy, versioned in table <c>Policies</c> under partition <c>province</c> as the cities' are under
/// theirs (<see cref="PolicyStore"/>): row <c>v000001</c>… per version, row <c>current</c> pointing at the one in force.
/// Never published: version 1 with the defaults. The current version is read by every redemption request and catalogue
/// search, so it is cached for <see cref="PolicyStore.CurrentTtl"/> and replaced at once when this process publishes;
/// another process's publish is seen within the TTL.
/// </summary>
public sealed class ProvincePolicyStore(VoucherStore store)
{
    public const string Partition = "province";
    const string Current = "current";

    sealed record Cached(ProvincePolicy Policy, long ReadAtMs);

    volatile Cached? cached;
    long generation;

    /// <summary>The policy in force (cached).</summary>
    public async Task<ProvincePolicy> GetCurrentAsync(CancellationToken ct)
    {
        if (cached is { } c && Environment.TickCount64 - c.ReadAtMs < PolicyStore.CurrentTtl.TotalMilliseconds)
        {
            return c.Policy;
        }

        var before = Interlocked.Read(ref generation);
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, Partition, Current, ct);
        if (row is null)
        {
            // Never published: the default, not cached, so a first publish by another process is seen at once.
            return ProvincePolicy.Default(DateTimeOffset.UnixEpoch);
        }

        var policy = Deserialize(row);
        // A publish by this process while the read was in flight wins over what the read returned.
        if (Interlocked.Read(ref generation) == before)
        {
            cached = new Cached(policy, Environment.TickCount64);
        }

        return policy;
    }

    /// <summary>The policy in force as stored now (not cached): what an editor changes.</summary>
    public async Task<ProvincePolicy> ReadCurrentAsync(CancellationToken ct)
    {
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, Partition, Current, ct);
        return row is null ? ProvincePolicy.Default(DateTimeOffset.UnixEpoch) : Deserialize(row);
    }

    public async Task<ProvincePolicy?> GetVersionAsync(int version, CancellationToken ct)
    {
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, Partition, VersionKey(version), ct);
        return row is null ? (version == 1 ? ProvincePolicy.Default(DateTimeOffset.UnixEpoch) : null) : Deserialize(row);
    }

    /// <summary>Every version, newest first (never published: version 1 with the defaults).</summary>
    public async Task<IReadOnlyList<ProvincePolicy>> HistoryAsync(CancellationToken ct)
    {
        var rows = await store.PartitionAsync<PolicyEntity>(VoucherStore.Policies, Partition, 1000, ct);
        var list = rows.Where(r => r.RowKey != Current).Select(Deserialize).OrderByDescending(p => p.Version).ToList();
        return list.Count > 0 ? list : [await GetCurrentAsync(ct)];
    }

    /// <summary>
    /// Publishes the next version: version 1 is written first if the province never published, the version row is added
    /// (never overwritten) and the current pointer moves under optimistic concurrency, so two editors cannot both publish
    /// the same version number. False when someone else published first.
    /// </summary>
    public async Task<bool> TryPublishAsync(ProvincePolicy next, CancellationToken ct)
    {
        var pointer = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, Partition, Current, ct);
        if (pointer is null)
        {
            var first = ProvincePolicy.Default(DateTimeOffset.UnixEpoch);
            if (next.Version != first.Version + 1)
            {
                return false;
            }

            var json1 = JsonSerializer.Serialize(first);
            await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = Partition, RowKey = VersionKey(1), Version = 1, Json = json1 }, ct);
            if (!await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = Partition, RowKey = Current, Version = 1, Json = json1 }, ct))
            {
                return false;
            }

            pointer = (await store.GetAsync<PolicyEntity>(VoucherStore.Policies, Partition, Current, ct))!;
        }
        else if (pointer.Version + 1 != next.Version)
        {
            return false;
        }

        var json = JsonSerializer.Serialize(next);
        if (!await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = Partition, RowKey = VersionKey(next.Version), Version = next.Version, Json = json }, ct))
        {
            return false;
        }

        pointer.Version = next.Version;
        pointer.Json = json;
        try
        {
            await store.Table(VoucherStore.Policies).UpdateEntityAsync(pointer, pointer.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            cached = null;
            return false;
        }

        Interlocked.Increment(ref generation);
        cached = new Cached(next, Environment.TickCount64);
        return true;
    }

    static ProvincePolicy Deserialize(PolicyEntity row) =>
        JsonSerializer.Deserialize<ProvincePolicy>(row.Json) ?? throw new InvalidOperationException($"Policy row {row.PartitionKey}/{row.RowKey} is empty.");

    static string VersionKey(int version) => $"v{version:D6}";
}
