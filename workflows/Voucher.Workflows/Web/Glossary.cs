namespace Voucher.Workflows.Web;

/// <summary>
/// The Chinese words the portal, notices and exports use for every state and kind (../shared/design/portal.md,
/// "Language"); one place, so a page never shows an enum name.
/// </summary>
public static partial class Glossary
{
    public static string Of(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Submitted => "已提交",
        ApplicationStatus.Ineligible => "不符合申请条件",
        ApplicationStatus.UnderReview => "审核中",
        ApplicationStatus.Escalated => "超期督办中",
        ApplicationStatus.Approved => "已通过",
        ApplicationStatus.Rejected => "未通过",
        ApplicationStatus.Withdrawn => "已撤回",
        _ => throw Unknown(s),
    };

    public static string Of(VoucherStatus s) => s switch
    {
        VoucherStatus.Active => "有效",
        VoucherStatus.Expired => "已过期",
        VoucherStatus.UsedUp => "已用完",
        VoucherStatus.Revoked => "已收回",
        _ => throw Unknown(s),
    };

    public static string Of(RedemptionStatus s) => s switch
    {
        RedemptionStatus.AwaitingBinding => "待机构确认",
        RedemptionStatus.BindingOverdue => "机构确认超期",
        RedemptionStatus.Disputed => "机构不予确认",
        RedemptionStatus.AwaitingEvidence => "待补充材料",
        RedemptionStatus.Queued => "待结算",
        RedemptionStatus.InBatch => "结算审核中",
        RedemptionStatus.Approved => "审核通过",
        RedemptionStatus.Published => "公示中",
        RedemptionStatus.Objected => "异议处理中",
        RedemptionStatus.Payable => "待拨付",
        RedemptionStatus.Paid => "已拨付",
        RedemptionStatus.Rejected => "未通过",
        RedemptionStatus.Withdrawn => "已撤回",
        RedemptionStatus.Stopped => "已终止",
        _ => throw Unknown(s),
    };

    public static string Of(BatchStage s) => s switch
    {
        BatchStage.Forming => "组批中",
        BatchStage.Reviewing => "审核中",
        BatchStage.Deciding => "审核决定处理中",
        BatchStage.Publicity => "公示中",
        BatchStage.Closed => "已办结",
        _ => throw Unknown(s),
    };

    public static string Of(ObjectionStatus s) => s switch
    {
        ObjectionStatus.Open => "待处理",
        ObjectionStatus.Upheld => "异议成立",
        ObjectionStatus.Dismissed => "异议不成立",
        _ => throw Unknown(s),
    };

    public static string Of(SizeClass s) => s switch
    {
        SizeClass.Micro => "微型企业",
        SizeClass.Small => "小型企业",
        SizeClass.Medium => "中型企业",
        _ => throw Unknown(s),
    };

    /// <summary>The size class as stored ("micro", "small", "medium"); anything else as it is.</summary>
    public static string SizeClassName(string? stored) =>
        Enum.TryParse<SizeClass>(stored, ignoreCase: true, out var s) && Enum.IsDefined(s) ? Of(s) : stored ?? "";

    public static string Of(SettlementCadence s) => s switch
    {
        SettlementCadence.Monthly => "按月",
        SettlementCadence.Quarterly => "按季度",
        SettlementCadence.Semiannual => "每半年",
        SettlementCadence.Annual => "每年",
        _ => throw Unknown(s),
    };

    public static string Of(EvidenceKind s) => s switch
    {
        EvidenceKind.Report => "成果（检测）报告",
        EvidenceKind.Contract => "服务合同",
        EvidenceKind.Payment => "支付凭证（发票/转账记录）",
        _ => throw Unknown(s),
    };

    public static string Of(EvidenceFormat s) => s switch
    {
        EvidenceFormat.Pdf => "PDF 文件",
        EvidenceFormat.Png => "PNG 图片",
        EvidenceFormat.Jpeg => "JPEG 图片",
        _ => throw Unknown(s),
    };

    public static string Of(BindingMode s) => s switch
    {
        BindingMode.System => "系统内确认",
        BindingMode.Seal => "盖章确认",
        _ => throw Unknown(s),
    };

    public static string Of(ClawBackStatus s) => s switch
    {
        ClawBackStatus.Due => "待追回",
        ClawBackStatus.Confirmed => "已追回",
        _ => throw Unknown(s),
    };

    public static string Of(ServiceStatus s) => s switch
    {
        ServiceStatus.Published => "已发布",
        ServiceStatus.Paused => "已暂停",
        ServiceStatus.Retired => "已下架",
        _ => throw Unknown(s),
    };

    public static string Of(InstitutionStatus s) => s switch
    {
        InstitutionStatus.Pending => "待审核",
        InstitutionStatus.Verified => "已认证",
        InstitutionStatus.Rejected => "未通过",
        _ => throw Unknown(s),
    };

    public static string Of(DemandStatus s) => s switch
    {
        DemandStatus.Open => "征集中",
        DemandStatus.Accepted => "已对接",
        DemandStatus.Closed => "已关闭",
        _ => throw Unknown(s),
    };

    public static string Of(OfferStatus s) => s switch
    {
        OfferStatus.Open => "待选择",
        OfferStatus.Accepted => "已采纳",
        OfferStatus.Withdrawn => "已撤回",
        _ => throw Unknown(s),
    };

    public static string Of(DelegationStatus s) => s switch
    {
        DelegationStatus.Active => "有效",
        DelegationStatus.Revoked => "已撤销",
        _ => throw Unknown(s),
    };

    public static string Of(Role r) => RoleNames.Chinese(r);

    /// <summary>A stored state name (rows keep enums as strings) in Chinese; unknown names as they are.</summary>
    public static string Of<TEnum>(string? stored, Func<TEnum, string> name) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(stored, ignoreCase: true, out var value) && Enum.IsDefined(value) ? name(value) : stored ?? "";

    /// <summary>A date in a table: 2026-12-18.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A date in a sentence: 2026年12月18日.</summary>
    public static string DateInSentence(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>A date stored as yyyy-MM-dd, in a sentence (2026年12月18日); anything else as it is, null as empty.</summary>
    public static string DateInSentence(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? DateInSentence(day) : iso ?? "";

    /// <summary>A city bureau as a unit (太原市科技局, 太原市财政局); null for other roles or an unknown city.</summary>
    public static string? BureauUnit(Role role, string? cityCode) => role switch
    {
        Role.CityBureau when Cities.TryGet(cityCode, out var city) => city.NameZh + "科技局",
        Role.FinanceBureau when Cities.TryGet(cityCode, out var city) => city.NameZh + "财政局",
        _ => null,
    };

    /// <summary>An instant in China time, for tables: 2026-12-18 09:30.</summary>
    public static string Time(DateTimeOffset instant) => instant.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An amount in a table: ¥50,000.00.</summary>
    public static string Money(long fen) => Cny.FromFen(fen).ToString();

    /// <summary>An amount in prose: 5万元, 1.5万元, 800元.</summary>
    public static string MoneyInProse(long fen)
    {
        var yuan = fen / 100m;
        return yuan >= 10_000m && yuan % 100m == 0
            ? (yuan / 10_000m).ToString("0.##", CultureInfo.InvariantCulture) + "万元"
            : yuan.ToString("#,##0.##", CultureInfo.InvariantCulture) + "元";
    }

    /// <summary>
    /// The Chinese of a message written "中文 (English)" for the API's callers: pages show the Chinese only. A message
    /// without a trailing English part is returned as it is.
    /// </summary>
    public static string ChineseOnly(string message) => TrailingEnglish().Replace(message, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*[(（][^()（）\p{IsCJKUnifiedIdeographs}]*[A-Za-z][^()（）\p{IsCJKUnifiedIdeographs}]*[)）]\s*$")]
    private static partial System.Text.RegularExpressions.Regex TrailingEnglish();

    static ArgumentOutOfRangeException Unknown<T>(T value) => new(nameof(value), value, "No Chinese name for this value");
}
