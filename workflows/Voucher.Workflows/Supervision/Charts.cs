namespace Voucher.Workflows.Supervision;

/// <summary>One series of a bar chart: its name and a value per category (null = no bar).</summary>
public sealed record ChartSeries(string Key, string Name, IReadOnlyList<decimal?> Values, bool Imported = false);

/// <summary>
/// A bar chart as the statistics pages ask for it: categories along the axis (cities, ranges), a bar per series in each,
/// the unit of the values. <see cref="BarChart"/> draws it as inline SVG with its numbers as a table beside it.
/// </summary>
public sealed record BarChartModel(string Id, string Title, string Unit, string CategoryHeader, IReadOnlyList<(string Key, string Label)> Categories, IReadOnlyList<ChartSeries> Series)
{
    public bool IsEmpty => Series.All(s => s.Values.All(v => v is null or 0m));
}

/// <summary>One bar: where it is drawn, and what it stands for (read back through <c>data-*</c> and its tooltip).</summary>
public sealed record ChartBar(string X, string Y, string Width, string Height, string Fill, string Category, string CategoryLabel, string Series, string SeriesName, string Value);

/// <summary>A line of the value axis and its label.</summary>
public sealed record ChartGridLine(string X1, string X2, string Y, string LabelX, string LabelY, string Label);

/// <summary>A category's label under its group of bars (rotated).</summary>
public sealed record ChartCategoryLabel(string X, string Y, string Text);

/// <summary>The geometry of a bar chart: computed here, drawn by <see cref="BarChart"/>.</summary>
public sealed record ChartLayout(string Width, string Height, IReadOnlyList<ChartGridLine> Grid, IReadOnlyList<ChartBar> Bars, IReadOnlyList<ChartCategoryLabel> Labels, IReadOnlyList<(string Fill, string Name)> Legend);

/// <summary>
/// Server-rendered bar charts (no script): the layout of the bars, the axis and the legend. Every bar carries
/// <c>data-category</c>, <c>data-series</c> and <c>data-value</c> and a tooltip, so the numbers can be read back; the same
/// numbers are in the chart's table and in <c>/api/stats</c>.
/// </summary>
public static class Charts
{
    static readonly string[] Palette = ["#1f5fa8", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e", "#00838f", "#5d4037", "#ad1457", "#455a64", "#6b8e23", "#3949ab", "#d35400"];
    static readonly string[] ImportedPalette = ["#9fb7d3", "#7f9bbd", "#5f7fa6", "#8aa2a9", "#b3c2d1", "#6d8fa3"];

    /// <summary>A number as the charts and their tables write it: 1076, 0.45.</summary>
    public static string F(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static ChartLayout Layout(BarChartModel chart)
    {
        const double height = 300, top = 20, left = 56, bottom = 70, right = 12, plotWidth = 860;
        var (categories, series) = (chart.Categories, chart.Series);
        var perGroup = Math.Max(1, series.Count);
        var barWidth = Math.Clamp(plotWidth / (Math.Max(1, categories.Count) * perGroup + Math.Max(1, categories.Count)), 3, 40);
        var groupWidth = barWidth * perGroup + barWidth;
        var width = left + right + groupWidth * categories.Count;
        var max = series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var scaleMax = NiceMax(max);
        var plot = height - top - bottom;
        var grid = Enumerable.Range(0, 5).Select(i =>
        {
            var y = top + plot - plot * i / 4;
            return new ChartGridLine(F(left), F(width - right), F(y), F(left - 4), F(y + 4), F(scaleMax * i / 4));
        }).ToList();
        var bars = new List<ChartBar>();
        var labels = new List<ChartCategoryLabel>();
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
                bars.Add(new ChartBar(F(x0 + barWidth * s), F(top + plot - h), F(barWidth - 1), F(Math.Max(h, 0)), ColourOf(series, s),
                    categories[c].Key, categories[c].Label, series[s].Key, series[s].Name, F(value)));
            }

            labels.Add(new ChartCategoryLabel(F(x0 + barWidth * perGroup / 2), F(height - bottom + 14), categories[c].Label));
        }

        var legend = series.Count > 1 ? series.Select((s, i) => (ColourOf(series, i), s.Name)).ToList() : [];
        return new ChartLayout(F(width), F(height), grid, bars, labels, legend);
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
}
