
namespace Voucher.Durability.Tests;

/// <summary>
/// <c>GET /healthz/ready</c> (and its first name <c>/readyz</c>) on the local host: 200 with every check's detail while
/// storage answers; 503 naming the storage checks (tables, blobs, the task hub's queues and tables) within seconds once
/// Azurite is stopped, while <c>/healthz</c> (liveness) still answers "ok"; 200 again once Azurite is back.
/// </summary>
[Collection(StorageFaultCollection.Name)]
public sealed class ReadinessTests(ITestOutputHelper output) : IAsyncLifetime
{
    static readonly string[] StorageChecks = ["blobs", "queues", "tables", "taskHub"];
    StoppableAzurite? azurite;

    public async Task InitializeAsync() => azurite = await StoppableAzurite.StartAsync("readiness");

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ready_with_storage_up_503_naming_storage_when_Azurite_stops_ready_again_when_it_is_back()
    {
        var port = LocalHostProcess.FreeTcpPort();
        await using var host = await Flows.StartHostAsync(HostEnv.For(azurite!.ConnectionString, AzuriteFixture.UniqueName("ready"), port), port);
        using var anonymous = Api.Anonymous(host.BaseAddress);

        foreach (var path in new[] { "healthz/ready", "readyz" })
        {
            var up = await anonymous.GetAsync(path);
            output.WriteLine($"{path} with storage up: {up}");
            Assert.True(up.Status == HttpStatusCode.OK, $"{path}: {up}");
            var json = up.Json();
            Assert.Equal("ready", json.GetProperty("status").GetString());
            Assert.Empty(json.GetProperty("failing").EnumerateArray());
            var checks = json.GetProperty("checks");
            foreach (var name in StorageChecks)
            {
                Assert.Equal("ok", checks.GetProperty(name).GetProperty("status").GetString());
            }

            Assert.Contains(checks.GetProperty("calendar").GetProperty("status").GetString(), new[] { "ok", "warning" });
            Assert.Equal("info", checks.GetProperty("signIn").GetProperty("status").GetString());
            Assert.Contains("development sign-in", checks.GetProperty("signIn").GetProperty("detail").GetString());
        }

        await azurite.StopAsync();
        var clock = Stopwatch.StartNew();
        var down = await anonymous.GetAsync("healthz/ready");
        var took = clock.Elapsed;
        output.WriteLine($"healthz/ready with storage down ({took.TotalSeconds:0.0} s): {down}");
        Assert.True(down.Status == HttpStatusCode.ServiceUnavailable, down.ToString());
        Assert.True(took < TimeSpan.FromSeconds(15), $"the probe answered after {took.TotalSeconds:0.0} s");
        var report = down.Json();
        Assert.Equal("unavailable", report.GetProperty("status").GetString());
        var failing = report.GetProperty("failing").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.All(StorageChecks, name => Assert.Contains(name, failing));
        Assert.All(StorageChecks, name => Assert.Equal("failed", report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString()));
        Assert.DoesNotContain("signIn", failing);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("readyz")).Status);
        var live = await anonymous.GetAsync("healthz");
        Assert.True(live.Status == HttpStatusCode.OK && live.Body == "ok", $"liveness: {live}");

        await azurite.StartAgainAsync();
        var back = await Eventually.UntilAsync(() => anonymous.GetAsync("healthz/ready"), a => a.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready once storage is back");
        output.WriteLine($"healthz/ready with storage back: {back}");
    }
}
