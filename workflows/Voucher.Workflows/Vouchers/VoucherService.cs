namespace Voucher.Workflows.Vouchers;

public sealed record VoucherView(
    string Id,
    string Uscc,
    string ApplicationId,
    string CityCode,
    Cny FaceValue,
    Cny Used,
    Cny Remaining,
    string IssuedOn,
    string ExpiresOn,
    int RemainingDays,
    VoucherStatus Status,
    int PolicyVersion);

/// <summary>The vouchers an application issued, as their enterprise, its city's bureaus or the province see them.</summary>
public sealed class VoucherService(VoucherRepository vouchers, TimeProvider time)
{
    public async Task<Outcome<VoucherView>> ViewAsync(VoucherPrincipal caller, string voucherId, CancellationToken ct)
    {
        var voucher = await vouchers.GetAsync(voucherId, ct);
        if (voucher is null || !CanRead(caller, voucher))
        {
            return NotFound(voucherId);
        }

        return View(voucher, ChinaTime.Today(time));
    }

    /// <summary>An enterprise's vouchers.</summary>
    public async Task<IReadOnlyList<VoucherView>> ForEnterpriseAsync(string uscc, CancellationToken ct)
    {
        var today = ChinaTime.Today(time);
        return (await vouchers.ForEnterpriseAsync(uscc, ct)).Select(v => View(v, today)).ToList();
    }

    /// <summary>The answer for a voucher that does not exist or that the caller may not see (one message: no existence oracle).</summary>
    public static Failure.NotFound NotFound(string voucherId) => new($"创新券 {voucherId} 不存在 (Voucher not found)");

    public static bool CanRead(VoucherPrincipal caller, VoucherEntity voucher) =>
        caller.IsEnterprise(voucher.Uscc) || caller.Role == Role.Province
        || (caller.Role is Role.CityBureau or Role.FinanceBureau && string.Equals(caller.Scope, voucher.CityCode, StringComparison.OrdinalIgnoreCase));

    public static VoucherView View(VoucherEntity v, DateOnly today)
    {
        var face = Cny.FromFen(v.FaceValueFen);
        var used = Cny.FromFen(v.UsedFen);
        var expires = DateOnly.Parse(v.ExpiresOn, System.Globalization.CultureInfo.InvariantCulture);
        return new VoucherView(v.VoucherId, v.Uscc, v.ApplicationId, v.CityCode, face, used, face - used, v.IssuedOn, v.ExpiresOn,
            Math.Max(0, expires.DayNumber - today.DayNumber), VoucherRepository.StatusOf(v, today), v.PolicyVersion);
    }
}
