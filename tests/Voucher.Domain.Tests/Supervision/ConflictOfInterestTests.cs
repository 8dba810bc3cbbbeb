namespace Voucher.Domain.Tests.Supervision;

/// <summary>An expert may not opine on a redemption of their own institution or of an enterprise they declared a tie with.</summary>
public sealed class ConflictOfInterestTests
{
    const string Uscc = "91140100MA0DEM001U";
    const string Institution = "inst-sxu";

    [Fact]
    public void OwnInstitution_IsAConflict_CaseInsensitive()
    {
        var reason = ConflictOfInterest.Check(new ExpertTies("e1", "INST-SXU", []), Institution, Uscc);
        Assert.NotNull(reason);
        Assert.Contains("Conflict of interest", reason, StringComparison.Ordinal);
        Assert.Contains(Institution, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclaredTie_IsAConflict()
    {
        var reason = ConflictOfInterest.Check(new ExpertTies("e1", "inst-other", ["91140200MA0XXXXX1A", Uscc]), Institution, Uscc);
        Assert.NotNull(reason);
        Assert.Contains(Uscc, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("inst-other")]
    public void Unrelated_MayOpine(string? affiliation) =>
        Assert.Null(ConflictOfInterest.Check(new ExpertTies("e1", affiliation, ["91140200MA0XXXXX1A"]), Institution, Uscc));
}
