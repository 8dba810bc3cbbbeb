using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Security;

/// <summary>
/// Production: the principal App Service Authentication injected (<c>X-MS-CLIENT-PRINCIPAL</c>). The header is
/// trusted only when the deployment configured a sign-in: <see cref="SettingNames.SignInProvider"/> is non-empty.
/// Bicep (<c>infra/app/function-app.bicep</c>) writes that app setting in the same deployment as
/// <c>authsettingsV2</c>, from the same condition that enables the platform and the provider, so the setting is
/// non-empty exactly when the platform validates sign-ins and strips a client's own principal header. Otherwise
/// anyone could forge the header, so every request is anonymous.
/// </summary>
/// <remarks>
/// <c>WEBSITE_AUTH_ENABLED</c> is not required: App Service documents it as read-only and injected into apps
/// (learn.microsoft.com/azure/app-service/reference-app-settings, "Authentication and authorization"), but no
/// reference says the Flex Consumption plan injects it, and requiring it would make sign-in silently never work
/// there. It is still honoured as a veto: when the platform reports <c>false</c> (authentication switched off by
/// hand after the deployment, while the app setting stayed), the header is not trusted. See infra/README.md.
/// </remarks>
public sealed class AppServiceAuthPrincipalSource(IConfiguration configuration) : IPrincipalSource
{
    /// <summary>The platform's own flag: a veto when it says <c>false</c>, not a requirement (see remarks).</summary>
    public const string PlatformAuthSetting = "WEBSITE_AUTH_ENABLED";

    public bool AllowsDevelopmentSignIn => false;

    /// <summary>Where the platform's sign-in starts: the first configured provider's login (<c>/.auth/login/aad</c> or <c>/.auth/login/oidc</c>).</summary>
    public string LoginPath => "/.auth/login/" + (SignInProvider?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ClientPrincipal.EntraIdProvider);

    /// <summary>The sign-in the deployment configured (<c>aad</c>, <c>oidc</c>, …), or null when none.</summary>
    public string? SignInProvider =>
        VoucherSettings.Read(configuration, SettingNames.SignInProvider)?.Trim() is { Length: > 0 } provider ? provider : null;

    /// <summary>True when the principal header is trusted: a sign-in is configured and the platform does not say authentication is off.</summary>
    public bool TrustsPrincipalHeader =>
        SignInProvider is not null
        && !string.Equals(configuration[PlatformAuthSetting]?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    public SignedInIdentity? Read(HttpRequest request)
    {
        if (!TrustsPrincipalHeader)
        {
            return null;
        }

        return ClientPrincipal.TryDecode(request.Headers[ClientPrincipal.HeaderName], out var principal)
            ? principal!.ToIdentity()
            : null;
    }
}
