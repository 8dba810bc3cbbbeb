using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Accounts;

public static class AccountServices
{
    /// <summary>
    /// Memberships (the store is the <see cref="IMemberships"/> of both hosts), the principal built from them, and this
    /// host's cache of them with its change feed. Each host also runs <see cref="MembershipFeedService"/> (registered by
    /// the host: the Functions app's composition and the local host), which keeps the cache told of other hosts' changes.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<MembershipStore>();
        services.AddSingleton<IMemberships>(sp => sp.GetRequiredService<MembershipStore>());
        services.AddSingleton<IMembershipChangeFeed, MembershipChangeFeed>();
        services.AddSingleton(sp => sp.GetRequiredService<MembershipStore>().Cache);
        services.AddSingleton<MembershipFeedPoller>();
        services.AddSingleton<MembershipPrincipals>();
        services.AddSingleton<PartyNames>();
        services.AddSingleton<MembershipSwitcher>();
        services.AddSingleton<InvitationService>();
        services.AddSingleton<AccountPages>();
        return services;
    }
}
