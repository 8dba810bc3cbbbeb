using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Voucher.Workflows.Backups;

/// <summary>Table exports into the backup container of the application's storage account, and restores from them.</summary>
public static class BackupServices
{
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(BackupOptions.FromConfiguration(configuration));
        services.TryAddSingleton(sp => BackupStore.For(sp.GetRequiredService<VoucherStore>()));
        services.AddSingleton<TableExporter>();
        services.AddSingleton<TableRestorer>();
        services.AddSingleton<DailyBackup>();
        return services;
    }
}
