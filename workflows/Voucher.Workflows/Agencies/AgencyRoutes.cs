namespace Voucher.Workflows.Agencies;

/// <summary>
/// Agencies and delegations: an enterprise or institution lets a third-party agency act for it, within named action
/// groups and until a date. An agency acting for a party calls the party's own routes; <see cref="DelegationGuard"/>
/// in the dispatcher decides, so those routes need no entries here.
/// </summary>
public static class AgencyRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<AgencyApi>("RegisterAgency", "POST", "api/agencies", Access.Only(Role.Agency, Role.Province), (h, c) => h.RegisterAgencyAsync(c)) with { Contract = ApiContract.Send<RegisterAgencyRequest, AgencyView>(201, 409, 429) },
        RouteDef.For<AgencyApi>("ListAgencies", "GET", "api/agencies", Access.Only(Role.Enterprise, Role.Institution, Role.Province), (h, c) => h.ListAgenciesAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<AgencyView>>() },
        RouteDef.For<AgencyApi>("CreateDelegation", "POST", "api/delegations", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.CreateAsync(c)) with { Contract = ApiContract.Send<CreateDelegationRequest, DelegationView>(201, 409) },
        RouteDef.For<AgencyApi>("ListDelegations", "GET", "api/delegations", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.ListAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<DelegationView>>() },
        RouteDef.For<AgencyApi>("RevokeDelegation", "POST", "api/delegations/{id}/revoke", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.RevokeAsync(c)) with { Contract = ApiContract.Act<DelegationView>(200, 409) },
        RouteDef.For<AgencyApi>("GetAgencyParties", "GET", "api/agency/parties", Access.Only(Role.Agency), (h, c) => h.PartiesAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<DelegationView>>() },

        RouteDef.For<AgencyPages>("PortalDelegations", "GET", "portal/delegations", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.DelegationsPageAsync(c)),
        RouteDef.For<AgencyPages>("PortalCreateDelegation", "POST", "portal/delegations", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.CreateFormAsync(c)),
        RouteDef.For<AgencyPages>("PortalRevokeDelegation", "POST", "portal/delegations/{id}/revoke", Access.Only(Role.Enterprise, Role.Institution), (h, c) => h.RevokeFormAsync(c)),
        RouteDef.For<AgencyPages>("AgencyHome", "GET", "portal/agency", Access.Only(Role.Agency), (h, c) => h.AgencyHomeAsync(c)),
        RouteDef.For<AgencyPages>("PortalRegisterAgency", "POST", "portal/agency/register", Access.Only(Role.Agency), (h, c) => h.RegisterFormAsync(c)),
        RouteDef.For<AgencyBindingForm>("PortalBindRedemption", "POST", "portal/redemptions/{id}/binding", Access.Only(Role.Institution), (h, c) => h.AnswerAsync(c)),
        RouteDef.For<AgencyPages>("PortalActFor", "POST", "portal/agency/acting", Access.Only(Role.Agency), (h, c) => h.ActForAsync(c)),
    ];
}
