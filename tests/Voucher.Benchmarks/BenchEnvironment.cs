using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.LocalHost.Azurite;
using Voucher.Testing;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Storage;

namespace Voucher.Benchmarks;

/// <summary>
/// A fresh in-memory Azurite and a local host process on it, set up as the benchmark needs: settlement "now",
/// one-minute publicity, no timer settlements, no sign-in rate limit; one verified institution with one service per city.
/// Every run gets its own pair so settlement batches (one per city and period) start empty.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const int PublicityWindowMinutes = 1;
    public const string ServiceId = "svc-bench-testing";

    BenchEnvironment(AzuriteInstance azurite, LocalHostProcess host, string taskHubName)
    {
        Azurite = azurite;
        Host = host;
        TaskHubName = taskHubName;
    }

    public string TaskHubName { get; }

    public AzuriteInstance Azurite { get; }

    public LocalHostProcess Host { get; }

    public string ConnectionString => Azurite.ConnectionString;

    public static string InstitutionId(string cityCode) => $"inst-bench-{cityCode}";

    /// <summary>
    /// Starts Azurite (in memory) only — for the ceiling probe before the host exists. With <paramref name="profileDir"/>,
    /// node writes Azurite's CPU profile there when it stops (<see cref="AzuriteProfile"/>).
    /// </summary>
    public static async Task<AzuriteInstance> StartAzuriteAsync(CancellationToken ct, string? profileDir = null)
    {
        var script = await AzuriteInstaller.EnsureInstalledAsync(RepoRoot.Find(), null, ct);
        var options = new AzuriteOptions();
        // In memory, the emulator holds every row in its JavaScript heap: 2.3 GB of RSS at a 40,000-item settlement, and
        // node's default heap limit (4.3 GB here) would stop a 100,000-item one. Half the machine's memory instead.
        var heapMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / 1048576;
        options.NodeArguments.Add("--max-old-space-size=" + heapMb.ToString(CultureInfo.InvariantCulture));
        if (profileDir is not null)
        {
            Directory.CreateDirectory(profileDir);
            options.NodeArguments.Add("--cpu-prof");
            options.NodeArguments.Add("--cpu-prof-dir=" + profileDir);
        }

        return await AzuriteInstance.StartAsync(script, options, null, ct);
    }

    public static async Task<BenchEnvironment> StartHostAsync(AzuriteInstance azurite, IReadOnlyDictionary<string, string> extraEnv, CancellationToken ct)
    {
        var port = LocalHostProcess.FreeTcpPort();
        var taskHub = AzuriteFixture.UniqueName("bench");
        var env = new Dictionary<string, string>
        {
            ["VoucherStorage"] = azurite.ConnectionString,
            ["DurableStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = taskHub,
            ["Voucher__PublicBaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Voucher__LinkSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Voucher__SettlementCutoff"] = "now",
            ["Voucher__PublicityWindowMinutes"] = PublicityWindowMinutes.ToString(CultureInfo.InvariantCulture),
            // The daily timer would settle every city on its own; only the benchmark starts settlements.
            ["Voucher__SettlementSchedule"] = "0 0 0 1 1 *",
            ["Voucher__PublicRateLimitPerMinute"] = "1000000",
            // Each message is written once, into its recipient's inbox, as production writes it (no development mailbox copy).
            ["LocalHost__DevMailbox"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in extraEnv)
        {
            env[k] = v;
        }

        var host = await LocalHostProcess.StartAsync(env, port, TimeSpan.FromMinutes(3));
        var environment = new BenchEnvironment(azurite, host, taskHub);
        await environment.SeedCatalogueAsync(ct);
        return environment;
    }

    /// <summary>One verified institution and one testing service per city (the host created the tables before /healthz).</summary>
    async Task SeedCatalogueAsync(CancellationToken ct)
    {
        var tables = new TableServiceClient(ConnectionString);
        foreach (var city in Cities.All)
        {
            await tables.GetTableClient(VoucherStore.Institutions).UpsertEntityAsync(new InstitutionEntity
            {
                PartitionKey = InstitutionId(city.Code),
                CityCode = city.Code,
                Name = $"{city.NameZh}基准测试分析中心",
                Type = "platform",
                Code = InstitutionId(city.Code).ToUpperInvariant(),
                SharingPlatformId = $"SX-OSP-{InstitutionId(city.Code)}",
                Verified = true,
            }, TableUpdateMode.Replace, ct);
            await tables.GetTableClient(VoucherStore.Services).UpsertEntityAsync(new ServiceEntity
            {
                PartitionKey = InstitutionId(city.Code),
                RowKey = ServiceId,
                Title = "材料成分检测",
                Category = "testing",
                CityCode = city.Code,
                Description = "基准测试服务",
                PriceFromFen = 50_000_00,
                PriceToFen = 300_000_00,
                TurnaroundDays = 5,
            }, TableUpdateMode.Replace, ct);
        }
    }

    /// <summary>
    /// CPU time a process has used so far (user + system, from /proc/{pid}/stat in Linux's fixed 100 ticks per second);
    /// NaN where unavailable (the report prints "–"). Taken before and after a phase, it says which process the phase's
    /// time went to.
    /// </summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The fields after the command name (in parentheses, which may hold spaces): state is the first, utime the 12th, stime the 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Peak resident set (VmHWM) of a process from /proc, in bytes; null where unavailable.</summary>
    public static long? PeakRss(int pid) => StatusBytes(pid, "VmHWM:");

    /// <summary>Resident set now (VmRSS) of a process from /proc, in bytes; null where unavailable.</summary>
    public static long? Rss(int pid) => StatusBytes(pid, "VmRSS:");

    static long? StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>True when the host had already exited by itself when the run ended (a crash, or killed from outside).</summary>
    public bool ExitedOnItsOwn { get; private set; }

    public async ValueTask DisposeAsync()
    {
        ExitedOnItsOwn = Host.HasExited;
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}
