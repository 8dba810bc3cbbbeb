using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Voucher.Demo;
using Voucher.LocalHost.Azurite;
using Voucher.LocalHost.Baseline;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The local host: the same routes, orchestrators and activities as the Functions app, on the Durable Task
/// Framework's Azure Storage provider. Starts Azurite itself (data in <c>.data/azurite</c>, so state survives
/// a restart) unless a storage connection is given in the environment or on the command line.
/// </summary>
public static partial class LocalHostApp
{
    public const string DefaultUrl = "http://localhost:7071";

    public static async Task<int> RunAsync(string[] args)
    {
        var demo = args.Contains("--demo");
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
        var repoRoot = RepoRoot.FindFrom(Directory.GetCurrentDirectory()) ?? RepoRoot.FindFrom(AppContext.BaseDirectory);
        var explicitStorage = StorageConnection.IsConfigured(builder.Configuration, SettingNames.VoucherStorage);
        LocalSettings.AddAsLowestPriority(builder.Configuration, repoRoot);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // The Durable engine's own log (partition leases, dequeues, checkpoints) is written from Warning up unless
        // Durable:EngineLogLevel asks for more (e.g. Information, to follow a partition hand-over).
        var engineLogLevel = builder.Configuration.GetValue("Durable:EngineLogLevel", LogLevel.Warning);
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(engineLogLevel));
        var log = loggers.CreateLogger("Voucher.LocalHost");
        await using var azurite = explicitStorage ? null : await StartEmbeddedAzuriteAsync(repoRoot, builder.Configuration, log);
        var metrics = new StorageMetrics();
        await using var engine = await LocalDurableEngine.StartAsync(builder.Configuration, loggers, metrics, CancellationToken.None);

        builder.Services.AddSingleton(metrics);
        Configure(builder.Services, builder.Configuration, engine);
        var app = builder.Build();
        await app.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
        if (demo)
        {
            await app.Services.GetRequiredService<DemoData>().SeedAsync();
        }

        if (BaselineWorkflow.IsEnabled(builder.Configuration))
        {
            await BaselineWorkflow.PrepareAsync(app.Services);
        }

        MapEndpoints(app, builder.Configuration);
        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, demo, azurite, engine, app.Services.GetRequiredService<LinkKey>()));
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// The local host's endpoint table: every route of the shared table, the benchmark's bare-engine baseline only when
    /// <see cref="BaselineWorkflow.Setting"/> is on, and the fallback. The route test maps it as the host does.
    /// </summary>
    public static void MapEndpoints(IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        LocalRoutes.Map(endpoints);
        if (BaselineWorkflow.IsEnabled(configuration))
        {
            BaselineRoutes.Map(endpoints);
        }

        LocalFallback.Map(endpoints);
    }

    /// <summary>What the worker runs: the catalog, and the baseline's orchestrator and activity only when it is on.</summary>
    public static void AddTasks(DurableTaskRegistry registry, IConfiguration configuration)
    {
        WorkflowCatalog.AddTo(registry);
        if (BaselineWorkflow.IsEnabled(configuration))
        {
            BaselineWorkflow.AddTo(registry);
        }
    }

    /// <summary>The services of the local host; the route and registration tests build them too.</summary>
    public static void Configure(IServiceCollection services, IConfiguration configuration, LocalDurableEngine engine)
    {
        services.AddVoucherWorkflows(configuration);
        services.AddVoucherDemo();
        services.AddSingleton<DevelopmentPrincipalSource>();
        services.AddSingleton<IPrincipalSource>(sp => sp.GetRequiredService<DevelopmentPrincipalSource>());
        services.AddSingleton(new Workflows.Notifications.DevMailbox(configuration.GetValue(Workflows.Notifications.DevMailbox.Setting, true)));
        services.AddDurableTaskWorker(b =>
        {
            b.UseGrpc(engine.Channel);
            b.AddTasks(r => AddTasks(r, configuration));
        });
        services.AddDurableTaskClient(b =>
        {
            // The caller's storage origin travels with each client call, so the sidecar's calls count under it (SidecarCallOrigin).
            b.UseGrpc(o =>
            {
                o.Channel = engine.Channel;
                o.Interceptors.Add(new DurableClientOrigin());
            });
            b.RegisterDirectly();
        });
        services.AddHostedService<OutboxSweepService>();
        services.AddHostedService<SettlementTimerService>();
        services.AddHostedService<CalendarCheckService>();
        services.AddHostedService<RetentionCronService>();
        services.AddHostedService<BackupTimerService>();
        services.AddHostedService<Workflows.Accounts.MembershipFeedService>();
        AddTracing(services, configuration);
    }

    /// <summary>
    /// Traces of the same sources as the Functions app (<see cref="Telemetry.Sources"/>), from the HTTP request through
    /// the orchestration and its activities: to the console (<c>Voucher__TraceExporter=console</c>) or to an OpenTelemetry
    /// collector (<c>Voucher__TraceExporter=otlp</c>, endpoint from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); none by default.
    /// </summary>
    static void AddTracing(IServiceCollection services, IConfiguration configuration)
    {
        var exporter = VoucherSettings.Read(configuration, SettingNames.TraceExporter)?.Trim().ToLowerInvariant();
        if (exporter is not ("console" or "otlp"))
        {
            return;
        }

        // The Azure SDK reports its storage calls as spans only when asked.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Telemetry.ServiceName))
            .WithTracing(t =>
            {
                t.AddSource([.. Telemetry.Sources]).AddAspNetCoreInstrumentation();
                if (exporter == "otlp")
                {
                    t.AddOtlpExporter();
                }
                else
                {
                    t.AddConsoleExporter();
                }
            });
    }

    internal static async Task<AzuriteInstance?> StartEmbeddedAzuriteAsync(string? repoRoot, ConfigurationManager configuration, ILogger log)
    {
        if (repoRoot is null)
        {
            throw new InvalidOperationException("Cannot find the repository (Voucher.Functions.sln) to start Azurite; set VoucherStorage and DurableStorage instead.");
        }

        var script = await AzuriteInstaller.EnsureInstalledAsync(repoRoot, log, CancellationToken.None);
        try
        {
            var azurite = await AzuriteInstance.StartAsync(script, new AzuriteOptions
            {
                Location = Path.Combine(repoRoot, ".data", "azurite"),
                BlobPort = 10000,
                QueuePort = 10001,
                TablePort = 10002,
            }, log, CancellationToken.None);
            configuration[SettingNames.VoucherStorage] = azurite.ConnectionString;
            configuration[SettingNames.DurableStorage] = azurite.ConnectionString;
            return azurite;
        }
        catch (AzuriteStartException e) when (e.PortInUse)
        {
            // An Azurite the developer already runs on the default ports: use it (UseDevelopmentStorage=true).
            Log.UsingRunningAzurite(log);
            configuration[SettingNames.VoucherStorage] = "UseDevelopmentStorage=true";
            configuration[SettingNames.DurableStorage] = "UseDevelopmentStorage=true";
            return null;
        }
    }

    static void PrintWelcome(WebApplication app, bool demo, AzuriteInstance? azurite, LocalDurableEngine engine, LinkKey linkKey)
    {
        var url = app.Urls.FirstOrDefault() ?? DefaultUrl;
        Console.WriteLine();
        Console.WriteLine("  山西省科技创新券 Voucher — local host is running");
        Console.WriteLine($"  Portal      {url}/");
        Console.WriteLine($"  Sign in     {url}/dev/signin");
        Console.WriteLine($"  Mailbox     {url}/dev/mailbox");
        Console.WriteLine($"  API         {url}/api/applications");
        Console.WriteLine($"  Worker      {engine.Tally.WorkerId} (task hub {engine.Settings.TaskHubName}, {engine.Settings.PartitionCount} partitions)");
        Console.WriteLine($"  Storage     {(azurite is null ? "configured connection" : $"Azurite (tables :{azurite.TablePort}, data in .data/azurite)")}");
        if (demo)
        {
            Console.WriteLine("  Demo data   loaded: 11 city policies, enterprises " + string.Join(", ", DemoData.Enterprises.Select(e => e.Uscc)));
            Console.WriteLine($"  Demo agency {AgencyDemoData.AgencyId} acts for {DemoData.Enterprises[0].Uscc} (sign in as 代理机构 agency with that id)");
        }

        foreach (var warning in StartupWarnings(linkKey))
        {
            Console.WriteLine("  " + warning);
        }

        Console.WriteLine("  Press Ctrl+C to stop.");
        Console.WriteLine();
    }

    /// <summary>What the welcome text warns about: running on the public sample link key (<see cref="LinkKey.SampleKeyWarning"/>).</summary>
    public static IReadOnlyList<string> StartupWarnings(LinkKey linkKey) => linkKey.UsesSampleKey ? [LinkKey.SampleKeyWarning] : [];

    static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Ports 10000-10002 are taken: using the Azurite already running there")]
        public static partial void UsingRunningAzurite(ILogger logger);
    }
}
