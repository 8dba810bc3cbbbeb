namespace Voucher.Domain;

/// <summary>
/// Pre-payment (事前兑付, §4.3): an enterprise is trusted when it used vouchers in two or more consecutive years and
/// has no violation on record. "Consecutive" is read as a run that is still current: its last year is this year or the
/// one before, so a good record from long ago does not qualify by itself.
/// </summary>
public static class TrustRules
{
    public const int MinConsecutiveYears = 2;

    /// <summary>The length of the run of consecutive years of use that ends at this year or the previous one (0 when none).</summary>
    public static int CurrentRun(IEnumerable<int> yearsOfUse, int currentYear)
    {
        var years = yearsOfUse.Where(y => y <= currentYear).ToHashSet();
        var last = years.Contains(currentYear) ? currentYear : years.Contains(currentYear - 1) ? currentYear - 1 : (int?)null;
        if (last is null)
        {
            return 0;
        }

        var run = 0;
        for (var y = last.Value; years.Contains(y); y--)
        {
            run++;
        }

        return run;
    }

    public static bool IsTrusted(IEnumerable<int> yearsOfUse, bool hasViolation, int currentYear) =>
        !hasViolation && CurrentRun(yearsOfUse, currentYear) >= MinConsecutiveYears;
}

/// <summary>How a computed pay-out splits into what is paid in advance and what is paid after the audit. Exact to the fen.</summary>
public sealed record PrepaymentSplit(Cny Payout, Cny Prepaid, Cny Remainder);

public static class Prepayment
{
    /// <summary>
    /// The advance is the policy's share of the pay-out, rounded to the fen (half away from zero) and never above it;
    /// the remainder is the rest, so <c>Prepaid + Remainder == Payout</c> always.
    /// </summary>
    public static PrepaymentSplit Split(Cny payout, decimal share)
    {
        if (share is < 0m or > 1m)
        {
            throw new DomainException("事前兑付比例必须在 0 到 1 之间 (The pre-payment share must be between 0 and 1)");
        }

        if (payout.IsNegative)
        {
            throw new DomainException("兑付金额不能为负 (The pay-out cannot be negative)");
        }

        var prepaid = Cny.Min(payout.MultiplyRatio(share), payout);
        return new PrepaymentSplit(payout, prepaid, payout - prepaid);
    }
}
