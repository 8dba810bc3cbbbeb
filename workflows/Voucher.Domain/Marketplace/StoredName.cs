using System.Reflection;
using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>
/// The text a marketplace status is stored and shown under: the lowercase name its member declares with
/// <see cref="JsonStringEnumMemberNameAttribute"/> ("pending", "published", "open"…), the text the rows held before the
/// statuses were typed. Azure.Data.Tables parses enum names case-sensitively, so the entities keep this text in the
/// column and read it back here; the API writes the same names through the enums' JSON converters.
/// </summary>
public static class StoredName<T>
    where T : struct, Enum
{
    static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(
        v => v,
        v => typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString());

    static readonly Dictionary<string, T> Values = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static string Of(T value) => Names[value];

    /// <summary>The status a stored text names; false for text no member declares.</summary>
    public static bool TryParse(string? text, out T value) => Values.TryGetValue(text ?? "", out value);

    /// <summary>
    /// The status a stored text names; <paramref name="whenEmpty"/> for an empty column (a row written before the status
    /// existed). Text no member declares is a corrupt row: <see cref="FormatException"/>.
    /// </summary>
    public static T Parse(string? text, T whenEmpty) =>
        string.IsNullOrEmpty(text) ? whenEmpty
        : Values.TryGetValue(text, out var value) ? value
        : throw new FormatException($"'{text}' is not a stored {typeof(T).Name}");
}
