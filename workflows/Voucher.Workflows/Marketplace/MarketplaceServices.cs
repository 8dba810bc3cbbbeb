using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's services for dependency injection (one call from the shared registration).</summary>
public static class MarketplaceServices
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<CatalogueIndex>();
        services.AddSingleton<MarketService>();
        services.AddSingleton<FacultyRecords>();
        services.AddSingleton<MarketplaceApi>();
        services.AddSingleton<CataloguePages>();
        services.AddSingleton<InstitutionMarketPages>();
        services.AddSingleton<EnterpriseMarketPages>();
        services.AddSingleton<ProvinceInstitutionPages>();
        return services;
    }
}
