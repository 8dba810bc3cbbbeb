using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Enforcement;

/// <summary>The enforcement area: its store, the services (violations and their evidence, claw-backs, credit, the expert pool, the pre-payment audit), API and pages.</summary>
public static class EnforcementServices
{
    public static IServiceCollection AddEnforcement(this IServiceCollection services)
    {
        services.AddSingleton<EnforcementStore>();
        services.AddSingleton<ClawBackClaims>();
        services.AddSingleton<ViolationEvidenceService>();
        services.AddSingleton<ViolationService>();
        services.AddSingleton<ClawBackService>();
        services.AddSingleton<CreditService>();
        services.AddSingleton<ExpertService>();
        services.AddSingleton<PrepaymentAudit>();
        services.AddSingleton<ViolationApi>();
        services.AddSingleton<EnforcementApi>();
        services.AddSingleton<ViolationPages>();
        services.AddSingleton<ClawBackPages>();
        services.AddSingleton<CreditPages>();
        services.AddSingleton<ExpertPages>();
        return services;
    }
}
