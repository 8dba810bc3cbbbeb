using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Http;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Security;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The Functions app reads principals with <see cref="AppServiceAuthPrincipalSource"/>: it trusts the platform's
/// header only when the deployment configured a sign-in (<see cref="SettingNames.SignInProvider"/>, written by Bicep
/// with authsettingsV2), never when the platform says authentication is off, and never the local host's cookie.
/// </summary>
public sealed class ProductionSignInTests
{
    static readonly VoucherPrincipal Bureau = new("user-1", "太原市科技局审核员", Role.CityBureau, "taiyuan");

    static readonly SignedInIdentity DevPerson = new("dev:0123456789abcdef", "王芳", null);

    static AppServiceAuthPrincipalSource Production(string? signInProvider, string? websiteAuthEnabled = null)
    {
        var values = new Dictionary<string, string?>();
        if (signInProvider is not null)
        {
            values[SettingNames.SignInProvider] = signInProvider;
        }

        if (websiteAuthEnabled is not null)
        {
            values[AppServiceAuthPrincipalSource.PlatformAuthSetting] = websiteAuthEnabled;
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
        http.Request.Headers.Cookie = $"{DevelopmentPrincipalSource.CookieName}={dev.CreateCookieValue(DevPerson)}";
        return (http.Request, dev);
    }

    static string Header() => ClientPrincipal.From(Bureau, "aad").Encode();

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", null)]
    // The platform's own flag alone does not open the door: the deployment must have configured a sign-in.
    [InlineData(null, "true")]
    [InlineData("", "True")]
    public void PlatformHeader_WithoutAConfiguredSignIn_IsIgnored(string? signInProvider, string? websiteAuthEnabled)
    {
        var source = Production(signInProvider, websiteAuthEnabled);
        Assert.False(source.TrustsPrincipalHeader);
        Assert.Null(source.SignInProvider);
        Assert.Null(source.Read(RequestWithHeader(Header())));
    }

    [Theory]
    // Flex Consumption: no reference says the platform injects WEBSITE_AUTH_ENABLED, so its absence must not
    // make sign-in silently fail.
    [InlineData("aad", null)]
    [InlineData("aad", "true")]
    [InlineData("oidc", "True")]
    public void PlatformHeader_WithAConfiguredSignIn_IsAccepted(string signInProvider, string? websiteAuthEnabled)
    {
        var source = Production(signInProvider, websiteAuthEnabled);
        Assert.True(source.TrustsPrincipalHeader);
        Assert.Equal(signInProvider, source.SignInProvider);
        var identity = source.Read(RequestWithHeader(Header()));
        Assert.NotNull(identity);
        Assert.Equal(("user-1", "太原市科技局审核员"), (identity.Subject, identity.Name));
        // An Entra ID token's app role is carried for the one-time grant of a membership (infra/README.md).
        Assert.Equal([(Role.CityBureau, (string?)"taiyuan")], identity.ClaimedRoles);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    public void PlatformHeader_WhenThePlatformSaysAuthenticationIsOff_IsIgnored_EvenWithASignInConfigured(string websiteAuthEnabled)
    {
        // Authentication switched off by hand after the deployment: the app setting stayed, the platform no longer
        // strips a client's own header, so the header could be forged.
        var source = Production("aad", websiteAuthEnabled);
        Assert.False(source.TrustsPrincipalHeader);
        Assert.Null(source.Read(RequestWithHeader(Header())));
    }

    [Fact]
    public void SignInProvider_IsReadFromTheSettingNameBicepWrites_InBothConfigurationForms()
    {
        // App settings reach configuration as Voucher__SignInProvider (environment) and Voucher:SignInProvider (JSON).
        var colon = new AppServiceAuthPrincipalSource(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:SignInProvider"] = "aad" }).Build());
        Assert.Equal("aad", colon.SignInProvider);
        Assert.Equal("Voucher__SignInProvider", SettingNames.SignInProvider);
        Assert.Contains(SettingNames.SignInProvider, SettingNames.All);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("aad")]
    public void DevelopmentCookie_IsNotAPrincipalInProduction(string? signInProvider)
    {
        var (request, dev) = RequestWithDevCookie();
        // The local host reads it (the cookie is genuine) ...
        Assert.Equal(("dev:0123456789abcdef", "王芳"), (dev.Read(request)?.Subject, dev.Read(request)?.Name));
        // ... the Functions app does not.
        Assert.Null(Production(signInProvider).Read(request));
    }

    [Fact]
    public void Production_DoesNotAllowDevelopmentSignIn()
    {
        Assert.False(Production(null).AllowsDevelopmentSignIn);
        Assert.False(Production("aad").AllowsDevelopmentSignIn);
    }

    /// <summary>The sign-in pages as the Functions app composes them: the shared registrations plus the App Service principal source.</summary>
    static AuthPages ProductionAuthPages()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.SignInProvider] = "aad",
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
