namespace Voucher.Workflows.Settlement;

/// <summary>
/// A city's objection as the bureau's work list reads it: table PublicityIndex, PartitionKey <c>objections-{city}</c>,
/// RowKey = the objection's key (filed order). Written with the objection and again by every resolution (the tail that
/// runs again heals a missed write). No contact: the objector's contact stays on the objection row.
/// </summary>
public sealed class ObjectionIndexEntity : TableRow
{
    public static string CityPartition(string cityCode) => $"objections-{cityCode}";

    public string RedemptionId { get; set; } = "";

    public string BatchId { get; set; } = "";

    public string ReceiptNo { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string InstitutionName { get; set; } = "";

    public string ServiceTitle { get; set; } = "";

    public long PayoutFen { get; set; }

    public string Grounds { get; set; } = "";

    public DateTimeOffset FiledAt { get; set; }

    /// <summary><see cref="ObjectionStatus"/> by name.</summary>
    public string Status { get; set; } = nameof(ObjectionStatus.Open);

    public string? Resolution { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>
/// A receipt number (受理编号) and the objection it names: table PublicityIndex, PartitionKey <c>receipts</c>, RowKey =
/// the number. The number is random (60 bits), so it cannot be guessed from another one.
/// </summary>
public sealed class ObjectionReceiptEntity : TableRow
{
    public const string Partition = "receipts";

    public string RedemptionId { get; set; } = "";

    public string ObjectionKey { get; set; } = "";
}

/// <summary>Receipt numbers: 12 random characters of an alphabet without look-alikes, shown as <c>XXXX-XXXX-XXXX</c>.</summary>
public static class ReceiptNumbers
{
    const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string New()
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return Format(new string(chars));
    }

    /// <summary>What was typed, upper-cased without spaces or dashes and grouped again; null when it cannot be a receipt number.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null)
        {
            return null;
        }

        var plain = new string([.. typed.Where(c => c is not ('-' or ' ' or '　')).Select(char.ToUpperInvariant)]);
        return plain.Length == 12 && plain.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? Format(plain) : null;
    }

    static string Format(string plain) => $"{plain[..4]}-{plain[4..8]}-{plain[8..]}";
}
