using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Voucher.Workflows.Policies;

/// <summary>Policy as data: the cities' versioned policies and the working-day calendar.</summary>
public static class PoliciesServices
{
    public static IServiceCollection AddPolicies(this IServiceCollection services)
    {
        services.TryAddSingleton(CalendarSeed.Shipped);
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<CalendarService>();
        services.AddSingleton<CalendarPages>();
        return services;
    }
}
