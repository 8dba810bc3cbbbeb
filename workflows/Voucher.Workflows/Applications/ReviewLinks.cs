using Voucher.Workflows.Configuration;
using Voucher.Workflows.Links;

namespace Voucher.Workflows.Applications;

/// <summary>The city bureau's review link for one application and round; it expires with the round's deadline.</summary>
public sealed class ReviewLinks(LinkSigner signer, VoucherSettings settings)
{
    public const string Action = "review";

    public string UrlFor(ApplicationEntity application, int round, DateOnly deadline) =>
        $"{settings.PublicBaseUrl}/review/{TokenFor(application.ApplicationId, application.CityCode, round, deadline)}";

    public string TokenFor(string applicationId, string cityCode, int round, DateOnly deadline) =>
        signer.Sign(new LinkClaims(
            ApplicationStore.InstanceId(applicationId),
            Action,
            Addresses.CityBureau(cityCode),
            round,
            new DateTimeOffset(ChinaTime.EndOfDayUtc(deadline), TimeSpan.Zero).ToUnixTimeSeconds()));
}
