using System.Text.Json;
using Voucher.Workflows.Applications;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Vouchers;

/// <summary>
/// One voucher's page (<c>/portal/vouchers/{id}</c>): face value, used, balance, validity, status, the application that
/// issued it and its redemptions. Its enterprise, the bureau of its city and the province see it; anyone else is told
/// it does not exist, as for a missing id.
/// </summary>
public sealed class VoucherPages(VoucherRepository vouchers, ApplicationStore applications, RedemptionStore redemptions, TimeProvider time)
{
    public async Task<IResult> VoucherPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var voucher = await vouchers.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (voucher is null || !CanSee(p, voucher))
        {
            return Pages.NotFound(p, "创新券不存在或无权查看。");
        }

        // The issuing application (the enterprise's name) and the enterprise's redemptions at once.
        var applicationRead = applications.GetAsync(voucher.ApplicationId, ctx.Aborted);
        var redemptionsRead = redemptions.ForEnterpriseAsync(voucher.Uscc, ctx.Aborted);
        var application = await applicationRead;
        var own = (await redemptionsRead).Where(r => r.VoucherId == voucher.VoucherId).OrderBy(r => r.SubmittedAt).ToList();
        return Pages.View<VoucherPage>("创新券详情", p, Model(voucher, application, own, ChinaTime.Today(time)));
    }

    /// <summary>The enterprise that holds it, the bureau of its city, the province (the route admits no other role).</summary>
    public static bool CanSee(VoucherPrincipal p, VoucherEntity voucher) =>
        p.IsEnterprise(voucher.Uscc) || p.IsBureauOf(voucher.CityCode) || p.Role == Role.Province;

    public static VoucherPageModel Model(VoucherEntity voucher, ApplicationEntity? application, IReadOnlyList<RedemptionEntity> redemptions, DateOnly today)
    {
        var view = VoucherService.View(voucher, today);
        var usage = JsonSerializer.Deserialize<Dictionary<string, long>>(voucher.UsageJson) ?? [];
        return new VoucherPageModel(
            voucher.VoucherId,
            application?.EnterpriseName ?? redemptions.FirstOrDefault()?.EnterpriseName ?? "",
            Cities.TryGet(voucher.CityCode, out var city) ? city.NameZh : voucher.CityCode,
            view.Status,
            view.FaceValue.Fen,
            view.Used.Fen,
            view.Remaining.Fen,
            DateOnly.ParseExact(view.IssuedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact(view.ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            view.RemainingDays,
            voucher.ApplicationId,
            redemptions.Select(r => new VoucherRedemptionRow(
                r.RedemptionId,
                r.InstitutionName,
                r.ServiceTitle,
                r.AmountPaidFen,
                r.PayoutFen > 0 || r.PayoutJson is not null ? r.PayoutFen : null,
                usage.TryGetValue(r.RedemptionId, out var used) ? used : null,
                r.State,
                r.SubmittedAt)).ToList());
    }
}

/// <summary>The voucher page: the amounts in fen, the China dates, its status on the day shown, and its redemptions.</summary>
public sealed record VoucherPageModel(
    string VoucherId,
    string EnterpriseName,
    string CityName,
    VoucherStatus Status,
    long FaceValueFen,
    long UsedFen,
    long RemainingFen,
    DateOnly IssuedOn,
    DateOnly ExpiresOn,
    int DaysLeft,
    string ApplicationId,
    IReadOnlyList<VoucherRedemptionRow> Redemptions)
{
    /// <summary>What the status means for the holder, in one sentence.</summary>
    public string StatusNote => Status switch
    {
        VoucherStatus.Active => $"可用于兑付：向服务机构购买服务后，凭此券在 {Glossary.DateInSentence(ExpiresOn)} 前提交兑付申请。",
        VoucherStatus.Expired => $"已于 {Glossary.DateInSentence(ExpiresOn)} 到期，不能再提交新的兑付申请；到期前已提交的兑付申请继续办理。",
        VoucherStatus.UsedUp => "面额已全部使用，不能再提交新的兑付申请。",
        VoucherStatus.Revoked => "此券已收回，不能再提交新的兑付申请。",
        _ => "",
    };
}

/// <summary>
/// One redemption made with the voucher: the pay-out (null until computed), the face value it used (paid ones only),
/// its status and when it was requested.
/// </summary>
public sealed record VoucherRedemptionRow(
    string RedemptionId,
    string InstitutionName,
    string ServiceTitle,
    long AmountPaidFen,
    long? PayoutFen,
    long? UsedFen,
    RedemptionStatus Status,
    DateTimeOffset SubmittedAt);
