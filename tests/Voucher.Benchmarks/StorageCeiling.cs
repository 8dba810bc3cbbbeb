using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Voucher.Benchmarks;

/// <summary>Raw operations per second Azurite sustains from this process: table upserts, queue sends, blob uploads.</summary>
internal sealed record StorageCeiling(double TableOpsPerSecond, double QueueOpsPerSecond, double BlobOpsPerSecond, int Workers, double SecondsEach, int Errors)
{
    /// <summary>
    /// The lifecycle rate the storage could bear: Azurite is one Node.js process, so the three services share it;
    /// one lifecycle costs Σ(transactions_s / ceiling_s) seconds of it.
    /// </summary>
    public double LifecyclesPerSecond(StorageTx perLifecycle)
    {
        var seconds = perLifecycle.Table / TableOpsPerSecond + perLifecycle.Queue / QueueOpsPerSecond + perLifecycle.Blob / BlobOpsPerSecond;
        return seconds > 0 ? 1 / seconds : double.PositiveInfinity;
    }
}

internal static class StorageCeilingProbe
{
    /// <summary>Runs a timed loop of each operation with <paramref name="workers"/> parallel workers, one service after the other.</summary>
    public static async Task<StorageCeiling> MeasureAsync(string connectionString, int workers, TimeSpan each, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var errors = 0;
        var payload = new string('x', 300);
        var bytes = BinaryData.FromString(payload);

        var table = new TableServiceClient(connectionString).GetTableClient("ceiling" + suffix);
        await table.CreateIfNotExistsAsync(ct);
        var tableRate = await LoopAsync("ceiling: table upserts", workers, each, async (w, i) =>
        {
            var e = new TableEntity($"p{w % 16}", $"{w}-{i}") { ["Payload"] = payload, ["N"] = i };
            await table.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
        }, () => Interlocked.Increment(ref errors), ct);

        var queue = new QueueServiceClient(connectionString).GetQueueClient("ceiling" + suffix);
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        var queueRate = await LoopAsync("ceiling: queue sends", workers, each, async (_, _) =>
        {
            await queue.SendMessageAsync(bytes, cancellationToken: ct);
        }, () => Interlocked.Increment(ref errors), ct);

        var container = new BlobServiceClient(connectionString).GetBlobContainerClient("ceiling" + suffix);
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        var blobRate = await LoopAsync("ceiling: blob uploads", workers, each, async (w, i) =>
        {
            await container.GetBlobClient($"{w}/{i}").UploadAsync(bytes, overwrite: true, ct);
        }, () => Interlocked.Increment(ref errors), ct);

        // Nothing is deleted: deleting tens of thousands of rows, messages and blobs keeps Azurite's in-memory store busy
        // for minutes (its event loop stalls), and the Azurite instance is thrown away after the run anyway.
        return new StorageCeiling(tableRate, queueRate, blobRate, workers, each.TotalSeconds, errors);
    }

    static async Task<double> LoopAsync(string name, int workers, TimeSpan each, Func<int, int, Task> op, Action onError, CancellationToken ct)
    {
        // A short warm-up (connections, JIT) that is not counted.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => op(w, -1)));
        long done = 0;
        using var progress = new ProgressLine(name, 0, () => "");
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (var i = 0; watch.Elapsed < each && !ct.IsCancellationRequested; i++)
            {
                try
                {
                    await op(w, i);
                    progress.Set((int)Interlocked.Increment(ref done));
                }
                catch (RequestFailedException)
                {
                    onError();
                }
            }
        }));
        return Interlocked.Read(ref done) / watch.Elapsed.TotalSeconds;
    }
}
