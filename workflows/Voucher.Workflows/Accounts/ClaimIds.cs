using System.Security.Cryptography;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// Ids derived from who and what, so the same claim or the same person always lands on the same row: a claim id from
/// the person's subject and the enterprise's USCC, and the person's 账号编号 (ten digits) from the subject alone.
/// </summary>
public static class ClaimIds
{
    public static string Of(string subject, string uscc) => Of(PartyKind.Enterprise, subject, uscc);

    /// <summary>The claim of one person on one party (an enterprise by USCC, an institution by its code).</summary>
    public static string Of(PartyKind kind, string subject, string code) =>
        "c" + Hex($"{(kind == PartyKind.Institution ? "institution" : "enterprise")}|{subject}|{code}")[..24];

    /// <summary>The short number a person gives an enterprise's administrator to be added (<c>1234567890</c>).</summary>
    public static string AccountNumber(string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("account|" + subject));
        var value = BitConverter.ToUInt64(hash, 0) % 10_000_000_000UL;
        return value.ToString("D10", CultureInfo.InvariantCulture);
    }

    /// <summary>A typed 账号编号 as digits (spaces and dashes dropped), or null when it is not ten digits.</summary>
    public static string? ParseAccountNumber(string? typed)
    {
        var digits = new string((typed ?? "").Where(c => c is not (' ' or '-' or '\u3000')).ToArray());
        return digits.Length == 10 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a claim id (anything else is answered as a missing claim without a lookup).</summary>
    public static bool IsClaimId(string? id) => id is { Length: 25 } && id[0] == 'c' && id.Skip(1).All(char.IsAsciiHexDigitLower);

    static string Hex(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
