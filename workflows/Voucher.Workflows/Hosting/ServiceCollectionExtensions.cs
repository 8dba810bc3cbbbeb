using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Backups;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Links;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Readiness;
using Voucher.Workflows.Retention;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Supervision;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Everything both hosts share: storage, rules, activities and handlers. The host adds its principal
    /// source (App Service Authentication or the development sign-in) and its Durable client.
    /// </summary>
    public static IServiceCollection AddVoucherWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(VoucherSettings.FromConfiguration(configuration));
        services.AddSingleton(_ => LinkKey.FromConfiguration(configuration));
        services.TryAddSingleton<StorageMetrics>();
        services.TryAddSingleton(sp =>
        {
            var connection = StorageConnection.FromConfiguration(configuration, SettingNames.VoucherStorage);
            var metrics = sp.GetRequiredService<StorageMetrics>();
            return new VoucherStore(connection.CreateTableServiceClient(metrics.TableOptions()), connection.CreateBlobServiceClient(metrics.BlobOptions()));
        });

        // Shared pieces: links, audit, notifications, the request dispatcher, start-up.
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<OneTimeActions>();
        services.AddNotifications();
        services.AddSingleton<Outbox>();
        services.AddSingleton<Durable.PendingStarts>();
        services.AddSingleton<OutboxSweep>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<SecurityHeaders>();
        services.AddSingleton<HttpDispatcher>();
        services.AddSingleton(ClientAddress.FromConfiguration(configuration));
        services.AddSingleton<PublicRateLimiter>();
        services.AddSingleton<HomePages>();
        services.AddSingleton<AuthPages>();
        services.AddSingleton<InboxPages>();
        services.AddSingleton<GuidePages>();
        services.AddSingleton<Web.PageRenderer>();
        services.AddSingleton<Web.StaticAssets>();

        // Each area registers its own.
        services.AddAccounts();
        services.AddPolicies();
        services.AddApplications();
        services.AddRedemptions();
        services.AddSettlement();
        services.AddEnforcement();
        Worklists.WorkListServices.AddWorkLists(services);
        Marketplace.MarketplaceServices.AddMarketplace(services);
        services.AddAgencies();
        Accounts.OnboardingServices.AddOnboarding(services);
        services.AddSupervision();
        services.AddActivities();
        services.AddReadiness(configuration);
        services.AddRetention(configuration);
        services.AddSingleton<PersonalDataExport>();
        services.AddSingleton<PersonalDataPages>();
        services.AddBackups(configuration);
        return services;
    }
}
