using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Worklists;

/// <summary>
/// One settlement batch of the city as a work-list row: its period and stage from the batch record, its counts and
/// pay-out totals from the city's redemption index rows that name the batch (<see cref="RedemptionIndexEntity.BatchId"/>).
/// <paramref name="Counted"/> is false when no index row names the batch (rows written before the batch was indexed):
/// the record's item count is shown and the amounts are unknown.
/// </summary>
public sealed record BatchWorkRow(
    string BatchId,
    string PeriodId,
    string PeriodName,
    BatchStage Stage,
    DateOnly FormedOn,
    int ItemCount,
    int ApprovedCount,
    long PayoutFen,
    long ApprovedPayoutFen,
    string? PublicityStart,
    string? PublicityEnd,
    bool Counted)
{
    static readonly RedemptionStatus[] Approved =
        [RedemptionStatus.Approved, RedemptionStatus.Published, RedemptionStatus.Objected, RedemptionStatus.Payable, RedemptionStatus.Paid];

    public static IReadOnlyList<BatchWorkRow> Of(IEnumerable<BatchEntity> batches, IEnumerable<RedemptionWorkRow> redemptions)
    {
        var byBatch = redemptions.Where(r => r.BatchId is not null).ToLookup(r => r.BatchId!, StringComparer.Ordinal);
        return batches.Select(b =>
        {
            var items = byBatch[b.BatchId].ToList();
            var approved = items.Where(i => Approved.Contains(i.Status)).ToList();
            return new BatchWorkRow(b.BatchId, b.PeriodId, SettlementText.PeriodName(b.PeriodId), b.Stage, ChinaTime.DateOf(b.FormedAt.UtcDateTime),
                items.Count > 0 ? items.Count : b.ItemCount, approved.Count, items.Sum(i => i.PayoutFen), approved.Sum(i => i.PayoutFen),
                b.PublicityStart, b.PublicityEnd, items.Count > 0 || b.ItemCount == 0);
        }).ToList();
    }
}

/// <summary>What the filtered batches add up to (every page).</summary>
public sealed record BatchTotals(int Batches, int Items, long PayoutFen, long ApprovedPayoutFen);

/// <summary>
/// The city bureau's settlement batches as a work list: 待办 = forming or under the bureau's review, 已办 = submitted
/// (deciding, publicity, closed); keyword over the period; a stage filter; sortable by period, item count and pay-out;
/// totals of the filtered batches. Pure.
/// </summary>
public static class BatchWorkList
{
    public const string Path = "/portal/work/batches";
    public const string Todo = "todo";
    public const string Done = "done";

    public static readonly string[] Tabs = [Todo, Done];
    public static readonly string[] Sorts = ["period", "items", "payout"];
    public static readonly string[] FilterNames = ["stage"];

    public static IReadOnlyList<BatchStage> StagesOf(string tab) => tab == Done
        ? [BatchStage.Deciding, BatchStage.Publicity, BatchStage.Closed]
        : [BatchStage.Forming, BatchStage.Reviewing];

    public static ListQuery Query(HttpRequest request) => ListQuery.From(request, Tabs, Sorts, "period", true, FilterNames);

    public static (BatchStage? Stage, string? Error) StageFilter(ListQuery query)
    {
        if (query.Filter("stage") is not { } value)
        {
            return (null, null);
        }

        return Enum.TryParse<BatchStage>(value, ignoreCase: false, out var s) && StagesOf(query.Tab).Contains(s)
            ? (s, null)
            : (null, "请从列出的阶段中选择。");
    }

    public static int Count(IEnumerable<BatchWorkRow> rows, string tab) => rows.Count(r => StagesOf(tab).Contains(r.Stage));

    /// <summary>The list as the pages answer it: the rows of the query, its tabs (待办 / 已办) with their counts, a refused filter.</summary>
    public static WorkListAnswer<BatchWorkRow> Answer(string title, string fileName, IReadOnlyList<BatchWorkRow> all, ListQuery query) =>
        new(title, fileName, query, Apply(all, query), Columns, new(Todo, "待办", Count(all, Todo)), new(Done, "已办", Count(all, Done)), StageFilter(query).Error);

    public static IReadOnlyList<BatchWorkRow> Apply(IEnumerable<BatchWorkRow> rows, ListQuery query)
    {
        var stages = StagesOf(query.Tab);
        var (stage, _) = StageFilter(query);
        var keyword = query.Keyword;
        var matching = rows.Where(r => stages.Contains(r.Stage)
            && (stage is null || r.Stage == stage)
            && (keyword.Length == 0
                || r.PeriodName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.PeriodId.Contains(keyword, StringComparison.OrdinalIgnoreCase)));
        var ordered = query.Sort switch
        {
            "items" => query.Descending ? matching.OrderByDescending(r => r.ItemCount) : matching.OrderBy(r => r.ItemCount),
            "payout" => query.Descending ? matching.OrderByDescending(r => r.PayoutFen) : matching.OrderBy(r => r.PayoutFen),
            _ => query.Descending ? matching.OrderByDescending(r => r.PeriodId, StringComparer.Ordinal) : matching.OrderBy(r => r.PeriodId, StringComparer.Ordinal),
        };
        return ordered.ThenBy(r => r.BatchId, StringComparer.Ordinal).ToList();
    }

    public static BatchTotals Totals(IReadOnlyList<BatchWorkRow> rows) =>
        new(rows.Count, rows.Sum(r => r.ItemCount), rows.Sum(r => r.PayoutFen), rows.Sum(r => r.ApprovedPayoutFen));

    public static readonly ExportColumn<BatchWorkRow>[] Columns =
    [
        new("结算期次", r => r.PeriodName),
        new("阶段", r => Glossary.Of(r.Stage)),
        new("组批日期", r => Glossary.Date(r.FormedOn)),
        new("兑付笔数", r => r.ItemCount),
        new("核定兑付（元）", r => r.Counted ? r.PayoutFen / 100m : null),
        new("审核通过笔数", r => r.Counted ? r.ApprovedCount : null),
        new("审核通过金额（元）", r => r.Counted ? r.ApprovedPayoutFen / 100m : null),
        new("公示期", r => r.PublicityStart is { } s ? $"{s} 至 {r.PublicityEnd}" : ""),
    ];
}
