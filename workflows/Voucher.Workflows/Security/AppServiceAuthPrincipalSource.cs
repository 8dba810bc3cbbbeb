using Microsoft.Extensions.Configuration;

namespace Voucher.Workflows.Security;

/// <summary>
/// Production: the principal App Service Authentication injected. The header is trusted only when the
/// platform says authentication is on (<c>WEBSITE_AUTH_ENABLED</c>); otherwise anyone could forge it,
/// so every request is treated as anonymous.
/// </summary>
public sealed class AppServiceAuthPrincipalSource(IConfiguration configuration) : IPrincipalSource
{
    public const string PlatformAuthSetting = "WEBSITE_AUTH_ENABLED";

    public bool AllowsDevelopmentSignIn => false;

    public bool PlatformAuthenticationEnabled =>
        string.Equals(configuration[PlatformAuthSetting], "true", StringComparison.OrdinalIgnoreCase);

    public VoucherPrincipal? Read(HttpRequest request)
    {
        if (!PlatformAuthenticationEnabled)
        {
            return null;
        }

        return ClientPrincipal.TryDecode(request.Headers[ClientPrincipal.HeaderName], out var principal)
            ? principal!.ToVoucherPrincipal()
            : null;
    }
}
