namespace Voucher.Workflows.Vouchers;

public sealed class VoucherRepository(VoucherStore store)
{
    public Task<VoucherEntity?> GetAsync(string voucherId, CancellationToken ct = default) =>
        VoucherEntity.UsccOf(voucherId) is { } uscc
            ? store.GetAsync<VoucherEntity>(VoucherStore.Vouchers, uscc, voucherId, ct)
            : Task.FromResult<VoucherEntity?>(null);

    public Task<List<VoucherEntity>> ForEnterpriseAsync(string uscc, CancellationToken ct = default) =>
        store.PartitionAsync<VoucherEntity>(VoucherStore.Vouchers, uscc, 200, ct);

    /// <summary>Issues once: the id is derived from the application, so a retry finds the row already there.</summary>
    public async Task<VoucherEntity> IssueOnceAsync(VoucherEntity voucher, CancellationToken ct = default)
    {
        if (await store.TryAddAsync(VoucherStore.Vouchers, voucher, ct))
        {
            return voucher;
        }

        return await store.GetAsync<VoucherEntity>(VoucherStore.Vouchers, voucher.PartitionKey, voucher.RowKey, ct)
            ?? throw new InvalidOperationException($"Voucher {voucher.RowKey} vanished after a conflict.");
    }

    public static VoucherStatus StatusOf(VoucherEntity v, DateOnly today) =>
        VoucherRules.StatusOn(today, DateOnly.Parse(v.ExpiresOn), Cny.FromFen(v.FaceValueFen), Cny.FromFen(v.UsedFen), v.Revoked);
}
