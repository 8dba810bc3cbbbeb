using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Agencies;

public static class AgencyServices
{
    /// <summary>Delegations (store, the dispatcher's guard, API and pages) and the enterprise profile editing.</summary>
    public static IServiceCollection AddAgencies(this IServiceCollection services) =>
        services
            .AddSingleton<DelegationStore>()
            .AddSingleton<DelegationGuard>()
            .AddSingleton<AgencyHandlers>()
            .AddSingleton<AgencyPages>()
            .AddSingleton<AgencyBindingForm>()
            .AddSingleton<EnterpriseProfile>();
}
