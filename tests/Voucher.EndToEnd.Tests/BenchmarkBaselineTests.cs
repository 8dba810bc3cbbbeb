using Microsoft.Extensions.Configuration;
using Voucher.LocalHost.Baseline;
using Voucher.LocalHost.Hosting;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Http;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The benchmark's bare-engine baseline (<c>functions/Voucher.LocalHost/Baseline</c>) exists only where the benchmark
/// turns it on: off by default it adds no route and no task (the local host answers its addresses 404), and on it adds
/// exactly its three routes and two tasks.
/// </summary>
public sealed class BaselineSwitchTests
{
    static IConfiguration Settings(string? baseline) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [BaselineWorkflow.Setting] = baseline }).Build();

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Off_NoBaselineRouteOrTask(string? setting)
    {
        var endpoints = await HostsAgreeTests.LocalHostEndpointsAsync(Settings(setting));
        Assert.DoesNotContain(endpoints, e => e.Route.StartsWith(BaselineRoutes.Prefix, StringComparison.Ordinal));
        Assert.Equal(VoucherRoutes.All.Count, endpoints.Count);

        var registry = new Microsoft.DurableTask.DurableTaskRegistry();
        LocalHostApp.AddTasks(registry, Settings(setting));
        Assert.DoesNotContain(nameof(BaselineApproval), HostsAgreeTests.RegisteredNames(registry, "Orchestrators"));
        Assert.DoesNotContain(nameof(BaselineRecordDecision), HostsAgreeTests.RegisteredNames(registry, "Activities"));
    }

    [Fact]
    public async Task On_AddsExactlyTheBaselineRoutesAndTasks()
    {
        var endpoints = await HostsAgreeTests.LocalHostEndpointsAsync(Settings("true"));
        var expected = VoucherRoutes.All.Select(r => (r.Name, Method: r.Method.ToUpperInvariant(), Route: r.Template))
            .Append((BaselineRoutes.StartName, "POST", BaselineRoutes.Prefix + "/{id}"))
            .Append((BaselineRoutes.StatusName, "GET", BaselineRoutes.Prefix + "/{id}"))
            .Append((BaselineRoutes.ApproveName, "POST", BaselineRoutes.Prefix + "/{id}/approve"))
            .ToHashSet();
        HostsAgreeTests.AssertSameSets(expected, endpoints, "VoucherRoutes and the baseline's three", "endpoints with the baseline on");

        var registry = new Microsoft.DurableTask.DurableTaskRegistry();
        LocalHostApp.AddTasks(registry, Settings("true"));
        HostsAgreeTests.AssertSameSets(WorkflowCatalog.Orchestrators.Select(o => o.Name).Append(nameof(BaselineApproval)).ToHashSet(),
            HostsAgreeTests.RegisteredNames(registry, "Orchestrators"), "catalog + baseline orchestrators", "registry orchestrators");
        HostsAgreeTests.AssertSameSets(WorkflowCatalog.Activities.Select(a => a.Name).Append(nameof(BaselineRecordDecision)).ToHashSet(),
            HostsAgreeTests.RegisteredNames(registry, "Activities"), "catalog + baseline activities", "registry activities");
    }
}

/// <summary>The running local host with its default settings answers the baseline's addresses 404 and starts nothing.</summary>
[Collection(FlowCollection.Name)]
public sealed class BaselineOffHostTests(FlowHostFixture fixture)
{
    [Fact]
    public async Task DefaultHost_BaselineAddresses_Answer404()
    {
        var http = fixture.Host.Http;
        var id = "off" + Guid.NewGuid().ToString("N")[..8];
        using (var start = await http.PostAsync($"{BaselineRoutes.Prefix}/{id}", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        }

        using (var status = await http.GetAsync($"{BaselineRoutes.Prefix}/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        }

        using (var approve = await http.PostAsync($"{BaselineRoutes.Prefix}/{id}/approve", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        }

        // Nothing was started or written: the baseline's table was never created.
        var tables = new List<string>();
        await foreach (var t in fixture.Azurite.Tables.QueryAsync(t => t.Name == BaselineWorkflow.Table))
        {
            tables.Add(t.Name);
        }

        Assert.Empty(tables);
    }
}

/// <summary>
/// A local host with <c>Benchmark__Baseline=true</c> (as the benchmark starts it) runs the baseline lifecycle on the real
/// engine and Azurite: 202 start, waiting, 202 approve, completed, its one row written, every call counted under its origin.
/// </summary>
public sealed class BaselineOnHostTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    LocalHostProcess? host;

    LocalHostProcess Host => host!;

    public async Task InitializeAsync()
    {
        var port = LocalHostProcess.FreeTcpPort();
        var env = HostSettings.For(azurite, azurite.NewName("e2ebase"), port);
        env[BaselineWorkflow.Setting.Replace(":", "__", StringComparison.Ordinal)] = "true";
        host = await LocalHostProcess.StartAsync(env, port);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task BaselineLifecycle_StartWaitApproveComplete_WritesItsRow()
    {
        var id = "b" + Guid.NewGuid().ToString("N")[..12];
        var url = $"{BaselineRoutes.Prefix}/{id}";

        using (var bad = await Host.Http.PostAsync($"{BaselineRoutes.Prefix}/not_valid!", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\"id\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var missing = await Host.Http.GetAsync($"{BaselineRoutes.Prefix}/never-started"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var started = await Host.Http.PostAsync(url, null))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await Eventually.UntilAsync(() => StatusAsync(url), s => s.GetProperty("waiting").GetBoolean(), TimeSpan.FromSeconds(60), "the baseline should wait for approval");
        Assert.False(await RowExistsAsync(id), "no decision row before the approval");

        using (var approved = await Host.Http.PostAsync(url + "/approve", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        }

        var done = await Eventually.UntilAsync(() => StatusAsync(url), s => s.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(60), "the baseline should complete after the approval");
        Assert.False(done.GetProperty("waiting").GetBoolean());
        Assert.True(await RowExistsAsync(id), "the activity writes the decision row");

        // The benchmark tells the start, the status polling, the event and the activity apart by origin: the sidecar's
        // calls for each route's Durable client call count under the route (as the product's routes count theirs), the
        // row write under the activity.
        using var metrics = JsonDocument.Parse(await Host.Http.GetStringAsync("dev/metrics"));
        var operations = metrics.RootElement.GetProperty("operations").EnumerateObject().Select(o => o.Name).ToList();
        void Counted(string route, string verb, string resourceEnd) =>
            Assert.True(operations.Any(o => o.StartsWith(Voucher.Workflows.Http.HttpDispatcher.OriginOf(route) + "|" + verb + " ", StringComparison.Ordinal) && o.EndsWith(resourceEnd, StringComparison.Ordinal)),
                $"{verb} …{resourceEnd} under {Voucher.Workflows.Http.HttpDispatcher.OriginOf(route)}; counted: {string.Join(", ", operations)}");
        Counted(BaselineRoutes.StartName, "table POST", "Instances");
        Counted(BaselineRoutes.StatusName, "table GET", "Instances()");
        Counted(BaselineRoutes.ApproveName, "queue POST", "/messages");
        Assert.Contains(metrics.RootElement.GetProperty("operations").EnumerateObject(),
            o => o.Name == $"activity:{nameof(BaselineRecordDecision)}|table PUT {BaselineWorkflow.Table}(row)");
    }

    async Task<JsonElement> StatusAsync(string url)
    {
        using var response = await Host.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    async Task<bool> RowExistsAsync(string id) =>
        (await azurite.Tables.GetTableClient(BaselineWorkflow.Table).GetEntityIfExistsAsync<TableEntity>(id, "decision")).HasValue;
}
