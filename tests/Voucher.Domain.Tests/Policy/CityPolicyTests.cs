using System.Text.Json;

namespace Voucher.Domain.Tests;

public class CityPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, ChinaTime.Offset);

    private static CityPolicy Valid() => CityPolicy.Default("taiyuan", Start);

    [Fact]
    public void Default_HasPaperNumbersAndVersion1()
    {
        var p = Valid();
        Assert.Equal("taiyuan", p.CityCode);
        Assert.Equal(1, p.Version);
        Assert.Equal(Cny.FromYuan(50_000m), p.FaceValue);
        Assert.False(p.LargeDenominationEnabled);
        Assert.Equal(Cny.FromYuan(100_000m), p.LargeFaceValue);
        Assert.Equal(0.5m, p.ExcessRatio);
        Assert.Equal(SettlementCadence.Quarterly, p.Cadence);
        Assert.Equal(10, p.ReviewWorkingDays);
        Assert.Equal(2, p.ReminderLeadWorkingDays);
        Assert.Equal(12, p.ValidityMonths);
        Assert.Equal(5, p.PublicityWorkingDays);
        Assert.Equal(BindingMode.System, p.BindingMode);
        Assert.Equal(5, p.BindingWorkingDays);
        Assert.True(p.OneLiveVoucherPerYear);
        Assert.Equal(Cny.FromYuan(200_000m), p.AnnualCap);
        Assert.Equal(Start, p.EffectiveFrom);
        Assert.Equal("system", p.ChangedBy);
        Assert.Equal("initial defaults", p.Reason);
    }

    [Fact]
    public void Validate_Default_HasNoErrors()
    {
        Assert.Empty(Valid().Validate());
    }

    [Fact]
    public void Validate_AllCities_DefaultsAreValid()
    {
        Assert.All(Cities.All, c => Assert.Empty(CityPolicy.Default(c.Code, Start).Validate()));
    }

    public static TheoryData<string, Func<CityPolicy, CityPolicy>> InvalidPolicies => new()
    {
        { "cityCode", p => p with { CityCode = "beijing" } },
        { "version", p => p with { Version = 0 } },
        { "faceValue", p => p with { FaceValue = Cny.Zero } },
        { "faceValue", p => p with { FaceValue = Cny.FromYuan(-1m) } },
        { "largeFaceValue", p => p with { LargeFaceValue = Cny.Zero } },
        { "largeFaceValue", p => p with { LargeDenominationEnabled = true, LargeFaceValue = Cny.FromYuan(50_000m) } },
        { "excessRatio", p => p with { ExcessRatio = 1.01m } },
        { "excessRatio", p => p with { ExcessRatio = -0.1m } },
        { "cadence", p => p with { Cadence = (SettlementCadence)42 } },
        { "bindingMode", p => p with { BindingMode = (BindingMode)7 } },
        { "reviewWorkingDays", p => p with { ReviewWorkingDays = 0 } },
        { "reviewWorkingDays", p => p with { ReviewWorkingDays = 61 } },
        { "publicityWorkingDays", p => p with { PublicityWorkingDays = 0 } },
        { "publicityWorkingDays", p => p with { PublicityWorkingDays = 61 } },
        { "bindingWorkingDays", p => p with { BindingWorkingDays = 0 } },
        { "bindingWorkingDays", p => p with { BindingWorkingDays = 100 } },
        { "reminderLeadWorkingDays", p => p with { ReminderLeadWorkingDays = -1 } },
        { "reminderLeadWorkingDays", p => p with { ReminderLeadWorkingDays = 10 } },
        { "validityMonths", p => p with { ValidityMonths = 0 } },
        { "validityMonths", p => p with { ValidityMonths = 61 } },
        { "annualCap", p => p with { AnnualCap = Cny.Zero } },
        { "changedBy", p => p with { ChangedBy = " " } },
        { "reason", p => p with { Reason = "" } },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void Validate_InvalidField_NamesFieldInCamelCase(string field, Func<CityPolicy, CityPolicy> change)
    {
        var errors = change(Valid()).Validate();
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}.*\(.+\)$", error.Message);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var errors = (Valid() with { ExcessRatio = 2m, ValidityMonths = 0, FaceValue = Cny.Zero }).Validate();
        Assert.Equal(["faceValue", "excessRatio", "validityMonths"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Validate_RatioBounds_AreInclusive(int ratio)
    {
        Assert.Empty((Valid() with { ExcessRatio = ratio }).Validate());
    }

    [Fact]
    public void Validate_LargeDenominationEnabledAboveFace_IsValid()
    {
        Assert.Empty((Valid() with { LargeDenominationEnabled = true }).Validate());
    }

    [Fact]
    public void NextVersion_IncrementsVersionAndRecordsAudit_LeavesOriginalUnchanged()
    {
        var v1 = Valid();
        var later = Start.AddMonths(3);
        var v2 = v1.NextVersion("admin-taiyuan", "raise ratio", later) with { ExcessRatio = 0.6m };
        Assert.Equal(2, v2.Version);
        Assert.Equal(0.6m, v2.ExcessRatio);
        Assert.Equal("admin-taiyuan", v2.ChangedBy);
        Assert.Equal("raise ratio", v2.Reason);
        Assert.Equal(later, v2.EffectiveFrom);
        Assert.Equal(1, v1.Version);
        Assert.Equal(0.5m, v1.ExcessRatio);
    }

    [Fact]
    public void IssuedFaceValue_Large_OnlyWhenAskedForAndEnabled()
    {
        var p = Valid();
        Assert.Equal(Cny.FromYuan(50_000m), p.IssuedFaceValue(0));
        Assert.Equal(Cny.FromYuan(50_000m), p.IssuedFaceValue(Cny.FromYuan(100_000m).Fen));
        Assert.Equal(Cny.FromYuan(100_000m), (p with { LargeDenominationEnabled = true }).IssuedFaceValue(Cny.FromYuan(100_000m).Fen));
        Assert.Equal(Cny.FromYuan(50_000m), (p with { LargeDenominationEnabled = true }).IssuedFaceValue(Cny.FromYuan(50_000m).Fen));
    }

    [Fact]
    public void RequestedFaceValue_FromThePolicy_LargeOnlyWhenOffered()
    {
        var p = Valid();
        Assert.Null(p.RequestedFaceValueError(Cny.FromYuan(50_000m)));
        Assert.Contains("未开放 100000 元面额", p.RequestedFaceValueError(Cny.FromYuan(100_000m)));
        var large = p with { LargeDenominationEnabled = true };
        Assert.Null(large.RequestedFaceValueError(Cny.FromYuan(100_000m)));
        Assert.Contains("面额只能为 50000 或 100000 元", large.RequestedFaceValueError(Cny.FromYuan(80_000m)));
    }

    [Fact]
    public void Json_RoundTrip_KeepsEveryValueAndWritesMoneyAsString()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var p = Valid() with { ExcessRatio = 0.3m, Cadence = SettlementCadence.Monthly };
        var json = JsonSerializer.Serialize(p, options);
        Assert.Contains("\"faceValue\":\"50000.00\"", json);
        Assert.Equal(p, JsonSerializer.Deserialize<CityPolicy>(json, options));
    }

    [Fact]
    public void NoticeContacts_DefaultPerCity_AVersionOverridesThem_AndAStoredVersionWithoutThemReadsTheDefaults()
    {
        Assert.Equal(new NoticeContacts("太原市科技局", "0351-12345", "太原市政务服务中心科技局窗口", "kjj@taiyuan.gov.cn"), Valid().Contacts);
        Assert.Equal("0352-12345", CityPolicy.Default("datong", Start).Contacts.Phone);
        Assert.Equal("大同市科技局", CityPolicy.Default("datong", Start).Contacts.Unit);

        var next = Valid().NextVersion("admin", "受理电话变更", Start) with { ObjectionPhone = "0351-4040123", ObjectionEmail = "gs@kjj.example.cn" };
        Assert.Equal(2, next.Version);
        Assert.Equal(("0351-4040123", "太原市政务服务中心科技局窗口", "gs@kjj.example.cn"), (next.Contacts.Phone, next.Contacts.Address, next.Contacts.Email));
        Assert.Empty(next.Validate());

        // A version stored before the contact fields existed.
        var old = JsonSerializer.Deserialize<CityPolicy>("""{"CityCode":"linfen","Version":3}""")!;
        Assert.Equal("0357-12345", old.Contacts.Phone);
    }

    [Theory]
    [InlineData("电话", null, null, "objectionPhone")]
    [InlineData(null, "", null, "objectionAddress")]
    [InlineData(null, null, "no-at-sign", "objectionEmail")]
    [InlineData(null, null, "kjj@localhost", "objectionEmail")]
    [InlineData(null, null, "a@b@c.cn", "objectionEmail")]
    [InlineData(null, null, "kjj@taiyuan..cn", "objectionEmail")]
    [InlineData("1234", null, null, "objectionPhone")]
    public void NoticeContacts_InvalidValuesAreRefusedByField(string? phone, string? address, string? email, string field)
    {
        var p = Valid() with { ObjectionPhone = phone, ObjectionAddress = address, ObjectionEmail = email };
        Assert.Contains(p.Validate(), e => e.Field == field);
    }

    [Theory]
    [InlineData("局")]
    [InlineData("太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局太原市科技局")]
    public void NoticeContacts_UnitIsTwoToFiftyCharacters(string unit)
    {
        var p = Valid() with { ObjectionUnit = unit };
        Assert.Contains(p.Validate(), e => e.Field == "objectionUnit");
        Assert.Empty((Valid() with { ObjectionUnit = "太原市科技局成果转化科" }).Validate());
        Assert.Equal("太原市科技局成果转化科", (Valid() with { ObjectionUnit = "太原市科技局成果转化科" }).Contacts.Unit);
    }

    [Fact]
    public void NoticeContacts_AValidEmailIsAccepted()
    {
        var p = Valid() with { ObjectionEmail = "kjj-gs@taiyuan.gov.cn" };
        Assert.Empty(p.Validate());
    }
}
