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
    string SubmitLabel);
