namespace Voucher.Workflows.Tests.Enforcement;

/// <summary>What makes two violation requests "the same" (<see cref="ViolationIds.IdFor"/>): pure, no storage.</summary>
public sealed class ViolationIdTests
{
    static readonly EnterpriseEntity Enterprise = new() { PartitionKey = "91140100MA0L000001", CityCode = "taiyuan", Name = "太原某科技有限公司" };

    static ViolationPlan Plan(string reason, DateOnly on, params string[] redemptionIds) =>
        new(Enterprise, on, reason, [.. redemptionIds.Select(id => (new RedemptionEntity { PartitionKey = "p", RowKey = id }, Cny.FromYuan(100m), "paid"))]);

    static readonly DateOnly Day = new(2026, 11, 20);

    [Fact]
    public void SameFacts_SameId_WhateverTheWhitespaceAndTheOrderOfRedemptions()
    {
        var id = ViolationIds.IdFor(Plan("伪造发票 套取补助", Day, "r1", "r2"), null);
        Assert.Equal(id, ViolationIds.IdFor(Plan("  伪造发票\n  套取补助 ", Day, "r2", "r1"), null));
        Assert.Matches("^V20261120-[0-9a-f]{10}$", id);
    }

    [Fact]
    public void OtherFacts_OtherDate_OtherRedemptions_OrAnotherEnterprise_AreAnotherViolation()
    {
        var id = ViolationIds.IdFor(Plan("伪造发票", Day, "r1"), null);
        Assert.NotEqual(id, ViolationIds.IdFor(Plan("虚构合同", Day, "r1"), null));
        Assert.NotEqual(id, ViolationIds.IdFor(Plan("伪造发票", Day.AddDays(-1), "r1"), null));
        Assert.NotEqual(id, ViolationIds.IdFor(Plan("伪造发票", Day, "r1", "r3"), null));
        var other = Plan("伪造发票", Day, "r1") with { Enterprise = new EnterpriseEntity { PartitionKey = "91140100MA0L000002", CityCode = "taiyuan" } };
        Assert.NotEqual(id, ViolationIds.IdFor(other, null));
    }

    [Fact]
    public void ClientKey_DecidesAlone_SoARetryAcrossMidnightIsTheSameViolation()
    {
        var id = ViolationIds.IdFor(Plan("伪造发票", Day, "r1"), "req-1");
        Assert.Equal(id, ViolationIds.IdFor(Plan("伪造发票", Day.AddDays(1), "r1"), " req-1 "));
        Assert.NotEqual(id, ViolationIds.IdFor(Plan("伪造发票", Day, "r1"), "req-2"));
        Assert.Matches("^VK-[0-9a-f]{16}$", id);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("  ", true)]
    [InlineData("req-0001", true)]
    [InlineData("有中文", false)]
    [InlineData("a b", false)]
    public void RequestId_IsVisibleAscii_UpTo100(string? text, bool ok)
    {
        Assert.Equal(ok, ViolationIds.TryRequestId(text, out _));
        Assert.True(ViolationIds.TryRequestId(new string('k', 100), out _));
        Assert.False(ViolationIds.TryRequestId(new string('k', 101), out _));
    }

    [Fact]
    public void SameFacts_ComparesEnterpriseFactsAndRedemptions_NotTheDate()
    {
        var stored = new ViolationEntity { Uscc = Enterprise.Uscc, Reason = "伪造发票", RedemptionIds = "r2,r1" };
        Assert.True(ViolationIds.SameFacts(stored, Plan("伪造发票 ", Day.AddDays(1), "r1", "r2")));
        Assert.False(ViolationIds.SameFacts(stored, Plan("虚构合同", Day, "r1", "r2")));
        Assert.False(ViolationIds.SameFacts(stored, Plan("伪造发票", Day, "r1")));
    }
}
