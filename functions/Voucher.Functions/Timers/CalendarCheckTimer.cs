using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Hosting;
using Voucher.Workflows.Policies;

namespace Voucher.Functions.Timers;

/// <summary>
/// At start and daily: warns in the log when this or next year's holiday arrangement is missing, and starts any re-plan a
/// publication did not get to start (the local host runs the same schedule, and once at start).
/// </summary>
public sealed class CalendarCheckTimer(CalendarService calendars)
{
    [Function("CalendarCheck")]
    public Task RunAsync([TimerTrigger(Schedules.CalendarCheckSetting, RunOnStartup = true)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        calendars.CheckAsync(durable, ct);
}
