using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// Onboarding: a person's claims (open to any signed-in person, with no membership or one still waiting), the city bureau's claims work list and
/// review, and an enterprise's or institution's members page.
/// </summary>
public static class OnboardingRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<OnboardingPages>("PortalClaims", "GET", "portal/claims", Access.Person, (h, c) => h.MineAsync(c)),
        RouteDef.For<OnboardingPages>("PortalSubmitClaim", "POST", "portal/claims", Access.Person, (h, c) => h.SubmitAsync(c)),
        RouteDef.For<OnboardingPages>("PortalClaim", "GET", "portal/claims/{claimId}", Access.Person, (h, c) => h.OwnAsync(c)),
        RouteDef.For<OnboardingPages>("PortalWorkClaims", "GET", "portal/work/claims", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.WorkListAsync(c)),
        RouteDef.For<OnboardingPages>("PortalWorkClaim", "GET", "portal/work/claims/{claimId}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.ReviewAsync(c)),
        RouteDef.For<OnboardingPages>("PortalWorkClaimDocument", "GET", "portal/work/claims/{claimId}/documents/{document}", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.DocumentAsync(c)),
        RouteDef.For<OnboardingPages>("PortalDecideClaim", "POST", "portal/work/claims/{claimId}/decision", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.DecideAsync(c)),
        RouteDef.For<OnboardingPages>("PortalMembers", "GET", "portal/members", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.MembersAsync(c)),
        RouteDef.For<OnboardingPages>("PortalAddMember", "POST", "portal/members", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.AddMemberAsync(c)),
        RouteDef.For<OnboardingPages>("PortalRemoveMember", "POST", "portal/members/{membershipId}/removal", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.RemovalMovedAsync(c)),
    ];
}

/// <summary>The onboarding area's services (the memberships themselves are registered by the accounts area).</summary>
public static class OnboardingServices
{
    public static IServiceCollection AddOnboarding(this IServiceCollection services)
    {
        services.AddSingleton<ClaimService>();
        services.AddSingleton<ClaimInstitutions>();
        services.AddSingleton<AccountPersonalData>();
        services.AddSingleton<OnboardingMembers>();
        services.AddSingleton<OnboardingPages>();
        return services;
    }
}
