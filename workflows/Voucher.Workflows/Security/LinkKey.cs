using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Security;

/// <summary>The HMAC key that signs callback links and development sign-in cookies.</summary>
public sealed class LinkKey
{
    public LinkKey(byte[] bytes)
    {
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"{SettingNames.LinkSigningKey} must be at least 32 bytes (base64).");
        }

        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public static LinkKey FromConfiguration(IConfiguration configuration)
    {
        var value = VoucherSettings.Read(configuration, SettingNames.LinkSigningKey);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"Setting {SettingNames.LinkSigningKey} is missing.");
        }

        try
        {
            return new LinkKey(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Setting {SettingNames.LinkSigningKey} is not base64.");
        }
    }
}
