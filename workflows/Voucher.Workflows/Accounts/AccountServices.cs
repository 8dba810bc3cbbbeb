using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Accounts;

public static class AccountServices
{
    /// <summary>Memberships (the store is the <see cref="IMemberships"/> of both hosts) and the principal built from them.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<MembershipStore>();
        services.AddSingleton<IMemberships>(sp => sp.GetRequiredService<MembershipStore>());
        services.AddSingleton<MembershipPrincipals>();
        services.AddSingleton<PartyNames>();
        services.AddSingleton<MembershipSwitcher>();
        services.AddSingleton<InvitationService>();
        services.AddSingleton<AccountPages>();
        return services;
    }
}
