using System.Globalization;

namespace Voucher.Domain;

/// <summary>
/// A settlement period of a city's cadence: <c>2026</c> (annual), <c>2026H2</c>, <c>2026Q4</c>, <c>2026M11</c>.
/// Dates are China calendar dates; the cut-off is the end of the last day (23:59:59 China time).
/// </summary>
public sealed record SettlementPeriod(SettlementCadence Cadence, int Year, int Index)
{
    public string Id => Cadence switch
    {
        SettlementCadence.Annual => Year.ToString(CultureInfo.InvariantCulture),
        SettlementCadence.Semiannual => $"{Year}H{Index}",
        SettlementCadence.Quarterly => $"{Year}Q{Index}",
        SettlementCadence.Monthly => $"{Year}M{Index:D2}",
        _ => throw new ArgumentOutOfRangeException(nameof(Cadence)),
    };

    static int MonthsPer(SettlementCadence c) => c switch
    {
        SettlementCadence.Annual => 12,
        SettlementCadence.Semiannual => 6,
        SettlementCadence.Quarterly => 3,
        SettlementCadence.Monthly => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public DateOnly FirstDay => new(Year, (Index - 1) * MonthsPer(Cadence) + 1, 1);

    public DateOnly LastDay => FirstDay.AddMonths(MonthsPer(Cadence)).AddDays(-1);

    public DateTime CutoffUtc => ChinaTime.EndOfDayUtc(LastDay);

    public static SettlementPeriod Containing(SettlementCadence cadence, DateOnly date) =>
        new(cadence, date.Year, (date.Month - 1) / MonthsPer(cadence) + 1);

    public SettlementPeriod Previous() => Containing(Cadence, FirstDay.AddDays(-1));

    /// <summary>The latest period that has ended on <paramref name="today"/> (the one a scheduled run settles).</summary>
    public static SettlementPeriod LastEnded(SettlementCadence cadence, DateOnly today) => Containing(cadence, today).Previous();

    public static bool TryParse(SettlementCadence cadence, string? id, out SettlementPeriod period)
    {
        period = null!;
        if (string.IsNullOrEmpty(id) || id.Length < 4 || !int.TryParse(id.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
        {
            return false;
        }

        var rest = id[4..];
        int index;
        switch (cadence)
        {
            case SettlementCadence.Annual when rest.Length == 0:
                index = 1;
                break;
            case SettlementCadence.Semiannual when rest.Length == 2 && rest[0] == 'H' && rest[1] is '1' or '2':
                index = rest[1] - '0';
                break;
            case SettlementCadence.Quarterly when rest.Length == 2 && rest[0] == 'Q' && rest[1] is >= '1' and <= '4':
                index = rest[1] - '0';
                break;
            case SettlementCadence.Monthly when rest.Length == 3 && rest[0] == 'M' && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12:
                index = m;
                break;
            default:
                return false;
        }

        period = new SettlementPeriod(cadence, year, index);
        return true;
    }
}
