using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Security;

namespace Voucher.Workflows.Http;

/// <summary>The marketplace's routes (institutions, the service catalogue and search, SME demand, orders, the faculty record); spread into <see cref="VoucherRoutes.All"/>.</summary>
public static class MarketplaceRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<MarketplaceApi>("RegisterInstitution", "POST", "api/institutions", Access.Only(Role.Institution), (h, c) => h.RegisterInstitutionAsync(c)),
        RouteDef.For<MarketplaceApi>("PendingInstitutions", "GET", "api/institutions", Access.Only(Role.Province), (h, c) => h.PendingInstitutionsAsync(c)),
        RouteDef.For<MarketplaceApi>("GetInstitution", "GET", "api/institutions/{institutionId}", Access.Public, (h, c) => h.GetInstitutionAsync(c)),
        RouteDef.For<MarketplaceApi>("UpdateInstitution", "POST", "api/institutions/{institutionId}", Access.Only(Role.Institution), (h, c) => h.UpdateInstitutionAsync(c)),
        RouteDef.For<MarketplaceApi>("VerifyInstitution", "POST", "api/institutions/{institutionId}/verification", Access.Only(Role.Province), (h, c) => h.VerifyInstitutionAsync(c)),
        RouteDef.For<MarketplaceApi>("GetFacultyRecord", "GET", "api/institutions/{institutionId}/faculty-record", Access.Only(Role.Institution, Role.Province), (h, c) => h.FacultyRecordAsync(c)),
        RouteDef.For<MarketplaceApi>("SearchServices", "GET", "api/services", Access.Public, (h, c) => h.SearchAsync(c)),
        RouteDef.For<MarketplaceApi>("PublishService", "POST", "api/services", Access.Only(Role.Institution), (h, c) => h.PublishServiceAsync(c)),
        RouteDef.For<MarketplaceApi>("GetService", "GET", "api/services/{institutionId}/{serviceId}", Access.Public, (h, c) => h.GetServiceAsync(c)),
        RouteDef.For<MarketplaceApi>("UpdateService", "POST", "api/services/{institutionId}/{serviceId}", Access.Only(Role.Institution), (h, c) => h.UpdateServiceAsync(c)),
        RouteDef.For<MarketplaceApi>("SetServiceStatus", "POST", "api/services/{institutionId}/{serviceId}/status", Access.Only(Role.Institution), (h, c) => h.SetServiceStatusAsync(c)),
        RouteDef.For<MarketplaceApi>("GetServiceVersions", "GET", "api/services/{institutionId}/{serviceId}/versions", Access.Public, (h, c) => h.VersionsAsync(c)),
        RouteDef.For<MarketplaceApi>("SimilarServices", "GET", "api/services/{institutionId}/{serviceId}/similar", Access.Public, (h, c) => h.SimilarAsync(c)),
        RouteDef.For<MarketplaceApi>("PostDemand", "POST", "api/demands", Access.Only(Role.Enterprise), (h, c) => h.PostDemandAsync(c)),
        RouteDef.For<MarketplaceApi>("ListDemands", "GET", "api/demands", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.ListDemandsAsync(c)),
        RouteDef.For<MarketplaceApi>("GetDemand", "GET", "api/demands/{demandId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetDemandAsync(c)),
        RouteDef.For<MarketplaceApi>("MakeOffer", "POST", "api/demands/{demandId}/offers", Access.Only(Role.Institution), (h, c) => h.MakeOfferAsync(c)),
        RouteDef.For<MarketplaceApi>("AcceptOffer", "POST", "api/demands/{demandId}/offers/{institutionId}/accept", Access.Only(Role.Enterprise), (h, c) => h.AcceptOfferAsync(c)),
        RouteDef.For<MarketplaceApi>("GetOrder", "GET", "api/orders/{orderId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetOrderAsync(c)),

        RouteDef.For<CataloguePages>("CataloguePage", "GET", "catalogue", Access.Public, (h, c) => h.SearchPageAsync(c)),
        RouteDef.For<CataloguePages>("CatalogueServicePage", "GET", "catalogue/{institutionId}/{serviceId}", Access.Public, (h, c) => h.ServicePageAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitution", "GET", "portal/institution", Access.Only(Role.Institution), (h, c) => h.HomeAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitutionProfile", "POST", "portal/institution/profile", Access.Only(Role.Institution), (h, c) => h.SaveProfileAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalServiceForm", "GET", "portal/institution/services/{serviceId}", Access.Only(Role.Institution), (h, c) => h.ServiceFormAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalServiceSave", "POST", "portal/institution/services/{serviceId}", Access.Only(Role.Institution), (h, c) => h.SaveServiceAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalServiceStatus", "POST", "portal/institution/services/{serviceId}/status", Access.Only(Role.Institution), (h, c) => h.SetStatusAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalMatchingDemand", "GET", "portal/institution/demands", Access.Only(Role.Institution), (h, c) => h.DemandsAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalMakeOffer", "POST", "portal/institution/demands/{demandId}/offer", Access.Only(Role.Institution), (h, c) => h.OfferAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalFaculty", "GET", "portal/faculty", Access.Only(Role.Institution), (h, c) => h.FacultyAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalFacultyExport", "GET", "portal/faculty/export", Access.Only(Role.Institution), (h, c) => h.FacultyExportAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalMarket", "GET", "portal/market", Access.Only(Role.Enterprise), (h, c) => h.MarketAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalPostDemand", "POST", "portal/market/demands", Access.Only(Role.Enterprise), (h, c) => h.PostDemandAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalAcceptOffer", "POST", "portal/market/demands/{demandId}/accept", Access.Only(Role.Enterprise), (h, c) => h.AcceptAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalOrder", "GET", "portal/orders/{orderId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.OrderAsync(c)),
        RouteDef.For<ProvinceInstitutionPages>("PortalInstitutions", "GET", "portal/institutions", Access.Only(Role.Province), (h, c) => h.ListAsync(c)),
        RouteDef.For<ProvinceInstitutionPages>("PortalVerifyInstitution", "POST", "portal/institutions/{institutionId}/verification", Access.Only(Role.Province), (h, c) => h.DecideAsync(c)),
    ];
}
