using System.Globalization;
using MiniExcelLibs;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Settlement.Risk;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Risk flags on the real Durable engine over Azurite: a batch forms, the orchestration checks its items before the
/// review opens, each item gets its flags, reasons and the province policy version; running the activities again
/// changes nothing; the province's list and its .xlsx show the flagged items (and refuse a city bureau).
/// </summary>
public sealed class RiskFlagWorkflowTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    const string City = "xinzhou";
    const string InstitutionId = "inst-settlement-test";
    static readonly VoucherPrincipal Province = new("prov-risk", "省中心", Role.Province, null);

    [Fact]
    public async Task Batch_items_are_flagged_when_the_batch_forms_idempotently_and_listed_for_the_province()
    {
        var store = Get<VoucherStore>();
        // Policy version 2 (risk thresholds changed through the policy service): recorded on every item.
        var published = await Get<PolicyService>().PublishProvincePolicyAsync(Province, new ProvincePolicyChange(
            null, null, null, null, null, null, null, null, null, null, "风险规则阈值调整", new RiskPolicy { BurstCount = 50, BurstDays = 3 }), default);
        Assert.True(published.Succeeded, published.Failure?.Message);
        var refused = await Get<PolicyService>().PublishProvincePolicyAsync(Province, new ProvincePolicyChange(
            null, null, null, null, null, null, null, null, null, null, "x", new RiskPolicy { BurstCount = 1 }), default);
        Assert.Contains(SettlementSeed.FieldErrors(refused), e => e.Field == "risk.burstCount");

        var queuedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var shared1 = await Seed.QueuedAsync(City, 80_000m, queuedAt, startOrchestration: false);
        var shared2 = await Seed.QueuedAsync(City, 60_000m, queuedAt.AddSeconds(1), startOrchestration: false);
        var violator = await Seed.QueuedAsync(City, 40_000m, queuedAt.AddSeconds(2), startOrchestration: false);
        var related = await Seed.QueuedAsync(City, 30_000m, queuedAt.AddSeconds(3), startOrchestration: false);
        var clean = await Seed.QueuedAsync(City, 20_000m, queuedAt.AddSeconds(4), startOrchestration: false);

        // Two redemptions with the same payment file, recorded before the hash index existed (no index rows): the check backfills.
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("同一张付款凭证"u8.ToArray())).ToLowerInvariant();
        foreach (var (r, paidOn) in new[] { (shared1, "2020-01-02"), (shared2, (string?)null) })
        {
            await store.UpsertAsync(VoucherStore.Evidence, new EvidenceEntity
            {
                PartitionKey = r.RedemptionId, RowKey = "payment", Sha256 = sha, BlobName = $"{r.RedemptionId}/payment/x", Size = 10,
                ContentType = "application/pdf", UploadedBy = "enterprise", PaidOn = paidOn,
            });
        }

        await store.UpsertAsync(VoucherStore.ViolationsByUscc, new ViolationIndexEntity
        {
            PartitionKey = violator.Uscc, RowKey = "VIO-risk-1", CityCode = City, DecidedOn = DateTimeOffset.UtcNow.AddYears(-1), Reason = "虚假材料",
        });
        await store.UpsertAsync(VoucherStore.Institutions, new InstitutionEntity
        {
            PartitionKey = InstitutionId, CityCode = City, Name = "山西大学测试中心", ContactName = "赵六", ContactPhone = "13911112222",
        });
        var profile = (await store.GetAsync<Voucher.Workflows.Enterprises.EnterpriseEntity>(VoucherStore.Enterprises, related.Uscc, "profile"))!;
        profile.ContactPhone = "139-1111-2222";
        await store.UpsertAsync(VoucherStore.Enterprises, profile);

        var period = await Seed.CurrentPeriodAsync(City);
        var start = await Seed.StartByHandAsync(City, period.Id);
        var batch = await Seed.WaitForBatchAsync(start.BatchId, BatchStage.Reviewing);
        var items = (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).ToDictionary(i => i.RedemptionId);

        Assert.Equal(5, items.Count);
        Assert.All(items.Values, i => Assert.NotNull(i.RiskCheckedAt));
        Assert.All(items.Values, i => Assert.Equal(2, i.RiskPolicyVersion));
        Assert.Equal("shared-evidence,payment-before-voucher", items[shared1.RedemptionId].RiskFlags);
        Assert.Equal("shared-evidence", items[shared2.RedemptionId].RiskFlags);
        Assert.Equal("recent-violation", items[violator.RedemptionId].RiskFlags);
        Assert.Equal("related-party", items[related.RedemptionId].RiskFlags);
        Assert.Equal("", items[clean.RedemptionId].RiskFlags);
        Assert.Null(items[clean.RedemptionId].RiskReasons);
        var reasons = RiskEngine.ParseReasons(items[shared1.RedemptionId].RiskReasons);
        Assert.Contains(shared2.RedemptionId, reasons.Single(r => r.Rule == RiskRule.SharedEvidence).Reason);
        Assert.Contains("尾号 2222", RiskEngine.ParseReasons(items[related.RedemptionId].RiskReasons).Single().Reason);
        // Backfilled: the two uses of the file, and the marker that the file is shared.
        var uses = await store.PartitionAsync<EvidenceHashEntity>(RiskTables.EvidenceHashes, sha);
        Assert.Equal(new[] { $"{shared1.RedemptionId}|payment", $"{shared2.RedemptionId}|payment" }.Order(StringComparer.Ordinal), uses.Select(u => u.RowKey).Order(StringComparer.Ordinal));
        Assert.NotNull(await store.GetAsync<EvidenceHashEntity>(RiskTables.EvidenceHashes, EvidenceHashEntity.SharedPartition, sha));
        // Backfilled facts are of the current shape, with the enterprise's contact prints.
        var relatedFact = (await store.GetAsync<RiskFactEntity>(RiskTables.RiskFacts, InstitutionId, related.RedemptionId))!;
        Assert.Equal(RiskFactEntity.CurrentShape, relatedFact.Shape);
        Assert.Contains("phone:", relatedFact.EnterprisePrints);

        // Idempotent: the activities run again over every chunk write exactly the same flags, reasons, time and version.
        var snapshot = items.Values.Select(i => (i.RedemptionId, i.RiskFlags, i.RiskReasons, i.RiskCheckedAt, i.RiskPolicyVersion)).OrderBy(x => x.RedemptionId).ToList();
        var input = new RiskChunkInput(batch.BatchId, 0, 2, items.Values.First().RiskCheckedAt!.Value.UtcDateTime);
        await Get<IndexRiskChunk>().RunAsync(input);
        await Get<FlagRiskChunk>().RunAsync(input);
        var again = (await Get<SettlementStore>().ItemsAsync(batch.BatchId)).Select(i => (i.RedemptionId, i.RiskFlags, i.RiskReasons, i.RiskCheckedAt, i.RiskPolicyVersion)).OrderBy(x => x.RedemptionId).ToList();
        Assert.Equal(snapshot, again);
        Assert.Equal(4, (await store.PartitionAsync<FlaggedItemEntity>(RiskTables.FlaggedItems, City)).Count);

        // The province's list: filtered by rule, and its .xlsx opened and checked.
        var pages = Get<ProvinceRiskPages>();
        var html = await PageHtml.RenderAsync(await pages.ListAsync(Get(Province, "?city=xinzhou&rule=shared-evidence")), Fixture.Services);
        Assert.Contains("共 <strong>2</strong> 条", html);
        Assert.Contains(shared1.RedemptionId, html);
        Assert.DoesNotContain(violator.RedemptionId, html);

        var file = await pages.ListAsync(Get(Province, "?city=xinzhou&sort=amount&dir=desc&format=xlsx"));
        var http = new DefaultHttpContext { RequestServices = Fixture.Services };
        var body = new MemoryStream();
        http.Response.Body = body;
        await file.ExecuteAsync(http);
        body.Position = 0;
        var rows = MiniExcel.Query(body, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal("忻州市", rows[0]["地市"]);
        Assert.Equal(shared1.RedemptionId, rows[0]["兑付申请编号"]);
        Assert.Equal("材料重复使用、付款早于发券", rows[0]["风险提示"]);
        Assert.Equal(Cny.FromFen(items[shared1.RedemptionId].PayoutFen).Yuan, Convert.ToDecimal(rows[0]["兑付金额（元）"], CultureInfo.InvariantCulture));
        Assert.Equal(2, Convert.ToInt32(rows[0]["全省政策版本"], CultureInfo.InvariantCulture));

        // Only the province: a city bureau is refused; an unknown rule is refused by its field.
        Assert.Equal(403, SettlementSeed.StatusOf(await pages.ListAsync(Get(SettlementSeed.CityBureau(City), ""))));
        Assert.Equal(400, SettlementSeed.StatusOf(await pages.ListAsync(Get(Province, "?rule=nope"))));
    }

    RequestContext Get(VoucherPrincipal principal, string query)
    {
        var ctx = Seed.Request(principal, null);
        ctx.Request.Method = "GET";
        ctx.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return ctx;
    }
}
