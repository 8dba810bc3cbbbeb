using Voucher.LocalHost.Hosting;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The storage calls the sidecar makes for a Durable client call count under the route or activity that made the call
/// (the origin crosses the loopback gRPC hop as <see cref="SidecarCallOrigin.Header"/>): a route pays for the instance it
/// starts, reads or signals, so the benchmark's per-route figures (and "without status polling") hold all of it.
/// </summary>
public sealed class SidecarCallOriginTests
{
    [Theory]
    [InlineData("/TaskHubSidecarService/GetInstance", "http:GetSettlement", "http:GetSettlement")]
    [InlineData("/TaskHubSidecarService/StartInstance", "activity:OpenPublicity", "activity:OpenPublicity")]
    [InlineData("/TaskHubSidecarService/GetInstance", null, "durable:GetInstance")]
    [InlineData("/TaskHubSidecarService/RaiseEvent", "", "durable:RaiseEvent")]
    [InlineData("/TaskHubSidecarService/Hello", "http:GetSettlement", null)]
    [InlineData("/TaskHubSidecarService/CompleteActivityTask", null, null)]
    public void OriginOf_CallersOriginElseDurableCall_WorkerCallsUnmarked(string method, string? caller, string? expected) =>
        Assert.Equal(expected, SidecarCallOrigin.OriginOf(method, caller));
}

/// <summary>On the running local host: a route's Durable start counts under the route, not under <c>durable:StartInstance</c>.</summary>
[Collection(FlowCollection.Name)]
public sealed class DurableClientOriginHostTests(FlowHostFixture fixture)
{
    [Fact]
    public async Task SubmitApplication_ItsInstanceStartCountsUnderTheRoute()
    {
        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(fixture.Host.BaseAddress, "enterprise", uscc, "王工");
        using (var registered = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc)))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var before = await OperationsAsync();
        using (var submitted = await enterprise.PostJsonAsync("api/applications", new { uscc }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var after = await OperationsAsync();
        long Added(Func<string, bool> call) =>
            after.Where(o => o.Key.StartsWith("http:SubmitApplication|", StringComparison.Ordinal) && call(o.Key.Split('|', 2)[1]))
                .Sum(o => o.Value - before.GetValueOrDefault(o.Key));

        // The start: the sidecar inserts the instance row and sends the start message to a control queue.
        Assert.True(Added(c => c.StartsWith("table POST ", StringComparison.Ordinal) && c.EndsWith("Instances", StringComparison.Ordinal)) >= 1,
            "the instance row the submission's start inserts should count under http:SubmitApplication");
        Assert.True(Added(c => c.StartsWith("queue POST ", StringComparison.Ordinal) && c.Contains("-control-", StringComparison.Ordinal)) >= 1,
            "the start message the submission sends should count under http:SubmitApplication");
    }

    async Task<Dictionary<string, long>> OperationsAsync()
    {
        using var metrics = JsonDocument.Parse(await fixture.Host.Http.GetStringAsync("dev/metrics"));
        return metrics.RootElement.GetProperty("operations").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetInt64());
    }
}
