using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Voucher.Workflows.Storage;

public enum StorageService
{
    Table,
    Queue,
    Blob,
}

/// <summary>
/// Totals per service, the peak working set, and the count per origin and operation kind
/// ("activity:OpenReviewRound|table GET Applications(row)", "engine|queue DELETE hub-control-00/messages/id"…) so the
/// benchmark can say which steps and calls dominate.
/// </summary>
public sealed record StorageCounts(long Table, long Queue, long Blob, long PeakWorkingSetBytes, IReadOnlyDictionary<string, long> Operations);

/// <summary>
/// Counts storage transactions (every HTTP attempt, retries included) of every Azure SDK client built with these
/// options — the application's and the Durable provider's — for the benchmark's cost per workflow.
/// </summary>
public sealed class StorageMetrics
{
    readonly long[] counts = new long[3];
    readonly ConcurrentDictionary<string, long> operations = new(StringComparer.Ordinal);
    static readonly AsyncLocal<string?> CurrentOrigin = new();

    /// <summary>Storage calls made in the caller's async flow until disposal count under <paramref name="origin"/> (a route, an activity).</summary>
    public static IDisposable Attribute(string origin)
    {
        var previous = CurrentOrigin.Value;
        CurrentOrigin.Value = origin;
        return new Restore(previous);
    }

    /// <summary>
    /// The origin of the caller's async flow, or null outside any: the local host hands it across its loopback hop to
    /// the Durable sidecar, so the sidecar's calls for a client call count under the route or activity that made it.
    /// </summary>
    public static string? Current => CurrentOrigin.Value;

    public StorageCounts Snapshot()
    {
        using var process = Process.GetCurrentProcess();
        return new StorageCounts(
            Interlocked.Read(ref counts[0]), Interlocked.Read(ref counts[1]), Interlocked.Read(ref counts[2]), process.PeakWorkingSet64,
            new SortedDictionary<string, long>(operations, StringComparer.Ordinal));
    }

    public TableClientOptions TableOptions() => With(new TableClientOptions(), StorageService.Table);

    public BlobClientOptions BlobOptions() => With(new BlobClientOptions(), StorageService.Blob);

    public QueueClientOptions QueueOptions() => With(new QueueClientOptions(), StorageService.Queue);

    T With<T>(T options, StorageService service)
        where T : ClientOptions
    {
        options.AddPolicy(new CountingPolicy(this, service), HttpPipelinePosition.PerRetry);
        return options;
    }

    void Count(StorageService service, Request request)
    {
        Interlocked.Increment(ref counts[(int)service]);
        // Calls outside any attributed flow are the Durable engine's own (dispatch, history, queues) or background services.
        operations.AddOrUpdate((CurrentOrigin.Value ?? "engine") + "|" + Describe(service, request), 1, (_, n) => n + 1);
    }

    /// <summary>
    /// "service VERB resource": the table (with "(row)" for a point operation, "()" for a query), the queue and its
    /// sub-resource, or the blob container and "comp"; ids and keys are left out so calls of one kind add up.
    /// </summary>
    public static string Describe(StorageService service, Request request)
    {
        var uri = request.Uri.ToUri();
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        // Path-style addresses (Azurite, the emulator) start with the account name.
        var first = IPAddress.TryParse(uri.Host, out _) || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        var resource = segments.Length > first ? Uri.UnescapeDataString(segments[first]) : "";
        var verb = request.Method.Method;
        switch (service)
        {
            case StorageService.Table:
                var paren = resource.IndexOf('(', StringComparison.Ordinal);
                if (paren >= 0)
                {
                    resource = resource[..paren] + (resource.Length > paren + 2 ? "(row)" : "()");
                }

                return $"table {verb} {resource}";
            case StorageService.Queue:
                var sub = segments.Length > first + 1 ? "/" + segments[first + 1] + (segments.Length > first + 2 ? "/id" : "") : "";
                return $"queue {verb} {resource}{sub}";
            default:
                var comp = System.Web.HttpUtility.ParseQueryString(uri.Query)["comp"];
                var blob = segments.Length > first + 1 ? "/blob" : "";
                return $"blob {verb} {resource}{blob}{(comp is null ? "" : "?comp=" + comp)}";
        }
    }

    sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => CurrentOrigin.Value = previous;
    }

    sealed class CountingPolicy(StorageMetrics metrics, StorageService service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => metrics.Count(service, message.Request);
    }
}
