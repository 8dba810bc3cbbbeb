namespace Voucher.EndToEnd.Tests;

/// <summary>
/// A hard kill of the local host while an application waits for its review: a new process on the same storage and
/// task hub takes over (once the killed process's partition leases expire), the approval goes through, and the
/// voucher is issued exactly once.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class CrashResumeTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task HostKilledWhileAwaitingReview_NewProcessResumesAndIssuesOneVoucher()
    {
        var taskHub = azurite.NewName("crash");
        var port = LocalHostProcess.FreeTcpPort();
        var env = HostSettings.For(azurite, taskHub, port);
        var uscc = TestUscc.New();
        string applicationId, statusUrl;

        await using (var first = await LocalHostProcess.StartAsync(env, port))
        {
            using var enterprise = await PortalClient.SignInAsync(first.BaseAddress, "enterprise", uscc, "王工");
            using (var registered = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc)))
            {
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            }

            using (var submitted = await enterprise.PostJsonAsync("api/applications", new { uscc }))
            {
                var text = await submitted.Content.ReadAsStringAsync();
                Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, $"submission answered {(int)submitted.StatusCode}: {text}");
                using var doc = JsonDocument.Parse(text);
                applicationId = doc.RootElement.GetProperty("applicationId").GetString()!;
                statusUrl = doc.RootElement.GetProperty("statusUrl").GetString()!;
            }

            await enterprise.WaitForStatusAsync(statusUrl, "UnderReview", TimeSpan.FromSeconds(60));

            // Kill while the orchestration waits for the decision: its last episode is checkpointed and no message is
            // in flight. (Killed a moment earlier, a message the dead process had dequeued stays invisible for the
            // provider's 5-minute visibility timeout; see the report of this test suite.)
            await TaskHubDiagnostics.WaitUntilIdleAsync(azurite.Tables, taskHub, $"application-{applicationId}", "under-review", TimeSpan.FromSeconds(30));
            await first.KillAsync();
            Assert.True(first.HasExited);
            Assert.NotEqual(0, first.ExitCode);
        }

        var sinceKill = Stopwatch.StartNew();

        // Same storage, same task hub, same port (so the links already sent stay valid).
        await using var second = await LocalHostProcess.StartAsync(env, port);
        var restartSeconds = sinceKill.Elapsed.TotalSeconds;
        using var bureau = await PortalClient.SignInAsync(second.BaseAddress, "city-bureau", "taiyuan", "太原市科技局审核员");
        using var owner = await PortalClient.SignInAsync(second.BaseAddress, "enterprise", uscc, "王工");

        // The state written before the crash is all there: status, deadline, the review link in the mailbox.
        var waiting = await owner.GetJsonAsync(statusUrl);
        Assert.Equal("UnderReview", waiting.GetProperty("status").GetString());
        var link = await bureau.WaitForMailboxLinkAsync($"review-{applicationId}-r1", "city-bureau:taiyuan", TimeSpan.FromSeconds(30));

        using (var page = await bureau.GetAsync(link.ToString()))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var approveSent = sinceKill.Elapsed;
        using (var decided = await bureau.PostFormAsync(link.ToString(), new Dictionary<string, string> { ["decision"] = "approve" }))
        {
            var html = await decided.Content.ReadAsStringAsync();
            Assert.True(decided.StatusCode == HttpStatusCode.OK, $"approving after the restart answered {(int)decided.StatusCode}: {html}");
        }

        JsonElement approved;
        try
        {
            approved = await owner.WaitForStatusAsync(statusUrl, "Approved", ResumeTimeout);
        }
        catch (TimeoutException e)
        {
            var state = await TaskHubDiagnostics.DescribeAsync(azurite.ConnectionString, taskHub, $"application-{applicationId}");
            var log = second.Output;
            throw new TimeoutException(
                $"{e.Message}{Environment.NewLine}{state}" +
                $"Restarted host: {(second.HasExited ? $"exited with code {second.ExitCode}" : "running")}; its last output:{Environment.NewLine}" +
                log[Math.Max(0, log.Length - 6000)..], e);
        }

        var resumed = sinceKill.Elapsed;
        output.WriteLine(
            $"crash resume: new process healthy {restartSeconds:0.0} s after the kill; approval posted at {approveSent.TotalSeconds:0.0} s; " +
            $"Approved at {resumed.TotalSeconds:0.0} s after the kill ({(resumed - approveSent).TotalSeconds:0.0} s after the approval)");

        // Exactly one voucher row for the enterprise, read straight from Azurite.
        var vouchers = azurite.Tables.GetTableClient("Vouchers");
        var rows = new List<TableEntity>();
        await foreach (var row in vouchers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {uscc}")))
        {
            rows.Add(row);
        }

        var voucher = Assert.Single(rows);
        Assert.Equal($"V-{applicationId}", voucher.RowKey);
        Assert.Equal(approved.GetProperty("voucherId").GetString(), voucher.RowKey);
        Assert.Equal(5_000_000L, voucher.GetInt64("FaceValueFen"));

        // Exactly one Approved transition in the audit trail (API view and the table itself).
        var history = (await owner.WaitForHistoryAsync(statusUrl, "Approved", TimeSpan.FromSeconds(10))).GetProperty("history");
        Assert.Single(history.EnumerateArray(), h => h.GetProperty("to").GetString() == "Approved");
        var audit = azurite.Tables.GetTableClient("Audit");
        var transitions = new List<TableEntity>();
        await foreach (var row in audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"application:" + applicationId}")))
        {
            transitions.Add(row);
        }

        Assert.Single(transitions, t => t.GetString("ToState") == "Approved");
        Assert.Single(transitions, t => t.GetString("ToState") == "UnderReview");

        var voucherView = await owner.GetJsonAsync($"api/vouchers/{voucher.RowKey}");
        Assert.Equal("Active", voucherView.GetProperty("status").GetString());
    }
}
