using Voucher.Domain;
using Voucher.Workflows.Enterprises;

namespace Voucher.Testing.Builders;

/// <summary>
/// A registered enterprise's profile row: by default a small Taiyuan enterprise with a fresh valid USCC of its city,
/// registered now, not barred. Only what a test is about needs saying.
/// </summary>
public sealed class EnterpriseBuilder
{
    string city = "taiyuan";
    string? uscc;
    string name = "测试科技有限公司 Test Tech Co.";
    SizeClass size = SizeClass.Small;
    DateTimeOffset registeredAt = DateTimeOffset.UtcNow;
    DateTime? barredUntil;

    public EnterpriseBuilder InCity(string cityCode)
    {
        city = cityCode;
        return this;
    }

    public EnterpriseBuilder WithUscc(string code)
    {
        uscc = code;
        return this;
    }

    public EnterpriseBuilder Named(string enterpriseName)
    {
        name = enterpriseName;
        return this;
    }

    public EnterpriseBuilder OfSize(SizeClass sizeClass)
    {
        size = sizeClass;
        return this;
    }

    public EnterpriseBuilder RegisteredAt(DateTimeOffset at)
    {
        registeredAt = at;
        return this;
    }

    /// <summary>Barred from new applications until <paramref name="until"/> (a violation's bar); null: not barred.</summary>
    public EnterpriseBuilder BarredUntil(DateTime? until)
    {
        barredUntil = until;
        return this;
    }

    public EnterpriseEntity Build() => new()
    {
        PartitionKey = uscc ?? TestUscc.New(city),
        RowKey = EnterpriseEntity.ProfileRow,
        Name = name,
        CityCode = city,
        SizeClass = size.ToString().ToLowerInvariant(),
        TechSmeNumber = "2026140100A0001",
        ContactName = "Test Contact",
        ContactPhone = "13800000000",
        RegisteredAt = registeredAt,
        BarredUntil = barredUntil,
    };
}
