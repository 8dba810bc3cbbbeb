using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Voucher.Workflows.Tests.Durable;

/// <summary>
/// A history recorded by the local host (Durable Task Framework, Azure Storage provider, Azurite) and kept under
/// <c>Durable/Histories</c>, replayed against today's orchestrator through <see cref="GrpcOrchestrationRunner"/> — the
/// path Durable Functions takes for the isolated worker — with new events appended, as when the waiting orchestration
/// wakes up after a deployment. A replay that no longer matches the history fails the orchestration (non-determinism).
/// </summary>
public sealed class RecordedHistory
{
    readonly IReadOnlyList<P.HistoryEvent> past;

    RecordedHistory(IReadOnlyList<P.HistoryEvent> past) => this.past = past;

    public static RecordedHistory Load(string name) =>
        new(DurableHistory.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Durable", "Histories", name + ".json"))));

    public string InstanceId => past.First(e => e.ExecutionStarted is not null).ExecutionStarted.OrchestrationInstance.InstanceId;

    /// <summary>When the orchestration last ran (the wake-up of the new events comes after it).</summary>
    public DateTime LastRunUtc => past.Last(e => e.OrchestratorStarted is not null).Timestamp.ToDateTime();

    /// <summary>The last timer the orchestration created: (event id, fire time).</summary>
    public (int Id, DateTime FireAt) LastTimer
    {
        get
        {
            var timer = past.Last(e => e.TimerCreated is not null);
            return (timer.EventId, timer.TimerCreated.FireAt.ToDateTime());
        }
    }

    public static P.HistoryEvent Raised(string name, object payload) => new()
    {
        EventId = -1,
        EventRaised = new P.EventRaisedEvent { Name = name, Input = JsonSerializer.Serialize(payload) },
    };

    public static P.HistoryEvent TimerFired(int timerId, DateTime fireAt) => new()
    {
        EventId = -1,
        TimerFired = new P.TimerFiredEvent { TimerId = timerId, FireAt = Timestamp.FromDateTime(DateTime.SpecifyKind(fireAt, DateTimeKind.Utc)) },
    };

    /// <summary>Replays the recorded history, then runs the new events at <paramref name="at"/>; returns what the orchestrator asks for next.</summary>
    public IReadOnlyList<P.OrchestratorAction> Run(ITaskOrchestrator orchestrator, DateTime at, params P.HistoryEvent[] newEvents)
    {
        var request = new P.OrchestratorRequest { InstanceId = InstanceId };
        request.PastEvents.AddRange(past);
        var stamp = Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        request.NewEvents.Add(new P.HistoryEvent { EventId = -1, Timestamp = stamp, OrchestratorStarted = new P.OrchestratorStartedEvent() });
        foreach (var e in newEvents)
        {
            var copy = e.Clone();
            copy.Timestamp = stamp;
            request.NewEvents.Add(copy);
        }

        var encoded = GrpcOrchestrationRunner.LoadAndRun(Convert.ToBase64String(request.ToByteArray()), orchestrator);
        var response = P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(encoded));
        var failed = response.Actions.FirstOrDefault(a => a.CompleteOrchestration?.OrchestrationStatus == P.OrchestrationStatus.Failed);
        Assert.True(failed is null, $"the replay failed: {failed?.CompleteOrchestration.FailureDetails}");
        return response.Actions;
    }
}
