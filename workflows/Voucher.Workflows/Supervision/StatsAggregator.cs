using Azure;
using Azure.Data.Tables;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Vouchers;

namespace Voucher.Workflows.Supervision;

/// <summary>
/// Keeps the statistics up to date as events happen, so pages and reports read a handful of rows instead of the
/// records. Each event changes one city-year aggregate row; a marker row for the event (and, for a paid redemption,
/// a marker for the enterprise) is inserted in the same entity-group transaction as the ETag-conditional update of
/// the aggregate: a duplicate or replayed event finds its marker and changes nothing, a concurrent writer makes the
/// transaction fail with 412 and the change is re-read and retried. The marker is read only after a failed
/// transaction (an event counted before makes the marker's Add fail with 409), and the aggregate row this process
/// wrote last is kept with its ETag, so a count costs one transaction when no one else wrote the row in between.
/// </summary>
public sealed partial class StatsAggregator(VoucherStore store, VoucherRepository vouchers, TimeProvider time, Microsoft.Extensions.Logging.ILogger<StatsAggregator> log)
{
    const int MaxAttempts = 40;

    /// <summary>A count that needed this many attempts (a hot row) is logged.</summary>
    const int ContendedAttempts = 10;

    /// <summary>
    /// The aggregate row this process last wrote, per partition, with the ETag the write returned. The next event's
    /// first attempt starts from it instead of reading the row; if anyone (a concurrent step, another instance) wrote
    /// since, the conditional replace fails and the row is read as before.
    /// </summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, CityYearStatsEntity> lastWritten = new(StringComparer.Ordinal);

    /// <summary>A decided application: counts, the review time, and the voucher issued with it.</summary>
    public Task ApplicationDecidedAsync(ApplicationEntity app, CancellationToken ct = default) => ApplicationDecidedAsync(app, null, ct);

    /// <summary>As <see cref="ApplicationDecidedAsync(ApplicationEntity, CancellationToken)"/>.</summary>
    /// <param name="app">The decided application.</param>
    /// <param name="issued">The voucher the caller has just issued for this application, if it has it (saves reading it again).</param>
    /// <param name="ct">Cancellation.</param>
    public async Task ApplicationDecidedAsync(ApplicationEntity app, VoucherEntity? issued, CancellationToken ct = default)
    {
        if (app.DecidedAt is not { } decidedAt || app.Approved is not { } approved)
        {
            return;
        }

        var voucher = !approved || app.VoucherId is not { } vid ? null
            : issued is not null && issued.VoucherId == vid ? issued
            : await vouchers.GetAsync(vid, ct);
        var reviewFrom = app.NotifiedAt ?? app.SubmittedAt;
        await ApplyAsync(app.CityCode, ChinaTime.DateOf(decidedAt.UtcDateTime).Year, "app|" + app.ApplicationId, null, (s, _) =>
        {
            s.ApplicationsDecided++;
            if (approved)
            {
                s.ApplicationsApproved++;
            }
            else
            {
                s.ApplicationsRejected++;
            }

            AddDuration(s, nameof(s.HApplicationReview), reviewFrom, decidedAt);
            if (voucher is not null)
            {
                s.VouchersIssued++;
                s.IssuedFaceFen += voucher.FaceValueFen;
                s.Expiries = ExpiryCounts.Add(s.Expiries, voucher.ExpiresOn, issued: 1, used: 0);
            }
        }, ct);
    }

    /// <summary>A redemption's final outcome (paid or rejected): amounts, the enterprise served, stage times, and the voucher's first use.</summary>
    /// <param name="r">The finished redemption.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="voucher">Its voucher, when the caller has just read it (its city, issue and expiry dates do not change).</param>
    public async Task RedemptionSettledAsync(RedemptionEntity r, CancellationToken ct = default, VoucherEntity? voucher = null)
    {
        var paid = r.State == RedemptionStatus.Paid;
        if (!paid && r.State != RedemptionStatus.Rejected)
        {
            return;
        }

        var objected = await HasObjectionAsync(r.RedemptionId, ct);
        var year = YearOf(r);
        await ApplyAsync(r.CityCode, year, "red|" + r.RedemptionId, paid ? r.Uscc : null, (s, newEnterprise) =>
        {
            s.RedemptionsFinished++;
            if (objected)
            {
                s.RedemptionsObjected++;
            }

            if (objected || !paid)
            {
                s.RedemptionsRejectedOrObjected++;
            }

            AddDuration(s, nameof(s.HBinding), r.SubmittedAt, r.BoundAt);
            AddDuration(s, nameof(s.HWaitForBatch), r.QueuedAt, r.InBatchAt);
            AddDuration(s, nameof(s.HReview), r.InBatchAt, r.ReviewedAt);
            if (!paid)
            {
                s.RedemptionsRejected++;
                return;
            }

            s.RedemptionsPaid++;
            s.PaidFen += r.PayoutFen;
            s.ServiceAmountFen += r.AmountPaidFen;
            if (newEnterprise)
            {
                s.EnterprisesServed++;
            }

            var ranges = PayoutDistribution.Parse(s.PayoutRanges);
            ranges[PayoutDistribution.RangeOf(Cny.FromFen(r.PayoutFen))]++;
            s.PayoutRanges = PayoutDistribution.Serialize(ranges);
            AddDuration(s, nameof(s.HPublicity), r.PublishedAt, r.PayableAt);
            AddDuration(s, nameof(s.HPayment), r.PayableAt, r.PaidAt);
            AddDuration(s, nameof(s.HTotal), r.SubmittedAt, r.PaidAt);
        }, ct);

        if (paid && (voucher?.VoucherId == r.VoucherId ? voucher : await vouchers.GetAsync(r.VoucherId, ct)) is { } v && DateOnly.TryParse(v.IssuedOn, out var issuedOn))
        {
            await ApplyAsync(v.CityCode, issuedOn.Year, "vused|" + v.VoucherId, null, (s, _) =>
            {
                s.VouchersUsed++;
                s.Expiries = ExpiryCounts.Add(s.Expiries, v.ExpiresOn, issued: 0, used: 1);
            }, ct);
        }
    }

    /// <summary>The year a finished redemption counts in: its payment date, or the review date for a rejection.</summary>
    public static int YearOf(RedemptionEntity r) =>
        r.State == RedemptionStatus.Paid && DateOnly.TryParse(r.PaidOn, out var paidOn)
            ? paidOn.Year
            : ChinaTime.DateOf((r.ReviewedAt ?? r.PaidAt ?? r.SubmittedAt).UtcDateTime).Year;

    /// <summary>
    /// Applies <paramref name="change"/> to the city-year row once per <paramref name="eventKey"/>. Answers false when
    /// the event was counted before. <paramref name="distinctKey"/>: counted once per partition (the flag tells whether it is new).
    /// </summary>
    public async Task<bool> ApplyAsync(string cityCode, int year, string eventKey, string? distinctKey, Action<CityYearStatsEntity, bool> change, CancellationToken ct = default)
    {
        var table = store.Table(SupervisionTables.Stats);
        var pk = CityYearStatsEntity.PartitionOf(cityCode, year);
        var markerKey = "m|" + Safe(eventKey);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // No look at the marker first: the transaction adds it, so an event counted before fails the transaction (409).
            var distinctRow = distinctKey is null ? null : "d|" + Safe(distinctKey);
            var isNewDistinct = distinctRow is not null && await store.GetAsync<StatsMarkerEntity>(SupervisionTables.Stats, pk, distinctRow, ct) is null;
            var totals = attempt == 0 && lastWritten.TryGetValue(pk, out var known)
                ? known.Copy()
                : await store.GetAsync<CityYearStatsEntity>(SupervisionTables.Stats, pk, CityYearStatsEntity.TotalsRow, ct);
            var isNewRow = totals is null;
            totals ??= new CityYearStatsEntity { PartitionKey = pk, RowKey = CityYearStatsEntity.TotalsRow };
            change(totals, isNewDistinct);
            var now = time.GetUtcNow();
            totals.UpdatedAt = now;

            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new StatsMarkerEntity { PartitionKey = pk, RowKey = markerKey, At = now }),
            };
            if (isNewDistinct)
            {
                actions.Add(new(TableTransactionActionType.Add, new StatsMarkerEntity { PartitionKey = pk, RowKey = distinctRow!, At = now }));
            }

            actions.Add(isNewRow
                ? new TableTransactionAction(TableTransactionActionType.Add, totals)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, totals, totals.ETag));
            try
            {
                var written = await table.SubmitTransactionAsync(actions, ct);
                if (written.Value.Count == actions.Count && written.Value[^1].Headers.ETag is { } etag)
                {
                    var copy = totals.Copy();
                    copy.ETag = etag;
                    lastWritten[pk] = copy;
                }
                else
                {
                    lastWritten.TryRemove(pk, out _);
                }

                if (attempt + 1 >= ContendedAttempts)
                {
                    SupervisionLog.StatsContended(log, pk, eventKey, attempt + 1);
                }

                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // This event counted before (its marker exists), or someone else changed the row, created it, or counted
                // the enterprise first: only the marker tells which.
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
            }

            lastWritten.TryRemove(pk, out _);
            if (await store.GetAsync<StatsMarkerEntity>(SupervisionTables.Stats, pk, markerKey, ct) is not null)
            {
                SupervisionLog.StatsDuplicate(log, pk, eventKey);
                return false;
            }

            await Task.Delay(Random.Shared.Next(5, 20 + attempt * 10), ct);
        }

        SupervisionLog.StatsGaveUp(log, pk, eventKey, MaxAttempts);
        throw new InvalidOperationException($"Statistics row {pk} is too busy to update ({eventKey}).");
    }

    async Task<bool> HasObjectionAsync(string redemptionId, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {redemptionId}");
        await foreach (var _ in store.Table(VoucherStore.Objections).QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
        {
            return true;
        }

        return false;
    }

    static void AddDuration(CityYearStatsEntity s, string property, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is null || to is null)
        {
            return;
        }

        var prop = typeof(CityYearStatsEntity).GetProperty(property)!;
        var h = DurationHistogram.Parse((string?)prop.GetValue(s));
        h.Add(to.Value - from.Value);
        prop.SetValue(s, h.Serialize());
    }

    /// <summary>Keys go into a RowKey: characters Table Storage refuses there are replaced.</summary>
    static string Safe(string key) => key.Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');
}

/// <summary>Vouchers per expiry date, <c>yyyy-MM-dd:issued:used;…</c>, so "expired" can be answered for any day.</summary>
public static class ExpiryCounts
{
    public static string Add(string text, string expiresOn, long issued, long used)
    {
        var map = Parse(text);
        map.TryGetValue(expiresOn, out var current);
        map[expiresOn] = (current.Issued + issued, current.Used + used);
        return string.Join(';', map.Select(kv => $"{kv.Key}:{kv.Value.Issued}:{kv.Value.Used}"));
    }

    public static SortedDictionary<string, (long Issued, long Used)> Parse(string? text)
    {
        var map = new SortedDictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = part.Split(':');
            map[cells[0]] = (long.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        return map;
    }

    /// <summary>Vouchers whose validity ended before <paramref name="today"/> without any paid redemption.</summary>
    public static long ExpiredUnused(string? text, DateOnly today)
    {
        var cut = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Parse(text).Where(kv => string.CompareOrdinal(kv.Key, cut) < 0).Sum(kv => kv.Value.Issued - kv.Value.Used);
    }
}
