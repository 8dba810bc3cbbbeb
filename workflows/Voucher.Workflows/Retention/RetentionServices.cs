using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Retention;

public static class RetentionServices
{
    /// <summary>The daily retention run (both hosts' timers call <see cref="RetentionRun.RunAsync"/>).</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(RetentionSettings.FromConfiguration(configuration));
        services.AddSingleton<DurableHistoryPurge>();
        services.AddSingleton<CatalogueChangeTrim>();
        services.AddSingleton<EvidenceRetention>();
        services.AddSingleton<RetentionRun>();
        return services;
    }
}
