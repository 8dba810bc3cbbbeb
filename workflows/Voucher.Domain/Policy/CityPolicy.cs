namespace Voucher.Domain;

/// <summary>
/// Per-city policy parameters, versioned and immutable. A change is a new record with <see cref="Version"/> + 1
/// (see <see cref="NextVersion"/>). Defaults are the numbers of the paper / mission.
/// </summary>
public sealed record CityPolicy
{
    public const int MinDays = 1;
    public const int MaxDays = 60;
    public const int MinValidityMonths = 1;
    public const int MaxValidityMonths = 60;

    public required string CityCode { get; init; }
    public required int Version { get; init; }

    /// <summary>Standard face value, 50,000 yuan.</summary>
    public Cny FaceValue { get; init; } = Cny.FromYuan(50_000m);

    /// <summary>Whether the suggested 100,000 denomination (§4.4) may be issued.</summary>
    public bool LargeDenominationEnabled { get; init; }

    public Cny LargeFaceValue { get; init; } = Cny.FromYuan(100_000m);

    /// <summary>Fixed ratio (定额比例) at which the amount above the face value is subsidised.</summary>
    public decimal ExcessRatio { get; init; } = 0.5m;

    public SettlementCadence Cadence { get; init; } = SettlementCadence.Quarterly;

    /// <summary>Working days the city bureau has for the qualification review.</summary>
    public int ReviewWorkingDays { get; init; } = 10;

    /// <summary>Working days before the review deadline at which a reminder is sent.</summary>
    public int ReminderLeadWorkingDays { get; init; } = 2;

    public int ValidityMonths { get; init; } = 12;

    public int PublicityWorkingDays { get; init; } = 5;

    public BindingMode BindingMode { get; init; } = BindingMode.System;

    /// <summary>Working days the institution has to confirm (bind) a redemption.</summary>
    public int BindingWorkingDays { get; init; } = 5;

    public bool OneLiveVoucherPerYear { get; init; } = true;

    /// <summary>Province-wide annual subsidy cap per enterprise, recorded with the city's version.</summary>
    public Cny AnnualCap { get; init; } = Cny.FromYuan(200_000m);

    /// <summary>
    /// Share of a trusted enterprise's pay-out paid in advance (事前兑付, §4.3) before the batch review; 0 disables
    /// pre-payment, 1 pays in full. The batch review is the audit; the rest is paid after it.
    /// </summary>
    public decimal PrepaymentShare { get; init; } = 0.5m;

    /// <summary>
    /// Where objections to a publicity notice go (受理单位, 联系电话, 地址, 邮箱 on the notice), set by the city bureau.
    /// Null: the city's default (<see cref="NoticeContacts"/>: its bureau), so versions stored before these fields read the same.
    /// </summary>
    public string? ObjectionUnit { get; init; }

    public string? ObjectionPhone { get; init; }

    public string? ObjectionAddress { get; init; }

    public string? ObjectionEmail { get; init; }

    public DateTimeOffset EffectiveFrom { get; init; }

    public string ChangedBy { get; init; } = "system";

    public string Reason { get; init; } = "initial defaults";

    /// <summary>The notice's objection contacts: this version's values, else the city's defaults.</summary>
    public NoticeContacts Contacts
    {
        get
        {
            var fallback = NoticeContacts.DefaultFor(CityCode);
            return new NoticeContacts(ObjectionUnit ?? fallback.Unit, ObjectionPhone ?? fallback.Phone, ObjectionAddress ?? fallback.Address, ObjectionEmail ?? fallback.Email);
        }
    }

    /// <summary>Version 1 with all defaults.</summary>
    public static CityPolicy Default(string cityCode, DateTimeOffset effectiveFrom) =>
        new() { CityCode = cityCode, Version = 1, EffectiveFrom = effectiveFrom };

    /// <summary>
    /// A copy with <see cref="Version"/> + 1 and the given audit fields; combine with <c>with</c> to change parameters:
    /// <c>policy.NextVersion("admin", "ratio raised", now) with { ExcessRatio = 0.6m }</c>.
    /// </summary>
    public CityPolicy NextVersion(string changedBy, string reason, DateTimeOffset effectiveFrom) =>
        this with { Version = Version + 1, ChangedBy = changedBy, Reason = reason, EffectiveFrom = effectiveFrom };

    /// <summary>
    /// Why an enterprise may not ask for <paramref name="requested"/>: the standard face value is always offered, the large
    /// one when the city enabled it. Null when it may.
    /// </summary>
    public string? RequestedFaceValueError(Cny requested) =>
        requested == FaceValue || (LargeDenominationEnabled && requested == LargeFaceValue)
            ? null
            : LargeDenominationEnabled
                ? $"面额只能为 {FaceValue.Yuan:0} 或 {LargeFaceValue.Yuan:0} 元 (Face value must be {FaceValue.Yuan:0} or {LargeFaceValue.Yuan:0})"
                : $"本市创新券面额为 {FaceValue.Yuan:0} 元，未开放 {LargeFaceValue.Yuan:0} 元面额 (Face value must be {FaceValue.Yuan:0}; the large denomination is not offered)";

    /// <summary>
    /// The face value issued for an application that asked for <paramref name="requestedFen"/> (0: nothing named): the
    /// large one when it asked for it and the city offers it when the voucher is issued, else the standard one.
    /// </summary>
    public Cny IssuedFaceValue(long requestedFen) =>
        LargeDenominationEnabled && requestedFen == LargeFaceValue.Fen ? LargeFaceValue : FaceValue;

    /// <summary>All rule violations; empty when the policy is valid.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();

        if (!Cities.TryGet(CityCode, out _))
        {
            errors.Add(new("cityCode", $"未知的城市代码“{CityCode}” (Unknown city code '{CityCode}')"));
        }
        if (Version < 1)
        {
            errors.Add(new("version", "版本号必须从 1 开始 (Version must be 1 or greater)"));
        }
        if (!FaceValue.IsPositive)
        {
            errors.Add(new("faceValue", "面额必须大于零 (Face value must be greater than zero)"));
        }
        if (!LargeFaceValue.IsPositive)
        {
            errors.Add(new("largeFaceValue", "大额面额必须大于零 (Large face value must be greater than zero)"));
        }
        else if (LargeDenominationEnabled && LargeFaceValue <= FaceValue)
        {
            errors.Add(new("largeFaceValue", "大额面额必须高于标准面额 (Large face value must be above the standard face value)"));
        }
        if (ExcessRatio is < 0m or > 1m)
        {
            errors.Add(new("excessRatio", "超额补助比例必须在 0 到 1 之间 (Excess ratio must be between 0 and 1)"));
        }
        if (PrepaymentShare is < 0m or > 1m)
        {
            errors.Add(new("prepaymentShare", "事前兑付比例必须在 0 到 1 之间 (Pre-payment share must be between 0 and 1)"));
        }
        if (!Enum.IsDefined(Cadence))
        {
            errors.Add(new("cadence", "兑付周期无效 (Settlement cadence is not valid)"));
        }
        if (!Enum.IsDefined(BindingMode))
        {
            errors.Add(new("bindingMode", "确认方式无效 (Binding mode is not valid)"));
        }
        CheckDays(errors, "reviewWorkingDays", "审核时限", "Review period", ReviewWorkingDays);
        CheckDays(errors, "publicityWorkingDays", "公示期", "Publicity period", PublicityWorkingDays);
        CheckDays(errors, "bindingWorkingDays", "机构确认时限", "Binding period", BindingWorkingDays);
        var reviewValid = ReviewWorkingDays is >= MinDays and <= MaxDays;
        if (ReminderLeadWorkingDays < 0 || (reviewValid && ReminderLeadWorkingDays >= ReviewWorkingDays))
        {
            errors.Add(new("reminderLeadWorkingDays",
                "提醒提前工作日数必须不小于 0 且小于审核时限 (Reminder lead must be at least 0 and less than the review period)"));
        }
        if (ValidityMonths is < MinValidityMonths or > MaxValidityMonths)
        {
            errors.Add(new("validityMonths",
                $"有效期必须在 {MinValidityMonths} 到 {MaxValidityMonths} 个月之间 (Validity must be between {MinValidityMonths} and {MaxValidityMonths} months)"));
        }
        if (!AnnualCap.IsPositive)
        {
            errors.Add(new("annualCap", "年度补助上限必须大于零 (Annual cap must be greater than zero)"));
        }
        if (ObjectionUnit is { } unit && (unit.Trim().Length < 2 || unit.Length > 50))
        {
            errors.Add(new("objectionUnit", "受理单位须为 2 到 50 个字 (Objection unit must be 2 to 50 characters)"));
        }
        if (ObjectionPhone is { } phone && (phone.Length is < 5 or > 40 || !phone.All(c => char.IsAsciiDigit(c) || c is '-' or ' ' or '(' or ')' or '+' or '转')))
        {
            errors.Add(new("objectionPhone", "受理电话须为 5 到 40 位的电话号码 (Objection phone must be a phone number of 5 to 40 characters)"));
        }
        if (ObjectionAddress is { } address && (address.Trim().Length == 0 || address.Length > 100))
        {
            errors.Add(new("objectionAddress", "受理地址不能为空，且不超过 100 字 (Objection address must be 1 to 100 characters)"));
        }
        if (ObjectionEmail is { } email && !IsEmail(email))
        {
            errors.Add(new("objectionEmail", "受理邮箱格式不正确 (Objection e-mail is not valid)"));
        }
        if (string.IsNullOrWhiteSpace(ChangedBy))
        {
            errors.Add(new("changedBy", "必须记录修改人 (Changed-by is required)"));
        }
        if (string.IsNullOrWhiteSpace(Reason))
        {
            errors.Add(new("reason", "必须填写修改原因 (Reason is required)"));
        }
        return errors;
    }

    /// <summary>One local part, one '@', a dotted domain; no spaces; at most 100 characters.</summary>
    static bool IsEmail(string email)
    {
        var at = email.IndexOf('@');
        if (email.Length > 100 || at <= 0 || at != email.LastIndexOf('@') || email.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }

    private static void CheckDays(List<FieldError> errors, string field, string nameZh, string nameEn, int value)
    {
        if (value is < MinDays or > MaxDays)
        {
            errors.Add(new(field,
                $"{nameZh}必须在 {MinDays} 到 {MaxDays} 个工作日之间 ({nameEn} must be between {MinDays} and {MaxDays} working days)"));
        }
    }
}

/// <summary>Who takes objections to a city's publicity notices and how to reach them (受理单位, 联系电话, 地址, 邮箱).</summary>
public sealed record NoticeContacts(string Unit, string Phone, string Address, string Email)
{
    /// <summary>The city's bureau, its area code's 12345 government service line, the city's government service centre and a bureau mailbox.</summary>
    public static NoticeContacts DefaultFor(string cityCode)
    {
        var known = Cities.TryGet(cityCode, out var city);
        var name = known ? city.NameZh : "本市";
        var area = known ? AreaCode(city.Code) : "0351";
        return new NoticeContacts($"{name}科技局", $"{area}-12345", $"{name}政务服务中心科技局窗口", $"kjj@{(known ? city.Code : "shanxi")}.gov.cn");
    }

    static string AreaCode(string code) => code switch
    {
        "taiyuan" => "0351",
        "datong" => "0352",
        "yangquan" => "0353",
        "jinzhong" => "0354",
        "changzhi" => "0355",
        "jincheng" => "0356",
        "linfen" => "0357",
        "lvliang" => "0358",
        "yuncheng" => "0359",
        "xinzhou" => "0350",
        "shuozhou" => "0349",
        _ => "0351",
    };
}
