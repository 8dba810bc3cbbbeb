using System.Globalization;
using System.Text.RegularExpressions;
using Voucher.Workflows.Applications;

namespace Voucher.Durability.Tests;

/// <summary>
/// Recovery after a hard kill: the only host is SIGKILLed right after answering a burst of submissions (their
/// orchestrations in its queues, some messages taken and invisible), then restarted on its port — the same worker id,
/// so it takes its partitions back at once. Prints the time from the restarted host's start to its first orchestration
/// work item and to the first and last resumed lifecycle; asserts only the outcome (each lifecycle once, within a
/// generous bound).
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed partial class RestartResumeTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "xinzhou";
    const int Burst = 30;
    static readonly TimeSpan Lifecycle = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task OnlyHostKilledWithSubmissionsInFlight_RestartResumesEveryOneOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "restart");
        var apps = new List<(string Uscc, string ApplicationId)>();
        await using (var first = await Flows.StartHostAsync(env, port))
        {
            await Task.WhenAll(Enumerable.Range(0, Burst).Select(async _ =>
            {
                var uscc = TestUscc.New();
                await store.Tables.GetTableClient(VoucherStore.Enterprises).UpsertEntityAsync(A.Enterprise().InCity(City).WithUscc(uscc).Build());
                using var enterprise = await Api.SignInAsync(first.BaseAddress, "enterprise", uscc);
                var submitted = await enterprise.PostAsync("api/applications", new { uscc });
                Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submission: {submitted}");
                lock (apps)
                {
                    apps.Add((uscc, submitted.Json().GetProperty("applicationId").GetString()!));
                }
            }));
            await first.KillAsync();
        }

        var underReviewAtKill = 0;
        foreach (var (uscc, _) in apps)
        {
            underReviewAtKill += (await store.PartitionAsync<ApplicationEntity>(VoucherStore.Applications, uscc)).Count(a => a.Status == ApplicationStatus.UnderReview);
        }

        var sinceStart = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        var listening = sinceStart.Elapsed;
        using var bureau = await Api.SignInAsync(second.BaseAddress, "city-bureau", City);
        // The host prints its first orchestration work item once; read it before its later output can push it out.
        string? firstWorkItem = null;
        var watchLine = Task.Run(async () =>
        {
            while (firstWorkItem is null && sinceStart.Elapsed < Lifecycle)
            {
                firstWorkItem = FirstWorkItem().Match(second.Output) is { Success: true } m ? m.Groups[1].Value + " s" : null;
                await Task.Delay(200);
            }
        });
        var resumed = new List<TimeSpan>();
        await Task.WhenAll(apps.Select(async a =>
        {
            await bureau.WaitForStatusAsync($"api/applications/{a.ApplicationId}", "UnderReview", Lifecycle);
            lock (resumed)
            {
                resumed.Add(sinceStart.Elapsed);
            }
        }));
        await watchLine;
        output.WriteLine($"{Burst} submissions, {underReviewAtKill} under review at the kill; restarted host listening {listening.TotalSeconds:0.0} s after its start, " +
                         $"first orchestration work item {firstWorkItem ?? "not printed"} after the process start, first lifecycle seen under review {resumed.Min().TotalSeconds:0.0} s, last {resumed.Max().TotalSeconds:0.0} s after the restart began");

        foreach (var (_, applicationId) in apps)
        {
            var decided = await bureau.PostAsync($"api/applications/{applicationId}/decision", new { round = 1, approve = true });
            Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
        }

        foreach (var (uscc, applicationId) in apps)
        {
            await bureau.WaitForStatusAsync($"api/applications/{applicationId}", "Approved", Lifecycle);
            Assert.Single(await store.PartitionAsync<VoucherEntity>(VoucherStore.Vouchers, uscc));
            var audit = await store.AuditAsync("application:" + applicationId);
            Assert.Single(audit, e => e.ToState == "UnderReview");
            Assert.Single(audit, e => e.ToState == "Approved");
        }
    }

    [GeneratedRegex(@"first orchestration work item ([0-9.]+) s after start")]
    private static partial Regex FirstWorkItem();
}
