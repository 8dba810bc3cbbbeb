namespace Voucher.Workflows.Portal;

/// <summary>
/// The guide's money rules, all from the city's policy version in force (and the domain's payout rules): the face
/// value, the ratio for the excess with a worked example computed by <see cref="PayoutRules"/>, the annual cap and the
/// year a pay-out counts toward, and the pre-payment share for trusted enterprises. Shown by <c>GuideMoneyRulesSection</c>
/// under the anchor <see cref="Anchor"/>, which other pages link to.
/// </summary>
public sealed record GuideMoneyRules(Cny FaceValue, Cny? LargeFaceValue, decimal ExcessRatio, PayoutComputation Example, Cny AnnualCap, decimal PrepaymentShare)
{
    public const string Anchor = "annual-cap-rules";

    public static GuideMoneyRules For(CityPolicy policy)
    {
        // The example pays 1.6 times the face value (8万元 against 5万元), as the scheme's own example does.
        var paid = Cny.FromFen(policy.FaceValue.Fen * 8 / 5);
        var example = PayoutRules.Compute(paid, policy.FaceValue, policy.ExcessRatio, policy.AnnualCap);
        return new(policy.FaceValue, policy.LargeDenominationEnabled ? policy.LargeFaceValue : null, policy.ExcessRatio, example, policy.AnnualCap, policy.PrepaymentShare);
    }

    /// <summary>A ratio in prose: 50%.</summary>
    public static string Percent(decimal ratio) => (ratio * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
