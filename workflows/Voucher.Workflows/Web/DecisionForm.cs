using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Web;

/// <summary>
/// The one-shot decision form of the signed-link pages (review, binding): two choices, a reason required for the
/// negative one, errors next to the fields, the typed reason and the chosen option kept, a confirm before posting.
/// Shown by the <c>DecisionPanel</c> component.
/// </summary>
public sealed record DecisionForm(
    string Heading,
    string Legend,
    (string Value, string Label) Positive,
    (string Value, string Label) Negative,
    string ChooseMessage,
    string ReasonLabel,
    string ReasonRequiredMessage,
    string ConfirmMessage,
    string SubmitLabel)
{
    /// <summary>Transitional (use the DecisionPanel component): renders the form; <paramref name="errorField"/> is "decision", "reason", "reason-length" or null.</summary>
    public string Render(string? errorField, string? choice, string? reason)
    {
        var decisionError = errorField == "decision" ? $"<p class=\"error\" id=\"decision-error\" role=\"alert\">{E(ChooseMessage)}</p>" : "";
        var reasonError = errorField switch
        {
            "reason" => $"<p class=\"error\" id=\"reason-error\" role=\"alert\">{E(ReasonRequiredMessage)}</p>",
            "reason-length" => "<p class=\"error\" id=\"reason-error\" role=\"alert\">理由不能超过 500 字 (At most 500 characters)</p>",
            _ => "",
        };
        var reasonAria = reasonError.Length > 0 ? " aria-invalid=\"true\" aria-describedby=\"reason-error\"" : "";
        string Option((string Value, string Label) o) =>
            $"<label><input type=\"radio\" name=\"decision\" value=\"{Attr(o.Value)}\" style=\"width:auto\"{(choice == o.Value ? " checked" : "")}> {E(o.Label)}</label>";
        return $"""
            <section class="card">
            <h2>{E(Heading)}</h2>
            <form method="post" onsubmit="return confirm('{Attr(ConfirmMessage)}');">
            <fieldset><legend>{E(Legend)}</legend>
            {decisionError}
            {Option(Positive)}
            {Option(Negative)}
            </fieldset>
            <label for="reason">{E(ReasonLabel)}</label>
            {reasonError}
            <textarea id="reason" name="reason" rows="3" maxlength="500"{reasonAria}>{E(reason)}</textarea>
            <div><button type="submit">{E(SubmitLabel)}</button></div>
            </form>
            </section>
            """;
    }
}
