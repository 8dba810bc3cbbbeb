using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Supervision;

/// <summary>An inspection finding as the inspector typed it.</summary>
public sealed record AddFinding(string? CityCode, string? InspectedOn, string? Severity, string? Finding, string? Recommendation);

/// <summary>The supervision report of a year: each city's figures and findings.</summary>
public sealed record SupervisionReport(int Year, IReadOnlyList<CityYearFigures> Figures, IReadOnlyList<(City City, IReadOnlyList<FindingEntity> Findings)> Findings);

/// <summary>
/// The province centre's inspections: findings recorded per city (from 2016, never in the future) and the year's report
/// with each city's figures, for the provincial S&amp;T and finance departments. The findings page and the report call these.
/// </summary>
public sealed class FindingService(FindingsStore findings, StatsReader stats, TimeProvider time, ILogger<FindingService> log)
{
    public const int FirstYear = 2016;

    public const int MaxTextLength = 2000;

    public DateOnly Today => ChinaTime.DateOf(time.GetUtcNow());

    /// <summary>The year asked for: empty means this year; otherwise from <see cref="FirstYear"/> to this year.</summary>
    public Outcome<int> YearOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Today.Year;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= FirstYear && y <= Today.Year
            ? y
            : new Failure.Invalid("year", "年份无效 (Bad year)");
    }

    public Task<IReadOnlyList<(City City, IReadOnlyList<FindingEntity> Findings)>> ForYearAsync(int year, CancellationToken ct) => findings.ForYearAsync(year, ct);

    /// <summary>The province centre records a finding about a city.</summary>
    public async Task<Outcome<FindingEntity>> AddAsync(VoucherPrincipal caller, AddFinding command, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以记录检查发现 (Only the province centre records findings)");
        }

        var errors = new List<FieldError>();
        if (!Cities.TryGet(command.CityCode ?? "", out var city))
        {
            errors.Add(new("cityCode", "请选择地市 (Choose a city)"));
        }

        if (!DateOnly.TryParseExact(command.InspectedOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) || on > Today || on.Year < FirstYear)
        {
            errors.Add(new("inspectedOn", "检查日期须为 yyyy-MM-dd，不晚于今天 (Date as yyyy-MM-dd, not in the future)"));
        }

        var severity = command.Severity ?? "";
        if (FindingsStore.Severities.All(s => s.Code != severity))
        {
            errors.Add(new("severity", "请选择问题等级 (Choose a severity)"));
        }

        var finding = Http.JsonBody.Required(command.Finding, "finding", MaxTextLength, errors);
        var recommendation = command.Recommendation?.Trim() ?? "";
        if (recommendation.Length > MaxTextLength)
        {
            errors.Add(new("recommendation", $"不能超过 {MaxTextLength} 个字符 (At most {MaxTextLength} characters)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var inspector = PolicyService.EditorOf(caller);
        var added = await findings.AddAsync(new NewFinding(city.Code, on, severity, finding!, recommendation), inspector, ct);
        SupervisionLog.FindingAdded(log, added.RowKey, added.Severity, city.Code, inspector);
        return added;
    }

    /// <summary>The year's report for the province centre: each city's figures beside its findings.</summary>
    public async Task<Outcome<SupervisionReport>> ReportAsync(VoucherPrincipal caller, string? year, CancellationToken ct)
    {
        var y = YearOf(year);
        if (y.Failure is { } invalid)
        {
            return invalid;
        }

        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以查看监督检查报告 (The province centre only)");
        }

        return new SupervisionReport(y.Value, await stats.FiguresAsync(y.Value, ct), await findings.ForYearAsync(y.Value, ct));
    }
}
