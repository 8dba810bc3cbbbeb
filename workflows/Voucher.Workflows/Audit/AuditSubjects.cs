namespace Voucher.Workflows.Audit;

public static class AuditSubjects
{
    public static string Application(string applicationId) => $"application:{applicationId}";

    public static string Redemption(string redemptionId) => $"redemption:{redemptionId}";
}
