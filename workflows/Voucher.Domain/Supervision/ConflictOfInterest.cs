namespace Voucher.Domain;

/// <summary>What the conflict-of-interest rule needs to know about an expert.</summary>
public sealed record ExpertTies(string ExpertId, string? AffiliationInstitutionId, IReadOnlyCollection<string> TiedUsccs);

/// <summary>
/// An expert may not give an opinion on a redemption involving their own institution or an enterprise they declared a
/// tie with (§4.2 expert pool). Checked automatically whenever an opinion is requested.
/// </summary>
public static class ConflictOfInterest
{
    /// <summary>Null when the expert may opine; otherwise the bilingual reason.</summary>
    public static string? Check(ExpertTies expert, string institutionId, string uscc)
    {
        ArgumentNullException.ThrowIfNull(expert);
        if (!string.IsNullOrWhiteSpace(expert.AffiliationInstitutionId)
            && string.Equals(expert.AffiliationInstitutionId.Trim(), institutionId, StringComparison.OrdinalIgnoreCase))
        {
            return $"利益冲突：专家 {expert.ExpertId} 任职于本笔兑付的服务机构 {institutionId}，不能出具意见 (Conflict of interest: the expert belongs to the institution of this redemption)";
        }

        if (expert.TiedUsccs.Any(t => string.Equals(t.Trim(), uscc, StringComparison.OrdinalIgnoreCase)))
        {
            return $"利益冲突：专家 {expert.ExpertId} 申报了与企业 {uscc} 的关联关系，不能出具意见 (Conflict of interest: the expert declared a tie with this enterprise)";
        }

        return null;
    }
}
