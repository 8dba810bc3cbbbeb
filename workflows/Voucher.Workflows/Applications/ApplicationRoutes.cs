namespace Voucher.Workflows.Applications;

/// <summary>Flow 1: submitting and reading an application, the city bureau's decision (API and signed review link) and the application's page.</summary>
public static class ApplicationRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<ApplicationApi>("SubmitApplication", "POST", "api/applications", Access.Only(Role.Enterprise, Role.Province), (h, c) => h.SubmitAsync(c)) with { Contract = ApiContract.Send<SubmitApplicationRequest, SubmitApplicationResponse>(202, 409, 422) with { AlsoStatus = [200] } },
        RouteDef.For<ApplicationApi>("GetApplication", "GET", "api/applications/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<ApplicationView>() with { ETag = true } },
        RouteDef.For<ApplicationApi>("DecideApplication", "POST", "api/applications/{id}/decision", Access.Only(Role.CityBureau), (h, c) => h.DecideAsync(c)) with { Contract = ApiContract.Send<DecideApplicationRequest, ApplicationDecisionAccepted>(202, 409) },

        RouteDef.For<ApplicationPages>("PortalApplication", "GET", "portal/applications/{id}", Access.Only(Role.Enterprise, Role.CityBureau, Role.Province), (h, c) => h.ApplicationPageAsync(c)),
        RouteDef.For<ReviewPages>("ReviewPage", "GET", "review/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<ReviewPages>("ReviewDecide", "POST", "review/{token}", Access.SignedLink, (h, c) => h.DecideAsync(c)),
    ];
}
