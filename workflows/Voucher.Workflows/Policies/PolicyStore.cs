using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.Workflows.Storage;

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
public sealed class PolicyStore(VoucherStore store, TimeProvider time)
{
    const string Current = "current";

    public async Task<CityPolicy> GetCurrentAsync(string cityCode, CancellationToken ct = default)
    {
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, cityCode, Current, ct);
        return row is null ? CityPolicy.Default(cityCode, time.GetUtcNow()) : Deserialize(row);
    }

    public async Task<CityPolicy?> GetVersionAsync(string cityCode, int version, CancellationToken ct = default)
    {
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, cityCode, VersionKey(version), ct);
        return row is null ? null : Deserialize(row);
    }

    /// <summary>Seeds version 1 for a city that has none; leaves existing policies alone.</summary>
    public async Task EnsureSeededAsync(CityPolicy initial, CancellationToken ct = default)
    {
        var json = JsonSerializer.Serialize(initial);
        await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = initial.CityCode, RowKey = VersionKey(initial.Version), Version = initial.Version, Json = json }, ct);
        await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = initial.CityCode, RowKey = Current, Version = initial.Version, Json = json }, ct);
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

    async Task<bool> TryMoveCurrentAsync(PolicyEntity current, CancellationToken ct)
    {
        try
        {
            await store.Table(VoucherStore.Policies).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    static CityPolicy Deserialize(PolicyEntity row) =>
        JsonSerializer.Deserialize<CityPolicy>(row.Json) ?? throw new InvalidOperationException($"Policy row {row.PartitionKey}/{row.RowKey} is empty.");

    static string VersionKey(int version) => $"v{version:D6}";
}
