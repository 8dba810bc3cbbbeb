using System.Reflection;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Google.Protobuf;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Voucher.Testing;

/// <summary>
/// Orchestration histories as the Durable Task SDK's worker receives them (protobuf <c>HistoryEvent</c>s), read from a
/// task hub of the Azure Storage provider and kept as JSON fixtures, so that a history recorded by an earlier version of
/// an orchestrator can be replayed against the current one (<c>GrpcOrchestrationRunner</c>, the path Durable Functions
/// takes for the isolated worker).
/// </summary>
public static class DurableHistory
{
    static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    /// <summary>Reads the latest execution's history of <paramref name="instanceId"/> in <paramref name="taskHub"/>.</summary>
    public static async Task<IReadOnlyList<P.HistoryEvent>> ReadAsync(string connectionString, string taskHub, string instanceId)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        });

        // The provider's public history read returns events without their types; its tracking store keeps them.
        var store = typeof(AzureStorageOrchestrationService).GetField("trackingStore", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(service)!;
        var read = store.GetType().GetMethod("GetHistoryEventsAsync", BindingFlags.Instance | BindingFlags.Public)!;
        var task = (Task)read.Invoke(store, [instanceId, null, CancellationToken.None])!;
        await task;
        var history = task.GetType().GetProperty("Result")!.GetValue(task)!;
        var events = (IList<HistoryEvent>)history.GetType().GetProperty("Events")!.GetValue(history)!;
        return events.Select(ProtobufUtils.ToHistoryEventProto).ToList();
    }

    /// <summary>One JSON document: <c>{ "events": [ ... ] }</c> in the protobuf JSON mapping.</summary>
    public static string ToJson(IEnumerable<P.HistoryEvent> events)
    {
        var chunk = new P.HistoryChunk();
        chunk.Events.AddRange(events);
        return Formatter.Format(chunk);
    }

    public static IReadOnlyList<P.HistoryEvent> FromJson(string json) => P.HistoryChunk.Parser.ParseJson(json).Events.ToList();
}
