namespace Voucher.Domain;

/// <summary>The city bureau's decision on one row of a settlement batch.</summary>
public enum RowVerdict
{
    Undecided,
    Approve,
    Reject,
}

/// <summary>
/// The names a row decision is stored and sent under: <c>approve</c>, <c>reject</c>, and the empty text while undecided
/// (the batch item rows and the API's <c>decisions[i].decision</c> have always used them).
/// </summary>
public static class RowVerdicts
{
    public const string Approve = "approve";

    public const string Reject = "reject";

    /// <summary>Reads a name; null or blank is undecided. False for anything else.</summary>
    public static bool TryParse(string? name, out RowVerdict verdict)
    {
        switch (name?.Trim())
        {
            case null or "":
                verdict = RowVerdict.Undecided;
                return true;
            case Approve:
                verdict = RowVerdict.Approve;
                return true;
            case Reject:
                verdict = RowVerdict.Reject;
                return true;
            default:
                verdict = RowVerdict.Undecided;
                return false;
        }
    }

    /// <summary>A stored name as a verdict; anything unknown counts as undecided (it cannot be submitted).</summary>
    public static RowVerdict Parse(string? name) => TryParse(name, out var verdict) ? verdict : RowVerdict.Undecided;

    public static string Name(RowVerdict verdict) => verdict switch
    {
        RowVerdict.Approve => Approve,
        RowVerdict.Reject => Reject,
        _ => "",
    };
}
