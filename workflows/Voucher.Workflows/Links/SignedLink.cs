using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Links;

/// <summary>What a callback link authorises: one action, by one party, on one instance, in one round, until a time.</summary>
public sealed record LinkClaims(
    [property: JsonPropertyName("i")] string InstanceId,
    [property: JsonPropertyName("a")] string Action,
    [property: JsonPropertyName("p")] string Party,
    [property: JsonPropertyName("r")] int Round,
    [property: JsonPropertyName("e")] long ExpiresUnixSeconds)
{
    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresUnixSeconds);

    /// <summary>The key that makes a link single-use: one decision per instance, action and round.</summary>
    [JsonIgnore]
    public string UseKey => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}|{Action}|{Round}")));
}

public enum LinkCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
}

/// <summary>
/// HMAC-SHA256 signed links. Tokens are URL-safe: <c>keyId.base64url(payload).base64url(mac)</c>, the MAC over the key id and
/// the payload, made with the key the id names (<see cref="LinkKey"/>: the current key signs; a previous key still verifies
/// during a rotation; an unknown id is refused). Only the canonical spelling of the MAC verifies. A token without a key id
/// (<c>payload.mac</c>, sent before key ids existed) is checked against the current key only: it keeps working until the
/// key is rotated or it expires, whichever comes first.
/// </summary>
public sealed class LinkSigner(LinkKey key, TimeProvider time)
{
    public string Sign(LinkClaims claims)
    {
        var payload = LinkKey.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        return key.Id + "." + payload + "." + key.Sign(MacInput(key.Id, payload));
    }

    public LinkCheck Verify(string? token, out LinkClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return LinkCheck.Malformed;
        }

        var parts = token.Split('.');
        var (keyId, payload, mac) = parts.Length switch
        {
            3 => (parts[0], parts[1], parts[2]),
            2 => ((string?)null, parts[0], parts[1]),
            _ => (null, "", ""),
        };
        if (payload.Length == 0 || !LinkKey.IsSignatureShape(mac) || (keyId is not null && !LinkKey.IsKeyIdShape(keyId)))
        {
            return LinkCheck.Malformed;
        }

        byte[] payloadBytes;
        try
        {
            payloadBytes = FromBase64Url(payload);
        }
        catch (FormatException)
        {
            return LinkCheck.Malformed;
        }

        if (!key.Verify(keyId ?? key.Id, MacInput(keyId, payload), mac))
        {
            return LinkCheck.BadSignature;
        }

        try
        {
            claims = JsonSerializer.Deserialize<LinkClaims>(payloadBytes);
        }
        catch (JsonException)
        {
            return LinkCheck.Malformed;
        }

        if (claims is null || string.IsNullOrEmpty(claims.InstanceId) || string.IsNullOrEmpty(claims.Action))
        {
            claims = null;
            return LinkCheck.Malformed;
        }

        return time.GetUtcNow() > claims.ExpiresAt ? LinkCheck.Expired : LinkCheck.Valid;
    }

    /// <summary>What the MAC covers: the key id (none for a token made before key ids) and the payload as sent.</summary>
    static string MacInput(string? keyId, string payload) => keyId is null ? "link|" + payload : "link|" + keyId + "." + payload;

    static byte[] FromBase64Url(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
    }
}
