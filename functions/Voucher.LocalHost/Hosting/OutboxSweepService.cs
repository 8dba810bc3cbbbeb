using Cronos;
using Voucher.Workflows.Configuration;
using Voucher.Workflows.Notifications;

namespace Voucher.LocalHost.Hosting;

/// <summary>The local twin of the Functions app's outbox timer trigger: the same six-field CRON setting.</summary>
public sealed partial class OutboxSweepService(Outbox outbox, VoucherSettings settings, TimeProvider time, ILogger<OutboxSweepService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(settings.OutboxSchedule, CronFormat.IncludeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
            if (next is null)
            {
                return;
            }

            var delay = next.Value - time.GetUtcNow().UtcDateTime;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, stoppingToken);
            }

            try
            {
                var delivered = await outbox.SweepAsync(stoppingToken);
                if (delivered > 0)
                {
                    Log.Swept(log, delivered);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(log, e);
            }
        }
    }

    static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Outbox sweep delivered {Count} notifications")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Outbox sweep failed; next run retries")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
