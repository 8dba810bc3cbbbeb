using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Demo;

/// <summary>
/// Registers the demo seeders. Only the local host calls this (<c>--demo</c>); the Functions app does not reference
/// this assembly, so no demo data can be seeded in Azure.
/// </summary>
public static class DemoServices
{
    public static IServiceCollection AddVoucherDemo(this IServiceCollection services)
    {
        services.AddSingleton<SupervisionDemo>();
        services.AddSingleton<DemoData>();
        return services;
    }
}
