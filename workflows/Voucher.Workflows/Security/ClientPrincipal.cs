using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Security;

/// <summary>
/// The JSON shape App Service Authentication puts, base64-encoded, in <c>X-MS-CLIENT-PRINCIPAL</c>.
/// The development sign-in produces exactly this shape, so both hosts read who signed in one way.
/// </summary>
public sealed class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string RoleClaim = "roles";
    public const string ScopeClaim = "voucher_scope";
    public const string NameClaim = "name";
    public const string IdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The OpenID Connect subject (a generic provider's stable id) and its long form in the platform's header.</summary>
    public const string SubjectClaim = "sub";
    public const string NameIdentifierClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";

    /// <summary>The OpenID Connect phone claims: the number, read only when the provider does not say it is unverified.</summary>
    public const string PhoneClaim = "phone_number";
    public const string PhoneVerifiedClaim = "phone_number_verified";
    public const string ShortPhoneClaim = "phone";

    /// <summary>The provider name App Service Authentication gives Entra ID; only its role claims are read (see <see cref="SignedInIdentity.ClaimedRoles"/>).</summary>
    public const string EntraIdProvider = "aad";

    [JsonPropertyName("auth_typ")]
    public string AuthenticationType { get; set; } = "";

    [JsonPropertyName("name_typ")]
    public string NameClaimType { get; set; } = NameClaim;

    [JsonPropertyName("role_typ")]
    public string RoleClaimType { get; set; } = RoleClaim;

    [JsonPropertyName("claims")]
    public List<ClientPrincipalClaim> Claims { get; set; } = [];

    /// <summary>An Entra ID token of a deployment that assigned app roles: the principal's id, name, role and scope as claims.</summary>
    public static ClientPrincipal From(VoucherPrincipal principal, string authenticationType)
    {
        var result = new ClientPrincipal { AuthenticationType = authenticationType };
        result.Claims.Add(new ClientPrincipalClaim(IdClaim, principal.UserId));
        result.Claims.Add(new ClientPrincipalClaim(NameClaim, principal.DisplayName));
        result.Claims.Add(new ClientPrincipalClaim(RoleClaim, RoleNames.ClaimValue(principal.Role)));
        if (!string.IsNullOrEmpty(principal.Scope))
        {
            result.Claims.Add(new ClientPrincipalClaim(ScopeClaim, principal.Scope));
        }

        return result;
    }

    /// <summary>A sign-in that says only who: subject, name and (optionally) phone, as any OpenID Connect provider does.</summary>
    public static ClientPrincipal From(SignedInIdentity identity, string authenticationType)
    {
        var result = new ClientPrincipal { AuthenticationType = authenticationType };
        result.Claims.Add(new ClientPrincipalClaim(SubjectClaim, identity.Subject));
        result.Claims.Add(new ClientPrincipalClaim(NameClaim, identity.Name));
        if (identity.Phone is { Length: > 0 } phone)
        {
            result.Claims.Add(new ClientPrincipalClaim(PhoneClaim, phone));
        }

        return result;
    }

    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this));

    public static bool TryDecode(string? base64, out ClientPrincipal? principal)
    {
        principal = null;
        if (string.IsNullOrWhiteSpace(base64) || base64.Length > 16_384)
        {
            return false;
        }

        try
        {
            principal = JsonSerializer.Deserialize<ClientPrincipal>(Convert.FromBase64String(base64));
            return principal is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Who signed in: the subject (Entra's object id, else the OpenID Connect <c>sub</c>), the name and the phone when
    /// the provider does not call it unverified; null without a subject. Role claims are read only from an Entra ID
    /// sign-in (<see cref="EntraIdProvider"/>), whose app roles the tenant's administrators assign.
    /// </summary>
    public SignedInIdentity? ToIdentity()
    {
        string? Claim(string type) => Claims.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.OrdinalIgnoreCase) && c.Value.Trim().Length > 0)?.Value.Trim();

        var subject = Claim(IdClaim) ?? Claim(SubjectClaim) ?? Claim(NameIdentifierClaim);
        if (subject is null || subject.Length > 256)
        {
            return null;
        }

        var name = Claim(NameClaimType) ?? Claim(NameClaim) ?? Claim("preferred_username") ?? subject;
        var phone = string.Equals(Claim(PhoneVerifiedClaim), "false", StringComparison.OrdinalIgnoreCase) ? null : Claim(PhoneClaim) ?? Claim(ShortPhoneClaim);
        var claimed = new List<(Role, string?)>();
        if (string.Equals(AuthenticationType, EntraIdProvider, StringComparison.OrdinalIgnoreCase))
        {
            var scope = Claim(ScopeClaim);
            foreach (var value in Claims.Where(c => c.Type == RoleClaimType || c.Type == RoleClaim).Select(c => c.Value))
            {
                if (RoleNames.TryParse(value, out var role) && (role == Role.Province || scope is not null))
                {
                    claimed.Add((role, role == Role.Province ? null : scope));
                }
            }
        }

        return new SignedInIdentity(subject, name.Length > 50 ? name[..50] : name, phone is { Length: <= 20 } ? phone : null) { ClaimedRoles = claimed.Distinct().ToList() };
    }
}

public sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string Type,
    [property: JsonPropertyName("val")] string Value);
