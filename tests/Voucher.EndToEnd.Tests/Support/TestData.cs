namespace Voucher.EndToEnd.Tests.Support;

/// <summary>Request bodies the tests send (fresh codes come from <see cref="Voucher.Testing.TestUscc"/>: the tables are shared by every host on one Azurite).</summary>
public static class TestData
{
    public static object Registration(string uscc, string name = "太原测试科技有限公司") => new
    {
        uscc,
        name,
        cityCode = "taiyuan",
        sizeClass = "small",
        techSmeNumber = "202614010001",
        contactName = "王工",
        contactPhone = "13903510001",
    };
}
