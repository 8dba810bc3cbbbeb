using System.Text.Json;

namespace Voucher.Domain.Tests;

public class CnyTests
{
    private sealed record Holder(Cny Amount, Cny? Optional);

    [Fact]
    public void FromYuan_TwoDecimals_StoresExactFen()
    {
        var value = Cny.FromYuan(50_000.25m);
        Assert.Equal(5_000_025L, value.Fen);
        Assert.Equal(50_000.25m, value.Yuan);
    }

    [Fact]
    public void FromYuan_TrailingZeroBeyondTwoDecimals_IsAccepted()
    {
        Assert.Equal(123L, Cny.FromYuan(1.230m).Fen);
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("12.345")]
    [InlineData("-1.999")]
    public void FromYuan_MoreThanTwoDecimals_Throws(string yuan)
    {
        var ex = Assert.Throws<DomainException>(() => Cny.FromYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("2 decimal places", ex.Message);
    }

    [Fact]
    public void FromYuan_Overflow_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => Cny.FromYuan(decimal.MaxValue));
    }

    [Fact]
    public void FromFen_And_Zero_AreConsistent()
    {
        Assert.Equal(Cny.Zero, Cny.FromFen(0));
        Assert.Equal(0m, Cny.Zero.Yuan);
        Assert.Equal(Cny.FromYuan(0.01m), Cny.FromFen(1));
    }

    [Fact]
    public void TryParseAmount_ValidAmount_ReturnsValue()
    {
        Assert.True(Cny.TryParseAmount(80_000m, out var value, out var error));
        Assert.Null(error);
        Assert.Equal(8_000_000L, value.Fen);
    }

    [Fact]
    public void TryParseAmount_MaximumAmount_IsAccepted()
    {
        Assert.True(Cny.TryParseAmount(100_000_000_000m, out var value, out _));
        Assert.Equal(10_000_000_000_000L, value.Fen);
    }

    [Theory]
    [InlineData("0", "greater than zero")]
    [InlineData("-5", "greater than zero")]
    [InlineData("100000000000.01", "must not exceed")]
    [InlineData("1e15", "must not exceed")]
    [InlineData("10.005", "2 decimal")]
    public void TryParseAmount_InvalidAmount_ReturnsBilingualError(string input, string englishFragment)
    {
        var yuan = decimal.Parse(input, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Cny.TryParseAmount(yuan, out var value, out var error));
        Assert.Equal(Cny.Zero, value);
        Assert.NotNull(error);
        Assert.Contains(englishFragment, error);
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}", error);
    }

    [Theory]
    [InlineData(100L, "0.5", 50L)]
    [InlineData(1L, "0.5", 1L)]     // 0.5 fen rounds away from zero
    [InlineData(3L, "0.5", 2L)]     // 1.5 fen → 2
    [InlineData(-1L, "0.5", -1L)]   // -0.5 fen → -1
    [InlineData(3_000_000L, "0.3", 900_000L)]
    [InlineData(333L, "0.333", 111L)] // 110.889 → 111
    [InlineData(100L, "0", 0L)]
    public void MultiplyRatio_RoundsHalfAwayFromZeroToFen(long fen, string ratio, long expectedFen)
    {
        var result = Cny.FromFen(fen).MultiplyRatio(decimal.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expectedFen, result.Fen);
    }

    [Fact]
    public void Operators_AddSubtractCompare_WorkOnFen()
    {
        var a = Cny.FromYuan(50_000m);
        var b = Cny.FromYuan(30_000.50m);
        Assert.Equal(Cny.FromYuan(80_000.50m), a + b);
        Assert.Equal(Cny.FromYuan(19_999.50m), a - b);
        Assert.True(a > b);
        Assert.True(b < a);
        Assert.True(a >= Cny.FromYuan(50_000m));
        Assert.True(b <= a);
        Assert.Equal(b, Cny.Min(a, b));
        Assert.Equal(a, Cny.Max(a, b));
        Assert.True(a.CompareTo(b) > 0);
    }

    [Fact]
    public void Sort_UsesComparable()
    {
        var list = new List<Cny> { Cny.FromFen(3), Cny.FromFen(1), Cny.FromFen(2) };
        list.Sort();
        Assert.Equal([1L, 2L, 3L], list.Select(x => x.Fen));
    }

    [Theory]
    [InlineData(5_000_000L, "¥50,000.00")]
    [InlineData(1L, "¥0.01")]
    [InlineData(0L, "¥0.00")]
    [InlineData(123_456_789_012L, "¥1,234,567,890.12")]
    [InlineData(-100L, "-¥1.00")]
    public void ToString_FormatsYuanWithSeparatorsInvariant(long fen, string expected)
    {
        Assert.Equal(expected, Cny.FromFen(fen).ToString());
    }

    [Fact]
    public void Json_RoundTrip_WritesString()
    {
        var holder = new Holder(Cny.FromYuan(50_000m), null);
        var json = JsonSerializer.Serialize(holder);
        Assert.Equal("{\"Amount\":\"50000.00\",\"Optional\":null}", json);
        Assert.Equal(holder, JsonSerializer.Deserialize<Holder>(json));
    }

    [Fact]
    public void Json_NullableWithValue_RoundTrips()
    {
        var holder = new Holder(Cny.FromFen(1), Cny.FromYuan(65_000m));
        var json = JsonSerializer.Serialize(holder);
        Assert.Contains("\"Optional\":\"65000.00\"", json);
        Assert.Equal(holder, JsonSerializer.Deserialize<Holder>(json));
    }

    [Theory]
    [InlineData("{\"Amount\":50000.5}", 5_000_050L)]
    [InlineData("{\"Amount\":80000}", 8_000_000L)]
    [InlineData("{\"Amount\":\"0.01\"}", 1L)]
    [InlineData("{\"Amount\":\"-12.30\"}", -1_230L)]
    public void Json_ReadsNumberOrString(string json, long expectedFen)
    {
        var holder = JsonSerializer.Deserialize<Holder>(json);
        Assert.NotNull(holder);
        Assert.Equal(expectedFen, holder.Amount.Fen);
    }

    [Theory]
    [InlineData("{\"Amount\":1.234}")]
    [InlineData("{\"Amount\":\"1.234\"}")]
    [InlineData("{\"Amount\":\"abc\"}")]
    [InlineData("{\"Amount\":\"50,000.00\"}")]
    [InlineData("{\"Amount\":true}")]
    public void Json_InvalidAmount_ThrowsJsonException(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json));
    }
}
