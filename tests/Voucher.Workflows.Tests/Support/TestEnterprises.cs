using Voucher.Domain;
using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Tests.Support;

/// <summary>Builds registered enterprises with valid, unique Shanxi USCCs (division = the city's prefix + "00").</summary>
public static class TestEnterprises
{
    public static string NewUscc(string cityCode)
    {
        var city = Cities.Get(cityCode);
        // Organisation code: 9 random characters of the USCC alphabet (no I, O, S, V, Z).
        var org = new string(Enumerable.Range(0, 9).Select(_ => Uscc.Alphabet[Random.Shared.Next(Uscc.Alphabet.Length)]).ToArray());
        var first17 = "91" + city.DivisionPrefix + "00" + org;
        return first17 + Uscc.ComputeCheckCharacter(first17);
    }

    public static EnterpriseEntity Registered(string cityCode, DateTime? barredUntil = null, string? uscc = null) => new()
    {
        PartitionKey = uscc ?? NewUscc(cityCode),
        RowKey = EnterpriseEntity.ProfileRow,
        Name = "测试科技有限公司 Test Tech Co.",
        CityCode = cityCode,
        SizeClass = nameof(SizeClass.Small),
        TechSmeNumber = "2026140100A0001",
        ContactName = "Test Contact",
        ContactPhone = "13800000000",
        RegisteredAt = DateTimeOffset.UtcNow,
        BarredUntil = barredUntil,
    };
}
