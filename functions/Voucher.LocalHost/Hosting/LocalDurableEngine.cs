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

    LocalDurableEngine(WebApplication sidecar, GrpcChannel channel, AzureStorageOrchestrationService service)
    {
        this.sidecar = sidecar;
        Channel = channel;
        Service = service;
    }

    public GrpcChannel Channel { get; }

    public AzureStorageOrchestrationService Service { get; }

    public static AzureStorageOrchestrationServiceSettings CreateSettings(IConfiguration configuration, ILoggerFactory loggers)
    {
        var connection = StorageConnection.FromConfiguration(configuration, SettingNames.DurableStorage);
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = VoucherSettings.FromConfiguration(configuration).TaskHubName,
            StorageAccountClientProvider = connection.ConnectionString is not null
                ? new StorageAccountClientProvider(connection.ConnectionString)
                : new StorageAccountClientProvider(connection.BlobUri!, connection.QueueUri!, connection.TableUri!, connection.Credential!),
            PartitionCount = configuration.GetValue("Durable:PartitionCount", 4),
            // An idle hub otherwise polls as slowly as every 30 s; people wait on these queues.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:MaxQueuePollingSeconds", 1.0)),
            UseTablePartitionManagement = true,
            CustomMessageTypeBinder = new ProtobufMapTypeBinder(),
            LoggerFactory = loggers,
        };
    }

    public static async Task<LocalDurableEngine> StartAsync(IConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var service = new AzureStorageOrchestrationService(CreateSettings(configuration, loggers));
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(new SidecarHistoryFix(service));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(ct);

        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableEngine(sidecar, GrpcChannel.ForAddress(address), service);
    }

    public async ValueTask DisposeAsync()
    {
        await sidecar.StopAsync();
        await sidecar.DisposeAsync();
        Channel.Dispose();
    }
}
