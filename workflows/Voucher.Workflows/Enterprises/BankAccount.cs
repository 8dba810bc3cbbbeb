using System.Text.RegularExpressions;

namespace Voucher.Workflows.Enterprises;

/// <summary>
/// The enterprise's bank account for pay-outs (开户银行, 户名, 账号), in the enterprise's own partition of the enterprises
/// table: RowKey <see cref="CurrentRow"/> for the account in force, <see cref="PendingRow"/> for a change the enterprise
/// has entered but not confirmed yet. Personal data: kept in this table only (never in Durable history, logs or audit
/// text, which carry the masked number).
/// </summary>
public sealed class BankAccountEntity : TableRow
{
    public const string CurrentRow = "bank";

    public const string PendingRow = "bank-pending";

    public string Uscc => PartitionKey;

    public string BankName { get; set; } = "";

    public string AccountName { get; set; } = "";

    /// <summary>Digits only (spaces and hyphens typed are dropped).</summary>
    public string AccountNumber { get; set; } = "";

    /// <summary>Why the account holder's name differs from the enterprise's registered name; empty when it does not.</summary>
    public string NameNote { get; set; } = "";

    public DateTimeOffset EnteredAt { get; set; }

    public string EnteredBy { get; set; } = "";

    /// <summary>When a change was confirmed and took force (null for the first account, which needs no confirmation).</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
}

/// <summary>A bank account as entered (page form or API body).</summary>
public sealed record BankAccountRequest(string? BankName, string? AccountName, string? AccountNumber, string? NameNote);

/// <summary>The bank account rules, in one place: the fields' checks and the mask shown to everyone but the enterprise and the finance bureau.</summary>
public static partial class BankAccounts
{
    public const int MinDigits = 8;
    public const int MaxDigits = 32;
    public const int MaxBankNameLength = 60;
    public const int MaxAccountNameLength = 100;
    public const int MaxNoteLength = 200;

    /// <summary>The account number without the spaces and hyphens people type between groups.</summary>
    public static string Normalize(string? number) => SeparatorPattern().Replace(number ?? "", "");

    /// <summary>
    /// The request's errors (field and rule) against the enterprise's registered name; the normalized account when none:
    /// bank name required; account digits only, <see cref="MinDigits"/>–<see cref="MaxDigits"/>; the holder's name the
    /// registered name, or a note saying why not.
    /// </summary>
    public static (BankAccountEntity? Account, List<FieldError> Errors) Validate(BankAccountRequest request, string registeredName)
    {
        var errors = new List<FieldError>();
        var bank = Http.JsonBody.Required(request.BankName, "bankName", MaxBankNameLength, errors);
        var name = Http.JsonBody.Required(request.AccountName, "accountName", MaxAccountNameLength, errors);
        var number = Normalize(request.AccountNumber);
        if (number.Length == 0)
        {
            errors.Add(new FieldError("accountNumber", "必填 (Required)"));
        }
        else if (!DigitsPattern().IsMatch(number))
        {
            errors.Add(new FieldError("accountNumber", $"账号只能是 {MinDigits}–{MaxDigits} 位数字 (Digits only, {MinDigits} to {MaxDigits})"));
        }

        var note = request.NameNote?.Trim() ?? "";
        if (note.Length > MaxNoteLength)
        {
            errors.Add(new FieldError("nameNote", $"不能超过 {MaxNoteLength} 个字符 (At most {MaxNoteLength} characters)"));
        }
        else if (name is not null && !string.Equals(name, registeredName.Trim(), StringComparison.Ordinal) && note.Length == 0)
        {
            errors.Add(new FieldError("nameNote", "户名与企业登记名称不一致，请说明原因 (The holder differs from the registered name: explain why)"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new BankAccountEntity
        {
            BankName = bank!,
            AccountName = name!,
            AccountNumber = number,
            NameNote = string.Equals(name, registeredName.Trim(), StringComparison.Ordinal) ? "" : note,
        }, errors);
    }

    /// <summary>
    /// The number as shown to everyone but the enterprise and its city's finance bureau: the first and last four digits
    /// with the middle hidden (<c>6222 **** **** 1234</c>); a short account shows only its last four.
    /// </summary>
    public static string Mask(string? number)
    {
        var digits = Normalize(number);
        if (digits.Length == 0)
        {
            return "";
        }

        return digits.Length <= 12 ? $"**** {digits[^Math.Min(4, digits.Length)..]}" : $"{digits[..4]} **** **** {digits[^4..]}";
    }

    /// <summary>The full number in groups of four, as a person reads it off a bank card.</summary>
    public static string Grouped(string? number) =>
        string.Join(' ', Normalize(number).Chunk(4).Select(c => new string(c)));

    /// <summary>True when the two accounts pay the same place (bank, holder and number).</summary>
    public static bool SameAs(BankAccountEntity a, BankAccountEntity b) =>
        a.AccountNumber == b.AccountNumber && a.AccountName == b.AccountName && a.BankName == b.BankName && a.NameNote == b.NameNote;

    /// <summary>The account for an audit entry or a message: bank, holder and the masked number.</summary>
    public static string Describe(BankAccountEntity a) => $"{a.BankName} {a.AccountName} {Mask(a.AccountNumber)}";

    [GeneratedRegex(@"[\s\-]")]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex("^[0-9]{8,32}$")]
    private static partial Regex DigitsPattern();
}
