using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Durable;

/// <summary>
/// Starting an orchestration under its business instance id, once: a second start of the same id (a retried request,
/// a concurrent one, the timer and a person) finds it started and changes nothing. The one place that recognises the
/// engines' "already exists" answer (the Functions app's and the Durable Task Framework's differ in type, not in text).
/// </summary>
public static class Orchestrations
{
    /// <summary>Schedules <paramref name="name"/>; false when an instance with that id exists already.</summary>
    public static async Task<bool> StartOnceAsync(DurableTaskClient durable, TaskName name, object input, string instanceId, CancellationToken ct)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId), ct);
            return true;
        }
        catch (Exception e) when (IsAlreadyStarted(e))
        {
            return false;
        }
    }

    /// <summary>Starts the orchestration unless an instance with that id exists (a crash between the row and the start).</summary>
    public static async Task EnsureStartedAsync(DurableTaskClient durable, TaskName name, object input, string instanceId, CancellationToken ct)
    {
        if (await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is null)
        {
            await StartOnceAsync(durable, name, input, instanceId, ct);
        }
    }

    static bool IsAlreadyStarted(Exception e) =>
        e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
        || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);
}
