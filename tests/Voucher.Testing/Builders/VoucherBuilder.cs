using Voucher.Domain;
using Voucher.Workflows.Vouchers;

namespace Voucher.Testing.Builders;

/// <summary>
/// A live voucher: by default 50,000 yuan, issued today (China date) for the enterprise's first application of this
/// year, valid for a year, nothing used, policy version 1.
/// </summary>
public sealed class VoucherBuilder(string uscc, string cityCode)
{
    string? applicationId;
    Cny faceValue = Cny.FromYuan(50_000m);
    DateTimeOffset issuedAt = DateTimeOffset.UtcNow;
    DateOnly? expiresOn;
    int policyVersion = 1;

    /// <summary>For the application <paramref name="id"/> (the voucher's id follows from it).</summary>
    public VoucherBuilder ForApplication(string id)
    {
        applicationId = id;
        return this;
    }

    public VoucherBuilder Worth(Cny value)
    {
        faceValue = value;
        return this;
    }

    /// <summary>Issued at <paramref name="at"/>: the issue date is its China date.</summary>
    public VoucherBuilder IssuedAt(DateTimeOffset at)
    {
        issuedAt = at;
        return this;
    }

    public VoucherBuilder ExpiresOn(DateOnly date)
    {
        expiresOn = date;
        return this;
    }

    public VoucherBuilder UnderPolicy(int version)
    {
        policyVersion = version;
        return this;
    }

    public VoucherEntity Build()
    {
        var issuedOn = ChinaTime.DateOf(issuedAt);
        var application = applicationId ?? $"{uscc}-{ChinaTime.DateOf(DateTime.UtcNow).Year}-01";
        return new VoucherEntity
        {
            PartitionKey = uscc,
            RowKey = VoucherEntity.IdFor(application),
            ApplicationId = application,
            CityCode = cityCode,
            FaceValueFen = faceValue.Fen,
            IssuedOn = issuedOn.ToString("yyyy-MM-dd"),
            ExpiresOn = (expiresOn ?? ChinaTime.DateOf(DateTime.UtcNow).AddYears(1)).ToString("yyyy-MM-dd"),
            IssuedAt = issuedAt,
            PolicyVersion = policyVersion,
        };
    }
}
