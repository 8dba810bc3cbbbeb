using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using Voucher.Domain;
using Voucher.Functions;
using Voucher.Functions.Http;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

namespace Voucher.Contract.Tests;

/// <summary>
/// The Functions app's composition root (<see cref="FunctionsComposition"/>, what <c>Program.cs</c> runs), built as a
/// host over the contract site's Azurite without running it: every function class (the generated HTTP functions,
/// timers, activities), every activity of <see cref="WorkflowCatalog"/> and every route handler resolve from it, and
/// HTTP functions invoked directly with an ASP.NET Core request and a test Durable client answer as the local host
/// does for the same request. A registration missing from the composition fails here, not first in Azure.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class FunctionsCompositionTests(ContractSite site, ITestOutputHelper output) : IDisposable
{
    const string Enterprise = "91140100MA0DEM001U";
    static readonly Assembly FunctionsAssembly = typeof(FunctionsComposition).Assembly;

    readonly Lazy<IHost> _host = new(() => BuildFunctionsHost(site));

    IServiceProvider Services => _host.Value.Services;

    [Fact]
    public void EveryFunctionClass_ResolvesFromTheComposition()
    {
        using var scope = Services.CreateScope();
        var classes = FunctionsAssembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();
        Assert.Contains(typeof(HttpFunctions), classes);
        Assert.True(classes.Count >= 5, $"{classes.Count} function classes");

        foreach (var type in classes.Where(t => !(t.IsAbstract && t.IsSealed)))
        {
            // As the worker's DefaultFunctionActivator does: the constructor's parameters from the invocation's services.
            var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
            Assert.IsType(type, instance);
        }

        output.WriteLine($"{classes.Count} function classes: {string.Join(", ", classes.Select(c => c.Name))}");
    }

    [Fact]
    public void EveryOrchestratorAndActivityOfTheCatalog_HasItsFunction_AndEveryActivityResolves()
    {
        var functions = FunctionsAssembly.GetTypes().SelectMany(t => t.GetMethods())
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(f => f.Attribute is not null)
            .ToDictionary(f => f.Attribute!.Name, f => f.Method);

        foreach (var orchestrator in WorkflowCatalog.Orchestrators)
        {
            Assert.True(functions.TryGetValue(orchestrator.Name, out var method), $"no function {orchestrator.Name}");
            Assert.Contains(method!.GetParameters(), p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null);
            Assert.NotNull(Activator.CreateInstance(orchestrator.OrchestratorType));
        }

        using var scope = Services.CreateScope();
        foreach (var activity in WorkflowCatalog.Activities)
        {
            Assert.True(functions.TryGetValue(activity.Name, out var method), $"no function {activity.Name}");
            Assert.Contains(method!.GetParameters(), p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
            Assert.IsType(activity.ActivityType, scope.ServiceProvider.GetRequiredService(activity.ActivityType));
        }

        output.WriteLine($"{WorkflowCatalog.Orchestrators.Count} orchestrators, {WorkflowCatalog.Activities.Count} activities");
    }

    [Fact]
    public void EveryRouteHandlerOfTheFunctionsApp_Resolves()
    {
        using var scope = Services.CreateScope();
        var handlers = VoucherRoutes.All.Where(r => !r.LocalOnly && r.HandlerType is not null).Select(r => r.HandlerType!).Distinct().ToList();
        Assert.True(handlers.Count >= 40, $"{handlers.Count} handler types");
        foreach (var type in handlers)
        {
            Assert.IsType(type, scope.ServiceProvider.GetRequiredService(type));
        }

        Assert.IsType<AppServiceAuthPrincipalSource>(scope.ServiceProvider.GetRequiredService<IPrincipalSource>());
        // Every hosted service constructs (the worker's own, the start-up initializer among them).
        Assert.Contains(Services.GetServices<IHostedService>(), s => s is StartupInitializer);
        // Every instance polls the membership change feed for its own cache.
        Assert.Contains(Services.GetServices<IHostedService>(), s => s is Voucher.Workflows.Accounts.MembershipFeedService);
        output.WriteLine($"{handlers.Count} route handler types");
    }

    [Theory]
    [InlineData("Health", "GET", "/healthz")]
    [InlineData("OpenApi", "GET", "/api/openapi.json")]
    [InlineData("SearchServices", "GET", "/api/services?q=%E6%A3%80%E6%B5%8B&sort=price")]
    [InlineData("GetService", "GET", "/api/services/inst-sxu/svc-icp-ms")]
    [InlineData("GetInstitution", "GET", "/api/institutions/inst-none")]
    [InlineData("GetCalendarYear", "GET", "/api/calendar/1999")]
    [InlineData("GetPayables", "GET", "/api/payables")]
    public async Task AnonymousRequests_AnswerAsTheLocalHost(string function, string method, string pathAndQuery)
    {
        var functions = await InvokeAsync(function, method, pathAndQuery);
        var local = await LocalAsync(method, pathAndQuery);

        AssertSame(local, functions, pathAndQuery);
    }

    [Fact]
    public async Task SignedInBadInput_AnswersTheSameProblemAsTheLocalHost()
    {
        const string body = """{ "uscc": "91140100MA0DEM001U", "status": "Approved" }""";
        var principal = new VoucherPrincipal("user-ent", "王芳", Role.Enterprise, Enterprise);
        var functions = await InvokeAsync("SubmitApplication", "POST", "/api/applications", body, "application/json",
            (ClientPrincipal.HeaderName, ClientPrincipal.From(principal, "aad").Encode()));
        var local = await LocalAsync("POST", "/api/applications", body, "application/json", signIn: ("enterprise", Enterprise, "王芳"));

        Assert.Equal(400, functions.Status);
        Assert.Contains("status", functions.Body, StringComparison.Ordinal);
        AssertSame(local, functions, "POST /api/applications (unknown field)");
    }

    [Fact]
    public async Task PublicPage_RendersTheSameMainContentAsTheLocalHost()
    {
        var functions = await InvokeAsync("Guide", "GET", "/guide");
        var local = await LocalAsync("GET", "/guide");

        Assert.Equal(local.Status, functions.Status);
        Assert.Equal(local.ContentType, functions.ContentType);
        // The header differs by design (the local host offers its development sign-in); the page itself does not.
        Assert.Equal(MainOf(local.Body), MainOf(functions.Body));
        Assert.Contains("办事指南", MainOf(functions.Body), StringComparison.Ordinal);
    }

    static string MainOf(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        var end = html.IndexOf("</main>", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "no <main> in the page");
        return html[start..end];
    }

    void AssertSame(Answer local, Answer functions, string what)
    {
        output.WriteLine($"{what}: local {local.Status} {local.ContentType}, Functions {functions.Status} {functions.ContentType}, {functions.Body.Length} characters");
        Assert.Equal(local.Status, functions.Status);
        Assert.Equal(local.ContentType, functions.ContentType);
        Assert.Equal(Normalize(local.Body, local.ContentType), Normalize(functions.Body, functions.ContentType));
    }

    static string Normalize(string body, string? contentType)
    {
        if (contentType?.Contains("json", StringComparison.Ordinal) != true)
        {
            return body;
        }

        // A problem's traceId names the request; everything else must be the same.
        var node = System.Text.Json.Nodes.JsonNode.Parse(body);
        (node as System.Text.Json.Nodes.JsonObject)?.Remove("traceId");
        return node?.ToJsonString() ?? "";
    }

    async Task<Answer> InvokeAsync(string function, string method, string pathAndQuery, string? body = null, string? contentType = null, params (string Name, string Value)[] headers)
    {
        using var scope = Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        http.Request.Method = method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1");
        http.Request.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        http.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = contentType;
        }

        var responseBody = new MemoryStream();
        http.Response.Body = responseBody;

        // The generated function of the route, called as the worker calls it: the request and a Durable client.
        var functions = ActivatorUtilities.CreateInstance<HttpFunctions>(scope.ServiceProvider);
        var durable = new Mock<DurableTaskClient>(MockBehavior.Strict, "test").Object;
        var entry = typeof(HttpFunctions).GetMethod(function) ?? throw new InvalidOperationException($"HttpFunctions has no function {function}");
        var result = await (Task<IActionResult>)entry.Invoke(functions, [http.Request, durable])!;
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        return new Answer(http.Response.StatusCode, http.Response.ContentType, Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    async Task<Answer> LocalAsync(string method, string pathAndQuery, string? body = null, string? contentType = null, (string Role, string Scope, string Name)? signIn = null)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = site.Host.BaseAddress };
        if (signIn is { } who)
        {
            using var signedIn = await client.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = who.Role, ["scope"] = who.Scope, ["name"] = who.Name }));
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await client.SendAsync(request);
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_Functions_app_does_not_compose_on_the_public_sample_link_key_outside_Development()
    {
        foreach (var environment in new[] { "Production", "Staging" })
        {
            var builder = FunctionsApplication.CreateBuilder([]);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Voucher:LinkSigningKey"] = LinkKey.SampleKeyBase64,
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
                ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9",
            });
            var refused = Assert.Throws<InvalidOperationException>(() => builder.AddVoucherFunctions());
            Assert.Contains("sample key", refused.Message, StringComparison.Ordinal);
        }

        // In Development the sample key is allowed (the composition goes on).
        var development = FunctionsApplication.CreateBuilder([]);
        development.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voucher:LinkSigningKey"] = LinkKey.SampleKeyBase64,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9",
        });
        development.AddVoucherFunctions();
    }

    /// <summary>The Functions app's host as <c>Program.cs</c> composes it, over the contract site's storage; never run.</summary>
    static IHost BuildFunctionsHost(ContractSite site)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var settings = site.Settings.Environment(site.Azurite.ConnectionString, site.TaskHub, site.Host.BaseAddress.Port)
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);
        // What a deployment with sign-in has: the setting Bicep writes with authsettingsV2, and the platform's own flag.
        settings[Voucher.Workflows.Configuration.SettingNames.SignInProvider.Replace("__", ":", StringComparison.Ordinal)] = "aad";
        settings[AppServiceAuthPrincipalSource.PlatformAuthSetting] = "true";
        // What the Functions host passes its worker; the worker's gRPC client is built but never connected here.
        settings["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVoucherFunctions();
        return builder.Build();
    }

    public void Dispose()
    {
        if (_host.IsValueCreated)
        {
            _host.Value.Dispose();
        }
    }

    sealed record Answer(int Status, string? ContentType, string Body);
}
