namespace Voucher.Workflows.Enterprises;

/// <summary>
/// Enterprises: registration, the enterprise record and its profile editing (API and page). A person whose claim of the
/// enterprise waits for verification may register it and fill in the profile (<see cref="Access.AllowingPending"/>), not
/// the bank account, and not apply.
/// </summary>
public static class EnterpriseRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<EnterpriseApi>("RegisterEnterprise", "POST", "api/enterprises", Access.Only(Role.Enterprise, Role.Province).AllowingPending(), (h, c) => h.RegisterAsync(c)) with { Contract = ApiContract.Send<RegisterEnterpriseRequest, EnterpriseView>(201, 409, 429) },
        RouteDef.For<EnterpriseApi>("GetEnterprise", "GET", "api/enterprises/{uscc}", Access.Only(Role.Enterprise, Role.CityBureau, Role.FinanceBureau, Role.Province).AllowingPending(), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<EnterpriseView>() },
        RouteDef.For<EnterpriseApi>("UpdateEnterpriseProfile", "PUT", "api/enterprises/{uscc}/profile", Access.Only(Role.Enterprise, Role.Province).AllowingPending(), (h, c) => h.UpdateProfileAsync(c)) with { Contract = ApiContract.Send<UpdateEnterpriseProfileRequest, EnterpriseView>(200, 409) },
        RouteDef.For<EnterpriseApi>("GetBankAccount", "GET", "api/enterprises/{uscc}/bank-account", Access.Only(Role.Enterprise, Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.BankAccountAsync(c)) with { Contract = ApiContract.Get<BankAccountAnswer>() },
        RouteDef.For<EnterpriseApi>("SaveBankAccount", "PUT", "api/enterprises/{uscc}/bank-account", Access.Only(Role.Enterprise), (h, c) => h.SaveBankAccountAsync(c)) with { Contract = ApiContract.Send<BankAccountRequest, BankAccountAnswer>(200, 202, 409) },
        RouteDef.For<EnterpriseApi>("ConfirmBankAccountChange", "POST", "api/enterprises/{uscc}/bank-account/confirmation", Access.Only(Role.Enterprise), (h, c) => h.ConfirmBankAccountAsync(c)) with { Contract = ApiContract.Send<ConfirmBankAccountRequest, BankAccountAnswer>(200, 409) },

        RouteDef.For<EnterprisePages>("PortalEnterpriseProfile", "GET", "portal/profile", Access.Only(Role.Enterprise).AllowingPending(), (h, c) => h.PageAsync(c)),
        RouteDef.For<EnterprisePages>("PortalSaveEnterpriseProfile", "POST", "portal/profile", Access.Only(Role.Enterprise).AllowingPending(), (h, c) => h.SaveFormAsync(c)),
        RouteDef.For<EnterprisePages>("PortalSaveBankAccount", "POST", "portal/profile/bank-account", Access.Only(Role.Enterprise), (h, c) => h.SaveBankAccountFormAsync(c)),
        RouteDef.For<EnterprisePages>("PortalConfirmBankAccount", "POST", "portal/profile/bank-account/confirmation", Access.Only(Role.Enterprise), (h, c) => h.ConfirmBankAccountFormAsync(c)),
        RouteDef.For<PersonalDataPages>("PortalPersonalData", "GET", "portal/profile/personal-data", Access.Only(Role.Enterprise), (h, c) => h.DownloadAsync(c)),
    ];
}
