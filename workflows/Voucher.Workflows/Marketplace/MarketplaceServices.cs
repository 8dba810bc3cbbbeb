using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace's services for dependency injection (one call from the shared registration).</summary>
public static class MarketplaceServices
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        // Stores and this instance's search index.
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<CatalogueIndex>();
        services.AddSingleton<MarketStore>();

        // The application services, one per aggregate, and the read side.
        services.AddSingleton<InstitutionService>();
        services.AddSingleton<CatalogueService>();
        services.AddSingleton<CatalogueSearch>();
        services.AddSingleton<DemandService>();
        services.AddSingleton<OfferService>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<FacultyRecords>();

        // Adapters: the JSON API and the pages.
        services.AddSingleton<InstitutionApi>();
        services.AddSingleton<CatalogueApi>();
        services.AddSingleton<DemandApi>();
        services.AddSingleton<OfferApi>();
        services.AddSingleton<FacultyApi>();
        services.AddSingleton<CataloguePages>();
        services.AddSingleton<InstitutionMarketPages>();
        services.AddSingleton<InstitutionServicePages>();
        services.AddSingleton<InstitutionDemandPages>();
        services.AddSingleton<FacultyPages>();
        services.AddSingleton<EnterpriseMarketPages>();
        services.AddSingleton<ProvinceInstitutionPages>();
        return services;
    }
}
