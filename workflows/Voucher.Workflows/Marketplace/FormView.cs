using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// Renders form fields with what the person typed and the error next to the field it concerns (aria-invalid,
/// aria-describedby), so a failed post loses nothing. <paramref name="prefix"/> keeps ids unique when a page has
/// several forms.
/// </summary>
public sealed class FormView(IReadOnlyDictionary<string, string?> values, IReadOnlyList<FieldError> errors, string prefix = "")
{
    public static FormView Empty { get; } = new(new Dictionary<string, string?>(), []);

    public string? Value(string name) => values.TryGetValue(name, out var v) ? v : null;

    string Id(string name) => prefix + name;

    public string Error(string name) =>
        string.Concat(errors.Where(e => e.Field == name).Select(e => $"<p class=\"error\" id=\"{Id(name)}-error\" role=\"alert\">{E(e.Message)}</p>"));

    string Invalid(string name) => errors.Any(e => e.Field == name) ? $" aria-invalid=\"true\" aria-describedby=\"{Id(name)}-error\"" : "";

    public string Input(string name, string label, string attributes = "") =>
        $"<label for=\"{Id(name)}\">{E(label)}</label>{Error(name)}<input id=\"{Id(name)}\" name=\"{name}\" value=\"{Attr(Value(name))}\"{Invalid(name)} {attributes}>";

    public string TextArea(string name, string label, int maxLength, string attributes = "") =>
        $"<label for=\"{Id(name)}\">{E(label)}</label>{Error(name)}<textarea id=\"{Id(name)}\" name=\"{name}\" rows=\"3\" maxlength=\"{maxLength}\"{Invalid(name)} {attributes}>{E(Value(name))}</textarea>";

    public string Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? emptyText = null)
    {
        var sb = new StringBuilder($"<label for=\"{Id(name)}\">{E(label)}</label>{Error(name)}<select id=\"{Id(name)}\" name=\"{name}\"{Invalid(name)}>");
        if (emptyText is not null)
        {
            sb.Append($"<option value=\"\">{E(emptyText)}</option>");
        }

        foreach (var (value, text) in options)
        {
            sb.Append($"<option value=\"{Attr(value)}\"{(Value(name) == value ? " selected" : "")}>{E(text)}</option>");
        }

        return sb.Append("</select>").ToString();
    }

    /// <summary>
    /// The messages of a failed act by field, to show each next to its input; a failure that names no field is shown
    /// next to <paramref name="field"/>, the field the form is about.
    /// </summary>
    public static IReadOnlyList<FieldError> ErrorsOf(Failure failure, string field) =>
        [.. Problems.FieldMessages(failure).SelectMany(kv => kv.Value.Select(m => new FieldError(kv.Key.Length == 0 ? field : kv.Key, m)))];

    /// <summary>The HTTP status a page answers a failed act with (the status the API's ProblemDetails carries).</summary>
    public static int StatusOf(Failure failure) => failure switch
    {
        Failure.Invalid => StatusCodes.Status400BadRequest,
        Failure.NotFound => StatusCodes.Status404NotFound,
        Failure.Forbidden => StatusCodes.Status403Forbidden,
        Failure.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static IEnumerable<(string, string)> CityOptions => Cities.All.Select(c => (c.Code, $"{c.NameZh} {c.NameEn}"));

    /// <summary>The service categories, those the province policy does not let vouchers pay for marked as such.</summary>
    public static IEnumerable<(string, string)> CategoryOptions(IReadOnlySet<string> eligible) =>
        Domain.Catalogue.ServiceCategories.All.Select(c => (c.Code, $"{c.NameZh} {c.NameEn}{(eligible.Contains(c.Code) ? "" : "（不可用券 not eligible）")}"));

    public static IEnumerable<(string, string)> TypeOptions => Domain.Catalogue.InstitutionTypes.All.Select(t => (t.Code, $"{t.NameZh} {t.NameEn}"));
}
