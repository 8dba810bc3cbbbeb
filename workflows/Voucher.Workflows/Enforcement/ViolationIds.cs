namespace Voucher.Workflows.Enforcement;

/// <summary>
/// What makes two requests to record a violation "the same violation", so that a retried or resent request changes
/// nothing: the id a request stands for, and whether a stored violation records what a request asks.
/// </summary>
public static class ViolationIds
{
    public const int MaxRequestIdLength = 100;

    /// <summary>
    /// The id a request stands for.
    /// With a client key (<c>Idempotency-Key</c> header or <c>requestId</c>): the key within the enterprise,
    /// <c>VK-</c> and 16 hex digits of its SHA-256 — a retry matches even if a defaulted decision date moved past midnight.
    /// Without one: the natural key — enterprise, decision date, the named redemptions (as a set) and the facts
    /// (whitespace runs folded) — <c>V{yyyyMMdd}-</c> and 10 hex digits of its SHA-256. A different date, other
    /// redemptions or other facts make another violation.
    /// </summary>
    public static string IdFor(ViolationPlan plan, string? requestId)
    {
        if (!string.IsNullOrWhiteSpace(requestId))
        {
            return "VK-" + Sha256Hex($"key\n{plan.Enterprise.Uscc}\n{requestId.Trim()}")[..16];
        }

        var ids = string.Join(",", plan.ClawBacks.Select(c => c.Redemption.RedemptionId).Order(StringComparer.Ordinal));
        return $"V{plan.DecidedOn:yyyyMMdd}-" + Sha256Hex($"facts\n{plan.Enterprise.Uscc}\n{plan.DecidedOn:yyyy-MM-dd}\n{ids}\n{Fold(plan.Reason)}")[..10];
    }

    /// <summary>Whether a stored violation records what <paramref name="plan"/> asks (a reused client key must not stand for other facts).</summary>
    public static bool SameFacts(ViolationEntity stored, ViolationPlan plan) =>
        stored.Uscc == plan.Enterprise.Uscc
        && Fold(stored.Reason) == Fold(plan.Reason)
        && stored.RedemptionIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
            .SequenceEqual(plan.ClawBacks.Select(c => c.Redemption.RedemptionId).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>A client key is 1–100 visible ASCII characters; null when none was given.</summary>
    public static bool TryRequestId(string? text, out string? requestId)
    {
        requestId = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return requestId is null || (requestId.Length <= MaxRequestIdLength && requestId.All(c => c is > ' ' and <= '~'));
    }

    static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static string Sha256Hex(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
