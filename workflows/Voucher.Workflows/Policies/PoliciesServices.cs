using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Voucher.Workflows.Policies;

/// <summary>Policy as data: the cities' and the province's versioned policies (store, service, API, pages) and the working-day calendar.</summary>
public static class PoliciesServices
{
    public static IServiceCollection AddPolicies(this IServiceCollection services)
    {
        services.TryAddSingleton(CalendarSeed.Shipped);
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<ProvincePolicyStore>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<PolicyApi>();
        services.AddSingleton<PolicyPages>();
        services.AddSingleton<CityContactsPages>();
        services.AddSingleton<CalendarService>();
        services.AddSingleton<CalendarPages>();
        return services;
    }
}
