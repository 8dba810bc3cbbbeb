using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Supervision;

public static class SupervisionServices
{
    /// <summary>The supervision area: statistics, the annual evaluation and the inspection findings (stores, services, API, pages).</summary>
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddSingleton<StatsAggregator>();
        services.AddSingleton<StatsReader>();
        services.AddSingleton<HistoryImport>();
        services.AddSingleton<StatisticsService>();
        services.AddSingleton<StatsApi>();
        services.AddSingleton<StatsPages>();
        services.AddSingleton<IViolationCounts, ViolationCounts>();
        services.AddSingleton<EvaluationService>();
        services.AddSingleton<EvaluationApi>();
        services.AddSingleton<EvaluationPages>();
        services.AddSingleton<FindingsStore>();
        services.AddSingleton<FindingService>();
        services.AddSingleton<FindingPages>();
        return services;
    }
}
