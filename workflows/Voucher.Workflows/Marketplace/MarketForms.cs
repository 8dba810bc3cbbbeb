namespace Voucher.Workflows.Marketplace;

/// <summary>
/// What the marketplace's forms share outside their markup: the messages of a refused act by field, the status a page
/// answers it with, and the options of the city, category and institution-type lists (in Chinese).
/// </summary>
public static class MarketForms
{
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

    public static IReadOnlyList<SelectOption> CityOptions { get; } = [.. Cities.All.Select(c => new SelectOption(c.Code, c.NameZh))];

    /// <summary>The service categories, those the province policy does not let vouchers pay for marked as such.</summary>
    public static IReadOnlyList<SelectOption> CategoryOptions(IReadOnlySet<string> eligible) =>
        [.. Domain.Catalogue.ServiceCategories.All.Select(c => new SelectOption(c.Code, eligible.Contains(c.Code) ? c.NameZh : c.NameZh + "（不可用创新券）"))];

    public static IReadOnlyList<SelectOption> TypeOptions { get; } = [.. Domain.Catalogue.InstitutionTypes.All.Select(t => new SelectOption(t.Code, t.NameZh))];

    /// <summary>The values typed into a form, by field name (what a refused post shows again).</summary>
    public static Dictionary<string, string?> Typed(IFormCollection form, IEnumerable<string> fields) =>
        fields.ToDictionary(k => k, k => (string?)form[k].ToString());
}

/// <summary>One choice of a select list: the value posted and the text shown.</summary>
public sealed record SelectOption(string Value, string Text);

/// <summary>What a form shows: the values typed (or stored), and the messages of a refused post by field.</summary>
public sealed record FormState(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<FieldError> Errors)
{
    public static FormState Empty { get; } = new(new Dictionary<string, string?>(), []);

    public string? this[string name] => Values.TryGetValue(name, out var v) ? v : null;
}
