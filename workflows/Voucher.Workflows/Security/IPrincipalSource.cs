namespace Voucher.Workflows.Security;

/// <summary>
/// Reads who signed in from a request (App Service Authentication's header in Azure, the development cookie locally). One
/// implementation per host mode. What the person may do comes from their memberships (<see cref="Accounts.MembershipPrincipals"/>).
/// </summary>
public interface IPrincipalSource
{
    /// <summary>Whether the development sign-in pages may be used (local host only).</summary>
    bool AllowsDevelopmentSignIn { get; }

    SignedInIdentity? Read(HttpRequest request);
}
