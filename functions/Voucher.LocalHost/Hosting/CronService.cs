using Cronos;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The local twin of a Functions timer trigger: runs work on the same six-field CRON expression (UTC, like the
/// Functions host on Linux). Failures are logged and the next occurrence runs again.
/// </summary>
public abstract partial class CronService(string schedule, TimeProvider time, ILogger log) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expression = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = expression.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
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
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RunFailed(log, GetType().Name, e);
            }
        }
    }

    static partial class Log
    {
        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Timer work '{Service}' failed; the next occurrence retries")]
        public static partial void RunFailed(ILogger logger, string service, Exception exception);
    }
}
