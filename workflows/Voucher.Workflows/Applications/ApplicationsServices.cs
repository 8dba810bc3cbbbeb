using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Applications;

/// <summary>Flow 1 and the vouchers it issues: stores, the service, its API and pages.</summary>
public static class ApplicationsServices
{
    public static IServiceCollection AddApplications(this IServiceCollection services)
    {
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<VoucherRepository>();
        services.AddSingleton<ReviewLinks>();
        services.AddSingleton<ReviewDecisions>();
        services.AddSingleton<PendingReviewDecisions>();
        services.AddSingleton<ApplicationNotices>();
        services.AddSingleton<ApplicationStarts>();
        services.AddSingleton<Durable.IStartedWorkflow>(sp => sp.GetRequiredService<ApplicationStarts>());
        services.AddSingleton<ApplicationService>();
        services.AddSingleton<ApplicationApi>();
        services.AddSingleton<ReviewPages>();
        services.AddSingleton<ApplicationPages>();
        services.AddSingleton<VoucherService>();
        services.AddSingleton<VoucherApi>();
        services.AddSingleton<VoucherPages>();
        return services;
    }
}
