using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Http;

/// <summary>
/// The security headers of every response the route table or the hosts' fallback writes, set in one place
/// (<see cref="HttpDispatcher"/> calls <see cref="Apply"/> before anything runs, so refusals and errors carry them too).
/// What depends on the kind of response is decided when it starts, from its content type:
/// <list type="bullet">
/// <item>pages (<c>text/html</c>): the strict <see cref="PageContentSecurityPolicy"/> — the portal loads only its own
/// stylesheet and script from <c>/static/</c>, charts are inline SVG with presentation attributes (no style attribute,
/// no script), and no page frames or embeds anything;</item>
/// <item>JSON and ProblemDetails: <see cref="ApiContentSecurityPolicy"/> (nothing may load, nothing may frame it);</item>
/// <item>files (evidence, CSS, JS): no policy of their own (a PDF opened in the browser's viewer must not be blocked
/// by one), only the headers every response has.</item>
/// </list>
/// Every response: <c>X-Content-Type-Options: nosniff</c>, <c>X-Frame-Options: DENY</c>, <see cref="ReferrerPolicy"/>,
/// <see cref="PermissionsPolicy"/>; <c>Strict-Transport-Security</c> only when the request came over HTTPS or the public
/// base URL is HTTPS (Azure, where TLS ends at the front end), never on the plain-HTTP local host.
/// </summary>
public sealed partial class SecurityHeaders(VoucherSettings settings)
{
    public const string PageContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// Signed review and binding links carry their token in the path: the address of a page is never sent to another
    /// site. Same-origin requests keep it, so a form post's <c>Origin</c> stays a real origin (not "null").
    /// </summary>
    public const string ReferrerPolicy = "same-origin";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    readonly bool publicHttps = settings.PublicBaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Sets the headers every response has and, when the response starts, those that depend on its kind.</summary>
    public void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        if (http.Request.IsHttps || publicHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        http.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (PolicyFor(response.ContentType) is { } policy && !response.Headers.ContainsKey("Content-Security-Policy"))
            {
                response.Headers.ContentSecurityPolicy = policy;
            }

            return Task.CompletedTask;
        }, http.Response);
    }

    /// <summary>The Content-Security-Policy for a response of this content type, or null for files.</summary>
    public static string? PolicyFor(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        if (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return PageContentSecurityPolicy;
        }

        return mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType.Length == 0 ? ApiContentSecurityPolicy : null;
    }

    /// <summary>
    /// A file (never a page) that one of this site's own pages shows in a frame — an evidence file on the batch item
    /// page, a claim's document on its review page: this site may frame it, no other may.
    /// </summary>
    public static void FramedBySiteOnly(HttpResponse response)
    {
        response.Headers.XFrameOptions = SiteFrameOptions;
        response.Headers.ContentSecurityPolicy = SiteFrameAncestors;
    }

    public const string SiteFrameOptions = "SAMEORIGIN";

    public const string SiteFrameAncestors = "frame-ancestors 'self'";
}
