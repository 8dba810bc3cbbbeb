using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Security;

/// <summary>
/// The HMAC keys that sign callback links and development sign-in cookies: the current key (<see cref="SettingNames.LinkSigningKey"/>),
/// which signs everything new, and during a rotation the previous key(s) (<see cref="SettingNames.LinkSigningKeyPrevious"/>,
/// comma-separated), which only verify. Each key is named by its id, the first 8 hex digits (lower case) of the SHA-256 of
/// the key's bytes; a token carries the id of the key that signed it, and an id that names no configured key is refused.
/// A signature verifies only in its one canonical spelling: base64url without padding, compared as the exact string in
/// constant time (another spelling that decodes to the same bytes, padding, or standard base64 is refused).
/// </summary>
public sealed class LinkKey
{
    /// <summary>
    /// The key published in <c>local.settings.sample.json</c> (and therefore the local host's default): anyone can forge
    /// links and development sign-ins with it. The local host warns when it runs on it; the Functions app refuses to start on
    /// it outside Development (<see cref="RefuseSampleKeyOutsideDevelopment"/>).
    /// </summary>
    public const string SampleKeyBase64 = "ZGV2LW9ubHktbGluay1zaWduaW5nLWtleS1yZXBsYWNlLWluLWF6dXJlLTMyYg==";

    /// <summary>What the local host prints at start when it runs on the sample key.</summary>
    public const string SampleKeyWarning =
        "WARNING: links and sign-in cookies are signed with the PUBLIC sample key from local.settings.sample.json; anyone can forge them. " +
        "Set Voucher__LinkSigningKey to a secret (e.g. `openssl rand -base64 32`) for anything but local development.";

    readonly byte[] current;
    readonly IReadOnlyList<(string Id, byte[] Bytes)> previous;

    /// <summary>A key ring of <paramref name="current"/> (signs and verifies) and <paramref name="previous"/> keys (verify only).</summary>
    public LinkKey(byte[] current, params IReadOnlyList<byte[]> previous)
    {
        this.current = Checked(current, SettingNames.LinkSigningKey);
        Id = IdOf(current);
        this.previous = previous.Select(p => (IdOf(Checked(p, SettingNames.LinkSigningKeyPrevious)), p)).ToList();
        var ids = this.previous.Select(p => p.Id).Prepend(Id).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            throw new InvalidOperationException($"{SettingNames.LinkSigningKeyPrevious} repeats a key (or the current key): each key must differ.");
        }
    }

    /// <summary>The current key's bytes (signs new links and cookies).</summary>
    public byte[] Bytes => current;

    /// <summary>The current key's id: the first 8 hex digits of the SHA-256 of its bytes.</summary>
    public string Id { get; }

    /// <summary>The ids of the previous keys that still verify.</summary>
    public IReadOnlyList<string> PreviousIds => previous.Select(p => p.Id).ToList();

    /// <summary>True when the current or a previous key is the published sample key.</summary>
    public bool UsesSampleKey
    {
        get
        {
            var sample = Convert.FromBase64String(SampleKeyBase64);
            return CryptographicOperations.FixedTimeEquals(current, sample) || previous.Any(p => CryptographicOperations.FixedTimeEquals(p.Bytes, sample));
        }
    }

    /// <summary>A key's id: the first 8 hex digits (lower case) of the SHA-256 of its bytes.</summary>
    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    /// <summary>True for the shape of a key id (8 lower-case hex digits), before looking it up.</summary>
    public static bool IsKeyIdShape(string? keyId) =>
        keyId is { Length: 8 } && keyId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>True for the shape of a signature: 43 base64url characters (32 bytes, no padding), before checking it.</summary>
    public static bool IsSignatureShape(string? signature) =>
        signature is { Length: 43 } && signature.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The canonical base64url (no padding) of the current key's HMAC-SHA256 of <paramref name="message"/>.</summary>
    public string Sign(string message) => Encode(HMACSHA256.HashData(current, Encoding.UTF8.GetBytes(message)));

    /// <summary>
    /// True when <paramref name="signature"/> is exactly the canonical encoding of the MAC of <paramref name="message"/> under
    /// the key named <paramref name="keyId"/> (current or previous); an unknown id is refused. The strings are compared in
    /// constant time.
    /// </summary>
    public bool Verify(string keyId, string message, string signature)
    {
        var key = keyId == Id ? current : previous.FirstOrDefault(p => p.Id == keyId).Bytes;
        if (key is null)
        {
            return false;
        }

        var expected = Encode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>base64url without padding: the one spelling a signature has.</summary>
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static LinkKey FromConfiguration(IConfiguration configuration)
    {
        var value = VoucherSettings.Read(configuration, SettingNames.LinkSigningKey);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"Setting {SettingNames.LinkSigningKey} is missing.");
        }

        var previous = (VoucherSettings.Read(configuration, SettingNames.LinkSigningKeyPrevious) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Base64(p, SettingNames.LinkSigningKeyPrevious))
            .ToList();
        return new LinkKey(Base64(value, SettingNames.LinkSigningKey), previous);
    }

    /// <summary>
    /// The Functions app's start-up rule: on the published sample key (current or previous) it starts only in Development
    /// (<c>AZURE_FUNCTIONS_ENVIRONMENT</c>, else <c>DOTNET_ENVIRONMENT</c>); anywhere else it throws and the app does not start.
    /// </summary>
    public static void RefuseSampleKeyOutsideDevelopment(IConfiguration configuration)
    {
        var environment = configuration["AZURE_FUNCTIONS_ENVIRONMENT"] is { Length: > 0 } functions ? functions : configuration["DOTNET_ENVIRONMENT"];
        if (string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Only the sample key stops the start here; a missing or malformed key is reported where the key is first used.
        var configured = (VoucherSettings.Read(configuration, SettingNames.LinkSigningKeyPrevious) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Prepend(VoucherSettings.Read(configuration, SettingNames.LinkSigningKey)?.Trim() ?? "");
        var sample = Convert.FromBase64String(SampleKeyBase64);
        if (configured.Any(value => TryBase64(value) is { } bytes && CryptographicOperations.FixedTimeEquals(bytes, sample)))
        {
            throw new InvalidOperationException(
                $"{SettingNames.LinkSigningKey} (or {SettingNames.LinkSigningKeyPrevious}) is the public sample key from local.settings.sample.json; " +
                $"the app refuses to start on it outside Development (environment: '{environment ?? "(not set)"}'). Set a secret key (Key Vault in Azure).");
        }
    }

    static byte[]? TryBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }

    static byte[] Base64(string value, string setting)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Setting {setting} is not base64.");
        }
    }

    static byte[] Checked(byte[] bytes, string setting) =>
        bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"{setting} must be at least 32 bytes (base64).");
}
