using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Storage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The engine Durable Functions uses, without the Functions host: the Durable Task Framework's Azure Storage
/// provider (over Azurite), served to the Durable Task SDK worker and client through the gRPC sidecar
/// <see cref="TaskHubGrpcServer"/> on a loopback port of its own.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    readonly WebApplication sidecar;

    LocalDurableEngine(WebApplication sidecar, GrpcChannel channel, AzureStorageOrchestrationService service, AzureStorageOrchestrationServiceSettings settings, WorkerTally tally)
    {
        Settings = settings;
        this.sidecar = sidecar;
        Channel = channel;
        Service = service;
        Tally = tally;
    }

    /// <summary>The provider's settings this instance runs with (worker id, task hub, partitions, leases).</summary>
    public AzureStorageOrchestrationServiceSettings Settings { get; }

    /// <summary>The work items this instance's worker has taken (printed to the console).</summary>
    public WorkerTally Tally { get; }

    public GrpcChannel Channel { get; }

    public AzureStorageOrchestrationService Service { get; }

    public static AzureStorageOrchestrationServiceSettings CreateSettings(IConfiguration configuration, ILoggerFactory loggers, StorageMetrics metrics, int partitionCount)
    {
        var connection = StorageConnection.FromConfiguration(configuration, SettingNames.DurableStorage);
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = VoucherSettings.FromConfiguration(configuration).TaskHubName,
            // Clients carry the transaction counter, so the benchmark sees the engine's storage cost too.
            StorageAccountClientProvider = connection.ConnectionString is not null
                ? new StorageAccountClientProvider(
                    StorageServiceClientProvider.ForBlob(connection.ConnectionString, metrics.BlobOptions()),
                    StorageServiceClientProvider.ForQueue(connection.ConnectionString, metrics.QueueOptions()),
                    StorageServiceClientProvider.ForTable(connection.ConnectionString, metrics.TableOptions()))
                : new StorageAccountClientProvider(
                    StorageServiceClientProvider.ForBlob(connection.BlobUri!, connection.Credential!, metrics.BlobOptions()),
                    StorageServiceClientProvider.ForQueue(connection.QueueUri!, connection.Credential!, metrics.QueueOptions()),
                    StorageServiceClientProvider.ForTable(connection.TableUri!, connection.Credential!, metrics.TableOptions())),
            PartitionCount = partitionCount,
            // Several local hosts may share one task hub (scale-out; infra/README.md): each needs a worker id of its
            // own, or they would all think they own every partition. The id stays the same across a restart on the same
            // port, so a restarted host takes its partitions back at once instead of waiting for their leases to expire.
            WorkerId = WorkerIdOf(configuration),
            // Table partition manager: every LeaseAcquireInterval a worker reads the partitions table, renews its own
            // leases (each renewal extends the lease by LeaseInterval) and claims expired ones. A surviving host takes a
            // dead one's partitions at most LeaseInterval + LeaseAcquireInterval after its last renewal.
            LeaseInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:LeaseIntervalSeconds", 20.0)),
            LeaseAcquireInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:LeaseAcquireIntervalSeconds", 10.0)),
            LeaseRenewInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:LeaseRenewIntervalSeconds", 10.0)),
            // An idle hub otherwise polls as slowly as every 30 s; people wait on these queues.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:MaxQueuePollingSeconds", 1.0)),
            // A hard-killed process leaves the messages it had taken invisible until this passes (default 5 min).
            // The sidecar does not renew activity locks, so the work-item timeout stays above the longest activity.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Durable:ControlQueueVisibilitySeconds", 30.0)),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Durable:WorkItemQueueVisibilitySeconds", 120.0)),
            UseTablePartitionManagement = true,
            CustomMessageTypeBinder = new ProtobufMapTypeBinder(),
            LoggerFactory = loggers,
        };
    }

    /// <summary>
    /// <c>Durable:WorkerId</c> when set; else the machine's name and the HTTP port of the first of the host's
    /// <c>urls</c> (e.g. <c>build-01:7071</c>), which differs between instances on one machine and stays the same when an
    /// instance restarts on its port.
    /// </summary>
    public static string WorkerIdOf(IConfiguration configuration)
    {
        if (configuration["Durable:WorkerId"] is { Length: > 0 } configured)
        {
            return configured;
        }

        var url = (configuration["urls"] ?? LocalHostApp.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var port = url is not null && Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "0";
        return Environment.MachineName + ":" + port;
    }

    /// <summary>
    /// Partitions exist to spread orchestrations over several workers; the local host is one process, so a new task hub
    /// gets one (one control queue to poll instead of four: measured 65.9 → 60.5 storage calls per application lifecycle
    /// and 5.5 → 2.3 calls/s idle, tests/Voucher.Benchmarks/README.md). A hub that already exists keeps the count it was
    /// created with — its in-flight messages sit in its control queues, which a smaller count would no longer poll.
    /// <c>Durable:PartitionCount</c> overrides both. The Functions app keeps <c>host.json</c>'s 4 (scale-out).
    /// </summary>
    public static async Task<int> PartitionCountAsync(IConfiguration configuration, CancellationToken ct)
    {
        if (configuration.GetValue<int?>("Durable:PartitionCount") is { } configured)
        {
            return configured;
        }

        var connection = StorageConnection.FromConfiguration(configuration, SettingNames.DurableStorage);
        var queues = connection.ConnectionString is not null
            ? new Azure.Storage.Queues.QueueServiceClient(connection.ConnectionString)
            : new Azure.Storage.Queues.QueueServiceClient(connection.QueueUri!, connection.Credential!);
        var prefix = VoucherSettings.FromConfiguration(configuration).TaskHubName.ToLowerInvariant() + "-control-";
        var existing = 0;
        await foreach (var _ in queues.GetQueuesAsync(prefix: prefix, cancellationToken: ct))
        {
            existing++;
        }

        return existing > 0 ? existing : 1;
    }

    public static async Task<LocalDurableEngine> StartAsync(IConfiguration configuration, ILoggerFactory loggers, StorageMetrics metrics, CancellationToken ct)
    {
        var settings = CreateSettings(configuration, loggers, metrics, await PartitionCountAsync(configuration, ct));
        var service = new AzureStorageOrchestrationService(settings);
        var tally = new WorkerTally(settings.WorkerId);
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.Interceptors.Add<SidecarCallOrigin>());
        builder.Services.AddSingleton<IOrchestrationService>(new SidecarHistoryFix(service, tally));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(ct);

        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableEngine(sidecar, GrpcChannel.ForAddress(address), service, settings, tally);
    }

    public async ValueTask DisposeAsync()
    {
        await sidecar.StopAsync();
        await sidecar.DisposeAsync();
        Channel.Dispose();
        Tally.Dispose();
    }
}
