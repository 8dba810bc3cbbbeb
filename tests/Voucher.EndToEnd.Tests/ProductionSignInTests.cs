using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Http;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Security;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The Functions app reads principals with <see cref="AppServiceAuthPrincipalSource"/>: it trusts the platform's
/// header only when App Service Authentication is on, and never the local host's development cookie.
/// </summary>
public sealed class ProductionSignInTests
{
    static readonly VoucherPrincipal Bureau = new("user-1", "太原市科技局审核员", Role.CityBureau, "taiyuan");

    static AppServiceAuthPrincipalSource Production(string? authEnabled)
    {
        var values = new Dictionary<string, string?>();
        if (authEnabled is not null)
        {
            values[AppServiceAuthPrincipalSource.PlatformAuthSetting] = authEnabled;
        }

        return new AppServiceAuthPrincipalSource(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    static HttpRequest RequestWithHeader(string value)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[ClientPrincipal.HeaderName] = value;
        return http.Request;
    }

    static (HttpRequest Request, DevelopmentPrincipalSource Dev) RequestWithDevCookie()
    {
        var dev = new DevelopmentPrincipalSource(new LinkKey(Convert.FromBase64String(Support.HostSettings.LinkSigningKey)));
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"{DevelopmentPrincipalSource.CookieName}={dev.CreateCookieValue(Bureau)}";
        return (http.Request, dev);
    }

    [Fact]
    public void PlatformHeader_WithAuthenticationSettingUnset_IsIgnored()
    {
        var header = ClientPrincipal.From(Bureau, "aad").Encode();
        Assert.Null(Production(null).Read(RequestWithHeader(header)));
        Assert.Null(Production("false").Read(RequestWithHeader(header)));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void PlatformHeader_WithAuthenticationEnabled_IsAccepted(string setting)
    {
        var principal = Production(setting).Read(RequestWithHeader(ClientPrincipal.From(Bureau, "aad").Encode()));
        Assert.NotNull(principal);
        Assert.Equal(Role.CityBureau, principal.Role);
        Assert.Equal("taiyuan", principal.Scope);
        Assert.Equal("user-1", principal.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("true")]
    public void DevelopmentCookie_IsNotAPrincipalInProduction(string? setting)
    {
        var (request, dev) = RequestWithDevCookie();
        // The local host reads it (the cookie is genuine) ...
        Assert.Equal(Bureau, dev.Read(request));
        // ... the Functions app does not.
        Assert.Null(Production(setting).Read(request));
    }

    [Fact]
    public void Production_DoesNotAllowDevelopmentSignIn()
    {
        Assert.False(Production(null).AllowsDevelopmentSignIn);
        Assert.False(Production("true").AllowsDevelopmentSignIn);
    }

    /// <summary>The sign-in pages as the Functions app composes them: the shared registrations plus the App Service principal source.</summary>
    static AuthPages ProductionAuthPages()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AppServiceAuthPrincipalSource.PlatformAuthSetting] = "true",
            ["Voucher:LinkSigningKey"] = Support.HostSettings.LinkSigningKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVoucherWorkflows(configuration);
        services.AddSingleton<IPrincipalSource>(new AppServiceAuthPrincipalSource(configuration));
        return services.BuildServiceProvider().GetRequiredService<AuthPages>();
    }

    /// <summary>The pages never touch the Durable client; the class needs a name to be mocked.</summary>
    static DurableTaskClient Durable() => new Mock<DurableTaskClient>(MockBehavior.Strict, "unused").Object;

    [Fact]
    public async Task DevSignInPage_InProduction_Answers404AndSetsNoCookie()
    {
        var pages = ProductionAuthPages();
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.ContentType = "application/x-www-form-urlencoded";
        http.Request.Body = new MemoryStream("role=province&scope=&name=x"u8.ToArray());
        var ctx = new RequestContext(http, new RouteValueDictionary(), null, Durable());

        var result = await pages.DevSignInAsync(ctx);
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.False(http.Response.Headers.ContainsKey("Set-Cookie"));

        var form = await pages.DevSignInFormAsync(new RequestContext(new DefaultHttpContext(), new RouteValueDictionary(), null, Durable()));
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(form).StatusCode);
    }
}
