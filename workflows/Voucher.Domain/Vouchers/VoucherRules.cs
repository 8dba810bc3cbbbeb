namespace Voucher.Domain;

public static class VoucherRules
{
    /// <summary>Last valid day: <c>issuedOn.AddMonths(validityMonths).AddDays(-1)</c> (issued 2026-03-15, 12 months → 2027-03-14).</summary>
    public static DateOnly ExpiresOn(DateOnly issuedOn, int validityMonths)
    {
        if (validityMonths < 1)
        {
            throw new DomainException($"有效期必须至少 1 个月，实际为 {validityMonths} (Validity must be at least 1 month, got {validityMonths})");
        }
        return issuedOn.AddMonths(validityMonths).AddDays(-1);
    }

    /// <summary>
    /// Status on <paramref name="today"/>, by precedence: Revoked; UsedUp (used ≥ face value); Expired (today after
    /// <paramref name="expiresOn"/>, which is still a valid day); otherwise Active.
    /// </summary>
    public static VoucherStatus StatusOn(DateOnly today, DateOnly expiresOn, Cny faceValue, Cny used, bool revoked)
    {
        if (revoked)
        {
            return VoucherStatus.Revoked;
        }
        if (used >= faceValue)
        {
            return VoucherStatus.UsedUp;
        }
        return today > expiresOn ? VoucherStatus.Expired : VoucherStatus.Active;
    }
}
