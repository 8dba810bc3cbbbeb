namespace Voucher.Workflows.Portal;

/// <summary>
/// The portal's shared pages: home (with the enterprise's registration and apply forms), the progress lookup, the guide, sign-in and
/// sign-out, the inbox; in the local host only, the development sign-in and the mailbox.
/// </summary>
public static class PortalRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<HomePages>("Home", "GET", "", Access.Public, (h, c) => h.HomeAsync(c)),
        RouteDef.For<HomePages>("Progress", "GET", "progress", Access.Public, (h, c) => h.ProgressAsync(c)),
        RouteDef.For<GuidePages>("Guide", "GET", "guide", Access.Public, (h, c) => h.GuideAsync(c)),
        RouteDef.For<GuidePages>("GuideSelfCheck", "POST", "guide/self-check", Access.Public, (h, c) => h.SelfCheckAsync(c)),
        RouteDef.For<AuthPages>("SignIn", "GET", "signin", Access.Public, (h, c) => h.SignInAsync(c)),
        RouteDef.For<AuthPages>("SignOut", "GET", "signout", Access.Public, (h, c) => h.SignOutAsync(c)),
        RouteDef.For<InboxPages>("Inbox", "GET", "inbox", Access.SignedIn.AllowingPending(), (h, c) => h.InboxAsync(c)),
        RouteDef.For<HomePages>("PortalRegister", "POST", "portal/register", Access.Only(Role.Enterprise).AllowingPending(), (h, c) => h.RegisterFormAsync(c)),
        RouteDef.For<HomePages>("PortalApply", "POST", "portal/apply", Access.Only(Role.Enterprise), (h, c) => h.ApplyFormAsync(c)),

        RouteDef.For<AuthPages>("DevSignInPage", "GET", "dev/signin", Access.Public, (h, c) => h.DevSignInFormAsync(c), localOnly: true),
        RouteDef.For<AuthPages>("DevSignIn", "POST", "dev/signin", Access.Public, (h, c) => h.DevSignInAsync(c), localOnly: true),
        RouteDef.For<InboxPages>("DevMailbox", "GET", "dev/mailbox", Access.Public, (h, c) => h.MailboxAsync(c), localOnly: true),
    ];
}
