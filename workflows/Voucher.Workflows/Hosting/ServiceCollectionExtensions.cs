using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voucher.Domain;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Ledger;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Http;
using Voucher.Workflows.Links;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Security;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Storage;
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
        services.TryAddSingleton(CalendarSeed.Shipped);
        services.AddSingleton<CalendarStore>();
        services.TryAddSingleton<StorageMetrics>();
        services.TryAddSingleton(sp =>
        {
            var connection = StorageConnection.FromConfiguration(configuration, SettingNames.VoucherStorage);
            var metrics = sp.GetRequiredService<StorageMetrics>();
            return new VoucherStore(connection.CreateTableServiceClient(metrics.TableOptions()), connection.CreateBlobServiceClient(metrics.BlobOptions()));
        });

        services.AddSingleton<LinkSigner>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<VoucherRepository>();
        services.AddSingleton<ReviewLinks>();
        services.AddSingleton<OneTimeActions>();
        services.AddSingleton<ReviewDecisions>();
        services.TryAddSingleton<INotificationSender, InboxSender>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<ApplicationNotices>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<Demo.DemoData>();
        services.AddSingleton<HttpDispatcher>();

        services.AddSingleton<CapLedger>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<RedemptionStore>();
        services.AddSingleton<RedemptionSteps>();
        services.AddSingleton<ReplanBindingRound>();
        services.AddSingleton<BindingLinks>();
        services.AddSingleton<RedemptionNotices>();
        services.AddSingleton<RedemptionEvents>();
        services.AddSingleton<PendingRedemptionEvents>();
        services.AddSingleton<RedemptionHandlers>();
        services.AddSingleton<BindingPages>();

        services.AddSingleton<VoucherUsage>();
        services.AddSingleton<SettlementStore>();
        services.AddSingleton<BatchLinks>();
        services.AddSingleton<SettlementScheduler>();
        services.AddSingleton<SettlementReview>();
        services.AddSingleton<SettlementHandlers>();
        services.AddSingleton<BatchReviewPages>();
        services.AddSingleton<OpinionPages>();
        services.AddSingleton<PublicityHandlers>();
        services.AddSingleton<PaymentHandlers>();
        services.AddSingleton<AdvanceHandlers>();
        services.AddEnforcement();
        services.AddSingleton<PublicRateLimiter>();

        services.AddSingleton<EnterpriseHandlers>();
        services.AddSingleton<ApplicationHandlers>();
        services.AddSingleton<VoucherHandlers>();
        services.AddSingleton<ReviewPages>();
        services.AddSingleton<HomePages>();
        services.AddSingleton<AuthPages>();
        services.AddSingleton<InboxPages>();
        services.AddSingleton<WorkPages>();
        services.AddSingleton<GuidePages>();
        Marketplace.MarketplaceServices.AddMarketplace(services);
        services.AddAgencies();

        services.AddSupervision();
        services.AddActivities();
        return services;
    }
}
