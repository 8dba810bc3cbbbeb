namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace: institutions, the service catalogue and search, SME demand and offers, orders, the faculty record; API and pages.</summary>
public static class MarketplaceRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<InstitutionApi>("RegisterInstitution", "POST", "api/institutions", Access.Only(Role.Institution), (h, c) => h.RegisterAsync(c)),
        RouteDef.For<InstitutionApi>("PendingInstitutions", "GET", "api/institutions", Access.Only(Role.Province), (h, c) => h.PendingAsync(c)),
        RouteDef.For<InstitutionApi>("GetInstitution", "GET", "api/institutions/{institutionId}", Access.Public, (h, c) => h.GetAsync(c)),
        RouteDef.For<InstitutionApi>("UpdateInstitution", "POST", "api/institutions/{institutionId}", Access.Only(Role.Institution), (h, c) => h.EditAsync(c)),
        RouteDef.For<InstitutionApi>("VerifyInstitution", "POST", "api/institutions/{institutionId}/verification", Access.Only(Role.Province), (h, c) => h.DecideAsync(c)),
        RouteDef.For<FacultyApi>("GetFacultyRecord", "GET", "api/institutions/{institutionId}/faculty-record", Access.Only(Role.Institution, Role.Province), (h, c) => h.RecordAsync(c)),
        RouteDef.For<CatalogueApi>("SearchServices", "GET", "api/services", Access.Public, (h, c) => h.SearchAsync(c)),
        RouteDef.For<CatalogueApi>("PublishService", "POST", "api/services", Access.Only(Role.Institution), (h, c) => h.PublishAsync(c)),
        RouteDef.For<CatalogueApi>("GetService", "GET", "api/services/{institutionId}/{serviceId}", Access.Public, (h, c) => h.GetAsync(c)),
        RouteDef.For<CatalogueApi>("UpdateService", "POST", "api/services/{institutionId}/{serviceId}", Access.Only(Role.Institution), (h, c) => h.EditAsync(c)),
        RouteDef.For<CatalogueApi>("SetServiceStatus", "POST", "api/services/{institutionId}/{serviceId}/status", Access.Only(Role.Institution), (h, c) => h.ChangeStatusAsync(c)),
        RouteDef.For<CatalogueApi>("GetServiceVersions", "GET", "api/services/{institutionId}/{serviceId}/versions", Access.Public, (h, c) => h.VersionsAsync(c)),
        RouteDef.For<CatalogueApi>("SimilarServices", "GET", "api/services/{institutionId}/{serviceId}/similar", Access.Public, (h, c) => h.SimilarAsync(c)),
        RouteDef.For<DemandApi>("PostDemand", "POST", "api/demands", Access.Only(Role.Enterprise), (h, c) => h.PostAsync(c)),
        RouteDef.For<DemandApi>("ListDemands", "GET", "api/demands", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.ListAsync(c)),
        RouteDef.For<DemandApi>("GetDemand", "GET", "api/demands/{demandId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetAsync(c)),
        RouteDef.For<DemandApi>("CloseDemand", "POST", "api/demands/{demandId}/close", Access.Only(Role.Enterprise), (h, c) => h.CloseAsync(c)),
        RouteDef.For<OfferApi>("MakeOffer", "POST", "api/demands/{demandId}/offers", Access.Only(Role.Institution), (h, c) => h.MakeAsync(c)),
        RouteDef.For<OfferApi>("WithdrawOffer", "POST", "api/demands/{demandId}/offers/{institutionId}/withdraw", Access.Only(Role.Institution), (h, c) => h.WithdrawAsync(c)),
        RouteDef.For<OfferApi>("AcceptOffer", "POST", "api/demands/{demandId}/offers/{institutionId}/accept", Access.Only(Role.Enterprise), (h, c) => h.AcceptAsync(c)),
        RouteDef.For<OfferApi>("GetOrder", "GET", "api/orders/{orderId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetOrderAsync(c)),

        RouteDef.For<CataloguePages>("CataloguePage", "GET", "catalogue", Access.Public, (h, c) => h.SearchPageAsync(c)),
        RouteDef.For<CataloguePages>("CatalogueServicePage", "GET", "catalogue/{institutionId}/{serviceId}", Access.Public, (h, c) => h.ServicePageAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitution", "GET", "portal/institution", Access.Only(Role.Institution), (h, c) => h.HomeAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitutionProfile", "POST", "portal/institution/profile", Access.Only(Role.Institution), (h, c) => h.SaveProfileAsync(c)),
        RouteDef.For<InstitutionServicePages>("PortalServiceForm", "GET", "portal/institution/services/{serviceId}", Access.Only(Role.Institution), (h, c) => h.ServiceFormAsync(c)),
        RouteDef.For<InstitutionServicePages>("PortalServiceSave", "POST", "portal/institution/services/{serviceId}", Access.Only(Role.Institution), (h, c) => h.SaveServiceAsync(c)),
        RouteDef.For<InstitutionServicePages>("PortalServiceStatus", "POST", "portal/institution/services/{serviceId}/status", Access.Only(Role.Institution), (h, c) => h.SetStatusAsync(c)),
        RouteDef.For<InstitutionDemandPages>("PortalMatchingDemand", "GET", "portal/institution/demands", Access.Only(Role.Institution), (h, c) => h.DemandsAsync(c)),
        RouteDef.For<InstitutionDemandPages>("PortalMakeOffer", "POST", "portal/institution/demands/{demandId}/offer", Access.Only(Role.Institution), (h, c) => h.OfferAsync(c)),
        RouteDef.For<InstitutionDemandPages>("PortalWithdrawOffer", "POST", "portal/institution/demands/{demandId}/withdraw", Access.Only(Role.Institution), (h, c) => h.WithdrawAsync(c)),
        RouteDef.For<FacultyPages>("PortalFaculty", "GET", "portal/faculty", Access.Only(Role.Institution), (h, c) => h.FacultyAsync(c)),
        RouteDef.For<FacultyPages>("PortalFacultyExport", "GET", "portal/faculty/export", Access.Only(Role.Institution), (h, c) => h.ExportAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalMarket", "GET", "portal/market", Access.Only(Role.Enterprise), (h, c) => h.MarketAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalPostDemand", "POST", "portal/market/demands", Access.Only(Role.Enterprise), (h, c) => h.PostDemandAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalAcceptOffer", "POST", "portal/market/demands/{demandId}/accept", Access.Only(Role.Enterprise), (h, c) => h.AcceptAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalCloseDemand", "POST", "portal/market/demands/{demandId}/close", Access.Only(Role.Enterprise), (h, c) => h.CloseAsync(c)),
        RouteDef.For<EnterpriseMarketPages>("PortalOrder", "GET", "portal/orders/{orderId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.OrderAsync(c)),
        RouteDef.For<ProvinceInstitutionPages>("PortalInstitutions", "GET", "portal/institutions", Access.Only(Role.Province), (h, c) => h.ListAsync(c)),
        RouteDef.For<ProvinceInstitutionPages>("PortalVerifyInstitution", "POST", "portal/institutions/{institutionId}/verification", Access.Only(Role.Province), (h, c) => h.DecideAsync(c)),
    ];
}
