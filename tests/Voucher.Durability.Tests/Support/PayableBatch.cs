namespace Voucher.Durability.Tests.Support;

/// <summary>One real redemption (enterprise, voucher, orchestration) of a test city.</summary>
public sealed record RealRedemption(string Uscc, string VoucherId, string RedemptionId, decimal AmountPaid);

/// <summary>Builds real redemptions through the API, bound and queued (their queue rows written), and settles them up to publicity.</summary>
public static class PayableBatch
{
    /// <summary>Real redemptions through the API (seeded vouchers), bound by the institution: Queued on return.</summary>
    public static async Task<List<RealRedemption>> QueuedAsync(LocalHostProcess host, Store store, string city, string institutionId, string serviceId, params decimal[] amounts)
    {
        using var institution = await Api.SignInAsync(host.BaseAddress, "institution", institutionId);
        var result = new List<RealRedemption>();
        foreach (var (amount, index) in amounts.Select((a, i) => (a, i)))
        {
            var (uscc, voucherId) = await Seed.EnterpriseWithVoucherAsync(store.Tables, city);
            using var enterprise = await Api.SignInAsync(host.BaseAddress, "enterprise", uscc);
            var id = await Flows.RedemptionWithEvidenceAsync(enterprise, voucherId, institutionId, serviceId, amount, $"HT-{city}-{index:D3}");
            result.Add(new RealRedemption(uscc, voucherId, id, amount));
        }

        foreach (var r in result)
        {
            using var enterprise = await Api.SignInAsync(host.BaseAddress, "enterprise", r.Uscc);
            await Flows.WaitAwaitingBindingAsync(enterprise, r.RedemptionId);
            await Flows.BindAsync(institution, r.RedemptionId);
        }

        foreach (var r in result)
        {
            using var enterprise = await Api.SignInAsync(host.BaseAddress, "enterprise", r.Uscc);
            await Flows.WaitQueuedAsync(enterprise, store, r.RedemptionId, Flows.Step);
        }

        return result;
    }

    /// <summary>Checks the money of paid redemptions: one grant each, the ledger total equals the sum of pay-outs, voucher use once.</summary>
    public static async Task AssertPaidOnceAsync(Store store, IEnumerable<RealRedemption> paid)
    {
        foreach (var r in paid)
        {
            var row = await store.RedemptionAsync(r.RedemptionId);
            Assert.NotNull(row);
            Assert.Equal(RedemptionStatus.Paid, row!.Status);
            Assert.NotNull(row.SettledAt);
            var ledger = await store.LedgerAsync(r.Uscc, row.CapYear);
            Assert.NotNull(ledger);
            var grant = Assert.Single(ledger!.Grants());
            Assert.Equal(r.RedemptionId, grant.Key);
            Assert.Equal(row.PayoutFen, grant.Value);
            Assert.Equal(row.PayoutFen, ledger.GrantedFen);
            Assert.Equal(ledger.Grants().Values.Sum(), ledger.GrantedFen);
            Assert.Empty(ledger.Reservations());
            Assert.Equal(0L, ledger.ReservedFen);

            var computation = JsonSerializer.Deserialize<PayoutComputation>(row.PayoutJson!)!;
            var voucher = await store.VoucherAsync(r.VoucherId);
            var usage = JsonSerializer.Deserialize<Dictionary<string, long>>(voucher!.UsageJson)!;
            var used = Assert.Single(usage);
            Assert.Equal(r.RedemptionId, used.Key);
            Assert.Equal(computation.WithinFace.Fen, used.Value);
            Assert.Equal(computation.WithinFace.Fen, voucher.UsedFen);
        }
    }
}
