using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>The Chinese words of settlement: a period's name, a notice's title, how a row was confirmed.</summary>
public static class SettlementText
{
    /// <summary>A period id in Chinese: 2026M11 → 2026年11月, 2026Q4 → 2026年第4季度, 2026H2 → 2026年下半年, 2026 → 2026年度.</summary>
    public static string PeriodName(string periodId)
    {
        if (periodId.Length < 4 || !int.TryParse(periodId.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return periodId;
        }

        var rest = periodId[4..];
        return rest.Length switch
        {
            0 => $"{year}年度",
            >= 2 when rest[0] == 'M' && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var m) => $"{year}年{m}月",
            2 when rest[0] == 'Q' => $"{year}年第{rest[1]}季度",
            2 when rest == "H1" => $"{year}年上半年",
            2 when rest == "H2" => $"{year}年下半年",
            _ => periodId,
        };
    }

    /// <summary>The title of a city's publicity notice: 太原市2026年第4季度科技创新券兑付结果公示, 太原市2026年11月….</summary>
    public static string NoticeTitle(string cityCode, string periodId) =>
        $"{CityName(cityCode)}{PeriodName(periodId)}科技创新券兑付结果公示";

    /// <summary>The city's science and technology bureau, the unit that issues the notice and takes objections.</summary>
    public static string Bureau(string cityCode) => Glossary.BureauUnit(Role.CityBureau, cityCode) ?? cityCode + "科技局";

    public static string FinanceBureau(string cityCode) => Glossary.BureauUnit(Role.FinanceBureau, cityCode) ?? cityCode + "财政局";

    public static string CityName(string cityCode) => Cities.TryGet(cityCode, out var city) ? city.NameZh : cityCode;

    /// <summary>How the institution confirmed the row: in the system, or by a sealed contract the bureau must check.</summary>
    public static string Binding(string mode) => mode == "seal" ? "盖章确认：请核验合同公章" : "服务机构已在系统内确认";
}
