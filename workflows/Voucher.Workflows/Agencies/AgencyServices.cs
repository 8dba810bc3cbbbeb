using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Agencies;

public static class AgencyServices
{
    /// <summary>
    /// Agencies and delegations (store, the dispatcher's guard, the service, API and pages), and the enterprises'
    /// registration and profile (service, API, page).
    /// </summary>
    public static IServiceCollection AddAgencies(this IServiceCollection services) =>
        services
            .AddSingleton<DelegationStore>()
            .AddSingleton<DelegationGuard>()
            .AddSingleton<AgencyService>()
            .AddSingleton<AgencyApi>()
            .AddSingleton<AgencyPages>()
            .AddSingleton<AgencyBindingForm>()
            .AddSingleton<EnterpriseService>()
            .AddSingleton<EnterpriseApi>()
            .AddSingleton<EnterprisePages>();
}
