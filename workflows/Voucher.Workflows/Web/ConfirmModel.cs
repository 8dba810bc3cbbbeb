namespace Voucher.Workflows.Web;

/// <summary>
/// A confirmation before an action that cannot be undone, as a page of its own so it works without a script: what will
/// happen (the facts: count, amount, who is told), the post that does it with the same fields plus
/// <c>confirmed=yes</c>, and the way back. A handler answers its form's first post with this page
/// (<see cref="IsConfirmed"/> false) and acts on the second.
/// </summary>
public sealed record ConfirmModel(string Question, IReadOnlyList<(string Label, string Value)> Facts, string Action, IReadOnlyList<(string Name, string Value)> Fields, string ConfirmText, string CancelHref, bool Danger = false)
{
    public const string ConfirmedField = "confirmed";

    public static bool IsConfirmed(IFormCollection form) => form[ConfirmedField] == "yes";

    /// <summary>The form's own fields (except the confirmation), to carry them to the confirming post.</summary>
    public static IReadOnlyList<(string Name, string Value)> Carry(IFormCollection form) =>
        [.. form.Where(f => f.Key != ConfirmedField).SelectMany(f => f.Value.Select(v => (f.Key, v ?? "")))];
}
