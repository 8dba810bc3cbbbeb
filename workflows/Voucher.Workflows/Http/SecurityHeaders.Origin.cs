namespace Voucher.Workflows.Http;

public sealed partial class SecurityHeaders
{
    /// <summary>
    /// Whether a request that acts (any method but GET, HEAD, OPTIONS; pages, forms and the API alike) comes from this
    /// site, in addition to the SameSite=Lax cookies: its <c>Origin</c> — or, without one, the origin of its
    /// <c>Referer</c> — must be the site's own origin (<see cref="Configuration.VoucherSettings.PublicBaseUrl"/>, or the
    /// host the request was sent to). <c>Origin: null</c> (a sandboxed frame, a privacy redirect) is refused.
    /// <para>
    /// A request carrying neither header is allowed: browsers send <c>Origin</c> on every POST, same-site or cross-site
    /// (and this site's <see cref="ReferrerPolicy"/> never suppresses it for its own forms), so a cross-site forgery —
    /// which needs the victim's browser to carry the victim's cookie — always has one. Requests without either come from
    /// programs (API clients, curl, the tests' HttpClient), which hold their own credentials and are not forged.
    /// </para>
    /// </summary>
    /// <returns>Null when the request may proceed; otherwise why it is refused (for the log).</returns>
    public string? CrossOriginRefusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        string claimed;
        if (request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            claimed = origin;
        }
        else if (request.Headers.Referer.ToString() is { Length: > 0 } referer)
        {
            claimed = referer;
        }
        else
        {
            return null;
        }

        return IsOwnOrigin(claimed, request) ? null : $"cross-origin request from '{Shorten(claimed)}'";
    }

    bool IsOwnOrigin(string claimed, HttpRequest request)
    {
        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        if (Uri.TryCreate(settings.PublicBaseUrl, UriKind.Absolute, out var site) &&
            string.Equals(uri.GetLeftPart(UriPartial.Authority), site.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The host the browser addressed (the local host on another port or name, a custom domain in Azure): the browser
        // wrote both Host and Origin, so an equal authority means the page that posted was served from here.
        var host = request.Host;
        if (!host.HasValue)
        {
            return false;
        }

        var port = host.Port ?? (request.IsHttps ? 443 : 80);
        var schemePort = uri.Scheme == Uri.UriSchemeHttps ? 443 : 80;
        return string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase) && (uri.Port == port || (host.Port is null && uri.Port == schemePort));
    }

    static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
