namespace Voucher.Domain.Tests;

public class CitiesTests
{
    [Fact]
    public void All_ElevenCitiesInPaperOrder()
    {
        Assert.Equal(
            ["taiyuan", "lvliang", "changzhi", "yangquan", "yuncheng", "shuozhou", "xinzhou", "jinzhong", "linfen", "datong", "jincheng"],
            Cities.All.Select(c => c.Code));
    }

    [Theory]
    [InlineData("taiyuan", "太原市", "Taiyuan", "1401")]
    [InlineData("datong", "大同市", "Datong", "1402")]
    [InlineData("yangquan", "阳泉市", "Yangquan", "1403")]
    [InlineData("changzhi", "长治市", "Changzhi", "1404")]
    [InlineData("jincheng", "晋城市", "Jincheng", "1405")]
    [InlineData("shuozhou", "朔州市", "Shuozhou", "1406")]
    [InlineData("jinzhong", "晋中市", "Jinzhong", "1407")]
    [InlineData("yuncheng", "运城市", "Yuncheng", "1408")]
    [InlineData("xinzhou", "忻州市", "Xinzhou", "1409")]
    [InlineData("linfen", "临汾市", "Linfen", "1410")]
    [InlineData("lvliang", "吕梁市", "Lvliang", "1411")]
    public void Get_KnownCode_ReturnsNamesAndDivisionPrefix(string code, string zh, string en, string prefix)
    {
        Assert.Equal(new City(code, zh, en, prefix), Cities.Get(code));
    }

    [Theory]
    [InlineData("TaiYuan")]
    [InlineData("TAIYUAN")]
    [InlineData(" taiyuan ")]
    public void TryGet_IsCaseInsensitive(string code)
    {
        Assert.True(Cities.TryGet(code, out var city));
        Assert.Equal("taiyuan", city.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("beijing")]
    public void TryGet_Unknown_ReturnsFalse(string? code)
    {
        Assert.False(Cities.TryGet(code, out _));
    }

    [Fact]
    public void Get_Unknown_ThrowsDomainException()
    {
        var ex = Assert.Throws<DomainException>(() => Cities.Get("beijing"));
        Assert.Contains("beijing", ex.Message);
    }

    [Theory]
    [InlineData("140105", "taiyuan")]
    [InlineData("141102", "lvliang")]
    public void TryGetByDivision_ShanxiDivision_FindsCity(string division, string expected)
    {
        Assert.True(Cities.TryGetByDivision(division, out var city));
        Assert.Equal(expected, city.Code);
    }

    [Fact]
    public void TryGetByDivision_OtherProvince_ReturnsFalse()
    {
        Assert.False(Cities.TryGetByDivision("350100", out _));
    }
}
