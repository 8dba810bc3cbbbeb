namespace Voucher.Workflows.Audit;

public static class AuditSubjects
{
    public static string Application(string applicationId) => $"application:{applicationId}";

    public static string Redemption(string redemptionId) => $"redemption:{redemptionId}";

    /// <summary>The delegations a party granted, e.g. <c>delegations:enterprise:USCC</c>.</summary>
    public static string Delegations(string partyPartition) => $"delegations:{partyPartition}";

    public static string Enterprise(string uscc) => $"enterprise:{uscc}";

    /// <summary>The item changes of one settlement batch (row key <c>{redemptionId}|…</c>), written by the chunk steps.</summary>
    public static string BatchItems(string batchId) => $"batch-items:{batchId}";

    /// <summary>Changes of a settlement batch as a whole (its publicity window counted again).</summary>
    public static string Batch(string batchId) => $"batch:{batchId}";

    /// <summary>A year's holiday arrangement: its publications and the deadlines counted again after each.</summary>
    public static string Calendar(int year) => $"calendar:{year}";

    /// <summary>The publications of a city's policy (<c>policy:taiyuan</c>) or of the province-wide one (<c>policy:province</c>).</summary>
    public static string Policy(string cityOrProvince) => $"policy:{cityOrProvince}";

    /// <summary>The name of the province-wide policy in <see cref="Policy"/>.</summary>
    public const string ProvincePolicy = "province";
}
