using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Voucher.Domain;
using Voucher.Testing;

namespace Voucher.Benchmarks;

/// <summary>
/// One benchmark run at N enterprises and C concurrent clients, on a fresh Azurite + host: first N lifecycles of the
/// bare-engine baseline (<c>LifecycleRun.Baseline.cs</c>, unless <c>--no-baseline</c>); then every enterprise registers,
/// applies and is approved by its city bureau (application lifecycle); then redeems its voucher with three evidence
/// uploads and the institution's binding; each city settles, the bureau approves every row and submits, publicity
/// runs its (shortened) window, the finance bureau pays (redemption lifecycle).
/// </summary>
internal sealed partial class LifecycleRun(BenchmarkOptions options, int n)
{
    sealed record Enterprise(string Uscc, City City)
    {
        public Actor? Actor { get; set; }

        public string? ApplicationId { get; set; }

        public string? VoucherId { get; set; }

        public string? RedemptionId { get; set; }

        public bool Queued { get; set; }

        public bool Paid { get; set; }
    }

    readonly LatencyRecorder latencies = new();
    TimeSpan PollInterval => TimeSpan.FromMilliseconds(options.PollMilliseconds);
    static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Evidence is recorded and a bound redemption queued in seconds; one that is not after this is stuck (see README).</summary>
    static readonly TimeSpan QueueTimeout = TimeSpan.FromMinutes(2);

    public async Task<LifecycleResult> RunAsync(CancellationToken ct)
    {
        BenchEnvironment? started = null;
        try
        {
            return await RunCoreAsync(e => started = e, ct);
        }
        catch (Exception e) when (started is { ExitedOnItsOwn: true } && e is not OperationCanceledException)
        {
            var output = started.Host.Output;
            throw new InvalidOperationException(
                $"The host exited (code {started.Host.ExitCode}) during the run: {e.Message}{Environment.NewLine}Host output (tail):{Environment.NewLine}{(output.Length > 4000 ? output[^4000..] : output)}", e);
        }
    }

    async Task<LifecycleResult> RunCoreAsync(Action<BenchEnvironment> onStarted, CancellationToken ct)
    {
        Console.WriteLine($"== Run N={n}, concurrency={options.Concurrency} (load average {BenchEnvironment.LoadAverage()}) ==");
        var loadBefore = BenchEnvironment.LoadAverage();
        await using var azurite = await BenchEnvironment.StartAzuriteAsync(ct);
        var hostEnvironment = new Dictionary<string, string>(options.HostEnvironment);
        if (options.Baseline)
        {
            hostEnvironment[BaselineHostSetting] = "true";
        }

        await using var env = await BenchEnvironment.StartHostAsync(azurite, hostEnvironment, ct);
        onStarted(env);
        using var api = new HostApi(env.Host.BaseAddress, options.Concurrency, latencies) { TaskHubName = env.TaskHubName };

        // Warm-up: a few application lifecycles through a client whose latencies are thrown away, before every figure.
        if (options.WarmUp > 0)
        {
            using var warmApi = new HostApi(env.Host.BaseAddress, options.Concurrency, new LatencyRecorder()) { TaskHubName = env.TaskHubName };
            var warm = Enumerable.Range(0, options.WarmUp).Select(i => Cities.All[i % Cities.All.Count]).Select(c => new Enterprise(TestUscc.New(c.Code), c)).ToList();
            var warmBureaus = new Dictionary<string, Actor>();
            foreach (var city in warm.Select(e => e.City).Distinct())
            {
                warmBureaus[city.Code] = await warmApi.SignInAsync("city-bureau", city.Code, $"{city.NameZh}科技局审核员");
            }

            using var progress = new ProgressLine($"warm-up (not counted)", warm.Count);
            await ForEachAsync(warm, async e =>
            {
                if (await ApplicationAsync(warmApi, e, warmBureaus[e.City.Code]))
                {
                    progress.Increment();
                }
            }, ct);
            if (options.Baseline)
            {
                using var baselineProgress = new ProgressLine("baseline warm-up (not counted)", options.WarmUp);
                var warmRun = "warm" + Guid.NewGuid().ToString("N")[..8];
                await ForEachAsync(Enumerable.Range(0, options.WarmUp).ToList(), async i =>
                {
                    await BaselineAsync(warmApi, $"{warmRun}-{i}");
                    baselineProgress.Increment();
                }, ct);
            }
        }

        // Idle background (Durable queue polling, outbox sweep) once the host has settled.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var idleSeconds = options.Quick ? 3 : 10;
        var i0 = await api.MetricsAsync();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
        var i1 = await api.MetricsAsync();
        var idle = (i1.Tx - i0.Tx).Per(idleSeconds);

        var enterprises = Enumerable.Range(0, n).Select(i => Cities.All[i % Cities.All.Count]).Select(c => new Enterprise(TestUscc.New(c.Code), c)).ToList();
        var bureaus = new Dictionary<string, Actor>();
        var institutions = new Dictionary<string, Actor>();
        var finance = new Dictionary<string, Actor>();
        foreach (var city in Cities.All)
        {
            bureaus[city.Code] = await api.SignInAsync("city-bureau", city.Code, $"{city.NameZh}科技局审核员");
            institutions[city.Code] = await api.SignInAsync("institution", BenchEnvironment.InstitutionId(city.Code), $"{city.NameZh}机构经办人");
            finance[city.Code] = await api.SignInAsync("finance-bureau", city.Code, $"{city.NameZh}财政局");
        }

        // 0. The bare-engine baseline, with the same N and C, then a quiet host before the application lifecycles.
        BaselineResult? baseline = null;
        if (options.Baseline)
        {
            baseline = await BaselinePhaseAsync(api, "run" + Guid.NewGuid().ToString("N")[..8], ct);
            await WaitForQuietAsync(api, idle, ct);
        }

        // 1. Application lifecycles.
        var m0 = await api.MetricsAsync();
        var appWatch = Stopwatch.StartNew();
        double applicationSeconds;
        using (var progress = new ProgressLine($"applications N={n}", n))
        {
            await ForEachAsync(enterprises, async e =>
            {
                if (await ApplicationAsync(api, e, bureaus[e.City.Code]))
                {
                    progress.Increment();
                }
            }, ct);
            applicationSeconds = progress.LastIncrementAt.TotalSeconds;
        }

        var applicationPhaseSeconds = appWatch.Elapsed.TotalSeconds;
        var m1 = await api.MetricsAsync();
        var appPolls = latencies.Count("get-application");

        // 2. Redemptions to Queued.
        var approved = enterprises.Where(e => e.VoucherId is not null).ToList();
        var redWatch = Stopwatch.StartNew();
        double toQueuedSeconds;
        using (var progress = new ProgressLine($"redemptions to Queued N={n}", approved.Count))
        {
            await ForEachAsync(approved, async e =>
            {
                if (await RedemptionAsync(api, e, institutions[e.City.Code]))
                {
                    progress.Increment();
                }
            }, ct);
            toQueuedSeconds = progress.LastIncrementAt.TotalSeconds;
        }

        var toQueuedPhaseSeconds = redWatch.Elapsed.TotalSeconds;

        // 3. Settlement of every city, in parallel.
        var queued = approved.Where(e => e.Queued).ToList();
        var settleWatch = Stopwatch.StartNew();
        var settlements = new List<SettlementTiming>();
        using (var progress = new ProgressLine("settlements (11 cities)", Cities.All.Count, () => "incl. the 1-min publicity window"))
        {
            var timings = await Task.WhenAll(Cities.All.Select(async city =>
            {
                var ids = queued.Where(e => e.City.Code == city.Code).Select(e => e.RedemptionId!).ToList();
                var t = ids.Count == 0 ? null : await SettleAsync(api, bureaus[city.Code], city.Code, ids, azurite.ConnectionString, ct);
                progress.Increment();
                return t;
            }));
            settlements.AddRange(timings.Where(t => t is not null)!);
        }

        var settlementWall = settleWatch.Elapsed.TotalSeconds;

        // 4. Payments.
        var payWatch = Stopwatch.StartNew();
        var paidOn = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var progress = new ProgressLine($"payments N={n}", queued.Count))
        {
            await ForEachAsync(queued, async e =>
            {
                var r = await api.PostJsonAsync("confirm-payment", finance[e.City.Code], $"api/redemptions/{e.RedemptionId}/payment", new { reference = $"BENCH-{e.RedemptionId}", paidOn });
                if (r.Status == HttpStatusCode.Accepted)
                {
                    e.Paid = true;
                    progress.Increment();
                }
            }, ct);
        }

        var paymentSeconds = payWatch.Elapsed.TotalSeconds;

        // Let the redemptions' orchestrations take the "paid" event before the last snapshot.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var m2 = await api.MetricsAsync();
        var redemptionPolls = latencies.Count("get-redemption");
        var redemptionWall = toQueuedSeconds + settlementWall + paymentSeconds + 3;
        // The 60-s publicity timer and the 3-s drain cost only idle polling: take that out.
        var redemptionTx = (m2.Tx - m1.Tx) - idle.Per(1.0 / (BenchEnvironment.PublicityWindowMinutes * 60 + 3));
        var paid = queued.Count(e => e.Paid);

        // 5. What one status GET costs (sequential, once the host is back to its idle rate), to separate polling from the workflow.
        await WaitForQuietAsync(api, idle, ct);
        var txPerAppGet = await CostOfGetAsync(api, approved.Take(20).Select(e => (enterprise: e.Actor!, path: $"api/applications/{e.ApplicationId}")).ToList(), idle);
        var txPerRedGet = await CostOfGetAsync(api, queued.Take(20).Select(e => (enterprise: e.Actor!, path: $"api/redemptions/{e.RedemptionId}")).ToList(), idle);
        var (txPerApp304, app304s) = await CostOfConditionalGetAsync(api, approved.Take(20).Select(e => (enterprise: e.Actor!, path: $"api/applications/{e.ApplicationId}")).ToList(), idle);
        var (txPerRed304, red304s) = await CostOfConditionalGetAsync(api, queued.Take(20).Select(e => (enterprise: e.Actor!, path: $"api/redemptions/{e.RedemptionId}")).ToList(), idle);
        var end = await api.MetricsAsync();
        _ = redemptionWall;

        // 6. The storage ceiling, on the same Azurite from this process, after the lifecycles (its tens of thousands of
        // rows, messages and blobs would slow Azurite's in-memory store down for the lifecycles if written first).
        var ceiling = await StorageCeilingProbe.MeasureAsync(azurite.ConnectionString, options.Concurrency, TimeSpan.FromSeconds(options.CeilingSeconds), ct);
        Console.WriteLine($"  storage ceiling: table {ceiling.TableOpsPerSecond:0}/s, queue {ceiling.QueueOpsPerSecond:0}/s, blob {ceiling.BlobOpsPerSecond:0}/s");

        return new LifecycleResult
        {
            N = n,
            Concurrency = options.Concurrency,
            LoadBefore = loadBefore,
            LoadAfter = BenchEnvironment.LoadAverage(),
            Ceiling = ceiling,
            IdlePerSecond = idle,
            ApplicationsCompleted = approved.Count,
            ApplicationSeconds = applicationSeconds,
            ApplicationPhaseSeconds = applicationPhaseSeconds,
            ToQueuedPhaseSeconds = toQueuedPhaseSeconds,
            ApplicationTx = (m1.Tx - m0.Tx).Per(Math.Max(1, approved.Count)),
            RedemptionsQueued = queued.Count,
            ToQueuedSeconds = toQueuedSeconds,
            SettlementWallSeconds = settlementWall,
            SettlementActiveSeconds = Math.Max(0, settlementWall - BenchEnvironment.PublicityWindowMinutes * 60.0),
            Settlements = settlements,
            RedemptionsPaid = paid,
            PaymentSeconds = paymentSeconds,
            RedemptionTx = redemptionTx.Per(Math.Max(1, paid)),
            ApplicationPollsPerLifecycle = (double)appPolls / Math.Max(1, approved.Count),
            RedemptionPollsPerLifecycle = (double)redemptionPolls / Math.Max(1, queued.Count),
            TxPerApplicationGet = txPerAppGet,
            TxPerRedemptionGet = txPerRedGet,
            TxPerApplication304 = txPerApp304,
            Application304s = app304s,
            TxPerRedemption304 = txPerRed304,
            Redemption304s = red304s,
            HostPeakBytes = end.PeakWorkingSetBytes,
            AzuritePeakBytes = BenchEnvironment.PeakRss(azurite.ProcessId),
            Latencies = latencies.Summaries().Where(s => s.Kind is not ("status-get-probe")).ToList(),
            ErrorExamples = latencies.ErrorExamples,
            ApplicationOperations = OperationBreakdown.Between(m0, m1, approved.Count),
            Baseline = baseline,
            RedemptionOperations = OperationBreakdown.Between(m1, m2, paid),
        };
    }

    async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> body, CancellationToken ct) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (item, _) =>
        {
            try
            {
                await body(item);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or JsonException or KeyNotFoundException)
            {
                latencies.Error("lifecycle", e.Message);
            }
        });

    async Task<bool> ApplicationAsync(HostApi api, Enterprise e, Actor bureau)
    {
        e.Actor = await api.SignInAsync("enterprise", e.Uscc, "联系人");
        var reg = await api.PostJsonAsync("register-enterprise", e.Actor, "api/enterprises", new
        {
            uscc = e.Uscc,
            name = $"{e.City.NameZh}基准{e.Uscc[^6..]}科技有限公司",
            cityCode = e.City.Code,
            sizeClass = "small",
            techSmeNumber = "2026" + e.City.DivisionPrefix + e.Uscc[^6..],
            contactName = "王工",
            contactPhone = "139" + RandomDigits(8),
        });
        Expect(reg, HttpStatusCode.Created, "register");
        var submitted = await api.PostJsonAsync("submit-application", e.Actor, "api/applications", new { uscc = e.Uscc });
        Expect(submitted, HttpStatusCode.Accepted, "submit");
        e.ApplicationId = submitted.Json().GetProperty("applicationId").GetString()!;
        var url = $"api/applications/{e.ApplicationId}";
        var review = await PollAsync(api, "get-application", e.Actor, url, v => Status(v) is "UnderReview" or "Escalated", v => Status(v) is "Ineligible" or "Rejected" or "Withdrawn");
        var round = review.GetProperty("round").GetInt32();
        var decided = await api.PostJsonAsync("decide-application", bureau, $"{url}/decision", new { round, approve = true, reason = (string?)null });
        Expect(decided, HttpStatusCode.Accepted, "decide");
        var done = await PollAsync(api, "get-application", e.Actor, url, v => Status(v) == "Approved" && v.TryGetProperty("voucherId", out var id) && id.ValueKind == JsonValueKind.String, v => Status(v) is "Rejected" or "Withdrawn");
        e.VoucherId = done.GetProperty("voucherId").GetString();
        return true;
    }

    async Task<bool> RedemptionAsync(HostApi api, Enterprise e, Actor institution)
    {
        var created = await api.PostJsonAsync("create-redemption", e.Actor!, "api/redemptions", new
        {
            voucherId = e.VoucherId,
            institutionId = BenchEnvironment.InstitutionId(e.City.Code),
            serviceId = BenchEnvironment.ServiceId,
            contractNumber = $"BENCH-{e.Uscc[^8..]}",
            amountPaid = 80_000m,
        });
        Expect(created, HttpStatusCode.Accepted, "create redemption");
        e.RedemptionId = created.Json().GetProperty("redemptionId").GetString()!;
        var url = $"api/redemptions/{e.RedemptionId}";
        foreach (var kind in new[] { "report", "contract", "payment" })
        {
            var up = await api.PostFileAsync("upload-evidence", e.Actor!, $"{url}/evidence/{kind}", Files.Pdf(kind + e.RedemptionId), $"{kind}.pdf", "application/pdf");
            Expect(up, HttpStatusCode.Created, "upload " + kind);
        }

        var awaiting = await PollAsync(api, "get-redemption", e.Actor!, url,
            // As a person would: bind once the page shows the round and the evidence as complete (binding sooner loses the
            // binding event, see README "Product findings").
            v => Status(v) == "AwaitingBinding" && v.GetProperty("binding").GetProperty("round").GetInt32() >= 1 && v.GetProperty("evidenceComplete").GetBoolean(),
            v => Status(v) is "Withdrawn" or "Rejected" or "BindingOverdue" or "Disputed", QueueTimeout);
        var round = awaiting.GetProperty("binding").GetProperty("round").GetInt32();
        var bound = await api.PostJsonAsync("bind-redemption", institution, $"{url}/binding", new { round, confirm = true });
        Expect(bound, HttpStatusCode.Accepted, "bind");
        await PollAsync(api, "get-redemption", e.Actor!, url, v => Status(v) == "Queued", v => Status(v) is "Withdrawn" or "Rejected" or "Disputed", QueueTimeout);
        e.Queued = true;
        return true;
    }

    async Task<JsonElement> PollAsync(HostApi api, string kind, Actor? actor, string url, Func<JsonElement, bool> done, Func<JsonElement, bool> failed, TimeSpan? timeout = null)
    {
        var limit = timeout ?? WorkflowTimeout;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var r = await api.GetAsync(kind, actor, url);
            if (r.Ok)
            {
                var v = r.Json();
                if (done(v))
                {
                    return v;
                }

                if (failed(v))
                {
                    throw new InvalidOperationException($"{url} ended in {Status(v)}: {HostApi.Trim(r.Body)}");
                }
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"{url} did not reach the expected state in {limit.TotalSeconds:0} s: {Where(r)}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Waits (at most 60 s) until the host's storage rate is back near its idle rate: the tail of the workflows is done.</summary>
    static async Task WaitForQuietAsync(HostApi api, StorageTx idle, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var quiet = 0;
        var last = await api.MetricsAsync();
        while (quiet < 2 && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var now = await api.MetricsAsync();
            quiet = (now.Tx - last.Tx).Total <= Math.Max(4, idle.Total * 2 * 2) ? quiet + 1 : 0;
            last = now;
        }
    }

    async Task<StorageTx> CostOfGetAsync(HostApi api, IReadOnlyList<(Actor enterprise, string path)> targets, StorageTx idle)
    {
        if (targets.Count == 0)
        {
            return new StorageTx(0, 0, 0);
        }

        return await PerCallAsync(api, idle, targets, t => api.GetAsync("status-get-probe", t.enterprise, t.path));
    }

    /// <summary>The storage calls per call of <paramref name="call"/>, made once per target in turn, less the host's idle rate over that time.</summary>
    static async Task<StorageTx> PerCallAsync<T>(HostApi api, StorageTx idle, IReadOnlyList<T> targets, Func<T, Task> call)
    {
        var before = await api.MetricsAsync();
        var watch = Stopwatch.StartNew();
        foreach (var target in targets)
        {
            await call(target);
        }

        var after = await api.MetricsAsync();
        var delta = (after.Tx - before.Tx) - idle.Per(1.0 / watch.Elapsed.TotalSeconds);
        return new StorageTx(Math.Max(0, delta.Table), Math.Max(0, delta.Queue), Math.Max(0, delta.Blob)).Per(targets.Count);
    }

    /// <summary>
    /// What a polling client's GET costs while nothing changes: each target is read once for its tag (not counted), then
    /// read again naming it (<c>If-None-Match</c>), sequentially; returns the storage calls per conditional GET and how
    /// many of them were answered 304.
    /// </summary>
    async Task<(StorageTx PerGet, int NotModified)> CostOfConditionalGetAsync(HostApi api, IReadOnlyList<(Actor enterprise, string path)> targets, StorageTx idle)
    {
        var tagged = new List<(Actor Enterprise, string Path, string ETag)>();
        foreach (var (actor, path) in targets)
        {
            if ((await api.GetAsync("status-get-probe", actor, path)).ETag is { } etag)
            {
                tagged.Add((actor, path, etag));
            }
        }

        if (tagged.Count == 0)
        {
            return (new StorageTx(0, 0, 0), 0);
        }

        var notModified = 0;
        var perGet = await PerCallAsync(api, idle, tagged, async t => notModified += (await api.GetIfNoneMatchAsync("status-get-probe", t.Enterprise, t.Path, t.ETag)).Status == HttpStatusCode.NotModified ? 1 : 0);
        return (perGet, notModified);
    }

    /// <summary>The fields that say where a stuck lifecycle stopped (the whole body is too long for the report).</summary>
    static string Where(ApiResponse r)
    {
        if (!r.Ok)
        {
            return HostApi.Trim(r.Body);
        }

        var v = r.Json();
        string Field(string name) => v.TryGetProperty(name, out var p) ? p.ToString() : "–";
        var binding = v.TryGetProperty("binding", out var b) && b.ValueKind == JsonValueKind.Object && b.TryGetProperty("round", out var round) ? round.ToString() : "–";
        return $"status {Field("status")}, evidenceComplete {Field("evidenceComplete")}, binding round {binding}, round {Field("round")}";
    }

    static string Status(JsonElement v) => v.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";

    static void Expect(ApiResponse r, HttpStatusCode expected, string what)
    {
        if (r.Status != expected)
        {
            throw new InvalidOperationException($"{what}: expected {(int)expected}, got {(int)r.Status}: {HostApi.Trim(r.Body)}");
        }
    }

    static string RandomDigits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + Random.Shared.Next(10))));
}
