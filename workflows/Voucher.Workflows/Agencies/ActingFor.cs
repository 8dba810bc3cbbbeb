namespace Voucher.Workflows.Agencies;

/// <summary>
/// How an agency names the party it acts for: the <c>X-Acting-For</c> header (API) or the cookie the agency's
/// portal page sets when it picks a party (pages and their forms). Either only names the party; the dispatcher
/// checks the delegation on every request.
/// </summary>
public static class ActingFor
{
    public const string HeaderName = "X-Acting-For";
    public const string CookieName = "voucher_acting_for";

    public static string? Read(HttpRequest request)
    {
        var value = request.Headers[HeaderName].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            value = request.Cookies[CookieName] ?? "";
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        return Domain.Uscc.TryValidate(value.ToUpperInvariant(), out var uscc, out _) ? uscc : value;
    }
}

/// <summary>The actor text of an action an agency took for a party, and its reading back.</summary>
public static class AgencyActor
{
    const string Marker = " via agency:";

    public static string Format(string partyAddress, string agencyId) => partyAddress + Marker + agencyId;

    public static (string Party, string? Agency) Parse(string actor)
    {
        var at = actor.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? (actor, null) : (actor[..at], actor[(at + Marker.Length)..]);
    }
}

/// <summary>
/// The delegation the current request runs under, set by the dispatcher around the handler, so that audit records
/// written during the request name the agency even where a handler passes only the party as actor.
/// </summary>
public sealed record ActingContext(string AgencyId, string PartyAddress, string DelegationId)
{
    static readonly AsyncLocal<ActingContext?> Ambient = new();

    public static ActingContext? Current => Ambient.Value;

    public static IDisposable Enter(ActingContext context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Restore(previous);
    }

    sealed class Restore(ActingContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
