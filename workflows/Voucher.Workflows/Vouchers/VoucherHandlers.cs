using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;
using Voucher.Workflows.Security;

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
    string Status,
    int PolicyVersion);

public sealed class VoucherHandlers(VoucherRepository vouchers, TimeProvider time)
{
    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var voucher = await vouchers.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (voucher is null)
        {
            return Problems.NotFound($"创新券 {ctx.RouteValue("id")} 不存在 (Voucher not found)");
        }

        var p = ctx.Principal!;
        var allowed = p.IsEnterprise(voucher.Uscc) || p.Role == Role.Province
            || ((p.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(p.Scope, voucher.CityCode, StringComparison.OrdinalIgnoreCase));
        if (!allowed)
        {
            return Problems.Forbidden("无权查看此创新券 (Not your voucher or city)");
        }

        return Results.Json(View(voucher, ChinaTime.DateOf(time.GetUtcNow().UtcDateTime)), JsonBody.Response);
    }

    public static VoucherView View(VoucherEntity v, DateOnly today)
    {
        var face = Cny.FromFen(v.FaceValueFen);
        var used = Cny.FromFen(v.UsedFen);
        var expires = DateOnly.Parse(v.ExpiresOn);
        return new VoucherView(v.VoucherId, v.Uscc, v.ApplicationId, v.CityCode, face, used, face - used, v.IssuedOn, v.ExpiresOn,
            Math.Max(0, expires.DayNumber - today.DayNumber), VoucherRepository.StatusOf(v, today).ToString(), v.PolicyVersion);
    }
}
