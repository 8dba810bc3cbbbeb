namespace Voucher.Testing.Builders;

/// <summary>Where a test starts a row: <c>A.Enterprise().InCity("datong").Build()</c>, <c>A.Voucher(enterprise)…</c>.</summary>
public static class A
{
    public static EnterpriseBuilder Enterprise() => new();

    public static ApplicationBuilder Application(string uscc, string cityCode) => new(uscc, cityCode);

    public static ApplicationBuilder Application(Workflows.Enterprises.EnterpriseEntity enterprise) =>
        new ApplicationBuilder(enterprise.Uscc, enterprise.CityCode).Named(enterprise.Name);

    public static VoucherBuilder Voucher(string uscc, string cityCode) => new(uscc, cityCode);

    public static VoucherBuilder Voucher(Workflows.Enterprises.EnterpriseEntity enterprise) => new(enterprise.Uscc, enterprise.CityCode);

    public static RedemptionBuilder Redemption(Workflows.Vouchers.VoucherEntity voucher) => new(voucher.Uscc, voucher.VoucherId, voucher.CityCode);

    public static RedemptionBuilder Redemption(string uscc, string voucherId, string cityCode) => new(uscc, voucherId, cityCode);

    public static BatchBuilder Batch(string cityCode, string periodId) => new(cityCode, periodId);

    public static BatchItemBuilder BatchItem(string batchId, string redemptionId) => new(batchId, redemptionId);
}
