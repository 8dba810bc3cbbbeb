using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Worklists;

/// <summary>The work-list area: the index reader and the pages.</summary>
public static class WorkListServices
{
    public static IServiceCollection AddWorkLists(this IServiceCollection services)
    {
        services.AddSingleton<WorkListService>();
        services.AddSingleton<WorkListPages>();
        return services;
    }
}
