using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Readiness;

public static class ReadinessServices
{
    /// <summary>The readiness probe and its checks: tables, blobs, the task hub's queues and tables, the calendar, the sign-in.</summary>
    public static IServiceCollection AddReadiness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<StorageMetrics>();
            var connection = new Lazy<StorageConnection>(() => StorageConnection.FromConfiguration(configuration, SettingNames.DurableStorage));
            return new TaskHubStorage(
                new Lazy<TableServiceClient>(() => connection.Value.CreateTableServiceClient(metrics.TableOptions())),
                new Lazy<QueueServiceClient>(() => connection.Value.CreateQueueServiceClient(metrics.QueueOptions())),
                sp.GetRequiredService<VoucherSettings>().TaskHubName);
        });
        services.AddSingleton<IReadinessCheck, TablesCheck>();
        services.AddSingleton<IReadinessCheck, BlobsCheck>();
        services.AddSingleton<IReadinessCheck, QueuesCheck>();
        services.AddSingleton<IReadinessCheck, TaskHubCheck>();
        services.AddSingleton<IReadinessCheck, Policies.CalendarReadinessCheck>();
        services.AddSingleton<IReadinessCheck>(sp => new SignInCheck(sp.GetRequiredService<IPrincipalSource>(), VoucherSettings.Read(configuration, SettingNames.SignInProvider)));
        return services;
    }
}
