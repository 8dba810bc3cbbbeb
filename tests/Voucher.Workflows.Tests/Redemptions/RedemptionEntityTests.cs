namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The redemption aggregate: its status changes only through the transition table, and its binding mode is typed while
/// the column keeps the lowercase text rows have always had, so rows written before still read.
/// </summary>
[Collection(RedemptionStorageCollection.Name)]
public sealed class RedemptionEntityTests(AzuriteFixture azurite)
{
    [Fact]
    public void MoveTo_AnIllegalTransition_ThrowsNamingBothStates_AndTheStatusStays()
    {
        var r = new RedemptionEntity { Status = RedemptionStatus.Queued };

        var e = Assert.Throws<DomainException>(() => r.MoveTo(RedemptionStatus.AwaitingBinding));

        Assert.Contains("from Queued to AwaitingBinding", e.Message, StringComparison.Ordinal);
        Assert.Equal(RedemptionStatus.Queued, r.State);
        Assert.Null(r.TryMoveTo(RedemptionStatus.Paid));
        Assert.Null(r.TryMoveTo(RedemptionStatus.Queued));
        Assert.Equal(RedemptionStatus.Queued, r.State);
    }

    [Fact]
    public void MoveTo_ALegalTransition_Moves_AndTryMoveToAnswersTheStatusLeft()
    {
        var r = new RedemptionEntity();

        r.MoveTo(RedemptionStatus.AwaitingEvidence);
        var left = r.TryMoveTo(RedemptionStatus.Queued);

        Assert.Equal((RedemptionStatus.AwaitingEvidence, RedemptionStatus.Queued), (left, r.State));
    }

    [Theory]
    [InlineData("system", BindingMode.System)]
    [InlineData("seal", BindingMode.Seal)]
    [InlineData("Seal", BindingMode.Seal)]
    public void BindingMode_TextReadsAsTheTypedMode_AndIsWrittenLowercase(string stored, BindingMode mode)
    {
        var r = new RedemptionEntity { BindingMode = stored };

        Assert.Equal((mode, stored.ToLowerInvariant()), (r.Binding, r.BindingMode));
        Assert.Equal(stored.ToLowerInvariant(), new RedemptionEntity { Binding = mode }.BindingMode);
    }

    [Fact]
    public void BindingMode_UnknownText_IsADomainError()
    {
        Assert.Throws<DomainException>(() => new RedemptionEntity { BindingMode = "fax" });
    }

    [Fact]
    public async Task ARowWrittenBeforeTheTypes_ReadsItsStatusAndBindingMode_AndIsWrittenBackTheSameWay()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var table = store.Table(VoucherStore.Redemptions);
        var id = $"V-{TestUscc.New("datong")}-2026-01-R1";
        // The columns as the earlier code wrote them: the status by name, the binding mode as lowercase text.
        await table.AddEntityAsync(new TableEntity(id.Substring(2, 18), id)
        {
            ["Status"] = "AwaitingEvidence",
            ["BindingMode"] = "seal",
            ["BindingRound"] = 1,
            ["Bound"] = true,
        });

        var r = (await new RedemptionStore(store).GetAsync(id))!;

        Assert.Equal((RedemptionStatus.AwaitingEvidence, BindingMode.Seal), (r.State, r.Binding));
        await new RedemptionStore(store).UpdateAsync(id, e => e.TryMoveTo(RedemptionStatus.Queued) is not null);
        var raw = (await table.GetEntityAsync<TableEntity>(id.Substring(2, 18), id)).Value;
        Assert.Equal(("Queued", "seal"), (raw.GetString("Status"), raw.GetString("BindingMode")));
        Assert.False(raw.ContainsKey(nameof(RedemptionEntity.Binding)));
    }
}
