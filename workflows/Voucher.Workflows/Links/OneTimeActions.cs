namespace Voucher.Workflows.Links;

/// <summary>
/// One decision per instance, action and round, however it arrives (signed link or signed-in page): the
/// first conditional insert of the marker wins; a second caller learns it was already used.
/// </summary>
public sealed class OneTimeActions(VoucherStore store, TimeProvider time)
{
    public async Task<bool> TryClaimAsync(string instanceId, string action, int round, string by, CancellationToken ct)
    {
        var key = Key(instanceId, action, round);
        return await store.TryAddAsync(VoucherStore.UsedLinks, new UsedLinkEntity
        {
            PartitionKey = key[..2], RowKey = key, InstanceId = instanceId, UsedBy = by, UsedAt = time.GetUtcNow(),
        }, ct);
    }

    /// <summary>Frees a claim whose effect did not happen (the event could not be raised), so the party can retry.</summary>
    public Task ReleaseAsync(string instanceId, string action, int round)
    {
        var key = Key(instanceId, action, round);
        return store.Table(VoucherStore.UsedLinks).DeleteEntityAsync(key[..2], key, cancellationToken: CancellationToken.None);
    }

    public async Task<bool> IsClaimedAsync(string instanceId, string action, int round, CancellationToken ct)
    {
        var key = Key(instanceId, action, round);
        return await store.GetAsync<UsedLinkEntity>(VoucherStore.UsedLinks, key[..2], key, ct) is not null;
    }

    static string Key(string instanceId, string action, int round) => new LinkClaims(instanceId, action, "", round, 0).UseKey;
}
