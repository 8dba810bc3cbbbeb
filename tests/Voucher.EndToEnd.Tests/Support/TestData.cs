using System.Security.Cryptography;
using Voucher.Domain;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>Fresh identities per test: the tables are shared by every host on one Azurite.</summary>
public static class TestData
{
    /// <summary>The characters a USCC may contain (no I, O, S, V, Z).</summary>
    const string UsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>A valid Taiyuan USCC: "91" + division 140100 + 9 random characters + the check character.</summary>
    public static string NewTaiyuanUscc()
    {
        var body = "91140100" + new string(Enumerable.Range(0, 9).Select(_ => UsccAlphabet[RandomNumberGenerator.GetInt32(UsccAlphabet.Length)]).ToArray());
        return body + Uscc.ComputeCheckCharacter(body);
    }

    /// <summary>The same code with a wrong (but allowed) check character.</summary>
    public static string WithWrongCheckCharacter(string uscc)
    {
        var wrong = UsccAlphabet.First(c => c != uscc[17]);
        return uscc[..17] + wrong;
    }

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
