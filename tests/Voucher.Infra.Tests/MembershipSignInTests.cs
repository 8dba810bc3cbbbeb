using Voucher.Infra.Tests.Support;

namespace Voucher.Infra.Tests;

/// <summary>
/// The sign-in of any OpenID Connect provider: the scopes asked of the generic provider come from <c>oidcScopes</c>
/// (the premium combination adds <c>phone</c> for a verified phone number), and the Entra ID issuer is this tenant unless
/// <c>authIssuer</c> names another (Entra External ID). The app reads only who signed in (infra/README.md, "Memberships").
/// </summary>
public sealed class MembershipSignInTests
{
    public static TheoryData<string> Combinations() => new(ArmDeployment.Combinations);

    [Theory]
    [MemberData(nameof(Combinations))]
    public void The_generic_provider_asks_for_the_configured_scopes_and_Entra_ID_for_this_tenant_by_default(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var auth = d.SingleDeployed("Microsoft.Web/sites/config", "function-app", r => r.Name.Contains("'authsettingsV2'", StringComparison.Ordinal));
        var scopes = Assert.IsType<List<object?>>(auth.Value("properties.identityProviders.customOpenIdConnectProviders.oidc.login.scopes"));
        var expected = combination == "premium" ? new object?[] { "openid", "profile", "phone" } : ["openid", "profile"];
        Assert.Equal(expected, scopes);
        Assert.Equal("name", auth.Value("properties.identityProviders.customOpenIdConnectProviders.oidc.login.nameClaimType"));

        var issuer = auth.Value("properties.identityProviders.azureActiveDirectory.registration.openIdIssuer");
        Assert.True(issuer is not string text || text.EndsWith("/v2.0", StringComparison.Ordinal), $"issuer {issuer}");
    }

    [Fact]
    public void The_issuer_and_scopes_are_azd_parameters()
    {
        var parameters = File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json"));
        Assert.Contains("${AUTH_ISSUER=}", parameters, StringComparison.Ordinal);
        Assert.Contains("${OIDC_SCOPES=openid profile}", parameters, StringComparison.Ordinal);
        Assert.Contains("[if(empty(parameters('authIssuer'))", ArmTemplate.Main.Root.GetRawText(), StringComparison.Ordinal);
    }
}
