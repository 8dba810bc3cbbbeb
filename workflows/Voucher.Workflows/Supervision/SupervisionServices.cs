using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Supervision;

public static class SupervisionServices
{
    /// <summary>The supervision area's services (statistics, policy administration, evaluation, findings).</summary>
    public static IServiceCollection AddSupervision(this IServiceCollection services)
    {
        services.AddSingleton<StatsAggregator>();
        services.AddSingleton<StatsReader>();
        services.AddSingleton<HistoryImport>();
        services.AddSingleton<StatsHandlers>();
        services.AddSingleton<PolicyAdministration>();
        services.AddSingleton<PolicyPages>();
        services.AddSingleton<IViolationCounts, ViolationCounts>();
        services.AddSingleton<Evaluations>();
        services.AddSingleton<EvaluationPages>();
        services.AddSingleton<FindingsStore>();
        services.AddSingleton<FindingPages>();
        services.AddSingleton<SupervisionDemo>();
        return services;
    }
}
