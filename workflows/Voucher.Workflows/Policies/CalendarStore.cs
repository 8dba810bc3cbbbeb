using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Policies;

/// <summary>A published year's arrangement, one row per version (and a pointer to the current one).</summary>
public sealed class CalendarEntity : TableRow
{
    public int Year { get; set; }

    public int Version { get; set; }

    public string Json { get; set; } = "";
}

/// <summary>The arrangements a new deployment starts from: those shipped with the code, as version 1 of their years.</summary>
public sealed record CalendarSeed(IReadOnlyList<CalendarYear> Years)
{
    public static CalendarSeed Shipped { get; } = new(WorkingCalendar.Embedded.Arrangements);
}

/// <summary>
/// The working-day calendar as published data, versioned per year in the <c>Policies</c> table, partition
/// <c>calendar</c>: row <c>v-{year}-{version:D6}</c> keeps every version (never overwritten), row <c>current-{year}</c>
/// points at the one in force. The shipped years are seeded as version 1.
/// </summary>
/// <remarks>
/// Deadlines are counted in many steps, so the whole calendar is cached as <see cref="PolicyStore"/> caches a city's
/// policy: for <see cref="PolicyStore.CurrentTtl"/>, replaced at once when this process publishes; another process's
/// publish is seen within the TTL. The re-plan after a publication waits out that TTL and then reads fresh
/// (<see cref="FreshAsync"/>), so no deadline is re-planned with a calendar older than the publication.
/// </remarks>
public sealed class CalendarStore(VoucherStore store, TimeProvider time, CalendarSeed seed)
{
    public const string Partition = "calendar";

    /// <summary>Who published the shipped versions.</summary>
    public const string ShippedBy = "系统（随系统发布）";

    sealed record Cached(WorkingCalendar Calendar, long ReadAtMs);

    volatile Cached? cached;
    long generation;

    static string CurrentKey(int year) => $"current-{year:D4}";

    static string VersionKey(int year, int version) => $"v-{year:D4}-{version:D6}";

    /// <summary>The calendar in force (cached for <see cref="PolicyStore.CurrentTtl"/>).</summary>
    public async Task<WorkingCalendar> CurrentAsync(CancellationToken ct = default)
    {
        if (cached is { } c && Environment.TickCount64 - c.ReadAtMs < PolicyStore.CurrentTtl.TotalMilliseconds)
        {
            return c.Calendar;
        }

        var before = Interlocked.Read(ref generation);
        var calendar = await FreshAsync(ct);
        // A publish by this process while the read was in flight wins over what the read returned.
        if (Interlocked.Read(ref generation) == before)
        {
            cached = new Cached(calendar, Environment.TickCount64);
        }

        return calendar;
    }

    /// <summary>The calendar in force, read now (one range query of the partition's pointer rows).</summary>
    public async Task<WorkingCalendar> FreshAsync(CancellationToken ct = default)
    {
        var years = new Dictionary<int, CalendarYear>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {"current-"} and RowKey lt {"current."}");
        await foreach (var row in store.Table(VoucherStore.Policies).QueryAsync<CalendarEntity>(filter, cancellationToken: ct))
        {
            var year = Deserialize(row);
            years[year.Year] = year;
        }

        // Not seeded yet (a store that has not started up): the shipped years count as their version 1.
        foreach (var shipped in seed.Years)
        {
            years.TryAdd(shipped.Year, shipped with { PublishedBy = ShippedBy });
        }

        return WorkingCalendar.From(years.Values);
    }

    /// <summary>The year's current arrangement (null when never published) and every version, newest first.</summary>
    public async Task<(CalendarYear? Current, IReadOnlyList<CalendarYear> History)> YearAsync(int year, CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {VersionKey(year, 0)} and RowKey le {VersionKey(year, 999_999)}");
        var history = new List<CalendarYear>();
        await foreach (var row in store.Table(VoucherStore.Policies).QueryAsync<CalendarEntity>(filter, cancellationToken: ct))
        {
            history.Add(Deserialize(row));
        }

        history = history.OrderByDescending(y => y.Version).ToList();
        if (history.Count == 0 && seed.Years.FirstOrDefault(y => y.Year == year) is { } shipped)
        {
            history.Add(shipped with { PublishedBy = ShippedBy });
        }

        return (history.FirstOrDefault(), history);
    }

    /// <summary>Seeds the shipped years as version 1 where a year has no row yet; leaves published years alone.</summary>
    public async Task EnsureSeededAsync(CancellationToken ct = default)
    {
        foreach (var shipped in seed.Years)
        {
            var first = shipped with { Version = 1, PublishedBy = ShippedBy, PublishedAt = time.GetUtcNow() };
            if (!await store.TryAddAsync(VoucherStore.Policies, Row(first, VersionKey(first.Year, 1)), ct))
            {
                // Seeded before; the pointer too, unless a crash came in between.
                var stored = await store.GetAsync<CalendarEntity>(VoucherStore.Policies, Partition, VersionKey(first.Year, 1), ct);
                first = stored is null ? first : Deserialize(stored);
            }

            await store.TryAddAsync(VoucherStore.Policies, Row(first, CurrentKey(first.Year)), ct);
        }

        Forget();
    }

    /// <summary>
    /// Publishes <paramref name="next"/> as the year's next version: the version row is added (never overwritten) and
    /// the pointer moves under optimistic concurrency, so two editors cannot both publish the same version.
    /// </summary>
    public async Task<bool> TryPublishAsync(CalendarYear next, CancellationToken ct = default)
    {
        var pointer = await store.GetAsync<CalendarEntity>(VoucherStore.Policies, Partition, CurrentKey(next.Year), ct);
        var currentVersion = pointer?.Version ?? (seed.Years.Any(y => y.Year == next.Year) ? 1 : 0);
        if (currentVersion + 1 != next.Version)
        {
            return false;
        }

        try
        {
            if (pointer is null && next.Version == 2)
            {
                // A shipped year published again before the store was seeded: seed it first, so version 1 stays on record.
                await EnsureSeededAsync(ct);
                return await TryPublishAsync(next, ct);
            }

            if (!await store.TryAddAsync(VoucherStore.Policies, Row(next, VersionKey(next.Year, next.Version)), ct))
            {
                // The version row exists but the pointer never moved (a crash in between): finish that move so later
                // publications are not refused forever; this call still reports failure so the editor reloads.
                var stored = await store.GetAsync<CalendarEntity>(VoucherStore.Policies, Partition, VersionKey(next.Year, next.Version), ct);
                if (stored is not null)
                {
                    await MovePointerAsync(pointer, Deserialize(stored), ct);
                }

                return false;
            }

            return await MovePointerAsync(pointer, next, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
        finally
        {
            Forget();
        }
    }

    async Task<bool> MovePointerAsync(CalendarEntity? pointer, CalendarYear to, CancellationToken ct)
    {
        var moved = Row(to, CurrentKey(to.Year));
        if (pointer is null)
        {
            return await store.TryAddAsync(VoucherStore.Policies, moved, ct);
        }

        await store.Table(VoucherStore.Policies).UpdateEntityAsync(moved, pointer.ETag, TableUpdateMode.Replace, ct);
        return true;
    }

    void Forget()
    {
        Interlocked.Increment(ref generation);
        cached = null;
    }

    static CalendarEntity Row(CalendarYear year, string rowKey) => new()
    {
        PartitionKey = Partition,
        RowKey = rowKey,
        Year = year.Year,
        Version = year.Version,
        Json = JsonSerializer.Serialize(year),
    };

    static CalendarYear Deserialize(CalendarEntity row) =>
        JsonSerializer.Deserialize<CalendarYear>(row.Json) ?? throw new InvalidOperationException($"Calendar row {row.RowKey} is empty.");
}
