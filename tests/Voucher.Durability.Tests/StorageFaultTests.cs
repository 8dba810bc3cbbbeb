using System.Collections.Concurrent;

namespace Voucher.Durability.Tests;

/// <summary>
/// Storage goes away for about 5 s in the middle of an application flow (Azurite stopped and started again on the
/// same ports and data): the flow still completes, and the API answered nothing but success or a clear 503
/// ProblemDetails meanwhile.
/// </summary>
[Collection(StorageFaultCollection.Name)]
public sealed class StorageFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string City = "taiyuan";
    StoppableAzurite? azurite;

    public async Task InitializeAsync() => azurite = await StoppableAzurite.StartAsync("durability");

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task StorageDownFiveSecondsMidApplication_FlowCompletes_OnlyClear503sMeanwhile()
    {
        var connection = azurite!.ConnectionString;
        var store = new Store(connection);
        var taskHub = AzuriteFixture.UniqueName("storagefault");
        var port = LocalHostProcess.FreeTcpPort();
        await using var host = await Flows.StartHostAsync(HostEnv.For(connection, taskHub, port), port);
        var uscc = TestUscc.New();
        using var enterprise = await Api.SignInAsync(host.BaseAddress, "enterprise", uscc);
        using var bureau = await Api.SignInAsync(host.BaseAddress, "city-bureau", City);
        await Flows.RegisterAsync(enterprise, uscc, City);

        // Probe the API all through the outage and record every answer.
        var answers = new ConcurrentQueue<(TimeSpan At, string What, Answer Answer)>();
        var clock = Stopwatch.StartNew();
        using var stopProbing = new CancellationTokenSource();
        string? applicationId = null;
        var probe = Task.Run(async () =>
        {
            while (!stopProbing.IsCancellationRequested)
            {
                var id = Volatile.Read(ref applicationId);
                if (id is not null)
                {
                    try
                    {
                        answers.Enqueue((clock.Elapsed, "GET application", await enterprise.GetAsync($"api/applications/{id}")));
                    }
                    catch (HttpRequestException e)
                    {
                        answers.Enqueue((clock.Elapsed, "GET application", new Answer(0, null, "connection failed: " + e.Message)));
                    }
                    catch (TaskCanceledException)
                    {
                        answers.Enqueue((clock.Elapsed, "GET application", new Answer(0, null, "client timeout")));
                    }
                }

                await Task.Delay(200);
            }
        });

        var submitted = await enterprise.PostAsync("api/applications", new { uscc });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submission: {submitted}");
        Volatile.Write(ref applicationId, submitted.Json().GetProperty("applicationId").GetString()!);
        var statusUrl = $"api/applications/{applicationId}";

        // Storage goes away while the orchestration checks eligibility and opens the review round.
        await azurite.StopAsync();
        var down = clock.Elapsed;
        output.WriteLine($"storage stopped at {down.TotalSeconds:0.0} s");
        var duringOutage = await enterprise.PostAsync("api/applications", new { uscc });
        answers.Enqueue((clock.Elapsed, "POST application (retry)", duringOutage));
        await Task.Delay(TimeSpan.FromSeconds(5));
        await azurite.StartAgainAsync();
        var up = clock.Elapsed;
        output.WriteLine($"storage started again at {up.TotalSeconds:0.0} s (same ports, same data)");

        try
        {
            await bureau.WaitForStatusAsync(statusUrl, "UnderReview", TimeSpan.FromMinutes(3));
            var decided = await Eventually.UntilAsync(
                () => bureau.PostAsync($"{statusUrl}/decision", new { round = 1, approve = true }),
                a => a.Status != HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromMinutes(1),
                "the decision is taken once storage answers");
            Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
            await bureau.WaitForStatusAsync(statusUrl, "Approved", TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, "application-" + applicationId)}{Flows.Tail(host.Output)}", e);
        }
        finally
        {
            await stopProbing.CancelAsync();
            await probe;
        }

        output.WriteLine($"approved at {clock.Elapsed.TotalSeconds:0.0} s; host {(host.HasExited ? "exited" : "still running")}");
        foreach (var group in answers.GroupBy(a => (a.What, a.Answer.Code, a.Answer.IsProblem)))
        {
            output.WriteLine($"  {group.Key.What}: {group.Key.Code}{(group.Key.IsProblem ? " problem+json" : "")} × {group.Count()} " +
                             $"({group.Min(a => a.At).TotalSeconds:0.0}–{group.Max(a => a.At).TotalSeconds:0.0} s)");
        }

        Assert.False(host.HasExited, "the host survived the outage");
        Assert.All(answers, a => Assert.True(
            a.Answer.Code is >= 200 and < 300 || (a.Answer.Status == HttpStatusCode.ServiceUnavailable && a.Answer.IsProblem),
            $"{a.What} at {a.At.TotalSeconds:0.0} s answered {a.Answer}"));
        Assert.Contains(answers, a => a.Answer.Status == HttpStatusCode.ServiceUnavailable || a.At > down);

        Assert.Single(await store.PartitionAsync<VoucherEntity>(VoucherStore.Vouchers, uscc));
        var audit = await store.AuditAsync("application:" + applicationId);
        Assert.Single(audit, a => a.ToState == "UnderReview");
        Assert.Single(audit, a => a.ToState == "Approved");
    }
}
