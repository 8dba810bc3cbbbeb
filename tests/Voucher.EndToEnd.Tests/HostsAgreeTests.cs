using System.Reflection;
using System.Text.Json;
using Cronos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Voucher.LocalHost.Hosting;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Http;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// Drift between the two hosts: the Functions app (its generated <c>functions.metadata</c>) and the local host
/// (its endpoint table and worker registrations) must expose the same routes, orchestrators and activities as the
/// single sources of truth, <see cref="VoucherRoutes"/> and <see cref="WorkflowCatalog"/>.
/// </summary>
public sealed class HostsAgreeTests
{
    static readonly Lazy<FunctionsMetadata> Metadata = new(FunctionsMetadata.Load);

    [Fact]
    public void FunctionsHttpTriggers_EqualTheNonLocalVoucherRoutes()
    {
        var expected = VoucherRoutes.All.Where(r => !r.LocalOnly)
            .Select(r => (r.Name, Method: r.Method.ToUpperInvariant(), Route: r.Template))
            .ToHashSet();
        var actual = Metadata.Value.HttpTriggers
            .SelectMany(f => f.Methods.Select(m => (f.Name, Method: m.ToUpperInvariant(), f.Route)))
            .ToHashSet();

        AssertSameSets(expected, actual, "VoucherRoutes (not local-only)", $"httpTrigger functions in {Metadata.Value.Path}");
        Assert.All(Metadata.Value.HttpTriggers, f => Assert.Single(f.Methods));
        // Authorisation is the route's own rule in the shared dispatcher; a function key would only break the links.
        Assert.All(Metadata.Value.HttpTriggers, f => Assert.Equal("Anonymous", f.AuthLevel, ignoreCase: true));
    }

    [Fact]
    public void FunctionsDurableTriggers_EqualTheWorkflowCatalog()
    {
        AssertSameSets(
            WorkflowCatalog.Orchestrators.Select(o => o.Name).ToHashSet(),
            Metadata.Value.NamesWithTrigger("orchestrationTrigger").ToHashSet(),
            "WorkflowCatalog.Orchestrators", "orchestrationTrigger functions");
        AssertSameSets(
            WorkflowCatalog.Activities.Select(a => a.Name).ToHashSet(),
            Metadata.Value.NamesWithTrigger("activityTrigger").ToHashSet(),
            "WorkflowCatalog.Activities", "activityTrigger functions");
    }

    [Fact]
    public void FunctionsApp_HasNoLocalOnlyRoute()
    {
        var localOnly = VoucherRoutes.All.Where(r => r.LocalOnly).ToList();
        Assert.NotEmpty(localOnly);
        var names = Metadata.Value.Functions.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var routes = Metadata.Value.HttpTriggers.Select(f => f.Route).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(localOnly, r =>
        {
            Assert.DoesNotContain(r.Name, names);
            Assert.DoesNotContain(r.Template, routes);
        });
        Assert.DoesNotContain(Metadata.Value.HttpTriggers, f => f.Route.StartsWith("dev/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void FunctionsTimerSchedules_NameSettingsOfTheLocalSettingsSample()
    {
        var timers = Metadata.Value.Functions.Where(f => f.TriggerType == "timerTrigger").ToList();
        Assert.NotEmpty(timers);

        var samplePath = Path.Combine(FunctionsMetadata.RepoRoot(), "local.settings.sample.json");
        using var sample = JsonDocument.Parse(File.ReadAllText(samplePath));
        var values = sample.RootElement.GetProperty("Values");
        foreach (var timer in timers)
        {
            var schedule = timer.Schedule ?? "";
            Assert.True(schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%',
                $"timer function {timer.Name} has schedule '{schedule}': it should name a setting (%Name%) so each environment sets its own.");
            var setting = schedule[1..^1];
            Assert.True(values.TryGetProperty(setting, out var value),
                $"timer function {timer.Name} reads setting '{setting}', which {samplePath} does not define.");
            // The local host runs the same expression through Cronos with seconds, as the Functions host does.
            Assert.NotNull(CronExpression.Parse(value.GetString()!, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
        }
    }

    [Fact]
    public async Task LocalHostEndpoints_CoverEveryVoucherRoute()
    {
        // The endpoint table the host maps, with its settings as they are by default (the benchmark's baseline off).
        var actual = await LocalHostEndpointsAsync(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var expected = VoucherRoutes.All.Select(r => (r.Name, Method: r.Method.ToUpperInvariant(), Route: r.Template)).ToHashSet();

        AssertSameSets(expected, actual, "VoucherRoutes (all)", "endpoints of LocalHostApp.MapEndpoints");
    }

    /// <summary>
    /// (name, method, route) of every endpoint <see cref="LocalHostApp.MapEndpoints"/> maps under
    /// <paramref name="configuration"/>, the fallback left out (it serves no route of its own).
    /// </summary>
    internal static async Task<HashSet<(string Name, string Method, string Route)>> LocalHostEndpointsAsync(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only registrations matter here: the endpoint factory must see these as services, not request bodies.
        builder.Services.AddSingleton<HttpDispatcher>();
        builder.Services.AddSingleton<DurableTaskClient>(_ => throw new NotSupportedException("not resolved when building endpoints"));
        await using var app = builder.Build();
        LocalHostApp.MapEndpoints(app, configuration);

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        var fallback = Assert.Single(endpoints, e => e.Order == int.MaxValue);
        Assert.Equal("{*path}", fallback.RoutePattern.RawText);
        return endpoints.Where(e => e != fallback)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "", Method: m.ToUpperInvariant(), Route: e.RoutePattern.RawText?.TrimStart('/') ?? "")))
            .ToHashSet();
    }

    [Fact]
    public void OutboxSweep_OnBothHosts_IsTheSharedOne()
    {
        // The sweep that delivers notifications, starts orchestrations a dead host owed and raises lost events again
        // lives in one class; each host's timer only calls it, so neither can do a step the other does not.
        var timer = Assert.Single(Metadata.Value.Functions, f => f.TriggerType == "timerTrigger" && f.Name == "OutboxSweep");
        Assert.Equal("%" + Voucher.Workflows.Configuration.SettingNames.OutboxSchedule + "%", timer.Schedule);
        var functionsDll = Path.Combine(Path.GetDirectoryName(Metadata.Value.Path)!, "Voucher.Functions.dll");
        var context = new System.Runtime.Loader.AssemblyLoadContext("functions-app", isCollectible: true);
        context.Resolving += (c, name) => File.Exists(Path.Combine(Path.GetDirectoryName(functionsDll)!, name.Name + ".dll"))
            ? c.LoadFromAssemblyPath(Path.Combine(Path.GetDirectoryName(functionsDll)!, name.Name + ".dll"))
            : null;
        try
        {
            var functionsTimer = context.LoadFromAssemblyPath(functionsDll).GetType("Voucher.Functions.Timers.OutboxTimer", throwOnError: true)!;
            Assert.Equal([typeof(Voucher.Workflows.Hosting.OutboxSweep).FullName], Assert.Single(functionsTimer.GetConstructors()).GetParameters().Select(p => p.ParameterType.FullName));
        }
        finally
        {
            context.Unload();
        }

        var local = Assert.Single(typeof(OutboxSweepService).GetConstructors()).GetParameters().Select(p => p.ParameterType).ToList();
        Assert.Contains(typeof(Voucher.Workflows.Hosting.OutboxSweep), local);
        Assert.DoesNotContain(local, t => t == typeof(Voucher.Workflows.Notifications.Outbox) || t == typeof(PendingStarts) || t == typeof(Voucher.Workflows.Redemptions.PendingRedemptionEvents));
    }

    [Fact]
    public void LocalHostWorker_RegistersExactlyTheCatalog()
    {
        // What the local host's worker registers, with its settings as they are by default (the benchmark's baseline off).
        var registry = new Microsoft.DurableTask.DurableTaskRegistry();
        LocalHostApp.AddTasks(registry, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        AssertSameSets(WorkflowCatalog.Orchestrators.Select(o => o.Name).ToHashSet(), RegisteredNames(registry, "Orchestrators"), "catalog orchestrators", "registry orchestrators");
        AssertSameSets(WorkflowCatalog.Activities.Select(a => a.Name).ToHashSet(), RegisteredNames(registry, "Activities"), "catalog activities", "registry activities");
    }

    /// <summary>
    /// The names a registry holds. The SDK keeps them internal (1.28: <c>Orchestrators</c> / <c>Activities</c>, sequences of
    /// TaskName → factory pairs); if a new SDK version moves them, this fails with a clear message.
    /// </summary>
    internal static HashSet<string> RegisteredNames(Microsoft.DurableTask.DurableTaskRegistry registry, string property)
    {
        var pairs = typeof(Microsoft.DurableTask.DurableTaskRegistry)
            .GetProperty(property, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?
            .GetValue(registry) as System.Collections.IEnumerable;
        Assert.True(pairs is not null, $"DurableTaskRegistry.{property} is not readable in this SDK version: update this test");
        var names = new HashSet<string>();
        foreach (var pair in pairs)
        {
            var key = pair.GetType().GetProperty("Key")?.GetValue(pair);
            var name = key is Microsoft.DurableTask.TaskName taskName ? taskName.Name : key?.ToString();
            Assert.True(name is not null, $"DurableTaskRegistry.{property} holds {pair.GetType()}, not TaskName pairs: update this test");
            names.Add(name);
        }

        return names;
    }

    internal static void AssertSameSets<T>(HashSet<T> expected, HashSet<T> actual, string expectedName, string actualName)
    {
        var missing = expected.Except(actual).Select(x => x?.ToString()).Order().ToList();
        var extra = actual.Except(expected).Select(x => x?.ToString()).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{actualName} differ from {expectedName}.{Environment.NewLine}" +
            $"  in {expectedName} only: {string.Join(", ", missing)}{Environment.NewLine}" +
            $"  in {actualName} only: {string.Join(", ", extra)}");
    }
}

/// <summary>The Functions app's generated function metadata (build output), reduced to what the drift tests compare.</summary>
public sealed record FunctionsMetadata(string Path, IReadOnlyList<FunctionsMetadata.Function> Functions)
{
    public sealed record Function(string Name, string TriggerType, IReadOnlyList<string> Methods, string Route, string? AuthLevel, string? Schedule);

    public IEnumerable<Function> HttpTriggers => Functions.Where(f => f.TriggerType == "httpTrigger");

    public IEnumerable<string> NamesWithTrigger(string type) => Functions.Where(f => f.TriggerType == type).Select(f => f.Name);

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Voucher.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Voucher.Functions.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration this test assembly was built with (Debug or Release).</summary>
    public static string Configuration =>
        typeof(FunctionsMetadata).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly carries no AssemblyConfigurationAttribute.");

    public static FunctionsMetadata Load()
    {
        var path = System.IO.Path.Combine(RepoRoot(), "functions", "Voucher.Functions", "bin", Configuration, "net10.0", "functions.metadata");
        if (!File.Exists(path))
        {
            Assert.Fail(
                $"The Functions app's metadata is missing: {path}. It is generated when functions/Voucher.Functions is built; " +
                $"build the whole solution first (dotnet build Voucher.Functions.sln -c {Configuration}), as the README's test command does.");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var functions = new List<Function>();
        foreach (var f in doc.RootElement.EnumerateArray())
        {
            var name = f.GetProperty("name").GetString()!;
            var triggers = f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))
                .ToList();
            Assert.True(triggers.Count == 1, $"function {name} in {path} has {triggers.Count} trigger bindings");
            var trigger = triggers[0];
            functions.Add(new Function(
                name,
                trigger.GetProperty("type").GetString()!,
                trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToList() : [],
                trigger.TryGetProperty("route", out var route) ? route.GetString() ?? "" : "",
                trigger.TryGetProperty("authLevel", out var auth) ? auth.GetString() : null,
                trigger.TryGetProperty("schedule", out var schedule) ? schedule.GetString() : null));
        }

        Assert.Equal(functions.Count, functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        return new FunctionsMetadata(path, functions);
    }
}
