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

/// <summary>HMAC-SHA256 signed links. Tokens are URL-safe: base64url(payload).base64url(mac).</summary>
public sealed class LinkSigner(LinkKey key, TimeProvider time)
{
    public string Sign(LinkClaims claims)
    {
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return payload + "." + Base64Url(Mac(payload));
    }

    public LinkCheck Verify(string? token, out LinkClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return LinkCheck.Malformed;
        }

        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.'))
        {
            return LinkCheck.Malformed;
        }

        var payload = token[..dot];
        byte[] givenMac;
        byte[] payloadBytes;
        try
        {
            givenMac = FromBase64Url(token[(dot + 1)..]);
            payloadBytes = FromBase64Url(payload);
        }
        catch (FormatException)
        {
            return LinkCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(givenMac, Mac(payload)))
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

    byte[] Mac(string payload) => HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes("link|" + payload));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
    }
}
