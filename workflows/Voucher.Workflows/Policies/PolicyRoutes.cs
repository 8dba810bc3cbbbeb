namespace Voucher.Workflows.Policies;

/// <summary>Policy in one place: city and province policy (read, publish, the province's editor, a city bureau's objection contacts) and the working-day calendar.</summary>
public static class PolicyRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<PolicyPages>("PolicyAdminPage", "GET", "supervision/policies", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<PolicyPages>("PolicyAdminPublish", "POST", "supervision/policies/{city}", Access.Only(Role.Province), (h, c) => h.PublishCityFormAsync(c)),
        RouteDef.For<PolicyPages>("ProvincePolicyPublishForm", "POST", "supervision/province-policy", Access.Only(Role.Province), (h, c) => h.PublishProvinceFormAsync(c)),
        RouteDef.For<CityContactsPages>("PortalCityPolicy", "GET", "portal/city-policy", Access.Only(Role.CityBureau), (h, c) => h.PageAsync(c)),
        RouteDef.For<CityContactsPages>("PortalCityPolicyContacts", "POST", "portal/city-policy/contacts", Access.Only(Role.CityBureau), (h, c) => h.PublishContactsAsync(c)),
        RouteDef.For<PolicyApi>("GetCityPolicy", "GET", "api/policies/{city}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetCityAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<PolicyApi>("PublishCityPolicy", "POST", "api/policies/{city}", Access.Only(Role.Province), (h, c) => h.PublishCityAsync(c)) with { Contract = ApiContract.Send<CityPolicyChange, CityPolicy>(201, 409) },
        RouteDef.For<PolicyApi>("GetProvincePolicy", "GET", "api/province-policy", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.GetProvinceAsync(c)) with { Contract = ApiContract.Get<JsonObjectResponse>() },
        RouteDef.For<PolicyApi>("PublishProvincePolicy", "POST", "api/province-policy", Access.Only(Role.Province), (h, c) => h.PublishProvinceAsync(c)) with { Contract = ApiContract.Send<ProvincePolicyChange, ProvincePolicy>(201, 409) },

        RouteDef.For<CalendarPages>("GetCalendarYear", "GET", "api/calendar/{year}", Access.Public, (h, c) => h.ApiGetAsync(c)) with { Contract = ApiContract.Get<CalendarYearView>(400) },
        RouteDef.For<CalendarPages>("PublishCalendarYear", "PUT", "api/calendar/{year}", Access.Only(Role.Province), (h, c) => h.ApiPutAsync(c)) with { Contract = ApiContract.Send<CalendarPublishRequest, CalendarYearView>(201, 409) },
        RouteDef.For<CalendarPages>("CalendarAdminPage", "GET", "supervision/calendar", Access.Only(Role.Province), (h, c) => h.PageAsync(c)),
        RouteDef.For<CalendarPages>("CalendarAdminPublish", "POST", "supervision/calendar/{year}", Access.Only(Role.Province), (h, c) => h.PublishFormAsync(c)),
    ];
}
