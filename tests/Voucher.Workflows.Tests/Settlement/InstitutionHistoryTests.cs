using Voucher.Workflows.Settlement.Risk;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The institution's history as the burst and repeated-face-value rules read it: the indexed counts give what a pass
/// over the whole history gives (the rules' former form), for windows on, inside and outside the entries.
/// </summary>
public sealed class InstitutionHistoryTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void CountSubmitted_IncludesBothEnds_AndLeavesOutTheRedemptionItself()
    {
        InstitutionHistory history = [new("r1", "U1", T0, false), new("r2", "U2", T0.AddDays(1), false), new("r3", "U1", T0.AddDays(2), true)];

        Assert.Equal(3, history.CountSubmitted(T0, T0.AddDays(2), "other"));
        Assert.Equal(2, history.CountSubmitted(T0, T0.AddDays(2), "r2"));
        Assert.Equal(1, history.CountSubmitted(T0.AddTicks(1), T0.AddDays(1), "other"));
        Assert.Equal(0, history.CountSubmitted(T0.AddDays(3), T0.AddDays(4), "other"));
        Assert.Equal(0, history.CountSubmitted(T0.AddDays(2), T0, "other"));
        // The redemption itself outside the window takes nothing off.
        Assert.Equal(2, history.CountSubmitted(T0, T0.AddDays(1), "r3"));
    }

    [Fact]
    public void OneEntryPerRedemption_AndEachEnterprisesOwnInSubmissionOrder()
    {
        InstitutionHistory history = [new("r2", "U1", T0.AddDays(1), true), new("r1", "U1", T0, true), new("r1", "U1", T0.AddDays(5), true), new("r3", "U2", T0, false)];

        Assert.Equal(3, history.Count);
        Assert.Equal(["r1", "r2"], history.OfEnterprise("U1").Select(r => r.RedemptionId));
        Assert.Empty(history.OfEnterprise("U9"));
    }

    [Fact]
    public void CountSubmitted_EqualsAPassOverTheHistory_ForRandomHistoriesAndWindows()
    {
        var random = new Random(20261207);
        for (var round = 0; round < 200; round++)
        {
            var entries = Enumerable.Range(0, random.Next(0, 60))
                .Select(i => new InstitutionRedemption($"r{i}", $"U{random.Next(5)}", T0.AddHours(random.Next(0, 24 * 20)), random.Next(2) == 0))
                .ToList();
            var history = InstitutionHistory.Of(entries);
            for (var probe = 0; probe < 20; probe++)
            {
                var from = T0.AddHours(random.Next(-24, 24 * 21));
                var to = from.AddHours(random.Next(0, 24 * 10));
                var except = entries.Count > 0 && random.Next(2) == 0 ? entries[random.Next(entries.Count)].RedemptionId : "none";
                var byPass = entries.Where(h => h.SubmittedAt >= from && h.SubmittedAt <= to && h.RedemptionId != except).Select(h => h.RedemptionId).Distinct().Count();
                Assert.Equal(byPass, history.CountSubmitted(from, to, except));
            }
        }
    }
}
