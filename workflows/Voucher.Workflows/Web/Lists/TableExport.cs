using MiniExcelLibs;

namespace Voucher.Workflows.Web.Lists;

/// <summary>The file formats a list exports to: Excel for officers, CSV for other tools.</summary>
public enum ExportFormat
{
    Xlsx,
    Csv,
}

/// <summary>One column of an export: its Chinese header and the cell of a row (text, a number, a date; money as yuan in a decimal).</summary>
public sealed record ExportColumn<T>(string Header, Func<T, object?> Cell);

/// <summary>
/// Exports of lists, notices and payment files: the same columns written as <c>.xlsx</c> (MiniExcel; cells are values,
/// never formulas) or as CSV (UTF-8 with a byte-order mark so Excel reads Chinese; a text cell starting with
/// <c>= + - @</c> is prefixed with an apostrophe so a spreadsheet does not run it as a formula).
/// </summary>
public static class TableExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>Reads <c>format=xlsx|csv</c>; null for anything else (the list page itself).</summary>
    public static ExportFormat? ParseFormat(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "xlsx" => ExportFormat.Xlsx,
        "csv" => ExportFormat.Csv,
        _ => null,
    };

    public static string Extension(ExportFormat format) => format == ExportFormat.Xlsx ? "xlsx" : "csv";

    /// <summary>The rows as a downloadable file named <c>{baseName}.xlsx|csv</c>.</summary>
    public static IResult File<T>(ExportFormat format, string baseName, string sheetName, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows) =>
        format == ExportFormat.Xlsx
            ? Results.File(Xlsx(sheetName, columns, rows), XlsxContentType, $"{baseName}.xlsx")
            : Results.File(Csv(columns, rows), CsvContentType, $"{baseName}.csv");

    /// <summary>One sheet: a header row, then one row per item.</summary>
    public static byte[] Xlsx<T>(string sheetName, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows) =>
        XlsxSheets([(sheetName, SheetRows(columns, rows))]);

    /// <summary>Several sheets in one workbook, each a header row (the first row's keys) and its rows.</summary>
    public static byte[] XlsxSheets(IReadOnlyList<(string Name, IEnumerable<IDictionary<string, object?>> Rows)> sheets)
    {
        using var stream = new MemoryStream();
        var workbook = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, sheetRows) in sheets)
        {
            workbook[name] = sheetRows;
        }

        stream.SaveAs(workbook, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>The rows of one sheet, keyed by header in column order (headers must be distinct).</summary>
    public static IEnumerable<IDictionary<string, object?>> SheetRows<T>(IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        foreach (var row in rows)
        {
            var cells = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            foreach (var column in columns)
            {
                cells[column.Header] = column.Cell(row) switch
                {
                    DateOnly date => Glossary.Date(date),
                    DateTimeOffset instant => Glossary.Time(instant),
                    var value => value,
                };
            }

            yield return cells;
        }
    }

    public static byte[] Csv<T>(IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Header))).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', columns.Select(c => Quote(CsvCell(c.Cell(row))))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    static string CsvCell(object? value) => value switch
    {
        null => "",
        string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' => "'" + s,
        string s => s,
        DateOnly date => Glossary.Date(date),
        DateTimeOffset instant => Glossary.Time(instant),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };

    static string Quote(string cell) =>
        cell.IndexOfAny(['"', ',', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
