using System.Globalization;
using System.Text.Json;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement;

/// <summary>A row's decision state as the review filters it.</summary>
public enum ReviewState
{
    Any,
    Undecided,
    Approved,
    Rejected,
}

/// <summary>
/// What the bureau narrowed a batch's review to: institution (id), enterprise keyword (name or USCC), service category,
/// pay-out range in yuan, a risk flag (a <see cref="RiskRules"/> code, <c>any</c> or <c>none</c>) and the decision state.
/// The same filter picks the rows of the page, its totals and the rows of a bulk decision on the whole filtered set.
/// </summary>
public sealed record BatchReviewFilter(string? Institution, string? Enterprise, string? Category, long? MinFen, long? MaxFen, string? Risk, ReviewState State)
{
    public static readonly BatchReviewFilter None = new(null, null, null, null, null, null, ReviewState.Any);

    /// <summary>The query-string names of the filters (the keyword is the list's <c>q</c>).</summary>
    public static readonly IReadOnlyList<string> Names = ["inst", "cat", "min", "max", "risk", "state"];

    public static readonly IReadOnlyList<string> Sorts = ["id", "enterprise", "institution", "payout", "risk", "state"];

    public bool IsEmpty => this == None;

    /// <summary>
    /// The filter from a list query: an amount that is not a number of yuan (up to 2 decimals, ≥ 0) or a range whose
    /// minimum exceeds its maximum is named by its field; unknown risk codes and states are refused the same way.
    /// </summary>
    public static (BatchReviewFilter Filter, IReadOnlyList<FieldError> Errors) From(ListQuery query) =>
        From(query.Filters.Append(new("q", query.Keyword)).Where(kv => kv.Value.Length > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));

    /// <summary>The filter from its values by query name (<c>q</c> the enterprise keyword); empty values are no filter.</summary>
    public static (BatchReviewFilter Filter, IReadOnlyList<FieldError> Errors) From(IReadOnlyDictionary<string, string> values)
    {
        var errors = new List<FieldError>();
        string? Value(string name) => values.TryGetValue(name, out var v) && v?.Trim() is { Length: > 0 } t ? t : null;
        long? Yuan(string name, string label)
        {
            var text = Value(name);
            if (text is null)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan) && yuan <= 100_000_000m && decimal.Round(yuan, 2) == yuan)
            {
                return (long)(yuan * 100m);
            }

            errors.Add(new FieldError(name, $"{label}须为不小于 0 的金额（元，最多两位小数）"));
            return null;
        }

        var min = Yuan("min", "最低金额");
        var max = Yuan("max", "最高金额");
        if (min is { } lo && max is { } hi && lo > hi)
        {
            errors.Add(new FieldError("max", "最高金额不能小于最低金额"));
        }

        var risk = Value("risk");
        if (risk is not null && risk is not ("any" or "none") && !RiskRules.TryParse(risk, out _))
        {
            errors.Add(new FieldError("risk", "请选择列出的风险提示"));
            risk = null;
        }

        var state = ReviewState.Any;
        if (Value("state") is { } s && !TryParseState(s, out state))
        {
            errors.Add(new FieldError("state", "请选择列出的审核状态"));
        }

        return (new BatchReviewFilter(Value("inst"), Value("q"), Value("cat"), min, max, risk, state), errors);
    }

    public static bool TryParseState(string? text, out ReviewState state)
    {
        state = text switch
        {
            "undecided" => ReviewState.Undecided,
            "approved" => ReviewState.Approved,
            "rejected" => ReviewState.Rejected,
            _ => ReviewState.Any,
        };
        return text is "undecided" or "approved" or "rejected";
    }

    public static string StateName(ReviewState state) => state switch
    {
        ReviewState.Undecided => "undecided",
        ReviewState.Approved => "approved",
        ReviewState.Rejected => "rejected",
        _ => "",
    };

    public bool Matches(BatchItemEntity item) =>
        (Institution is null || item.InstitutionId == Institution)
        && (Category is null || item.ServiceCategory == Category)
        && (Enterprise is null || item.EnterpriseName.Contains(Enterprise, StringComparison.OrdinalIgnoreCase) || item.Uscc.Equals(Enterprise, StringComparison.OrdinalIgnoreCase) || item.RedemptionId.Equals(Enterprise, StringComparison.OrdinalIgnoreCase))
        && (MinFen is null || item.PayoutFen >= MinFen)
        && (MaxFen is null || item.PayoutFen <= MaxFen)
        && (Risk switch
        {
            null => true,
            "any" => item.RiskFlags.Length > 0,
            "none" => item.RiskFlags.Length == 0,
            var code => HasFlag(item.RiskFlags, code),
        })
        && (State switch
        {
            ReviewState.Undecided => item.Verdict == RowVerdict.Undecided,
            ReviewState.Approved => item.Verdict == RowVerdict.Approve,
            ReviewState.Rejected => item.Verdict == RowVerdict.Reject,
            _ => true,
        });

    static bool HasFlag(string flags, string code) =>
        flags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(code, StringComparer.Ordinal);
}

/// <summary>The filtered set's totals: rows, pay-out, and how many of them are decided each way.</summary>
public sealed record BatchReviewTotals(int Count, long PayoutFen, long PaidFen, int Approved, int Rejected, int Flagged)
{
    public static readonly BatchReviewTotals None = new(0, 0, 0, 0, 0, 0);

    public int Undecided => Count - Approved - Rejected;

    public static BatchReviewTotals operator +(BatchReviewTotals a, BatchReviewTotals b) => new(
        a.Count + b.Count, a.PayoutFen + b.PayoutFen, a.PaidFen + b.PaidFen, a.Approved + b.Approved, a.Rejected + b.Rejected, a.Flagged + b.Flagged);

    public static BatchReviewTotals Of(IReadOnlyCollection<BatchItemEntity> items) => new(
        items.Count,
        items.Sum(i => i.PayoutFen),
        items.Sum(i => i.AmountPaidFen),
        items.Count(i => i.Verdict == RowVerdict.Approve),
        items.Count(i => i.Verdict == RowVerdict.Reject),
        items.Count(i => i.RiskFlags.Length > 0));
}

/// <summary>Filtering, ordering and totals of a batch's rows (one place for the page, the API and the bulk decision).</summary>
public static class BatchReview
{
    /// <summary>The rows the filter keeps, in the asked order (ties by redemption id, so pages are stable).</summary>
    public static List<BatchItemEntity> Select(IEnumerable<BatchItemEntity> items, BatchReviewFilter filter, string? sort, bool descending)
    {
        var kept = items.Where(filter.Matches);
        IOrderedEnumerable<BatchItemEntity> ordered = sort switch
        {
            "enterprise" => Order(kept, i => i.EnterpriseName, descending),
            "institution" => Order(kept, i => i.InstitutionName, descending),
            "payout" => descending ? kept.OrderByDescending(i => i.PayoutFen) : kept.OrderBy(i => i.PayoutFen),
            "risk" => descending ? kept.OrderByDescending(i => FlagCount(i.RiskFlags)) : kept.OrderBy(i => FlagCount(i.RiskFlags)),
            "state" => descending ? kept.OrderByDescending(i => (int)i.Verdict) : kept.OrderBy(i => (int)i.Verdict),
            _ => Order(kept, i => i.RedemptionId, descending),
        };
        return [.. ordered.ThenBy(i => i.RedemptionId, StringComparer.Ordinal)];
    }

    static IOrderedEnumerable<BatchItemEntity> Order(IEnumerable<BatchItemEntity> items, Func<BatchItemEntity, string> key, bool descending) =>
        descending ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal);

    public static int FlagCount(string flags) => flags.Length == 0 ? 0 : flags.Count(c => c == ',') + 1;

    /// <summary>The reasons stored with a row's flags (<c>[{"rule","reason"}]</c>), by rule; a malformed record gives the rule names only.</summary>
    public static IReadOnlyList<(string Rule, string Reason)> Reasons(BatchItemEntity item)
    {
        var rules = RiskRules.ParseList(item.RiskFlags);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(item.RiskReasons))
        {
            try
            {
                using var doc = JsonDocument.Parse(item.RiskReasons);
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    if (e.TryGetProperty("rule", out var r) && e.TryGetProperty("reason", out var why) && r.GetString() is { } code)
                    {
                        reasons[code] = why.GetString() ?? "";
                    }
                }
            }
            catch (JsonException)
            {
                // The flags still show, by their names.
            }
        }

        return [.. rules.Select(rule => (RiskRules.Chinese(rule), reasons.GetValueOrDefault(RiskRules.Code(rule), "")))];
    }
}
