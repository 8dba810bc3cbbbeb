namespace Voucher.Workflows.Security;

/// <summary>
/// Local host only: the development sign-in page stores who signed in (the App Service principal shape: subject, name) in
/// a cookie signed with the link key (<see cref="LinkKey"/>: key id and canonical signature), so a browser cannot become
/// someone else. The role comes from the person's memberships, which the development sign-in grants.
/// </summary>
public sealed class DevelopmentPrincipalSource(LinkKey key) : IPrincipalSource
{
    public const string CookieName = "voucher_dev_principal";

    public bool AllowsDevelopmentSignIn => true;

    public SignedInIdentity? Read(HttpRequest request)
    {
        var cookie = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        // payload.keyId.signature: the key id names the link key that signed it (the current one, or a previous one
        // during a rotation); only the canonical signature verifies. A cookie of another shape means "sign in again".
        var parts = cookie.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || !LinkKey.IsKeyIdShape(parts[1]) || !key.Verify(parts[1], MacInput(parts[1], parts[0]), parts[2]))
        {
            return null;
        }

        return ClientPrincipal.TryDecode(parts[0], out var principal) ? principal!.ToIdentity() : null;
    }

    public string CreateCookieValue(SignedInIdentity identity)
    {
        var payload = ClientPrincipal.From(identity, "dev").Encode();
        return payload + "." + key.Id + "." + key.Sign(MacInput(key.Id, payload));
    }

    static string MacInput(string keyId, string payload) => "dev-principal|" + keyId + "." + payload;
}
