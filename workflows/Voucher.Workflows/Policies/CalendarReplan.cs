using Azure.Data.Tables;
using Microsoft.DurableTask;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Durable;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;

namespace Voucher.Workflows.Policies;

/// <summary>A publication to re-plan after: instance <c>calendar-{year}-v{version}</c>, so it runs once per version.</summary>
public sealed record CalendarReplanInput(int Year, int Version)
{
    public string InstanceId => $"calendar-{Year:D4}-v{Version}";
}

public sealed record CalendarDependentsQuery(int Year, string CityCode);

/// <summary>The open deadlines of a city that may depend on the year: ids only (no personal data in the history).</summary>
public sealed record CalendarDependents(IReadOnlyList<string> Applications, IReadOnlyList<string> Redemptions, IReadOnlyList<string> Batches);

public sealed record CalendarReplanSummary(int Year, int Version, int Applications, int Redemptions, int Batches, DateTime At);

/// <summary>
/// After a year's holiday arrangement is published or corrected: waits until every process's cached calendar has
/// expired (so no deadline counted from now on uses the old one), then wakes every open deadline that may depend on the
/// year — applications under review, redemptions awaiting binding, batches in publicity — city by city. Each wakes its
/// own orchestration, which counts its deadline again with the calendar in force (idempotent: a duplicate wake-up changes
/// nothing). A crash in the middle resumes where it was; events already sent are not sent again by the replay.
/// </summary>
public sealed class CalendarReplanOrchestrator : TaskOrchestrator<CalendarReplanInput, CalendarReplanSummary>
{
    /// <summary>The wait before the dependents are listed: the calendar cache's lifetime, and a margin.</summary>
    public static readonly TimeSpan SettleDelay = PolicyStore.CurrentTtl + TimeSpan.FromSeconds(5);

    public override async Task<CalendarReplanSummary> RunAsync(TaskOrchestrationContext context, CalendarReplanInput input)
    {
        await context.CreateTimer(context.CurrentUtcDateTime + SettleDelay, CancellationToken.None);
        var changed = new CalendarChanged(input.Year, input.Version);
        int applications = 0, redemptions = 0, batches = 0;
        foreach (var city in Cities.All)
        {
            var dependents = await context.CallActivityAsync<CalendarDependents>(nameof(ListCalendarDependents), new CalendarDependentsQuery(input.Year, city.Code));
            foreach (var id in dependents.Applications)
            {
                context.SendEvent(ApplicationStore.InstanceId(id), CalendarChanged.EventName, changed);
            }

            foreach (var id in dependents.Redemptions)
            {
                context.SendEvent(RedemptionStore.InstanceId(id), RedemptionEvent.EventName,
                    new RedemptionEvent(RedemptionEvent.Calendar, 0, false, $"{input.Year}:{input.Version}", "calendar"));
            }

            foreach (var id in dependents.Batches)
            {
                context.SendEvent(SettlementIds.InstanceId(id), CalendarChanged.EventName, changed);
            }

            applications += dependents.Applications.Count;
            redemptions += dependents.Redemptions.Count;
            batches += dependents.Batches.Count;
            context.SetCustomStatus(new { input.Year, input.Version, city = city.Code, applications, redemptions, batches });
        }

        var summary = new CalendarReplanSummary(input.Year, input.Version, applications, redemptions, batches, context.CurrentUtcDateTime);
        await context.CallActivityAsync<bool>(nameof(RecordCalendarReplan), summary);
        return summary;
    }
}

/// <summary>
/// A city's open deadlines that may reach into the year: listing rows of applications under review or escalated,
/// redemptions awaiting binding and open publicity windows whose deadline is on or after the year's first day (one query
/// per listing partition, filtered by the service).
/// </summary>
public sealed class ListCalendarDependents(VoucherStore store) : IActivity<CalendarDependentsQuery, CalendarDependents>
{
    public async Task<CalendarDependents> RunAsync(CalendarDependentsQuery input, CancellationToken ct = default)
    {
        var from = $"{input.Year:D4}-01-01";
        var applications = await KeysAsync(VoucherStore.ApplicationIndex, TableClient.CreateQueryFilter(
            $"PartitionKey eq {ApplicationStore.CityPartition(input.CityCode)} and (Status eq {nameof(ApplicationStatus.UnderReview)} or Status eq {nameof(ApplicationStatus.Escalated)}) and DeadlineDate ge {from}"), ct);
        var redemptions = await KeysAsync(VoucherStore.RedemptionIndex, TableClient.CreateQueryFilter(
            $"PartitionKey eq {RedemptionStore.CityPartition(input.CityCode)} and Status eq {nameof(RedemptionStatus.AwaitingBinding)} and BindingDeadline ge {from}"), ct);
        var batches = await KeysAsync(VoucherStore.PublicityIndex, TableClient.CreateQueryFilter(
            $"PartitionKey eq {"open"} and CityCode eq {input.CityCode} and PublicityEnd ge {from}"), ct);
        return new CalendarDependents(applications, redemptions, batches);
    }

    /// <summary>The open deadlines of every city that a publication of the year would re-plan now (the confirmation names the count).</summary>
    public async Task<CalendarDependents> AllCitiesAsync(int year, CancellationToken ct = default)
    {
        var each = await Task.WhenAll(Cities.All.Select(c => RunAsync(new CalendarDependentsQuery(year, c.Code), ct)));
        return new CalendarDependents([.. each.SelectMany(d => d.Applications)], [.. each.SelectMany(d => d.Redemptions)], [.. each.SelectMany(d => d.Batches)]);
    }

    async Task<List<string>> KeysAsync(string table, string filter, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var row in store.Table(table).QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }
}

/// <summary>The year's audit trail records each re-plan: how many open deadlines were woken for which version.</summary>
public sealed class RecordCalendarReplan(AuditLog audit) : IActivity<CalendarReplanSummary, bool>
{
    public async Task<bool> RunAsync(CalendarReplanSummary input, CancellationToken ct = default)
    {
        await audit.AppendAsync(AuditSubjects.Calendar(input.Year), "system", new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc)),
            $"v{input.Version}", $"v{input.Version}", 0,
            $"{input.Year}年节假日安排第{input.Version}版发布后重新计算期限：审核中的申请 {input.Applications} 件、待机构确认的兑付 {input.Redemptions} 件、公示中的批次 {input.Batches} 个", ct);
        return true;
    }
}
