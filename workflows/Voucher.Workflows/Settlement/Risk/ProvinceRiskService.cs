using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement.Risk;

/// <summary>A flagged batch item as the province's list shows it.</summary>
public sealed record FlaggedRow(FlaggedItemEntity Item, City City, IReadOnlyList<RiskFinding> Findings)
{
    public IReadOnlyList<RiskRule> Rules => RiskRules.ParseList(Item.RiskFlags);
}

/// <summary>
/// The province centre's cross-city list of flagged batch items: reads the <see cref="RiskTables.FlaggedItems"/> index
/// (one partition per city: one for a city filter, the eleven otherwise), then filters by rule and keyword and sorts.
/// Only the province sees it; a city bureau sees its own flags on its batch review.
/// </summary>
public sealed class ProvinceRiskService(VoucherStore store)
{
    public const string CityFilter = "city";
    public const string RuleFilter = "rule";

    public static IReadOnlyList<string> Sorts { get; } = ["checked", "amount", "city", "enterprise"];

    public async Task<Outcome<IReadOnlyList<FlaggedRow>>> ListAsync(VoucherPrincipal caller, ListQuery query, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以查看全省风险提示 (Province only)");
        }

        var errors = new List<FieldError>();
        var city = query.Filter(CityFilter);
        if (city is not null && !Cities.TryGet(city, out _))
        {
            errors.Add(new(CityFilter, $"未知的地市“{city}” (Unknown city)"));
        }

        var ruleCode = query.Filter(RuleFilter);
        RiskRule? rule = null;
        if (ruleCode is not null)
        {
            if (RiskRules.TryParse(ruleCode, out var r))
            {
                rule = r;
            }
            else
            {
                errors.Add(new(RuleFilter, $"未知的风险规则“{ruleCode}” (Unknown risk rule)"));
            }
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var cities = city is null ? Cities.All : [Cities.Get(city)];
        var parts = await Task.WhenAll(cities.Select(async c =>
            (City: c, Rows: await store.PartitionAsync<FlaggedItemEntity>(RiskTables.FlaggedItems, c.Code, 100_000, ct))));
        var keyword = query.Keyword;
        var rows = parts.SelectMany(p => p.Rows.Select(i => new FlaggedRow(i, p.City, RiskEngine.ParseReasons(i.RiskReasons))))
            .Where(r => rule is null || r.Rules.Contains(rule.Value))
            .Where(r => keyword.Length == 0
                || r.Item.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Item.InstitutionName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Item.RedemptionId.Contains(keyword, StringComparison.OrdinalIgnoreCase));
        IEnumerable<FlaggedRow> sorted = query.Sort switch
        {
            "amount" => Order(rows, r => r.Item.PayoutFen, query.Descending),
            "city" => Order(rows, r => r.City.Code, query.Descending),
            "enterprise" => Order(rows, r => r.Item.EnterpriseName, query.Descending),
            _ => Order(rows, r => r.Item.RiskCheckedAt, query.Descending),
        };
        return sorted.ToList();
    }

    static IOrderedEnumerable<FlaggedRow> Order<TKey>(IEnumerable<FlaggedRow> rows, Func<FlaggedRow, TKey> key, bool descending) =>
        (descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ThenBy(r => r.Item.RowKey, StringComparer.Ordinal);
}
