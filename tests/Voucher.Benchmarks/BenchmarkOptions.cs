using System.Globalization;

namespace Voucher.Benchmarks;

/// <summary>Command-line options: <c>--n 100 --concurrency 50 --settlement-size 0|10000|20000 --quick</c> and a few knobs.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Enterprises (application + redemption lifecycles) in the first run; the second run uses 2N.</summary>
    public int N { get; init; } = 100;

    /// <summary>Concurrent simulated clients (and ceiling-probe workers).</summary>
    public int Concurrency { get; init; } = 50;

    /// <summary>Size of the seeded city-period batch to settle; 0 skips the settlement-at-scale part.</summary>
    public IReadOnlyList<int> SettlementSizes { get; init; } = [];

    /// <summary>Smoke run: tiny N, short probes.</summary>
    public bool Quick { get; init; }

    /// <summary>Skip the N and 2N lifecycle runs (settlement at scale only).</summary>
    public bool SkipLifecycles { get; init; }

    /// <summary>Only run N, not 2N.</summary>
    public bool SingleRun { get; init; }

    /// <summary>
    /// Also run N lifecycles of the local host's bare-engine baseline in each run, before the application lifecycles,
    /// and report the application lifecycle's rate, submission p99 and storage calls as ratios to it (issue #20 item 3).
    /// </summary>
    public bool Baseline { get; init; } = true;

    /// <summary>
    /// A folder for Azurite's own CPU profiles (node <c>--cpu-prof</c>) in the settlement runs: the report then names the
    /// emulator functions its CPU went to during each settlement, and what grew faster than the batch. Null: no profile.
    /// </summary>
    public string? AzuriteProfileDir { get; init; }

    /// <summary>How often a client polls a status URL.</summary>
    public int PollMilliseconds { get; init; } = 500;

    /// <summary>
    /// Application lifecycles run before the measured phase and left out of every figure (the host's first requests
    /// compile and connect); they use their own enterprises and run C at a time.
    /// </summary>
    public int WarmUp { get; init; } = 10;

    /// <summary>Seconds per storage-ceiling probe (each of table, queue, blob).</summary>
    public int CeilingSeconds { get; init; } = 10;

    /// <summary>Extra environment for the host, e.g. Durable__PartitionCount=8 (repeatable --host-env K=V).</summary>
    public IReadOnlyDictionary<string, string> HostEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>How many of the largest (origin, call) pairs the lifecycle breakdowns list (the rest summed in one row).</summary>
    public int Pairs { get; init; } = 30;

    /// <summary>
    /// The largest settlement batch whose risk rows are seeded (<see cref="RiskFlagBenchmark"/>). Azurite finds a row by
    /// its RowKey index and then scans every row sharing that RowKey, and three seeded kinds share one across redemptions
    /// (evidence "report"/"contract"/"payment", the enterprise "profile"): their seeding grows with the square of the
    /// batch (measured 201 s for 10,000, 1,096 s for 20,000; by that trend hours for 100,000), and so do the risk check's
    /// reads of them (29.6 s, 118.2 s). Azure's point operations do not grow so. 0 settles every size without them, as
    /// the settlement figures before the risk flags were measured.
    /// </summary>
    public int RiskSeedMax { get; init; } = 20_000;

    /// <summary>Also write the Markdown report to this file.</summary>
    public string? OutputFile { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var sizes = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (a)
            {
                case "--n":
                    o = o with { N = NextInt() };
                    break;
                case "--concurrency" or "-c":
                    o = o with { Concurrency = NextInt() };
                    break;
                case "--settlement-size":
                    sizes.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).Where(s => s > 0));
                    break;
                case "--quick":
                    o = o with { Quick = true };
                    break;
                case "--settlement-only":
                    o = o with { SkipLifecycles = true };
                    break;
                case "--single":
                    o = o with { SingleRun = true };
                    break;
                case "--no-baseline":
                    o = o with { Baseline = false };
                    break;
                case "--poll-ms":
                    o = o with { PollMilliseconds = NextInt() };
                    break;
                case "--warmup":
                    o = o with { WarmUp = NextInt() };
                    break;
                case "--ceiling-seconds":
                    o = o with { CeilingSeconds = NextInt() };
                    break;
                case "--host-env":
                    var kv = Next();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--host-env takes KEY=VALUE");
                    }

                    env[kv[..eq]] = kv[(eq + 1)..];
                    break;
                case "--pairs":
                    o = o with { Pairs = NextInt() };
                    break;
                case "--risk-max":
                    o = o with { RiskSeedMax = NextInt() };
                    break;
                case "--azurite-profile":
                    o = o with { AzuriteProfileDir = Path.GetFullPath(Next()) };
                    break;
                case "--out":
                    o = o with { OutputFile = Next() };
                    break;
                case "--help" or "-h":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"Unknown option {a}");
            }
        }

        if (o.Quick)
        {
            o = o with { N = Math.Min(o.N, 6), Concurrency = Math.Min(o.Concurrency, 6), CeilingSeconds = Math.Min(o.CeilingSeconds, 2), SingleRun = true, WarmUp = Math.Min(o.WarmUp, 2) };
        }

        if (o.N < 1 || o.Concurrency < 1 || o.WarmUp < 0)
        {
            throw new ArgumentException("--n and --concurrency must be positive");
        }

        return o with { HostEnvironment = env, SettlementSizes = sizes };
    }

    public const string Usage = """
        Voucher benchmark: drives the local host over HTTP like real users.

          dotnet run -c Release --project tests/Voucher.Benchmarks -- --n 100 --concurrency 50

          --n N                  enterprises in the first run (the second run uses 2N)       [100]
          --concurrency C        concurrent clients and ceiling-probe workers                 [50]
          --settlement-size S    also settle one seeded city-period batch of S (e.g. 10000,20000; 0 = skip) [0]
          --settlement-only      skip the N / 2N lifecycle runs
          --single               run N only (no 2N)
          --quick                smoke run: N=6, C=6, 2 s probes, N only (< 2 min)
          --no-baseline          skip the bare-engine baseline phase (N baseline lifecycles before the applications)
          --poll-ms MS           status polling interval of a client                          [500]
          --warmup W             application lifecycles before the measured phase, not counted [10]
          --ceiling-seconds S    length of each storage-ceiling probe                         [10]
          --host-env K=V         extra environment for the host (repeatable), e.g. Durable__PartitionCount=8
          --pairs P              (origin, call) pairs listed per lifecycle breakdown           [30]
          --risk-max R           seed risk rows only for settlement batches of at most R (0 = none) [20000]
          --out FILE             also write the Markdown report to FILE
          --azurite-profile DIR  settlement runs: profile Azurite's CPU (node --cpu-prof into DIR) and report it by function
          --hosts K              application lifecycles on 1 and K hosts of one task hub, failover and restart (alone) [2]
          --search N             catalogue search over N generated services instead (alone, first) [50000]
        """;
}
