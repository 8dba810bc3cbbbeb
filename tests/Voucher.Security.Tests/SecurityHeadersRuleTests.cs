using Microsoft.AspNetCore.Http;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Http;

namespace Voucher.Security.Tests;

/// <summary>The rules of <see cref="SecurityHeaders"/> without a host: HSTS only for HTTPS, the policy per content type, the origin check.</summary>
public sealed class SecurityHeadersRuleTests
{
    static SecurityHeaders For(string publicBaseUrl) =>
        new(new VoucherSettings { PublicBaseUrl = publicBaseUrl, OutboxSchedule = "*/30 * * * * *", TaskHubName = "unit" });

    static HttpRequest Request(string method, string scheme = "http", string host = "127.0.0.1:7311", string? origin = null, string? referer = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Scheme = scheme;
        http.Request.Host = new HostString(host);
        if (origin is not null)
        {
            http.Request.Headers.Origin = origin;
        }

        if (referer is not null)
        {
            http.Request.Headers.Referer = referer;
        }

        return http.Request;
    }

    [Fact]
    public void Strict_transport_security_only_when_served_over_https()
    {
        var local = Request("GET");
        For("http://127.0.0.1:7311").Apply(local.HttpContext);
        Assert.False(local.HttpContext.Response.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.Equal("nosniff", local.HttpContext.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", local.HttpContext.Response.Headers.XFrameOptions.ToString());

        // Azure: TLS ends at the front end, the worker may see http; the public base URL says the site is HTTPS.
        var azure = Request("GET");
        For("https://voucher.example.cn").Apply(azure.HttpContext);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, azure.HttpContext.Response.Headers.StrictTransportSecurity.ToString());

        var https = Request("GET", scheme: "https");
        For("http://localhost:7071").Apply(https.HttpContext);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, https.HttpContext.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", SecurityHeaders.PageContentSecurityPolicy)]
    [InlineData("application/json; charset=utf-8", SecurityHeaders.ApiContentSecurityPolicy)]
    [InlineData("application/problem+json", SecurityHeaders.ApiContentSecurityPolicy)]
    [InlineData(null, SecurityHeaders.ApiContentSecurityPolicy)]
    [InlineData("application/pdf", null)]
    [InlineData("text/css; charset=utf-8", null)]
    public void Policy_follows_the_kind_of_response(string? contentType, string? policy) =>
        Assert.Equal(policy, SecurityHeaders.PolicyFor(contentType));

    [Fact]
    public void Page_policy_allows_no_inline_code_and_no_framing()
    {
        Assert.DoesNotContain("unsafe", SecurityHeaders.PageContentSecurityPolicy, StringComparison.Ordinal);
        foreach (var directive in new[] { "default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'" })
        {
            Assert.Contains(directive, SecurityHeaders.PageContentSecurityPolicy, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("GET", "https://evil.example", null, true)]
    [InlineData("HEAD", "https://evil.example", null, true)]
    [InlineData("POST", null, null, true)]
    [InlineData("POST", "http://127.0.0.1:7311", null, true)]
    [InlineData("POST", "https://voucher.example.cn", null, true)]
    [InlineData("POST", null, "http://127.0.0.1:7311/portal/redemptions/R-1", true)]
    [InlineData("POST", "https://evil.example", null, false)]
    [InlineData("POST", "null", null, false)]
    [InlineData("POST", "http://127.0.0.1:7312", null, false)]
    [InlineData("POST", "http://127.0.0.1", null, false)]
    [InlineData("POST", "file:///c:/x.html", null, false)]
    [InlineData("DELETE", "https://voucher.example.cn.evil.example", null, false)]
    [InlineData("POST", null, "https://evil.example/page", false)]
    [InlineData("POST", "https://evil.example", "http://127.0.0.1:7311/", false)]
    public void Requests_that_act_must_come_from_this_site(string method, string? origin, string? referer, bool allowed)
    {
        var refusal = For("https://voucher.example.cn").CrossOriginRefusal(Request(method, origin: origin, referer: referer));
        Assert.True(allowed == (refusal is null), $"{method} Origin={origin} Referer={referer}: {refusal ?? "allowed"}");
    }
}
