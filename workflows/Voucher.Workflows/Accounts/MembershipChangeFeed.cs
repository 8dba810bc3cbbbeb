using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;

namespace Voucher.Workflows.Accounts;

/// <summary>One record of the change feed: its row key (time, then a unique suffix) and the person whose memberships changed.</summary>
public sealed record MembershipChange(string Key, string Subject);

/// <summary>The change feed of memberships: appended after every membership write, read by every host to evict its cache.</summary>
public interface IMembershipChangeFeed
{
    /// <summary>Records that <paramref name="subject"/>'s memberships changed (written after the membership row).</summary>
    Task AppendAsync(string subject, CancellationToken ct);

    /// <summary>The records written at or after <paramref name="from"/> (by the writer's clock), oldest first.</summary>
    Task<IReadOnlyList<MembershipChange>> ReadFromAsync(DateTimeOffset from, CancellationToken ct);

    /// <summary>Deletes the records written before <paramref name="before"/>; answers how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct);
}

/// <summary>A row of <see cref="MembershipChangeFeed.Table"/>: the person whose memberships changed.</summary>
public sealed class MembershipChangeEntity : TableRow
{
    public string Subject { get; set; } = "";
}

/// <summary>
/// The feed over Table Storage: table <see cref="Table"/>, one partition, the row key the writer's UTC ticks (19 digits,
/// so keys sort by time) and a random suffix (two writes in the same tick stay two rows). A read is one range query
/// on one partition, usually empty; the rows live <see cref="MembershipFeedPoller.Kept"/> and are pruned by the hosts.
/// The rows name a person's subject (as the <c>Memberships</c> partitions do) and nothing else.
/// </summary>
public sealed class MembershipChangeFeed(VoucherStore store, TimeProvider time) : IMembershipChangeFeed
{
    public const string Table = "MembershipChanges";

    public const string Partition = "changes";

    /// <summary>The time part of a row key: UTC ticks, 19 digits.</summary>
    public static string KeyOf(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public Task AppendAsync(string subject, CancellationToken ct) =>
        store.Table(Table).AddEntityAsync(new MembershipChangeEntity
        {
            PartitionKey = Partition,
            RowKey = KeyOf(time.GetUtcNow()) + "-" + Guid.NewGuid().ToString("N")[..12],
            Subject = subject,
        }, ct);

    public async Task<IReadOnlyList<MembershipChange>> ReadFromAsync(DateTimeOffset from, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {KeyOf(from)}");
        var changes = new List<MembershipChange>();
        await foreach (var row in store.Table(Table).QueryAsync<MembershipChangeEntity>(filter, maxPerPage: 1000, select: ["RowKey", nameof(MembershipChangeEntity.Subject)], cancellationToken: ct))
        {
            changes.Add(new MembershipChange(row.RowKey, row.Subject));
        }

        return changes;
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        var table = store.Table(Table);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {KeyOf(before)}");
        var old = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            old.Add(row);
        }

        var deleted = 0;
        foreach (var slice in old.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(slice.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), ct);
                deleted += slice.Length;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                return deleted; // another host prunes at the same time: it deletes the rest, or the next round does
            }
        }

        return deleted;
    }
}

/// <summary>
/// Keeps this host's <see cref="MembershipCache"/> told of the membership changes other hosts made: every
/// <see cref="Interval"/> one range query of the feed (a storage call per host per second, not per request), and the
/// people named are evicted. The query starts <see cref="Overlap"/> before the previous poll started (by this host's
/// clock), so a record from a host whose clock runs behind, or one committed after a later one, is still seen; each
/// record evicts once (row keys seen in the window are remembered). The window never reaches back further than the
/// cache's <see cref="MembershipCache.TimeToLive"/> (plus the overlap): an entry older than that has expired anyway, so
/// after an outage one query catches up. Every <see cref="PruneEvery"/> the poll also deletes records older than
/// <see cref="Kept"/>.
/// </summary>
public sealed class MembershipFeedPoller(MembershipCache cache, IMembershipChangeFeed feed, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How far before the previous poll each query starts: clock skew between hosts and late commits within this are tolerated.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    /// <summary>How long feed records are kept: far longer than any poll's window needs (<see cref="MembershipCache.TimeToLive"/> + <see cref="Overlap"/>).</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(1);

    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    readonly SortedSet<string> seen = new(StringComparer.Ordinal);
    readonly SemaphoreSlim one = new(1, 1);
    DateTimeOffset? polledAt;
    DateTimeOffset prunedAt = DateTimeOffset.MinValue;

    /// <summary>One poll: reads the feed's recent records, evicts the people newly named, prunes when due; answers how many were evicted.</summary>
    public async Task<int> PollOnceAsync(CancellationToken ct)
    {
        await one.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var oldestCached = now - MembershipCache.TimeToLive;
            var from = (polledAt is { } last && last > oldestCached ? last : oldestCached) - Overlap;
            var evicted = 0;
            foreach (var change in await feed.ReadFromAsync(from, ct))
            {
                if (seen.Add(change.Key))
                {
                    cache.Evict(change.Subject);
                    evicted++;
                }
            }

            // Keys below this window are never returned again (the next window starts later): forget them.
            var floor = MembershipChangeFeed.KeyOf(from);
            seen.RemoveWhere(k => string.CompareOrdinal(k, floor) < 0);
            polledAt = now;
            if (now - prunedAt >= PruneEvery)
            {
                prunedAt = now;
                await feed.PruneAsync(now - Kept, ct);
            }

            return evicted;
        }
        finally
        {
            one.Release();
        }
    }
}

/// <summary>
/// The background service both hosts run (registered by the Functions app's composition and the local host): polls the
/// membership feed every <see cref="MembershipFeedPoller.Interval"/> on every instance — a hosted service, not a timer
/// function, because a timer runs on one instance of a scaled-out app and every instance keeps its own cache. Its
/// storage calls count under <see cref="Origin"/>. A failing poll is logged once and retried on the next tick; entries
/// then expire after the cache's time to live.
/// </summary>
public sealed partial class MembershipFeedService(MembershipFeedPoller poller, TimeProvider time, ILogger<MembershipFeedService> log) : BackgroundService
{
    /// <summary>The origin of the feed's storage calls on <c>/dev/metrics</c>.</summary>
    public const string Origin = "background:MembershipFeed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(MembershipFeedPoller.Interval, time);
        var failing = false;
        try
        {
            do
            {
                try
                {
                    using (StorageMetrics.Attribute(Origin))
                    {
                        await poller.PollOnceAsync(stoppingToken);
                    }

                    if (failing)
                    {
                        failing = false;
                        Log.Recovered(log);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        failing = true;
                        Log.Failed(log, e, MembershipCache.TimeToLive.TotalSeconds);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 21, Level = LogLevel.Warning, Message = "Reading the membership change feed failed; retrying every second (another host's change reaches this host's cache within {Seconds} s meanwhile)")]
        public static partial void Failed(ILogger logger, Exception e, double seconds);

        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 22, Level = LogLevel.Information, Message = "Reading the membership change feed works again")]
        public static partial void Recovered(ILogger logger);
    }
}
