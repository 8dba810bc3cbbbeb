using Microsoft.Extensions.Configuration;

namespace Voucher.Security.Tests;

/// <summary>
/// What the application reads from any OpenID Connect provider's principal: subject, name and (when not called
/// unverified) phone; role claims only from an Entra ID sign-in, as the one-time grant of a deployment from before
/// memberships. The sign-in starts at the configured provider's login.
/// </summary>
public sealed class MembershipIdentityTests
{
    static SignedInIdentity? Read(string provider, params (string Type, string Value)[] claims)
    {
        var principal = new ClientPrincipal { AuthenticationType = provider };
        principal.Claims.AddRange(claims.Select(c => new ClientPrincipalClaim(c.Type, c.Value)));
        return ClientPrincipal.TryDecode(principal.Encode(), out var decoded) ? decoded!.ToIdentity() : null;
    }

    [Fact]
    public void A_generic_provider_gives_subject_name_and_verified_phone_and_no_roles()
    {
        var identity = Read("oidc", ("sub", "sx-uia|1234/5"), ("name", "王芳"), ("phone_number", "13900000001"), ("roles", "province"), ("voucher_scope", "x"));
        Assert.NotNull(identity);
        Assert.Equal(("sx-uia|1234/5", "王芳", "13900000001"), (identity.Subject, identity.Name, identity.Phone));
        Assert.Empty(identity.ClaimedRoles);

        Assert.Null(Read("oidc", ("sub", "s"), ("phone_number", "13900000001"), ("phone_number_verified", "false"))!.Phone);
        Assert.Equal("13900000002", Read("oidc", ("sub", "s"), ("phone", "13900000002"))!.Phone);
        Assert.Equal("s", Read("oidc", ("sub", "s"))!.Name);
        Assert.Equal("long-form", Read("oidc", (ClientPrincipal.NameIdentifierClaim, "long-form"))!.Subject);
        Assert.Null(Read("oidc", ("name", "无主体")));
    }

    [Fact]
    public void Entra_ID_app_roles_are_carried_for_the_one_time_grant_with_their_scope()
    {
        var identity = Read("aad", (ClientPrincipal.IdClaim, "oid-1"), ("name", "李四"), ("roles", "city-bureau"), ("roles", "province"), ("roles", "unknown"), ("voucher_scope", "taiyuan"));
        Assert.Equal("oid-1", identity!.Subject);
        Assert.Equal([(Role.CityBureau, (string?)"taiyuan"), (Role.Province, null)], identity.ClaimedRoles);
        // A scoped role without its scope is not a grant.
        Assert.Empty(Read("aad", (ClientPrincipal.IdClaim, "oid-2"), ("roles", "enterprise"))!.ClaimedRoles);
    }

    [Theory]
    [InlineData("aad", "/.auth/login/aad")]
    [InlineData("oidc", "/.auth/login/oidc")]
    [InlineData("aad,oidc", "/.auth/login/aad")]
    public void The_sign_in_starts_at_the_configured_providers_login(string provider, string login)
    {
        var source = new AppServiceAuthPrincipalSource(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher__SignInProvider"] = provider }).Build());
        Assert.Equal(login, source.LoginPath);
    }
}
