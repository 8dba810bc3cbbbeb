namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// Saving many row decisions at once (real Azurite, no engine: the batch and its items are written directly): one read
/// of the batch, conditional entity-group writes, and a row changed between the read and the write reported, not
/// overwritten, while the others are saved.
/// </summary>
public sealed class BatchDecisionSaveTests(SettlementHostFixture fixture) : IClassFixture<SettlementHostFixture>
{
    const string City = "linfen";
    const string Expert = "expert-save-test";

    [Fact]
    public async Task ManyRows_SavedInOrder_AndARowChangedMeanwhileIsReportedNotOverwritten()
    {
        var store = fixture.Services.GetRequiredService<VoucherStore>();
        var settlements = fixture.Services.GetRequiredService<SettlementStore>();
        var batch = A.Batch(City, "2020M1").InStage(BatchStage.Reviewing).WithItems(250).Build();
        await store.UpsertAsync(VoucherStore.Batches, batch);
        batch = (await settlements.GetBatchAsync(batch.BatchId))!;
        var ids = Enumerable.Range(0, 250).Select(i => $"V-SAVE-{i:D3}-R1").ToList();
        await settlements.UpsertManyAsync(VoucherStore.BatchItems, ids.Select(id => A.BatchItem(batch.BatchId, id).Of("91140100MA0L0SAVE1", "inst-save").Build()).ToList(), CancellationToken.None);
        await fixture.Services.GetRequiredService<EnforcementStore>().UpsertExpertAsync(new ExpertEntity
        {
            PartitionKey = ExpertEntity.Pool,
            RowKey = Expert,
            Name = "李专家",
            Fields = "testing",
            AffiliationInstitutionId = "inst-elsewhere",
            UpdatedAt = DateTimeOffset.UtcNow,
        });

        // The expert's opinion on row 7 arrives after the review read the items and before it writes them: the review
        // asks the clock when it records the request for row 3, and this clock writes the opinion then.
        var opinionArrives = new ArrivingOpinion(store, batch.BatchId, ids[7]);
        var review = ActivatorUtilities.CreateInstance<SettlementService>(fixture.Services, (TimeProvider)opinionArrives);
        var rows = ids.Select((id, i) => new RowDecision(id, i % 10 == 9 ? "reject" : "approve", i % 10 == 9 ? "发票不符 (invoice mismatch)" : null, null, null)).ToList();
        rows[3] = new RowDecision(ids[3], "", null, Expert, null);
        rows.Add(new RowDecision(ids[0], "reject", "后一行为准 (the later row wins)", null, null));

        var errors = SettlementSeed.FieldErrors(await review.SaveDecisionsAsync(batch, rows, Addresses.CityBureau(City), CancellationToken.None));

        var error = Assert.Single(errors);
        Assert.Equal("decisions[7].redemptionId", error.Field);
        var saved = (await settlements.ItemsAsync(batch.BatchId)).ToDictionary(i => i.RowKey);
        Assert.Equal(("", "opinion arrived"), (saved[ids[7]].Decision, saved[ids[7]].ExpertOpinion));
        Assert.Equal(("reject", "后一行为准 (the later row wins)"), (saved[ids[0]].Decision, saved[ids[0]].Reason));
        Assert.Equal(("", Expert), (saved[ids[3]].Decision, saved[ids[3]].ExpertId));
        Assert.True(opinionArrives.Calls >= 1);
        Assert.Equal(25 + 1, saved.Values.Count(i => i.Decision == "reject"));
        Assert.Equal(250 - 25 - 1 - 2, saved.Values.Count(i => i.Decision == "approve"));
        Assert.All(saved.Values.Where(i => i.Decision != ""), i => Assert.Equal(Addresses.CityBureau(City), i.DecidedBy));
        Assert.Contains(await fixture.Services.GetRequiredService<EnforcementStore>().OpinionsForRedemptionAsync(ids[3]), o => o.ExpertId == Expert && o.BatchId == batch.BatchId);
    }

    sealed class ArrivingOpinion(VoucherStore store, string batchId, string redemptionId) : TimeProvider
    {
        public int Calls { get; private set; }

        public override DateTimeOffset GetUtcNow()
        {
            if (Calls++ == 0)
            {
                var item = store.GetAsync<BatchItemEntity>(VoucherStore.BatchItems, batchId, redemptionId).GetAwaiter().GetResult()!;
                item.ExpertOpinion = "opinion arrived";
                store.UpsertAsync(VoucherStore.BatchItems, item).GetAwaiter().GetResult();
            }

            return base.GetUtcNow();
        }
    }
}
