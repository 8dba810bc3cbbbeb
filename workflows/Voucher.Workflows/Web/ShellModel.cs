namespace Voucher.Workflows.Web;

/// <summary>What the layout shows around every page.</summary>
public sealed record ShellModel(string Title, VoucherPrincipal? Principal, int Unread, bool DevelopmentSignIn, string ReturnPath, string? Done, string? Error)
{
    /// <summary>Officers' tables use the wide layout: a page component that implements <see cref="IWidePage"/>.</summary>
    public bool Wide { get; init; }

    /// <summary>The signed-in person's name (from the identity provider), also when no membership acts.</summary>
    public string? PersonName { get; init; }

    /// <summary>The person's acting memberships when there are several (the header's switcher); empty otherwise.</summary>
    public IReadOnlyList<Accounts.MembershipChoice> Memberships { get; init; } = [];

    public static ShellModel For(string title, VoucherPrincipal? principal, HttpRequest request, int unread, bool developmentSignIn) =>
        new(title, principal, unread, developmentSignIn, request.Path + request.QueryString,
            request.Query["done"].ToString() is { Length: > 0 and < 200 } done ? done : null,
            request.Query["error"].ToString() is { Length: > 0 and < 300 } error ? error : null);

    /// <summary>Where the sign-in link leads: the development sign-in in the local host, the platform's otherwise.</summary>
    public string SignInHref => DevelopmentSignIn ? "/dev/signin?returnUrl=" + Uri.EscapeDataString(ReturnPath) : "/signin";

    /// <summary>The unread count as the badge shows it: up to 99, then "99+".</summary>
    public string UnreadText => Unread > 99 ? "99+" : Unread.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The signed-in person as the header names them: role · name, or unit · name where the role has a unit that names
    /// it already (太原市科技局 · 王芳 rather than 市科技局 · 太原市科技局 · 王芳).
    /// </summary>
    public string? Who => Principal is { } p ? (UnitOf(p) ?? RoleNames.Chinese(p.Role)) + " · " + p.DisplayName : PersonName;

    /// <summary>A bureau's unit: its city's 科技局 or 财政局 (太原市科技局); other roles are named by role and name.</summary>
    public static string? UnitOf(VoucherPrincipal p) => Glossary.BureauUnit(p.Role, p.Scope);
}
