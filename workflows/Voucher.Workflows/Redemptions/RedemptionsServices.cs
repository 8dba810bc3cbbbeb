using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Ledger;

namespace Voucher.Workflows.Redemptions;

/// <summary>Flow 2 up to the settlement queue: evidence, binding, the annual-cap ledger, the services, their API and pages.</summary>
public static class RedemptionsServices
{
    public static IServiceCollection AddRedemptions(this IServiceCollection services)
    {
        services.AddSingleton<CapLedger>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<RedemptionStore>();
        services.AddSingleton<RedemptionSteps>();
        services.AddSingleton<EvidenceCompletion>();
        services.AddSingleton<ReplanBindingRound>();
        services.AddTransient<RedemptionAdvance>();
        services.AddSingleton<BindingRounds>();
        services.AddSingleton<BindingLinks>();
        services.AddSingleton<RedemptionNotices>();
        services.AddSingleton<RedemptionEvents>();
        services.AddSingleton<PendingRedemptionEvents>();
        services.AddSingleton<RedemptionStarts>();
        services.AddSingleton<Durable.IStartedWorkflow>(sp => sp.GetRequiredService<RedemptionStarts>());
        services.AddSingleton<RedemptionService>();
        services.AddSingleton<BindingService>();
        services.AddSingleton<EvidenceService>();
        services.AddSingleton<RedemptionApi>();
        services.AddSingleton<BindingPages>();
        services.AddSingleton<RedemptionPages>();
        services.AddSingleton<EnterpriseRedemptionPages>();
        services.AddSingleton<InstitutionHomePage>();
        return services;
    }
}
