using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Security;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Publicity and payment with the batch state seeded in the store (no one-minute wait): what the public list shows
/// after an objection is upheld, and that objections and payments leave the same audit trail as the other
/// redemption steps (actor, time, before/after).
/// </summary>
public sealed class PublicityRecordsTests(SettlementHostFixture fixture) : IClassFixture<SettlementHostFixture>
{
    readonly SettlementSeed seed = new(fixture);

    T Get<T>()
        where T : notnull => seed.Get<T>();

    [Fact]
    public async Task ObjectionUpheld_TheRedemptionLeavesThePublicList()
    {
        const string city = "lvliang";
        var (batchId, kept, struck) = await PublicityBatchAsync(city);

        await ObjectAsync(struck.RedemptionId);
        var upheld = await Get<PublicityHandlers>().ResolveAsync(seed.Request(SettlementSeed.CityBureau(city), new { uphold = true, reason = "发票重复使用 (invoice used twice)" }, ("redemptionId", struck.RedemptionId)));
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(upheld));
        await seed.WaitForCompletionAsync(struck.InstanceId);
        Assert.Equal(RedemptionStatus.Rejected, (await seed.RedemptionAsync(struck.RedemptionId)).State);

        var list = (await Get<PublicityHandlers>().ListAsync(CancellationToken.None)).Where(e => e.CityCode == city).ToList();
        Assert.Equal([kept.RedemptionId], list.Select(e => e.RedemptionId));
        Assert.All(list, e => Assert.False(e.Objected));
        Assert.Contains(await Get<SettlementStore>().OpenPublicityAsync(), p => p.RowKey == batchId);
    }

    [Fact]
    public async Task ObjectionFiledAndResolved_AreInTheRedemptionsAuditTrail()
    {
        const string city = "shuozhou";
        var (_, dismissedOne, upheldOne) = await PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);

        await ObjectAsync(dismissedOne.RedemptionId);
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityHandlers>().ResolveAsync(seed.Request(bureau, new { uphold = false, reason = "无依据 (unfounded)" }, ("redemptionId", dismissedOne.RedemptionId)))));
        await ObjectAsync(upheldOne.RedemptionId);
        Assert.Equal(StatusCodes.Status200OK, SettlementSeed.StatusOf(await Get<PublicityHandlers>().ResolveAsync(seed.Request(bureau, new { uphold = true, reason = "成立 (founded)" }, ("redemptionId", upheldOne.RedemptionId)))));
        await seed.WaitForCompletionAsync(upheldOne.InstanceId);

        var dismissedTrail = await TrailAsync(dismissedOne.RedemptionId);
        Assert.Equal([("Published", "Objected"), ("Objected", "Published")], dismissedTrail.Select(a => (a.FromState, a.ToState)));
        Assert.Equal(bureau.Address, dismissedTrail[^1].Actor);
        var upheldTrail = await TrailAsync(upheldOne.RedemptionId);
        Assert.Equal([("Published", "Objected"), ("Objected", "Rejected")], upheldTrail.Select(a => (a.FromState, a.ToState)));
        Assert.Equal(bureau.Address, upheldTrail[^1].Actor);
    }

    [Fact]
    public async Task PaymentConfirmed_IsInTheRedemptionsAuditTrail()
    {
        const string city = "xinzhou";
        var r = await seed.QueuedAsync(city, 18_000m, DateTimeOffset.UtcNow.AddDays(-20), status: nameof(RedemptionStatus.Payable), enqueue: false);
        var finance = Addresses.For(Role.FinanceBureau, city);

        var outcome = await Get<PaymentHandlers>().ConfirmAsync(await seed.RedemptionAsync(r.RedemptionId), "BANK-77", SettlementSeed.Today, finance, seed.Client, CancellationToken.None);

        Assert.Equal(PaymentOutcome.Accepted, outcome);
        await seed.WaitForCompletionAsync(r.InstanceId);
        Assert.Equal(1_800_000, (await seed.LedgerAsync(r))!.GrantedFen);
        var paid = Assert.Single(await TrailAsync(r.RedemptionId));
        Assert.Equal(("Payable", "Paid", finance), (paid.FromState, paid.ToState, paid.Actor));
        Assert.Contains("BANK-77", paid.Detail, StringComparison.Ordinal);
    }

    /// <summary>A batch of the current period in its objection window (ten minutes left) with two published redemptions.</summary>
    async Task<(string BatchId, SeededRedemption First, SeededRedemption Second)> PublicityBatchAsync(string city)
    {
        var period = await seed.CurrentPeriodAsync(city);
        var batchId = SettlementIds.BatchId(city, period.Id);
        var first = await seed.QueuedAsync(city, 16_000m, DateTimeOffset.UtcNow.AddDays(-20), status: nameof(RedemptionStatus.Published), enqueue: false);
        var second = await seed.QueuedAsync(city, 17_000m, DateTimeOffset.UtcNow.AddDays(-20), status: nameof(RedemptionStatus.Published), enqueue: false);
        var store = Get<VoucherStore>();
        var now = DateTimeOffset.UtcNow;
        var start = SettlementSeed.Today.ToString("yyyy-MM-dd");
        var endsAt = now.AddMinutes(10);
        var end = ChinaTime.DateOf(endsAt.UtcDateTime).ToString("yyyy-MM-dd");
        await store.UpsertAsync(VoucherStore.Batches, new BatchEntity
        {
            PartitionKey = city, RowKey = period.Id, CutoffUtc = now.AddDays(-1), Stage = "Publicity", ItemCount = 2, ChunkCount = 1, PolicyVersion = 1,
            StartedBy = "test", FormedAt = now.AddDays(-1), SubmittedAt = now.AddHours(-1), SubmittedBy = Addresses.CityBureau(city),
            PublicityStart = start, PublicityEnd = end, PublicityEndsAt = endsAt,
        });
        await store.UpsertAsync(VoucherStore.PublicityIndex, new PublicityIndexEntity { PartitionKey = "open", RowKey = batchId, CityCode = city, PublicityStart = start, PublicityEnd = end });
        foreach (var r in new[] { first, second })
        {
            var row = await seed.RedemptionAsync(r.RedemptionId);
            await store.UpsertAsync(VoucherStore.BatchItems, new BatchItemEntity
            {
                PartitionKey = batchId, RowKey = r.RedemptionId, Uscc = r.Uscc, EnterpriseName = row.EnterpriseName, InstitutionId = row.InstitutionId,
                InstitutionName = row.InstitutionName, ServiceTitle = row.ServiceTitle, ServiceCategory = row.ServiceCategory, AmountPaidFen = row.AmountPaidFen,
                PayoutFen = row.PayoutFen, BindingMode = row.BindingMode, Decision = "approve", DecidedBy = Addresses.CityBureau(city), Outcome = "Published",
            });
            await Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
            {
                e.BatchId = batchId;
                e.PublishedAt = now.AddMinutes(-5);
                return true;
            });
        }

        return (batchId, first, second);
    }

    async Task ObjectAsync(string redemptionId)
    {
        var filed = await Get<PublicityHandlers>().ApiObjectAsync(seed.Request(null, new { contact = "张某 zhang@example.com", grounds = "服务未实际发生" }, ("redemptionId", redemptionId)));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(filed));
        Assert.Equal(RedemptionStatus.Objected, (await seed.RedemptionAsync(redemptionId)).State);
    }

    async Task<List<AuditEntry>> TrailAsync(string redemptionId) =>
        (await Get<AuditLog>().ReadRedemptionAsync(redemptionId, (await Get<RedemptionStore>().GetAsync(redemptionId))?.BatchId)).ToList();
}
