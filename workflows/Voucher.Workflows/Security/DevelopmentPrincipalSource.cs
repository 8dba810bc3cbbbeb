using System.Security.Cryptography;

namespace Voucher.Workflows.Security;

/// <summary>
/// Local host only: the development sign-in page stores a client principal (the App Service shape) in
/// a cookie signed with the link key, so a browser cannot edit its own role.
/// </summary>
public sealed class DevelopmentPrincipalSource(LinkKey key) : IPrincipalSource
{
    public const string CookieName = "voucher_dev_principal";

    public bool AllowsDevelopmentSignIn => true;

    public VoucherPrincipal? Read(HttpRequest request)
    {
        var cookie = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        var dot = cookie.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var payload = cookie[..dot];
        var signature = cookie[(dot + 1)..];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return ClientPrincipal.TryDecode(payload, out var principal) ? principal!.ToVoucherPrincipal() : null;
    }

    public string CreateCookieValue(VoucherPrincipal principal)
    {
        var payload = ClientPrincipal.From(principal, "dev").Encode();
        return payload + "." + Sign(payload);
    }

    string Sign(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes("dev-principal|" + payload)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
