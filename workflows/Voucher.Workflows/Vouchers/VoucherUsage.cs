using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Vouchers;

/// <summary>Records the face value a paid redemption used, once per redemption, under optimistic concurrency.</summary>
public sealed class VoucherUsage(VoucherStore store, VoucherRepository vouchers)
{
    /// <summary>Records the use; answers the voucher as read (or written) here, for a caller that needs its other fields.</summary>
    public async Task<VoucherEntity> RecordAsync(string voucherId, string redemptionId, long usedFen, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var v = await vouchers.GetAsync(voucherId, ct) ?? throw new InvalidOperationException($"Voucher {voucherId} not found.");
            var usage = JsonSerializer.Deserialize<Dictionary<string, long>>(v.UsageJson) ?? [];
            if (!usage.TryAdd(redemptionId, usedFen))
            {
                return v;
            }

            v.UsageJson = JsonSerializer.Serialize(usage);
            v.UsedFen = usage.Values.Sum();
            try
            {
                await store.Table(VoucherStore.Vouchers).UpdateEntityAsync(v, v.ETag, TableUpdateMode.Replace, ct);
                return v;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // A concurrent change: read again.
            }
        }

        throw new InvalidOperationException($"Voucher {voucherId} is too busy to record usage.");
    }
}
