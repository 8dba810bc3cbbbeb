using System.Text.RegularExpressions;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// One application traced end to end in the local host (traces to the console): the HTTP request that submits it, the
/// orchestration it starts and the activities that run for it, and their storage calls all carry the trace the caller
/// started (W3C <c>traceparent</c>), through the Durable sidecar and the worker.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed partial class TraceTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task SubmittedApplication_RequestOrchestrationActivitiesAndStorage_ShareTheCallersTrace()
    {
        var port = LocalHostProcess.FreeTcpPort();
        var env = HostSettings.For(azurite, azurite.NewName("trace"), port);
        env["Voucher__TraceExporter"] = "console";
        await using var host = await LocalHostProcess.StartAsync(env, port);
        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(host.BaseAddress, "enterprise", uscc, "王工");
        using (var registered = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc)))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/applications") { Content = JsonContent.Create(new { uscc }) };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        string statusUrl;
        using (var submitted = await enterprise.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            using var doc = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync());
            statusUrl = doc.RootElement.GetProperty("statusUrl").GetString()!;
        }

        await enterprise.WaitForStatusAsync(statusUrl, "UnderReview", TimeSpan.FromSeconds(60));
        var spans = await Eventually.UntilAsync(
            () => Task.FromResult(SpansOf(host.Output, traceId)),
            s => s.Contains("activity:OpenReviewRound") || s.Contains("activity:CheckApplicationEligibility"),
            TimeSpan.FromSeconds(30),
            "the activities' spans are exported");
        output.WriteLine($"trace {traceId}: {string.Join(", ", spans.Distinct())}");

        Assert.Contains("POST /api/applications", spans);
        Assert.Contains("create_orchestration:ApplicationOrchestrator", spans);
        Assert.Contains("activity:CheckApplicationEligibility", spans);
        Assert.Contains(spans, s => s.StartsWith("TableClient.", StringComparison.Ordinal));
    }

    /// <summary>The display names of the spans the console exporter printed for <paramref name="traceId"/>.</summary>
    static List<string> SpansOf(string output, string traceId) =>
        SpanBlock().Matches(output).Where(m => m.Groups["trace"].Value == traceId).Select(m => m.Groups["name"].Value.Trim()).ToList();

    [GeneratedRegex(@"Activity\.TraceId:\s+(?<trace>[0-9a-f]{32})[\s\S]*?Activity\.DisplayName:\s+(?<name>[^\r\n]+)")]
    private static partial Regex SpanBlock();
}
