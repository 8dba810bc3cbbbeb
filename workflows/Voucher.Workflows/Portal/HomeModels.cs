using Voucher.Workflows.Applications;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Portal;

/// <summary>
/// Whether "申请创新券" is offered: only with no open application, no live (有效) voucher and no bar in force; otherwise
/// the reason the card shows instead of the button.
/// </summary>
public sealed record ApplyGuard(bool Allowed, string? WhyNot)
{
    public static ApplyGuard Of(IReadOnlyList<ApplicationEntity> applications, IReadOnlyList<VoucherView> vouchers, DateOnly? barredUntil, DateOnly today)
    {
        if (applications.FirstOrDefault(a => !ApplicationTransitions.IsFinal(a.State)) is { } open)
        {
            return new(false, $"您的申请（办件编号 {open.ApplicationId}）正在办理中，办结后才能再次申请。");
        }

        if (vouchers.FirstOrDefault(v => v.Status == VoucherStatus.Active) is { } live)
        {
            return new(false, $"您已有一张有效的创新券（余额 {Glossary.MoneyInProse(live.Remaining.Fen)}，有效期至 {Glossary.DateInSentence(DateOnly.Parse(live.ExpiresOn, CultureInfo.InvariantCulture))}），用完或到期后才能再次申请。");
        }

        if (barredUntil is { } bar && bar >= today)
        {
            return new(false, $"贵企业因违规被限制申请创新券，限制期至 {Glossary.DateInSentence(bar)}，详见“信用记录”。");
        }

        return new(true, null);
    }
}

/// <summary>A working-day deadline as a table cell shows it (<see cref="DeadlineText"/>).</summary>
public sealed record DeadlineCell(string Date, int WorkingDaysLeft, bool Provisional);

public sealed record ApplicationRow(string Id, string Status, string WaitingOn, string SubmittedOn, DeadlineCell? Deadline, string? Reason);

/// <summary>A voucher row: amounts in ¥, the expiry date, the days left while it is live, its state in Chinese.</summary>
public sealed record VoucherRow(string Id, string FaceValue, string Used, string Remaining, string ExpiresOn, int? DaysLeft, string Status);

public sealed record EnterpriseHomeModel(string Name, string Uscc, string City, string SizeClass, ApplyGuard Apply, string? AppliedLine,
    IReadOnlyList<ApplicationRow> Applications, IReadOnlyList<VoucherRow> Vouchers);

/// <summary>The registration form of an enterprise signed in for the first time: what was typed and the messages of a refused post.</summary>
public sealed record RegistrationModel(string Uscc, RegisterEnterpriseRequest? Typed, IReadOnlyList<FieldError> Errors);

public sealed record ReviewRow(string Id, string EnterpriseName, string Status, DeadlineCell Deadline, string ReviewHref);

public sealed record BureauHomeModel(string CityName, IReadOnlyList<ReviewRow> Rows);

public sealed record CityOverviewRow(string City, int Open, int Overdue, int Approved, string PaidThisYear);

public sealed record ProvinceHomeModel(int Year, IReadOnlyList<string> CalendarNotices, IReadOnlyList<CityOverviewRow> Cities);

public sealed record ExpertHomeModel(string Name);

/// <summary>A current publicity notice on the public home: its title, window and count, and where it is read.</summary>
public sealed record NoticeItem(string Title, string Detail, string Href);

/// <summary>This year's headline figures for the whole province (from the statistics the /stats page reads).</summary>
public sealed record HeadlineFigures(int Year, long VouchersIssued, string PaidWan, long EnterprisesServed, long RedemptionsPaid);

public sealed record PublicHomeModel(IReadOnlyList<NoticeItem> Notices, HeadlineFigures? Figures, IReadOnlyList<PolicyDocument> Policies, string HelpDeskPhone)
{
    /// <summary>The 办事指南 step diagram: each step and who does it.</summary>
    public static IReadOnlyList<(string Step, string Who)> Steps { get; } =
    [
        ("申领", "企业"),
        ("购买服务", "企业与服务机构"),
        ("兑付申请", "企业"),
        ("机构确认", "服务机构"),
        ("结算审核", "市科技局"),
        ("公示", "社会监督"),
        ("拨付", "市财政局"),
    ];
}

/// <summary>The progress lookup page: the number typed and the message when it is not recognised.</summary>
public sealed record ProgressLookupModel(string Number, IReadOnlyList<FieldError> Errors)
{
    public const string Field = "no";
}

/// <summary>
/// 办件编号 by shape: an application is <c>{USCC}-{year}-{nn}</c>, its voucher <c>V-{application}</c>, a redemption of
/// the voucher <c>V-{application}-R{n}</c> (ApplicationStore.NewId, RecordApplicationDecision, RedemptionStore.NewId).
/// The lookup only routes: the target pages require sign-in and answer 404 to anyone not entitled, so it leaks nothing.
/// </summary>
public static partial class ProgressNumbers
{
    public const string NotRecognised = "未能识别该办件编号。申请编号形如 91140100MA0DEM001U-2026-01，创新券编号以 V- 开头，兑付编号以 -R 加序号结尾。";

    public static string? PathOf(string? number)
    {
        var n = (number ?? "").Trim().ToUpperInvariant();
        if (n.Length is 0 or > 64)
        {
            return null;
        }

        var redemption = RedemptionNumber().Match(n);
        if (redemption.Success && IsApplication(redemption.Groups[1].Value))
        {
            return "/portal/redemptions/" + Uri.EscapeDataString(n);
        }

        if (n.StartsWith("V-", StringComparison.Ordinal) && IsApplication(n[2..]))
        {
            return "/portal/vouchers/" + Uri.EscapeDataString(n);
        }

        return IsApplication(n) ? "/portal/applications/" + Uri.EscapeDataString(n) : null;
    }

    static bool IsApplication(string id)
    {
        var m = ApplicationNumber().Match(id);
        return m.Success && Uscc.TryValidate(m.Groups[1].Value, out _, out _);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([0-9A-Z]{18})-(\d{4})-(\d{2,3})$")]
    private static partial System.Text.RegularExpressions.Regex ApplicationNumber();

    [System.Text.RegularExpressions.GeneratedRegex(@"^V-(.+)-R(\d{1,3})$")]
    private static partial System.Text.RegularExpressions.Regex RedemptionNumber();
}

/// <summary>A policy document the scheme rests on: its title, number (when it has one) and issuer.</summary>
public sealed record PolicyDocument(string Title, string? Number, string Issuer);

/// <summary>The policy basis (政策依据) the home page lists and the guide cites.</summary>
public static class PolicyBasis
{
    public static IReadOnlyList<PolicyDocument> Documents { get; } =
    [
        new("山西省科技创新券实施管理办法（试行）", null, "山西省人民政府（2016年出台，2017年修订）"),
        new("科技型中小企业评价办法", "国科发政〔2017〕115号", "科技部 财政部 国家税务总局"),
        new("各地市科技创新券管理办法与实施方案", null, "各地市科技局、财政局"),
    ];
}
