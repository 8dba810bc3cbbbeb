namespace Voucher.Domain;

/// <summary>
/// The per-enterprise, per-year cap (200,000 CNY by default). Granted amounts are final pay-outs; reserved
/// amounts belong to redemptions still on their way. What is left for a new redemption is the cap minus both.
/// </summary>
public static class AnnualCap
{
    public static Cny Remaining(Cny cap, Cny granted, Cny reserved) => Cny.Max(Cny.Zero, cap - granted - reserved);
}
