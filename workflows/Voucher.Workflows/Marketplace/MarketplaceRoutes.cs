namespace Voucher.Workflows.Marketplace;

/// <summary>The marketplace: institutions, the service catalogue and search, SME demand and offers, orders, the faculty record; API and pages.</summary>
public static class MarketplaceRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<InstitutionApi>("RegisterInstitution", "POST", "api/institutions", Access.Only(Role.Institution), (h, c) => h.RegisterAsync(c)) with { Contract = ApiContract.Send<InstitutionProfile, JsonObjectResponse>(201, 409) },
        RouteDef.For<InstitutionApi>("PendingInstitutions", "GET", "api/institutions", Access.Only(Role.Province), (h, c) => h.PendingAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() },
        RouteDef.For<InstitutionApi>("GetInstitution", "GET", "api/institutions/{institutionId}", Access.Public, (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<InstitutionApi>("UpdateInstitution", "POST", "api/institutions/{institutionId}", Access.Only(Role.Institution), (h, c) => h.EditAsync(c)) with { Contract = ApiContract.Send<InstitutionProfile, JsonObjectResponse>(200, 409) },
        RouteDef.For<InstitutionApi>("VerifyInstitution", "POST", "api/institutions/{institutionId}/verification", Access.Only(Role.Province), (h, c) => h.DecideAsync(c)) with { Contract = ApiContract.Send<VerificationRequest, JsonObjectResponse>(200, 409) },
        RouteDef.For<FacultyApi>("GetFacultyRecord", "GET", "api/institutions/{institutionId}/faculty-record", Access.Only(Role.Institution, Role.Province), (h, c) => h.RecordAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() with { Query = ["staff", "format"] } },
        RouteDef.For<CatalogueApi>("SearchServices", "GET", "api/services", Access.Public, (h, c) => h.SearchAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>(400) with { Query = ["q", "category", "city", "type", "priceMin", "priceMax", "eligible", "sort", "page", "pageSize"] } },
        RouteDef.For<CatalogueApi>("PublishService", "POST", "api/services", Access.Only(Role.Institution), (h, c) => h.PublishAsync(c)) with { Contract = ApiContract.Send<ServiceContent, JsonObjectResponse>(201, 409) },
        RouteDef.For<CatalogueApi>("GetService", "GET", "api/services/{institutionId}/{serviceId}", Access.Public, (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<CatalogueApi>("UpdateService", "POST", "api/services/{institutionId}/{serviceId}", Access.Only(Role.Institution), (h, c) => h.EditAsync(c)) with { Contract = ApiContract.Send<ServiceContent, JsonObjectResponse>(200, 409) },
        RouteDef.For<CatalogueApi>("SetServiceStatus", "POST", "api/services/{institutionId}/{serviceId}/status", Access.Only(Role.Institution), (h, c) => h.ChangeStatusAsync(c)) with { Contract = ApiContract.Send<ServiceStatusRequest, JsonObjectResponse>(200, 409) },
        RouteDef.For<CatalogueApi>("GetServiceVersions", "GET", "api/services/{institutionId}/{serviceId}/versions", Access.Public, (h, c) => h.VersionsAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() },
        RouteDef.For<CatalogueApi>("SimilarServices", "GET", "api/services/{institutionId}/{serviceId}/similar", Access.Public, (h, c) => h.SimilarAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() },
        RouteDef.For<DemandApi>("PostDemand", "POST", "api/demands", Access.Only(Role.Enterprise), (h, c) => h.PostAsync(c)) with { Contract = ApiContract.Send<DemandDetails, JsonObjectResponse>(201) },
        RouteDef.For<DemandApi>("ListDemands", "GET", "api/demands", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.ListAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<JsonObjectResponse>>() },
        RouteDef.For<DemandApi>("GetDemand", "GET", "api/demands/{demandId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<DemandApi>("CloseDemand", "POST", "api/demands/{demandId}/close", Access.Only(Role.Enterprise), (h, c) => h.CloseAsync(c)) with { Contract = ApiContract.Act<JsonObjectResponse>(200, 409) },
        RouteDef.For<OfferApi>("MakeOffer", "POST", "api/demands/{demandId}/offers", Access.Only(Role.Institution), (h, c) => h.MakeAsync(c)) with { Contract = ApiContract.Send<OfferTerms, JsonObjectResponse>(201, 409) },
        RouteDef.For<OfferApi>("WithdrawOffer", "POST", "api/demands/{demandId}/offers/{institutionId}/withdraw", Access.Only(Role.Institution), (h, c) => h.WithdrawAsync(c)) with { Contract = ApiContract.Act<JsonObjectResponse>(200, 409) },
        RouteDef.For<OfferApi>("AcceptOffer", "POST", "api/demands/{demandId}/offers/{institutionId}/accept", Access.Only(Role.Enterprise), (h, c) => h.AcceptAsync(c)) with { Contract = ApiContract.Send<AcceptOfferRequest, JsonObjectResponse>(201, 409) with { AlsoStatus = [200] } },
        RouteDef.For<OfferApi>("GetOrder", "GET", "api/orders/{orderId}", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.GetOrderAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },

        RouteDef.For<CataloguePages>("CataloguePage", "GET", "catalogue", Access.Public, (h, c) => h.SearchPageAsync(c)),
        RouteDef.For<CataloguePages>("CatalogueServicePage", "GET", "catalogue/{institutionId}/{serviceId}", Access.Public, (h, c) => h.ServicePageAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitution", "GET", "portal/institution", Access.Only(Role.Institution).AllowingPending(), (h, c) => h.HomeAsync(c)),
        RouteDef.For<InstitutionMarketPages>("PortalInstitutionProfile", "POST", "portal/institution/profile", Access.Only(Role.Institution).AllowingPending(), (h, c) => h.SaveProfileAsync(c)),
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
