namespace Voucher.Domain.Tests;

public class CalendarYearTests
{
    static (CalendarYear? Year, IReadOnlyList<FieldError> Errors) Parse(string?[] holidays, string?[] workdays, string? source = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕1号）", string? reason = "首次发布", int year = 2027) =>
        CalendarYear.Parse(year, holidays, workdays, source, reason);

    [Fact]
    public void Parse_ValidYear_SortsTheDates()
    {
        var (year, errors) = Parse(["2027-02-08", "2027-01-01"], ["2027-02-06"]);
        Assert.Empty(errors);
        Assert.Equal([new DateOnly(2027, 1, 1), new DateOnly(2027, 2, 8)], year!.Holidays);
        Assert.Equal([new DateOnly(2027, 2, 6)], year.Workdays);
        Assert.Equal("首次发布", year.Reason);
    }

    [Theory]
    [InlineData(new[] { "2028-01-01" }, new string[0], "holidays[0]", "不在 2027 年内")]
    [InlineData(new[] { "2027-01-01", "2027-02-30" }, new string[0], "holidays[1]", "不是有效日期")]
    [InlineData(new[] { "2027-01-01", "2027-01-01" }, new string[0], "holidays[1]", "重复")]
    [InlineData(new[] { "2027-01-01" }, new[] { "2027-02-06", "2027-02-06" }, "workdays[1]", "重复")]
    [InlineData(new[] { "2027-01-01" }, new[] { "2027-02-08" }, "workdays[0]", "须为周六或周日")]
    [InlineData(new[] { "2027-01-01" }, new[] { "2026-12-26" }, "workdays[0]", "不在 2027 年内")]
    [InlineData(new[] { "2027-01-01", "2027-02-06" }, new[] { "2027-02-06" }, "workdays[0]", "同时列为放假日和调休上班日")]
    [InlineData(new string[0], new string[0], "holidays", "至少列出一个放假日")]
    public void Parse_BadDate_NamesTheFieldAndTheRule(string[] holidays, string[] workdays, string field, string rule)
    {
        var (year, errors) = Parse(holidays, workdays);
        Assert.Null(year);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(rule, error.Message);
    }

    [Theory]
    [InlineData(null, "首次发布", "source")]
    [InlineData("  ", "首次发布", "source")]
    [InlineData("通知", null, "reason")]
    public void Parse_MissingSourceOrReason_IsRefused(string? source, string? reason, string field)
    {
        var (year, errors) = Parse(["2027-01-01"], [], source, reason);
        Assert.Null(year);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(1999)]
    [InlineData(2101)]
    public void Parse_YearOutOfRange_IsRefused(int outOfRange)
    {
        var (year, errors) = Parse(["2027-01-01"], [], year: outOfRange);
        Assert.Null(year);
        Assert.Equal("year", Assert.Single(errors).Field);
    }

    [Fact]
    public void Parse_ReportsEveryProblemAtOnce()
    {
        var (_, errors) = Parse(["2027-01-01", "bad", "2028-05-01"], ["2027-03-03"], source: "", reason: "");
        Assert.Equal(["holidays[1]", "holidays[2]", "workdays[0]", "source", "reason"], errors.Select(e => e.Field));
    }
}
