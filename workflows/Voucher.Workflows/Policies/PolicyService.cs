using Voucher.Workflows.Audit;

namespace Voucher.Workflows.Policies;

/// <summary>What an editor may change in a city's policy (null: keep); the annual cap is province-wide.</summary>
public sealed record CityPolicyChange(
    int? ExpectedVersion,
    bool? LargeDenominationEnabled,
    decimal? ExcessRatio,
    string? Cadence,
    int? PublicityWorkingDays,
    string? BindingMode,
    int? ReminderLeadWorkingDays,
    int? ValidityMonths,
    string? Reason,
    decimal? PrepaymentShare = null);

/// <summary>What an editor may change in the province-wide policy (null: keep).</summary>
public sealed record ProvincePolicyChange(
    int? ExpectedVersion,
    decimal? AnnualCap,
    IReadOnlyList<string>? EligibleCategories,
    decimal? AmountWeight,
    decimal? EnterprisesWeight,
    decimal? SpeedWeight,
    decimal? QualityWeight,
    decimal? ExpertWeight,
    decimal? ViolationPenalty,
    decimal? FloorShare,
    string? Reason,
    RiskPolicy? Risk = null);

/// <summary>A city's policy in force and every version of it, newest first.</summary>
public sealed record CityPolicyHistory(City City, CityPolicy Current, IReadOnlyList<CityPolicy> Versions);

/// <summary>A policy in force and the version a change would publish (nothing published yet).</summary>
public sealed record PolicyPreview<T>(T Current, T Next);

/// <summary>The province-wide policy in force and every version of it, newest first.</summary>
public sealed record ProvincePolicyHistory(ProvincePolicy Current, IReadOnlyList<ProvincePolicy> Versions);

/// <summary>A city bureau's change of where objections to its publicity notices go (受理单位, 联系电话, 地址, 邮箱), with its reason.</summary>
public sealed record ObjectionContactsChange(int? ExpectedVersion, string? Unit, string? Phone, string? Address, string? Email, string? Reason);

/// <summary>
/// The province centre's policy administration: each change is a new version (who, when, why — a reason is required)
/// published under optimistic concurrency; versions are never rewritten, so decisions that recorded a version keep
/// meaning what they did. A change of the province's annual cap is also published to every city as that city's next
/// version, because redemptions read the cap from their city's version. City bureaus read their own city's policy and the
/// province's; only the province centre publishes. The API and the policy pages call these.
/// </summary>
/// <remarks>
/// Each publication is also written to the audit trail (<see cref="AuditSubjects.Policy"/>: who, when, from which version
/// to which, and the reason). The one exception to "only the province publishes": a city bureau publishes its own city's
/// objection contacts (<see cref="PublishObjectionContactsAsync"/>), a version that changes nothing else.
/// </remarks>
public sealed class PolicyService(PolicyStore cities, ProvincePolicyStore province, AuditLog audit, TimeProvider time, ILogger<PolicyService> log)
{
    const int MaxReasonLength = 200;

    const int CarryAttempts = 10;

    /// <summary>
    /// The editor named in a version: who changed it, as the history shows; an editor other than the province centre is
    /// named with the unit (a city bureau's objection contacts).
    /// </summary>
    public static string EditorOf(VoucherPrincipal caller) =>
        caller.Role == Role.CityBureau && Cities.TryGet(caller.Scope, out var city)
            ? $"{caller.DisplayName} · {city.NameZh}科技局 ({caller.UserId})"
            : $"{caller.DisplayName} ({caller.UserId})";

    public async Task<Outcome<CityPolicyHistory>> CityHistoryAsync(VoucherPrincipal caller, string cityCode, CancellationToken ct)
    {
        if (!Cities.TryGet(cityCode, out var city))
        {
            return new Failure.NotFound("未知的城市 (Unknown city)");
        }

        if (caller.Role != Role.Province && !caller.IsBureauOf(city.Code))
        {
            return new Failure.Forbidden("只能查看本市的政策 (Only your own city's policy)");
        }

        return new CityPolicyHistory(city, await cities.GetCurrentAsync(city.Code, ct), await cities.HistoryAsync(city.Code, ct));
    }

    public async Task<Outcome<ProvincePolicyHistory>> ProvinceHistoryAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role is not (Role.Province or Role.CityBureau))
        {
            return new Failure.Forbidden("只有省中心和市科技局可以查看全省政策参数 (The province centre and city bureaus only)");
        }

        return new ProvincePolicyHistory(await province.GetCurrentAsync(ct), await province.HistoryAsync(ct));
    }

    /// <summary>The province centre publishes a city's next policy version.</summary>
    public async Task<Outcome<CityPolicy>> PublishCityPolicyAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, CancellationToken ct) =>
        await PublishCityAsync(caller, await BuildCityAsync(caller, cityCode, change, seed: true, ct), ct);

    /// <summary>
    /// What publishing <paramref name="change"/> would make of the city's policy, checked as the publication checks it,
    /// without publishing (the confirmation step names the changes before the province centre publishes).
    /// </summary>
    public Task<Outcome<PolicyPreview<CityPolicy>>> PreviewCityPolicyAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, CancellationToken ct) =>
        BuildCityAsync(caller, cityCode, change, seed: false, ct);

    /// <summary>
    /// A city bureau (or the province centre) publishes the city's next version with new objection contacts (the next
    /// notice shows them; a published notice keeps its batch's version). Checked by the city policy's own rules.
    /// </summary>
    public async Task<Outcome<CityPolicy>> PublishObjectionContactsAsync(VoucherPrincipal caller, string cityCode, ObjectionContactsChange change, CancellationToken ct) =>
        await PublishCityAsync(caller, await BuildContactsAsync(caller, cityCode, change, seed: true, ct), ct);

    /// <summary>What publishing the contacts <paramref name="change"/> would make of the city's policy, checked, without publishing.</summary>
    public Task<Outcome<PolicyPreview<CityPolicy>>> PreviewObjectionContactsAsync(VoucherPrincipal caller, string cityCode, ObjectionContactsChange change, CancellationToken ct) =>
        BuildContactsAsync(caller, cityCode, change, seed: false, ct);

    Task<Outcome<PolicyPreview<CityPolicy>>> BuildCityAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, bool seed, CancellationToken ct) =>
        NextCityVersionAsync(caller, cityCode, change.ExpectedVersion, change.Reason, seed,
            _ => caller.Role == Role.Province ? null : new Failure.Forbidden("只有省中心可以发布政策 (Only the province centre publishes policy)"),
            (current, errors) => current with
            {
                LargeDenominationEnabled = change.LargeDenominationEnabled ?? current.LargeDenominationEnabled,
                ExcessRatio = change.ExcessRatio ?? current.ExcessRatio,
                Cadence = ParseEnum(change.Cadence, "cadence", current.Cadence, errors),
                PublicityWorkingDays = change.PublicityWorkingDays ?? current.PublicityWorkingDays,
                BindingMode = ParseEnum(change.BindingMode, "bindingMode", current.BindingMode, errors),
                ReminderLeadWorkingDays = change.ReminderLeadWorkingDays ?? current.ReminderLeadWorkingDays,
                ValidityMonths = change.ValidityMonths ?? current.ValidityMonths,
                PrepaymentShare = change.PrepaymentShare ?? current.PrepaymentShare,
            }, ct);

    Task<Outcome<PolicyPreview<CityPolicy>>> BuildContactsAsync(VoucherPrincipal caller, string cityCode, ObjectionContactsChange change, bool seed, CancellationToken ct) =>
        NextCityVersionAsync(caller, cityCode, change.ExpectedVersion, change.Reason, seed,
            city => caller.Role == Role.Province || caller.IsBureauOf(city.Code) ? null : new Failure.Forbidden("只能修改本市的公示异议受理方式 (Only your own city's objection contacts)"),
            (current, _) => current with
            {
                ObjectionUnit = change.Unit?.Trim() ?? current.ObjectionUnit,
                ObjectionPhone = change.Phone?.Trim() ?? current.ObjectionPhone,
                ObjectionAddress = change.Address?.Trim() ?? current.ObjectionAddress,
                ObjectionEmail = change.Email?.Trim() ?? current.ObjectionEmail,
            }, ct);

    /// <summary>
    /// The city's next version: the city known, the caller allowed (<paramref name="refuse"/>), the version in force the
    /// one the editor saw, <paramref name="apply"/> to the version in force (with the editor, reason and time of the
    /// next), then the city policy's own rules and the reason's length. Version 1 is seeded first when publishing.
    /// </summary>
    async Task<Outcome<PolicyPreview<CityPolicy>>> NextCityVersionAsync(VoucherPrincipal caller, string cityCode, int? expectedVersion, string? reason, bool seed,
        Func<City, Failure?> refuse, Func<CityPolicy, List<FieldError>, CityPolicy> apply, CancellationToken ct)
    {
        if (!Cities.TryGet(cityCode, out var city))
        {
            return new Failure.NotFound("未知的城市 (Unknown city)");
        }

        if (refuse(city) is { } refused)
        {
            return refused;
        }

        var current = await cities.GetCurrentAsync(city.Code, ct);
        if (seed && current.Version == 1)
        {
            await cities.EnsureSeededAsync(current, ct);
        }

        if (expectedVersion is { } expected && expected != current.Version)
        {
            return new Failure.Conflict($"政策已被他人修改为第{current.Version}版，请刷新后重试 (Changed meanwhile to version {current.Version}; reload)");
        }

        var errors = new List<FieldError>();
        var next = apply(current.NextVersion(EditorOf(caller), reason?.Trim() ?? "", time.GetUtcNow()), errors);
        errors.AddRange(next.Validate());
        CheckReasonLength(next.Reason, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        return new PolicyPreview<CityPolicy>(current, next);
    }

    /// <summary>Publishes a checked next version of a city's policy (refused when another was published meanwhile), logged and audited.</summary>
    async Task<Outcome<CityPolicy>> PublishCityAsync(VoucherPrincipal caller, Outcome<PolicyPreview<CityPolicy>> built, CancellationToken ct)
    {
        if (built.Failure is { } failure)
        {
            return failure;
        }

        var next = built.Value.Next;
        if (!await cities.TryPublishAsync(next, ct))
        {
            return new Failure.Conflict("政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)");
        }

        PolicyLog.CityPolicyPublished(log, next.CityCode, next.Version, next.ChangedBy);
        await AuditAsync(AuditSubjects.Policy(next.CityCode), caller, next.EffectiveFrom, next.Version, next.Reason, ct);
        return next;
    }

    /// <summary>The province centre publishes the province-wide policy's next version; a new cap is carried to every city.</summary>
    public async Task<Outcome<ProvincePolicy>> PublishProvincePolicyAsync(VoucherPrincipal caller, ProvincePolicyChange change, CancellationToken ct)
    {
        var built = await PreviewProvincePolicyAsync(caller, change, ct);
        if (built.Failure is { } failure)
        {
            return failure;
        }

        var (current, next) = (built.Value.Current, built.Value.Next);
        if (!await province.TryPublishAsync(next, ct))
        {
            return new Failure.Conflict("全省政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)");
        }

        PolicyLog.ProvincePolicyPublished(log, next.Version, next.ChangedBy);
        await AuditAsync(AuditSubjects.Policy(AuditSubjects.ProvincePolicy), caller, next.EffectiveFrom, next.Version, next.Reason, ct);
        if (next.AnnualCap != current.AnnualCap)
        {
            foreach (var c in Cities.All)
            {
                await CarryCapAsync(c.Code, next, next.ChangedBy, ct);
            }
        }

        return next;
    }

    /// <summary>What publishing <paramref name="change"/> would make of the province-wide policy, checked, without publishing.</summary>
    public async Task<Outcome<PolicyPreview<ProvincePolicy>>> PreviewProvincePolicyAsync(VoucherPrincipal caller, ProvincePolicyChange change, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以发布政策 (Only the province centre publishes policy)");
        }

        var current = await province.ReadCurrentAsync(ct);
        if (change.ExpectedVersion is { } expected && expected != current.Version)
        {
            return new Failure.Conflict($"全省政策已被他人修改为第{current.Version}版，请刷新后重试 (Changed meanwhile; reload)");
        }

        var errors = new List<FieldError>();
        var cap = current.AnnualCap;
        if (change.AnnualCap is { } capYuan && !Cny.TryParseAmount(capYuan, out cap, out var capError))
        {
            errors.Add(new("annualCap", capError!));
        }

        var f = current.Formula;
        var editor = EditorOf(caller);
        var next = current.NextVersion(editor, change.Reason?.Trim() ?? "", time.GetUtcNow()) with
        {
            AnnualCap = cap,
            EligibleCategories = change.EligibleCategories?.Select(c => c.Trim()).Distinct().ToList() ?? current.EligibleCategories,
            Formula = f with
            {
                AmountWeight = change.AmountWeight ?? f.AmountWeight,
                EnterprisesWeight = change.EnterprisesWeight ?? f.EnterprisesWeight,
                SpeedWeight = change.SpeedWeight ?? f.SpeedWeight,
                QualityWeight = change.QualityWeight ?? f.QualityWeight,
                ExpertWeight = change.ExpertWeight ?? f.ExpertWeight,
                ViolationPenalty = change.ViolationPenalty ?? f.ViolationPenalty,
                FloorShare = change.FloorShare ?? f.FloorShare,
            },
            Risk = change.Risk is { } risk ? risk with { Rules = risk.Rules.Select(r => r.Trim()).Distinct().ToList() } : current.Risk,
        };
        errors.AddRange(next.Validate());
        CheckReasonLength(next.Reason, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        return new PolicyPreview<ProvincePolicy>(current, next);
    }

    /// <summary>Each city's next version carries the new cap (retried when an editor publishes the city at the same moment).</summary>
    async Task CarryCapAsync(string cityCode, ProvincePolicy next, string editor, CancellationToken ct)
    {
        for (var attempt = 0; attempt < CarryAttempts; attempt++)
        {
            var current = await cities.GetCurrentAsync(cityCode, ct);
            if (current.AnnualCap == next.AnnualCap)
            {
                return;
            }

            if (current.Version == 1)
            {
                await cities.EnsureSeededAsync(current, ct);
            }

            var reason = $"全省年度补助上限调整为 {next.AnnualCap}（全省政策第{next.Version}版）：{next.Reason}";
            var carried = current.NextVersion(editor, reason, next.EffectiveFrom) with { AnnualCap = next.AnnualCap };
            if (await cities.TryPublishAsync(carried, ct))
            {
                PolicyLog.CapCarried(log, cityCode, carried.Version, next.Version);
                return;
            }
        }

        PolicyLog.CapNotCarried(log, cityCode, next.Version, CarryAttempts);
    }

    /// <summary>A publication in the audit trail: version n−1 → n, by whom, why (the same row again on a retried write).</summary>
    Task AuditAsync(string subject, VoucherPrincipal caller, DateTimeOffset at, int version, string reason, CancellationToken ct) =>
        audit.AppendAsync(subject, caller.Actor, at, $"v{version - 1}", $"v{version}", version, $"{caller.DisplayName}发布第{version}版：{reason}", ct);

    static void CheckReasonLength(string reason, List<FieldError> errors)
    {
        if (reason.Length > MaxReasonLength)
        {
            errors.Add(new("reason", $"不能超过 {MaxReasonLength} 个字符 (At most {MaxReasonLength} characters)"));
        }
    }

    static T ParseEnum<T>(string? text, string field, T fallback, List<FieldError> errors)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        errors.Add(new(field, $"取值无效，可选：{string.Join(" / ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))} (Not a valid value)"));
        return fallback;
    }
}
