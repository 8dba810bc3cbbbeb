namespace Voucher.Domain.Tests;

public class UsccTests
{
    // Built with the GB 32100-2015 check algorithm (Taiyuan 140100, Xiaodian 140105, Lvliang 141100, Datong 140200).
    public const string TaiyuanCode = "91140100MA0K12345Y";

    [Theory]
    [InlineData("91350100M000100Y43")] // the well-known published sample (Fuzhou)
    [InlineData(TaiyuanCode)]
    [InlineData("91140105MA0GRT3B2L")]
    [InlineData("12140000405200123J")]
    [InlineData("91141100MA0L000016")]
    [InlineData("91140200MA0H1234X9")]
    [InlineData("91140100MA0K000090")] // sum mod 31 == 0 → check character '0'
    public void TryValidate_ValidCode_ReturnsTrue(string code)
    {
        Assert.True(Uscc.TryValidate(code, out var normalized, out var error), error);
        Assert.Equal(code, normalized);
        Assert.Null(error);
    }

    [Fact]
    public void ComputeCheckCharacter_WellKnownSample_Is3()
    {
        Assert.Equal('3', Uscc.ComputeCheckCharacter("91350100M000100Y4"));
    }

    [Fact]
    public void ComputeCheckCharacter_SumDivisibleBy31_IsZero()
    {
        Assert.Equal('0', Uscc.ComputeCheckCharacter("91140100MA0K00009"));
    }

    [Fact]
    public void ComputeCheckCharacter_WrongLength_Throws()
    {
        Assert.Throws<DomainException>(() => Uscc.ComputeCheckCharacter("9114010"));
    }

    [Fact]
    public void ComputeCheckCharacter_BadCharacter_Throws()
    {
        Assert.Throws<DomainException>(() => Uscc.ComputeCheckCharacter("91140100MA0K1234O"));
    }

    [Fact]
    public void TryValidate_LowerCaseAndSpaces_NormalisesToUpperCase()
    {
        Assert.True(Uscc.TryValidate("  91140100ma0k12345y \t", out var normalized, out var error), error);
        Assert.Equal(TaiyuanCode, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryValidate_Empty_ReportsRequired(string? input)
    {
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Contains("required", error);
    }

    [Theory]
    [InlineData("91140100MA0K12345")]
    [InlineData("91140100MA0K12345YY")]
    [InlineData("911401")]
    public void TryValidate_WrongLength_ReportsLength(string input)
    {
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Contains("18 characters", error);
        Assert.StartsWith("统一社会信用代码", error);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('-')]
    public void TryValidate_ForbiddenCharacter_ReportsCharacterSet(char bad)
    {
        var input = "91140100MA0K1234" + bad + "Y";
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Contains("character 17", error);
        Assert.Contains("not allowed", error);
    }

    [Fact]
    public void TryValidate_LowerCaseForbiddenCharacter_IsStillRejected()
    {
        Assert.False(Uscc.TryValidate("91140100ma0k1234oY", out _, out var error));
        Assert.Contains("'O'", error);
    }

    [Fact]
    public void TryValidate_LetterInDivisionCode_ReportsDivisionDigits()
    {
        var first17 = "9114A100MA0K12345";
        var input = first17 + Uscc.ComputeCheckCharacter(first17);
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Contains("division code", error);
    }

    [Fact]
    public void TryValidate_UnknownRegistrationAuthority_ReportsAuthority()
    {
        var first17 = "01140100MA0K12345";
        var input = first17 + Uscc.ComputeCheckCharacter(first17);
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Contains("registration authority", error);
    }

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91140100MA0K12345X")]
    [InlineData("91140100MA0K12346Y")] // one body character changed
    public void TryValidate_WrongCheckCharacter_ReportsCheckCharacter(string input)
    {
        Assert.False(Uscc.TryValidate(input, out _, out var error));
        Assert.Equal("统一社会信用代码校验位错误 (USCC check character is wrong)", error);
    }

    [Fact]
    public void DivisionCode_ReturnsCharacters3To8()
    {
        Assert.Equal("140100", Uscc.DivisionCode(TaiyuanCode));
        Assert.Equal("350100", Uscc.DivisionCode("91350100M000100Y43"));
    }

    [Theory]
    [InlineData(TaiyuanCode, true)]
    [InlineData("91141100MA0L000016", true)]
    [InlineData("91350100M000100Y43", false)]
    [InlineData("91110108MA01ABCD1E", false)]
    public void IsShanxi_DivisionStartingWith14_IsTrue(string code, bool expected)
    {
        Assert.True(Uscc.TryValidate(code, out _, out var error), error);
        Assert.Equal(expected, Uscc.IsShanxi(code));
    }

    [Fact]
    public void Complete_AppendsTheCheckCharacter_AndUpperCases()
    {
        Assert.Equal(TaiyuanCode, Uscc.Complete(TaiyuanCode[..17].ToLowerInvariant()));
        Assert.Throws<DomainException>(() => Uscc.Complete(TaiyuanCode[..16]));
    }
}
