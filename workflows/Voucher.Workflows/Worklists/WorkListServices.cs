using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Worklists;

/// <summary>The work-list area: the index reader, the pages and the start-up backfill of the indexes.</summary>
public static class WorkListServices
{
    public static IServiceCollection AddWorkLists(this IServiceCollection services)
    {
        services.AddSingleton<WorkListService>();
        services.AddSingleton<WorkListPages>();
        services.AddSingleton<IndexBackfill>();
        return services;
    }
}
