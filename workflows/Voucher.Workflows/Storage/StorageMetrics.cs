using System.Diagnostics;
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

public sealed record StorageCounts(long Table, long Queue, long Blob, long PeakWorkingSetBytes);

/// <summary>
/// Counts storage transactions (every HTTP attempt, retries included) of every Azure SDK client built with these
/// options — the application's and the Durable provider's — for the benchmark's cost per workflow.
/// </summary>
public sealed class StorageMetrics
{
    readonly long[] counts = new long[3];

    public StorageCounts Snapshot()
    {
        using var process = Process.GetCurrentProcess();
        return new StorageCounts(Interlocked.Read(ref counts[0]), Interlocked.Read(ref counts[1]), Interlocked.Read(ref counts[2]), process.PeakWorkingSet64);
    }

    public TableClientOptions TableOptions() => With(new TableClientOptions(), StorageService.Table);

    public BlobClientOptions BlobOptions() => With(new BlobClientOptions(), StorageService.Blob);

    public QueueClientOptions QueueOptions() => With(new QueueClientOptions(), StorageService.Queue);

    T With<T>(T options, StorageService service)
        where T : ClientOptions
    {
        options.AddPolicy(new CountingPolicy(counts, (int)service), HttpPipelinePosition.PerRetry);
        return options;
    }

    sealed class CountingPolicy(long[] counts, int index) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref counts[index]);
    }
}
