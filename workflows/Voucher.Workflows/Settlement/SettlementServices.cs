using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Settlement, publicity and payment: the store, the application services (<see cref="SettlementService"/>,
/// <see cref="PublicityService"/>, <see cref="PaymentService"/>), the API adapters and the pages over them.
/// </summary>
public static class SettlementServices
{
    public static IServiceCollection AddSettlement(this IServiceCollection services)
    {
        services.AddSingleton<VoucherUsage>();
        services.AddSingleton<SettlementStore>();
        services.AddSingleton<BatchLinks>();
        services.AddSingleton<SettlementNotices>();
        services.AddSingleton<SettlementScheduler>();
        services.AddSingleton<SettlementService>();
        services.AddSingleton<BatchReviewCache>();
        services.AddSingleton<BatchReviewDecisions>();
        services.AddSingleton<PublicityService>();
        services.AddSingleton<PaymentService>();
        services.AddSingleton<SettlementApi>();
        services.AddSingleton<PublicityApi>();
        services.AddSingleton<PaymentApi>();
        services.AddSingleton<AdvanceApi>();
        services.AddSingleton<BatchReviewPages>();
        services.AddSingleton<OpinionPages>();
        services.AddSingleton<PublicityPages>();
        services.AddSingleton<BureauSettlementPages>();
        services.AddSingleton<FinancePages>();
        services.AddSingleton<Risk.ProvinceRiskService>();
        services.AddSingleton<Risk.EvidenceHashIndex>();
        services.AddSingleton<Risk.RiskFactWriter>();
        services.AddSingleton<Risk.RiskCheckCache>();
        services.AddSingleton<Risk.ProvinceRiskPages>();
        services.AddSingleton<Risk.ProvinceRiskPolicyPages>();
        return services;
    }
}
