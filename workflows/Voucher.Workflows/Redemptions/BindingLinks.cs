using Voucher.Workflows.Configuration;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Redemptions;

/// <summary>The institution's binding link for one redemption and round; it expires with the binding deadline.</summary>
public sealed class BindingLinks(LinkSigner signer, VoucherSettings settings)
{
    public const string Action = "bind";

    public string UrlFor(RedemptionEntity r, int round, DateOnly deadline) => $"{settings.PublicBaseUrl}/binding/{TokenFor(r, round, deadline)}";

    public string TokenFor(RedemptionEntity r, int round, DateOnly deadline) => TokenFor(r.RedemptionId, r.InstitutionId, round, deadline);

    /// <summary>The same link from a listing row (the institution's pending list answers without opening each redemption).</summary>
    public string TokenFor(string redemptionId, string institutionId, int round, DateOnly deadline) =>
        signer.Sign(new LinkClaims(
            RedemptionStore.InstanceId(redemptionId),
            Action,
            Addresses.For(Role.Institution, institutionId),
            round,
            new DateTimeOffset(ChinaTime.EndOfDayUtc(deadline), TimeSpan.Zero).ToUnixTimeSeconds()));
}
