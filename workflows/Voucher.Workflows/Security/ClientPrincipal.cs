using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Security;

/// <summary>
/// The JSON shape App Service Authentication puts, base64-encoded, in <c>X-MS-CLIENT-PRINCIPAL</c>.
/// The development sign-in produces exactly this shape, so both hosts read principals one way.
/// </summary>
public sealed class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string RoleClaim = "roles";
    public const string ScopeClaim = "voucher_scope";
    public const string NameClaim = "name";
    public const string IdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    [JsonPropertyName("auth_typ")]
    public string AuthenticationType { get; set; } = "";

    [JsonPropertyName("name_typ")]
    public string NameClaimType { get; set; } = NameClaim;

    [JsonPropertyName("role_typ")]
    public string RoleClaimType { get; set; } = RoleClaim;

    [JsonPropertyName("claims")]
    public List<ClientPrincipalClaim> Claims { get; set; } = [];

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

    /// <summary>Maps to our principal; null when the claims carry no role this system knows.</summary>
    public VoucherPrincipal? ToVoucherPrincipal()
    {
        string? Claim(string type) => Claims.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.OrdinalIgnoreCase))?.Value;

        var roleValues = Claims.Where(c => c.Type == RoleClaimType || c.Type == RoleClaim).Select(c => c.Value);
        foreach (var value in roleValues)
        {
            if (RoleNames.TryParse(value, out var role))
            {
                var id = Claim(IdClaim) ?? Claim(NameClaimType) ?? "";
                if (id.Length == 0)
                {
                    return null;
                }

                return new VoucherPrincipal(id, Claim(NameClaimType) ?? id, role, Claim(ScopeClaim));
            }
        }

        return null;
    }
}

public sealed record ClientPrincipalClaim(
    [property: JsonPropertyName("typ")] string Type,
    [property: JsonPropertyName("val")] string Value);
