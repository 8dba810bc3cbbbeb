namespace Voucher.Durability.Tests.Support;

/// <summary>The product flows driven through the real API.</summary>
public static class Flows
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A batch of several hundred items from the settlement's start to Reviewing: formation and the risk check. Seconds on
    /// a quiet machine; a fresh-clone run at load average 40 took 85 s for the formation of 602 items alone.
    /// </summary>
    public static readonly TimeSpan Forming = TimeSpan.FromMinutes(4);

    /// <summary>Registers the enterprise (POST /api/enterprises) as itself.</summary>
    public static async Task RegisterAsync(Api enterprise, string uscc, string city)
    {
        var answer = await enterprise.PostAsync("api/enterprises", new
        {
            uscc,
            name = "持久性测试科技有限公司",
            cityCode = city,
            sizeClass = "small",
            techSmeNumber = "202614010001",
            contactName = "王工",
            contactPhone = "13903510001",
        });
        Assert.True(answer.Status == HttpStatusCode.Created, $"registration: {answer}");
    }

    /// <summary>Creates a redemption (POST /api/redemptions) and uploads the three evidence files; returns its id.</summary>
    public static async Task<string> RedemptionWithEvidenceAsync(Api enterprise, string voucherId, string institutionId, string serviceId, decimal amountPaid, string contract)
    {
        var created = await enterprise.PostAsync("api/redemptions", new { voucherId, institutionId, serviceId, contractNumber = contract, amountPaid });
        Assert.True(created.Status == HttpStatusCode.Accepted, $"redemption request: {created}");
        var id = created.Json().GetProperty("redemptionId").GetString()!;
        foreach (var kind in new[] { "report", "contract", "payment" })
        {
            var uploaded = await enterprise.UploadPdfAsync($"api/redemptions/{id}/evidence/{kind}", kind + ".pdf");
            Assert.True(uploaded.Status == HttpStatusCode.Created, $"evidence {kind}: {uploaded}");
        }

        return id;
    }

    /// <summary>Waits until the binding round 1 is open (deadline set) and the evidence is recorded as complete.</summary>
    public static Task<JsonElement> WaitAwaitingBindingAsync(Api reader, string redemptionId, TimeSpan? timeout = null) =>
        reader.WaitAsync($"api/redemptions/{redemptionId}",
            v => v.GetProperty("status").GetString() == "AwaitingBinding"
                 && v.GetProperty("binding").GetProperty("round").GetInt32() == 1
                 && v.GetProperty("binding").GetProperty("deadline").ValueKind == JsonValueKind.String
                 && v.GetProperty("evidenceComplete").GetBoolean(),
            timeout ?? Step, $"redemption {redemptionId} awaits binding in round 1 with complete evidence");

    public static async Task BindAsync(Api institution, string redemptionId)
    {
        var bound = await institution.PostAsync($"api/redemptions/{redemptionId}/binding", new { round = 1, confirm = true });
        Assert.True(bound.Status == HttpStatusCode.Accepted, $"binding: {bound}");
    }

    /// <summary>Waits until the redemption reads Queued and the queue step's tail is written (<see cref="QueueStep"/>).</summary>
    public static async Task WaitQueuedAsync(Api reader, Store store, string redemptionId, TimeSpan timeout)
    {
        await reader.WaitForStatusAsync($"api/redemptions/{redemptionId}", "Queued", timeout);
        await QueueStep.WaitForItsTailAsync(store.Voucher, redemptionId, timeout);
    }

    /// <summary>Starts the city's settlement for the current period; returns the batch id.</summary>
    public static async Task<string> StartSettlementAsync(Api bureau, string city)
    {
        var started = await bureau.PostAsync("api/settlements", new { cityCode = city, periodId = Seed.CurrentPeriod });
        Assert.True(started.Status == HttpStatusCode.Accepted, $"settlement start: {started}");
        return started.Json().GetProperty("batchId").GetString()!;
    }

    public static Task<JsonElement> WaitStageAsync(Api reader, string batchId, string stage, TimeSpan timeout) =>
        reader.WaitAsync($"api/settlements/{batchId}", v => v.GetProperty("stage").GetString() == stage, timeout, $"batch {batchId} reaches stage {stage}");

    /// <summary>Approves every listed row and submits the batch.</summary>
    public static async Task ApproveAndSubmitAsync(Api bureau, string batchId, IEnumerable<string> redemptionIds)
    {
        foreach (var slice in redemptionIds.Chunk(1000))
        {
            var saved = await bureau.PostAsync($"api/settlements/{batchId}/decisions", new { decisions = slice.Select(id => new { redemptionId = id, decision = "approve" }) });
            Assert.True(saved.Status == HttpStatusCode.OK, $"decisions: {saved}");
        }

        var submitted = await bureau.PostAsync($"api/settlements/{batchId}/submit", new { });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, $"submit: {submitted}");
    }

    public static object Payment(string reference) => new { reference, paidOn = Seed.ChinaToday.ToString("yyyy-MM-dd") };

    /// <summary>Fires <paramref name="count"/> identical calls at once; returns every answer.</summary>
    public static async Task<Answer[]> ConcurrentlyAsync(int count, Func<int, Task<Answer>> call)
    {
        using var start = new ManualResetEventSlim(false);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await call(i);
        })).ToList();
        start.Set();
        return await Task.WhenAll(calls);
    }

    /// <summary>Starts a host on the given port, retrying briefly when the port is still held by the killed process.</summary>
    public static async Task<LocalHostProcess> StartHostAsync(Dictionary<string, string> env, int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await LocalHostProcess.StartAsync(env, port, TimeSpan.FromSeconds(120));
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(2000);
            }
        }
    }

    /// <summary>
    /// The end of a host's output for a failure message, without the request log (two entries per HTTP request, which
    /// would fill the tail while the test polls): what is left are the engine's, the sidecar's and the host's own lines.
    /// </summary>
    public static string Tail(string log, int chars = 6000)
    {
        var kept = new System.Text.StringBuilder();
        var skipping = false;
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith("info: ", StringComparison.Ordinal) || line.StartsWith("warn: ", StringComparison.Ordinal) || line.StartsWith("fail: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal))
            {
                skipping = RequestLog.Any(c => line.AsSpan(6).StartsWith(c, StringComparison.Ordinal));
            }
            else if (!line.StartsWith(' '))
            {
                skipping = false;
            }

            if (!skipping)
            {
                kept.Append(line).Append('\n');
            }
        }

        var text = kept.ToString();
        return text[Math.Max(0, text.Length - chars)..];
    }

    static readonly string[] RequestLog = ["Microsoft.AspNetCore.Hosting.Diagnostics[", "Microsoft.AspNetCore.Routing.EndpointMiddleware["];
}

/// <summary>Counts for the closing note, summed over the test classes of one run.</summary>
public static class Tally
{
    static int crashPoints;
    static int duplicates;

    public static int CrashPointsSurvived => crashPoints;

    public static int DuplicatesTried => duplicates;

    public static void CrashPointSurvived(ITestOutputHelper output, string point, TimeSpan resume)
    {
        var total = Interlocked.Increment(ref crashPoints);
        output.WriteLine($"crash point survived: {point} (resumed {resume.TotalSeconds:0.0} s after the kill); survived so far in this run: {total}");
    }

    public static void Duplicates(ITestOutputHelper output, string what, int extraCalls)
    {
        var total = Interlocked.Add(ref duplicates, extraCalls);
        output.WriteLine($"duplicates tried: {extraCalls} × {what}; so far in this run: {total}");
    }
}
