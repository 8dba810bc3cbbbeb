namespace Voucher.Workflows.Accounts;

/// <summary>
/// The person's own pages (open to anyone signed in, with or without an acting membership), a party administrator's
/// members page, and invitation links (the link's page opens to anyone holding it; accepting needs a signed-in person).
/// </summary>
public static class AccountRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<AccountPages>("Account", "GET", "account", Access.Person, (h, c) => h.MineAsync(c)),
        RouteDef.For<AccountPages>("AccountSwitch", "POST", "account/membership", Access.Person, (h, c) => h.SwitchAsync(c)),
        RouteDef.For<AccountPages>("AccountMembers", "GET", "account/members", Access.SignedIn, (h, c) => h.MembersAsync(c)),
        RouteDef.For<AccountPages>("AccountInvite", "POST", "account/invitations", Access.SignedIn, (h, c) => h.InviteAsync(c)),
        RouteDef.For<AccountPages>("AccountWithdrawInvitation", "POST", "account/invitations/{invitationId}/withdrawal", Access.SignedIn, (h, c) => h.WithdrawAsync(c)),
        RouteDef.For<AccountPages>("AccountRevokeMember", "POST", "account/members/{membershipId}/revoke", Access.SignedIn, (h, c) => h.RevokeAsync(c)),
        RouteDef.For<AccountPages>("Invitation", "GET", "invite/{token}", Access.SignedLink, (h, c) => h.InvitationAsync(c)),
        RouteDef.For<AccountPages>("InvitationAccept", "POST", "invite/{token}/accept", Access.Person, (h, c) => h.AcceptAsync(c)),
    ];
}
