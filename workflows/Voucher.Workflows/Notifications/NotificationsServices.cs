using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Notifications;

public static class NotificationsServices
{
    /// <summary>
    /// The inbox channel (built in), the sender over the channels the setting names, the unread counter of the header,
    /// and a start-up check so an unknown channel name stops the host with a clear message. A deployment adds an SMS or
    /// e-mail channel by registering another <see cref="INotificationChannel"/> and naming it in the setting.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.TryAddSingleton<InboxSender>();
        services.AddSingleton<INotificationChannel, InboxChannel>();
        services.TryAddSingleton<INotificationSender>(sp => new ChannelSender(
            NotificationChannels.Choose(sp.GetRequiredService<VoucherSettings>().NotificationChannels, sp.GetServices<INotificationChannel>())));
        services.AddSingleton<InboxUnreadCounter>();
        services.AddSingleton<Web.IUnreadCounter>(sp => sp.GetRequiredService<InboxUnreadCounter>());
        services.AddHostedService<ChannelCheck>();
        return services;
    }

    /// <summary>Resolves the sender when the host starts, so a wrong channel setting fails the start, not the first message.</summary>
    sealed class ChannelCheck(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<INotificationSender>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
