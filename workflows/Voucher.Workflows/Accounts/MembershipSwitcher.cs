namespace Voucher.Workflows.Accounts;

/// <summary>One acting membership as the header's switcher offers it: 太原市科技局（市科技局）, the enterprise's name (企业).</summary>
public sealed record MembershipChoice(string Id, string Label, bool Active);

/// <summary>
/// What the header shows of the signed-in person: the name when no membership acts, and the acting memberships to switch
/// between when there are several (the person's memberships from this host's <see cref="MembershipCache"/>, which the
/// request's principal has just read: no storage read of its own while the entry is fresh).
/// </summary>
public sealed class MembershipSwitcher(MembershipStore memberships, PartyNames names)
{
    public async Task<(string? PersonName, IReadOnlyList<MembershipChoice> Choices)> ForHeaderAsync(HttpContext http)
    {
        if (SignedIn.Of(http) is not { } signedIn)
        {
            return (null, []);
        }

        var acting = (await memberships.Cache.OfPersonAsync(signedIn.Identity.Subject, http.RequestAborted)).Where(m => m.Acts).ToList();
        if (acting.Count < 2)
        {
            return (signedIn.Identity.Name, []);
        }

        var choices = new List<MembershipChoice>();
        foreach (var m in acting.OrderBy(m => m.Role).ThenBy(m => m.Scope, StringComparer.Ordinal))
        {
            choices.Add(new MembershipChoice(m.Id, await LabelAsync(m, http.RequestAborted), m.Id == signedIn.Active?.Id));
        }

        return (signedIn.Identity.Name, choices);
    }

    /// <summary>The membership as people read it: the party's name, and the role where the name does not say it.</summary>
    public async Task<string> LabelAsync(Membership m, CancellationToken ct)
    {
        var party = await names.NameAsync(m.Role, m.Scope, ct);
        var label = m.Role is Role.CityBureau or Role.FinanceBureau or Role.Province || party.StartsWith(RoleNames.Chinese(m.Role), StringComparison.Ordinal)
            ? party
            : $"{party}（{RoleNames.Chinese(m.Role)}）";
        return m.State == MembershipState.Pending ? label + "，待审核" : label;
    }
}
