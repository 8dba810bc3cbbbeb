using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Settlement;

/// <summary>Settlement, publicity and payment: stores, the services, the API and the bureau's and finance bureau's pages.</summary>
public static class SettlementServices
{
    public static IServiceCollection AddSettlement(this IServiceCollection services)
    {
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
        services.AddSingleton<BureauSettlementPages>();
        services.AddSingleton<FinancePages>();
        return services;
    }
}
