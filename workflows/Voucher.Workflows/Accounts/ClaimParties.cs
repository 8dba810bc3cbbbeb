using Voucher.Workflows.Marketplace;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// What differs between an enterprise claim and an institution claim, in one place: the membership's role and scope, how
/// the code is checked, who reviews the claim, and the words the pages use.
/// </summary>
public static class ClaimParties
{
    public static Role RoleOf(PartyKind kind) => kind == PartyKind.Institution ? Role.Institution : Role.Enterprise;

    /// <summary>The kind of party a role's membership is of (an institution's, else an enterprise's).</summary>
    public static PartyKind KindOf(Role role) => role == Role.Institution ? PartyKind.Institution : PartyKind.Enterprise;

    /// <summary>The membership's scope: the enterprise's USCC, or the institution's id, derived from its code (<c>inst-</c> + the code in lower case).</summary>
    public static string Scope(PartyKind kind, string code) => kind == PartyKind.Institution ? InstitutionId(code) : code;

    public static string InstitutionId(string code) => "inst-" + code.ToLowerInvariant();

    /// <summary>
    /// The claim's code behind a membership's scope (the inverse of <see cref="Scope"/>): the USCC, or an institution id
    /// without its <c>inst-</c> prefix, upper-cased as the code was checked.
    /// </summary>
    public static string CodeOf(PartyKind kind, string scope) =>
        kind == PartyKind.Institution && scope.StartsWith("inst-", StringComparison.Ordinal) ? scope["inst-".Length..].ToUpperInvariant() : scope;

    /// <summary>The typed code checked: a USCC for an enterprise, a USCC or an institution code for an institution.</summary>
    public static bool TryCode(PartyKind kind, string? typed, out string code, out string? error) =>
        kind == PartyKind.Institution
            ? InstitutionProfileRules.TryCode(typed, out code, out error)
            : Uscc.TryValidate(typed, out code, out error);

    /// <summary>Whether <paramref name="caller"/> reviews the claim: the bureau of the enterprise's city, the province centre for an institution.</summary>
    public static bool Reviews(VoucherPrincipal caller, ClaimEntity claim) =>
        claim.Kind == PartyKind.Institution ? caller.Role == Role.Province : caller.IsBureauOf(claim.CityCode);

    /// <summary>The kind a form names (<c>kind=institution</c>), else an enterprise.</summary>
    public static PartyKind Parse(string? typed) => string.Equals(typed, "institution", StringComparison.Ordinal) ? PartyKind.Institution : PartyKind.Enterprise;

    public static string Field(PartyKind kind) => kind == PartyKind.Institution ? "institution" : "enterprise";

    /// <summary>企业 / 服务机构.</summary>
    public static string Noun(PartyKind kind) => kind == PartyKind.Institution ? "服务机构" : "企业";

    /// <summary>What the code is called on forms and lists.</summary>
    public static string CodeLabel(PartyKind kind) => kind == PartyKind.Institution ? "统一社会信用代码或机构代码" : "统一社会信用代码";

    /// <summary>Who reviews a claim as people read it: 太原市科技局, 省科技厅.</summary>
    public static string Reviewer(ClaimEntity c) =>
        c.Kind == PartyKind.Institution ? "省科技厅" : (Cities.TryGet(c.CityCode, out var city) ? city.NameZh : "") + "科技局";

    /// <summary>Where the reviewer is told of a new claim.</summary>
    public static string ReviewerAddress(ClaimEntity c) => c.Kind == PartyKind.Institution ? Addresses.Province : Addresses.CityBureau(c.CityCode);
}
