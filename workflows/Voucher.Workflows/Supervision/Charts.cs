using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Supervision;

/// <summary>One series of a bar chart: its name and a value per category (null = no bar).</summary>
public sealed record ChartSeries(string Key, string Name, IReadOnlyList<decimal?> Values, bool Imported = false);

/// <summary>
/// Server-rendered inline SVG bar charts (no script). Every bar carries <c>data-category</c>, <c>data-series</c> and
/// <c>data-value</c> and a tooltip title, so the numbers can be read back; the same numbers are in the table beside
/// each chart and in <c>/api/stats</c>.
/// </summary>
public static class Charts
{
    static readonly string[] Palette = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e", "#00838f", "#5d4037", "#ad1457", "#455a64", "#6b8e23", "#3949ab", "#d35400"];
    static readonly string[] ImportedPalette = ["#9fb7d3", "#7f9bbd", "#5f7fa6", "#8aa2a9", "#b3c2d1", "#6d8fa3"];

    static string F(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Bars(string id, string title, string unit, IReadOnlyList<(string Key, string Label)> categories, IReadOnlyList<ChartSeries> series)
    {
        const double height = 300, top = 20, left = 56, bottom = 70, right = 12, plotWidth = 860;
        if (series.All(s => s.Values.All(v => v is null or 0m)))
        {
            return $"<figure class=\"chart\" id=\"{Attr(id)}\"><p class=\"muted\">{E(title)}：暂无数据 No data yet</p></figure>";
        }

        var perGroup = Math.Max(1, series.Count);
        var barWidth = Math.Clamp(plotWidth / (categories.Count * perGroup + categories.Count), 3, 40);
        var groupWidth = barWidth * perGroup + barWidth;
        var width = left + right + groupWidth * categories.Count;
        var max = series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var scaleMax = NiceMax(max);
        var plot = height - top - bottom;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{Attr(id)}\"><svg role=\"img\" aria-labelledby=\"{Attr(id)}-t\" viewBox=\"0 0 {F(width)} {F(height)}\" width=\"{F(width)}\" height=\"{F(height)}\" style=\"max-width:100%;height:auto\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{Attr(id)}-t\">{E(title)}（{E(unit)}）</title>");
        for (var i = 0; i <= 4; i++)
        {
            var v = scaleMax * i / 4;
            var y = top + plot - plot * i / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(width - right)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#d9e2ec\"/><text x=\"{F(left - 4)}\" y=\"{F(y + 4)}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1f2933\">{F(v)}</text>");
        }

        for (var c = 0; c < categories.Count; c++)
        {
            var x0 = left + groupWidth * c + barWidth / 2;
            for (var s = 0; s < series.Count; s++)
            {
                if (series[s].Values[c] is not { } value)
                {
                    continue;
                }

                var h = scaleMax == 0 ? 0 : plot * (double)(value / scaleMax);
                var colour = ColourOf(series, s);
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{F(x0 + barWidth * s)}\" y=\"{F(top + plot - h)}\" width=\"{F(barWidth - 1)}\" height=\"{F(Math.Max(h, 0))}\" fill=\"{colour}\" data-category=\"{Attr(categories[c].Key)}\" data-series=\"{Attr(series[s].Key)}\" data-value=\"{F(value)}\"><title>{E(categories[c].Label)} · {E(series[s].Name)}：{F(value)} {E(unit)}</title></rect>");
            }

            var lx = x0 + barWidth * perGroup / 2;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx)}\" y=\"{F(height - bottom + 14)}\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-40 {F(lx)} {F(height - bottom + 14)})\" fill=\"#1f2933\">{E(categories[c].Label)}</text>");
        }

        sb.Append("</svg>");
        if (series.Count > 1)
        {
            sb.Append("<figcaption class=\"legend\">");
            for (var s = 0; s < series.Count; s++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{ColourOf(series, s)}\"/></svg> {E(series[s].Name)}</span> ");
            }

            sb.Append("</figcaption>");
        }

        sb.Append("</figure>");
        return sb.ToString();
    }

    static string ColourOf(IReadOnlyList<ChartSeries> series, int s)
    {
        if (series[s].Imported)
        {
            return ImportedPalette[series.Take(s).Count(x => x.Imported) % ImportedPalette.Length];
        }

        return Palette[series.Take(s).Count(x => !x.Imported) % Palette.Length];
    }

    /// <summary>A round upper end for the axis (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten), so the tallest bar fills most of the height.</summary>
    public static decimal NiceMax(decimal max)
    {
        if (max <= 0)
        {
            return 1;
        }

        var power = 1m;
        while (power * 10 <= max)
        {
            power *= 10;
        }

        while (power > max && power > 0.01m)
        {
            power /= 10;
        }

        foreach (var m in new[] { 1m, 1.2m, 1.5m, 2m, 2.5m, 3m, 4m, 5m, 6m, 8m, 10m })
        {
            if (power * m >= max)
            {
                return power * m;
            }
        }

        return power * 10;
    }

    /// <summary>A wide table whose scroll box can take keyboard focus (axe: scrollable-region-focusable), named for screen readers.</summary>
    public static string Region(string tableHtml, string label) =>
        tableHtml.Replace("<div class=\"table-wrap\">", $"<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{Attr(label)}\">", StringComparison.Ordinal);

    public const string Css = "<style>figure.chart{margin:.5rem 0 1rem}figure.chart .legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem}@media print{header,nav,.noprint,form{display:none}main{max-width:none}}</style>";
}
