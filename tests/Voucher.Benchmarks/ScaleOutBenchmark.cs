using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.LocalHost.Azurite;
using Voucher.Testing;

namespace Voucher.Benchmarks;

/// <summary>
/// <c>--hosts K</c>: application lifecycles (register → apply → bureau approves → voucher) on 1 and then K local hosts
/// sharing one Azurite and one task hub of four partitions, each client's requests spread over the hosts (submission on
/// one, polls and the decision on the next); then, on the K hosts, failover (one host SIGKILLed: how long until the
/// survivor owns its partitions, and until lifecycles waiting on it complete) and restart (the last host killed with
/// submissions in flight and started again: how long until its first orchestration work item and the first resumed
/// lifecycle). Prints one Markdown report.
/// </summary>
internal static partial class ScaleOutBenchmark
{
    const int Partitions = 4;
    const int Probe = 20;
    static readonly TimeSpan WorkflowTimeout = TimeSpan.FromMinutes(5);

    sealed record Options(int Hosts, int N, int Concurrency, int PollMs);

    sealed record RunResult(int Hosts, int N, double Seconds, double Rate, double TxPerLifecycle, double SubmitP99Ms, string WorkItems);

    sealed record Recovery(double TakeoverSeconds, double FailoverCompleteSeconds, double RestartListeningSeconds, string RestartFirstWorkItem, double RestartFirstResumedSeconds, double RestartAllResumedSeconds);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var o = Parse(args);
        var command = "dotnet run -c Release --project tests/Voucher.Benchmarks -- " + string.Join(' ', args);
        var runs = new List<RunResult>();
        Recovery? recovery = null;
        foreach (var k in o.Hosts > 1 ? new[] { 1, o.Hosts } : [1])
        {
            await using var azurite = await BenchEnvironment.StartAzuriteAsync(ct);
            var cluster = await Cluster.StartAsync(azurite, k, ct);
            try
            {
                runs.Add(await LifecyclesAsync(cluster, o, ct));
                Console.WriteLine($"  {k} host(s): {runs[^1].Rate:0.00} lifecycles/s, {runs[^1].TxPerLifecycle:0.0} storage calls each; work items {runs[^1].WorkItems}");
                if (k > 1)
                {
                    recovery = await RecoveryAsync(cluster, ct);
                }
            }
            finally
            {
                await cluster.DisposeAsync();
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"### Scale-out: {o.N} application lifecycles, {o.Concurrency} clients, one task hub of {Partitions} partitions (load average {BenchEnvironment.LoadAverage()})");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`{command}`");
        report.AppendLine();
        report.AppendLine("| hosts | lifecycles | seconds | lifecycles/s | storage calls per lifecycle (all hosts) | submission p99 ms | orchestration / activity work items per host |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Hosts} | {r.N} | {r.Seconds:0.0} | {r.Rate:0.00} | {r.TxPerLifecycle:0.0} | {r.SubmitP99Ms:0} | {r.WorkItems} |");
        }

        if (recovery is { } rec)
        {
            report.AppendLine();
            report.AppendLine("| recovery | seconds |");
            report.AppendLine("|---|---|");
            report.AppendLine(CultureInfo.InvariantCulture, $"| one of {o.Hosts} hosts SIGKILLed → the survivor owns all {Partitions} partitions | {rec.TakeoverSeconds:0.0} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| … → {Probe} decisions (posted right after the kill) all approved | {rec.FailoverCompleteSeconds:0.0} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| last host SIGKILLed with {Probe} submissions in flight, restarted: listening after | {rec.RestartListeningSeconds:0.0} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| … its first orchestration work item after the process start | {rec.RestartFirstWorkItem} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| … first / last of the {Probe} lifecycles resumed (under review) after the restart began | {rec.RestartFirstResumedSeconds:0.0} / {rec.RestartAllResumedSeconds:0.0} |");
        }

        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }

    static Options Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
        }

        var o = new Options(Value("--hosts", 2), Value("--n", 100), Value("--concurrency", 20), Value("--poll-ms", 500));
        return o.Hosts is < 1 or > 8 || o.N < 1 || o.Concurrency < 1 ? throw new ArgumentException("--hosts 1..8, --n and --concurrency positive") : o;
    }

    static async Task<RunResult> LifecyclesAsync(Cluster cluster, Options o, CancellationToken ct)
    {
        var k = cluster.Hosts.Count;
        var latencies = new LatencyRecorder();
        var apis = cluster.Hosts.Select(h => new HostApi(h.BaseAddress, o.Concurrency, latencies) { TaskHubName = cluster.TaskHub }).ToList();
        try
        {
            var bureaus = new Dictionary<(int, string), Actor>();
            for (var h = 0; h < k; h++)
            {
                foreach (var city in Cities.All)
                {
                    bureaus[(h, city.Code)] = await apis[h].SignInAsync("city-bureau", city.Code, $"{city.NameZh}科技局审核员");
                }
            }

            // Warm-up (each host compiles and connects), not counted.
            await ForEachAsync(Enumerable.Range(0, 4 * k), o.Concurrency, i => LifecycleAsync(apis, bureaus, i, o, latencies: null), ct);
            var before = await TotalTxAsync(apis);
            var watch = Stopwatch.StartNew();
            await ForEachAsync(Enumerable.Range(0, o.N), o.Concurrency, i => LifecycleAsync(apis, bureaus, i, o, latencies), ct);
            var seconds = watch.Elapsed.TotalSeconds;
            var after = await TotalTxAsync(apis);
            var submit = latencies.Summaries().FirstOrDefault(s => s.Kind == "submit-application");
            await Task.Delay(TimeSpan.FromSeconds(4), ct); // a tally line every 3 s
            var items = string.Join(" · ", cluster.Hosts.Select(h => Tally(h.Output)));
            return new RunResult(k, o.N, seconds, o.N / seconds, (after - before) / o.N, submit?.P99 ?? 0, items);
        }
        finally
        {
            apis.ForEach(a => a.Dispose());
        }
    }

    /// <summary>Enterprise <paramref name="i"/>: registers and applies on host i % K, is polled and decided on the next host.</summary>
    static async Task LifecycleAsync(List<HostApi> apis, Dictionary<(int, string), Actor> bureaus, int i, Options o, LatencyRecorder? latencies)
    {
        var city = Cities.All[i % Cities.All.Count];
        var uscc = TestUscc.New(city.Code);
        var (a, b) = (i % apis.Count, (i + 1) % apis.Count);
        var onA = await apis[a].SignInAsync("enterprise", uscc, "联系人");
        var onB = a == b ? onA : await apis[b].SignInAsync("enterprise", uscc, "联系人");
        var reg = await apis[a].PostJsonAsync("register-enterprise", onA, "api/enterprises", new
        {
            uscc, name = $"{city.NameZh}扩展{uscc[^6..]}科技有限公司", cityCode = city.Code, sizeClass = "small",
            techSmeNumber = "2026" + city.DivisionPrefix + uscc[^6..], contactName = "王工", contactPhone = "13900000000",
        });
        Expect(reg, HttpStatusCode.Created, "register");
        var submitted = await apis[a].PostJsonAsync(latencies is null ? "warm-up" : "submit-application", onA, "api/applications", new { uscc });
        Expect(submitted, HttpStatusCode.Accepted, "submit");
        var url = "api/applications/" + submitted.Json().GetProperty("applicationId").GetString();
        var review = await PollAsync(apis[b], onB, url, s => s is "UnderReview" or "Escalated", o);
        var decided = await apis[b].PostJsonAsync("decide-application", bureaus[(b, city.Code)], url + "/decision", new { round = review.GetProperty("round").GetInt32(), approve = true });
        Expect(decided, HttpStatusCode.Accepted, "decide");
        await PollAsync(apis[b], onB, url, s => s == "Approved", o);
    }

    static async Task<Recovery> RecoveryAsync(Cluster cluster, CancellationToken ct)
    {
        var survivor = cluster.Hosts[0];
        var victim = cluster.Hosts[^1];
        var o = new Options(cluster.Hosts.Count, Probe, Probe, 250);
        using var api = new HostApi(survivor.BaseAddress, Probe, new LatencyRecorder());
        var survivorId = WorkerId(survivor.Output);

        // Failover: lifecycles waiting for their decision, one host killed, the decisions posted to the survivor at once.
        var waiting = await SubmitAsync(api, Probe, o, ct);
        await ForEachAsync(waiting, Probe, w => PollAsync(api, w.Enterprise, w.Url, s => s == "UnderReview", o), ct);
        await victim.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        var takeover = Task.Run(async () =>
        {
            while (!(await OwnersAsync(cluster)).All(owner => owner == survivorId))
            {
                await Task.Delay(500, ct);
            }

            return sinceKill.Elapsed.TotalSeconds;
        }, ct);
        await ForEachAsync(waiting, Probe, async w =>
        {
            Expect(await api.PostJsonAsync("decide", w.Bureau, w.Url + "/decision", new { round = 1, approve = true }), HttpStatusCode.Accepted, "decide");
            await PollAsync(api, w.Enterprise, w.Url, s => s == "Approved", o);
        }, ct);
        var failoverComplete = sinceKill.Elapsed.TotalSeconds;
        var takeoverSeconds = await takeover;

        // Restart: the last host killed right after answering a burst of submissions, then started again on its port.
        var inFlight = await SubmitAsync(api, Probe, o, ct);
        await survivor.KillAsync();
        var sinceStart = Stopwatch.StartNew();
        await using var restarted = await LocalHostProcess.StartAsync(cluster.EnvFor(survivor.Port), survivor.Port, TimeSpan.FromMinutes(3));
        var listening = sinceStart.Elapsed.TotalSeconds;
        using var api2 = new HostApi(restarted.BaseAddress, Probe, new LatencyRecorder());
        string? first = null;
        var watchLine = Task.Run(async () =>
        {
            while (first is null && sinceStart.Elapsed < WorkflowTimeout)
            {
                first = FirstWorkItemLine().Match(restarted.Output) is { Success: true } m ? m.Groups[1].Value + " s" : null;
                await Task.Delay(200);
            }
        }, ct);
        var resumed = new List<double>();
        await ForEachAsync(inFlight, Probe, async w =>
        {
            await PollAsync(api2, w.Enterprise, w.Url, s => s == "UnderReview", o);
            lock (resumed)
            {
                resumed.Add(sinceStart.Elapsed.TotalSeconds);
            }
        }, ct);
        await watchLine;
        return new Recovery(takeoverSeconds, failoverComplete, listening, first ?? "n/a", resumed.Min(), resumed.Max());
    }

    sealed record Waiting(Actor Enterprise, Actor Bureau, string Url);

    static async Task<List<Waiting>> SubmitAsync(HostApi api, int count, Options o, CancellationToken ct)
    {
        var city = Cities.All[0];
        var bureau = await api.SignInAsync("city-bureau", city.Code, "审核员");
        var result = new List<Waiting>();
        await ForEachAsync(Enumerable.Range(0, count), count, async _ =>
        {
            var uscc = TestUscc.New(city.Code);
            var enterprise = await api.SignInAsync("enterprise", uscc, "联系人");
            Expect(await api.PostJsonAsync("register", enterprise, "api/enterprises", new
            {
                uscc, name = $"恢复{uscc[^6..]}科技有限公司", cityCode = city.Code, sizeClass = "small",
                techSmeNumber = "2026" + city.DivisionPrefix + uscc[^6..], contactName = "王工", contactPhone = "13900000000",
            }), HttpStatusCode.Created, "register");
            var submitted = await api.PostJsonAsync("submit", enterprise, "api/applications", new { uscc });
            Expect(submitted, HttpStatusCode.Accepted, "submit");
            lock (result)
            {
                result.Add(new Waiting(enterprise, bureau, "api/applications/" + submitted.Json().GetProperty("applicationId").GetString()));
            }
        }, ct);
        return result;
    }

    static async Task<JsonElement> PollAsync(HostApi api, Actor actor, string url, Func<string?, bool> done, Options o)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var r = await api.GetAsync("get-application", actor, url);
            if (r.Ok)
            {
                var json = r.Json();
                if (done(json.GetProperty("status").GetString()))
                {
                    return json;
                }
            }

            if (watch.Elapsed > WorkflowTimeout)
            {
                throw new TimeoutException($"{url} did not get there in {WorkflowTimeout.TotalMinutes} min: {HostApi.Trim(r.Body)}");
            }

            await Task.Delay(o.PollMs);
        }
    }

    static void Expect(ApiResponse r, HttpStatusCode status, string what)
    {
        if (r.Status != status)
        {
            throw new InvalidOperationException($"{what}: {(int)r.Status} {HostApi.Trim(r.Body)}");
        }
    }

    static async Task<double> TotalTxAsync(List<HostApi> apis)
    {
        double total = 0;
        foreach (var api in apis)
        {
            total += (await api.MetricsAsync()).Tx.Total;
        }

        return total;
    }

    static async Task<List<string>> OwnersAsync(Cluster cluster)
    {
        var owners = new List<string>();
        await foreach (var row in new TableServiceClient(cluster.ConnectionString).GetTableClient(cluster.TaskHub + "Partitions").QueryAsync<TableEntity>())
        {
            owners.Add(row.GetString("CurrentOwner") ?? "");
        }

        return owners;
    }

    static async Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> body, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    static string Tally(string output) =>
        TallyLine().Matches(output) is { Count: > 0 } all ? $"{all[^1].Groups[1].Value} / {all[^1].Groups[2].Value}" : "0 / 0";

    static string WorkerId(string output) => WorkerLine().Match(output) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex(@"worker \S+: (\d+) orchestration and (\d+) activity work items")]
    private static partial Regex TallyLine();

    [GeneratedRegex(@"Worker\s+(\S+) \(task hub")]
    private static partial Regex WorkerLine();

    [GeneratedRegex(@"first orchestration work item ([0-9.]+) s after start")]
    private static partial Regex FirstWorkItemLine();

    /// <summary>K local hosts on one Azurite and one task hub (same link key, so sign-ins and links work on any of them).</summary>
    sealed class Cluster : IAsyncDisposable
    {
        readonly string linkKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        Cluster(AzuriteInstance azurite)
        {
            ConnectionString = azurite.ConnectionString;
        }

        public string ConnectionString { get; }

        public string TaskHub { get; } = AzuriteFixture.UniqueName("scale");

        public List<LocalHostProcess> Hosts { get; } = [];

        public static async Task<Cluster> StartAsync(AzuriteInstance azurite, int k, CancellationToken ct)
        {
            var cluster = new Cluster(azurite);
            for (var i = 0; i < k; i++)
            {
                var port = LocalHostProcess.FreeTcpPort();
                cluster.Hosts.Add(await LocalHostProcess.StartAsync(cluster.EnvFor(port), port, TimeSpan.FromMinutes(3)));
            }

            // Wait until the partitions are spread over every worker (stealing takes a few lease-acquire rounds).
            var watch = Stopwatch.StartNew();
            while (k > 1 && (await OwnersAsync(cluster)).Where(o => o.Length > 0).Distinct().Count() < k && watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(1000, ct);
            }

            Console.WriteLine($"  {k} host(s) on hub {cluster.TaskHub}: partitions spread in {watch.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", await OwnersAsync(cluster))}");
            return cluster;
        }

        public Dictionary<string, string> EnvFor(int port) => new()
        {
            ["VoucherStorage"] = ConnectionString,
            ["DurableStorage"] = ConnectionString,
            ["TaskHubName"] = TaskHub,
            ["Durable__PartitionCount"] = Partitions.ToString(CultureInfo.InvariantCulture),
            ["Voucher__PublicBaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Voucher__LinkSigningKey"] = linkKey,
            ["Voucher__SettlementSchedule"] = "0 0 0 1 1 *",
            ["Voucher__PublicRateLimitPerMinute"] = "1000000",
            // Each message is written once, into its recipient's inbox, as production writes it (no development mailbox copy).
            ["LocalHost__DevMailbox"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        public async ValueTask DisposeAsync()
        {
            foreach (var host in Hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
