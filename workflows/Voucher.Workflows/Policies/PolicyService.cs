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

/// <summary>
/// The province centre's policy administration: each change is a new version (who, when, why — a reason is required)
/// published under optimistic concurrency; versions are never rewritten, so decisions that recorded a version keep
/// meaning what they did. A change of the province's annual cap is also published to every city as that city's next
/// version, because redemptions read the cap from their city's version. City bureaus read their own city's policy and the
/// province's; only the province centre publishes. The API and the policy pages call these.
/// </summary>
public sealed class PolicyService(PolicyStore cities, ProvincePolicyStore province, TimeProvider time, ILogger<PolicyService> log)
{
    const int MaxReasonLength = 200;

    const int CarryAttempts = 10;

    /// <summary>The editor named in a version: who changed it, as the history shows.</summary>
    public static string EditorOf(VoucherPrincipal caller) => $"{caller.DisplayName} ({caller.UserId})";

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
    public async Task<Outcome<CityPolicy>> PublishCityPolicyAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, CancellationToken ct)
    {
        var built = await BuildCityAsync(caller, cityCode, change, seed: true, ct);
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
        return next;
    }

    /// <summary>
    /// What publishing <paramref name="change"/> would make of the city's policy, checked as the publication checks it,
    /// without publishing (the confirmation step names the changes before the province centre publishes).
    /// </summary>
    public Task<Outcome<PolicyPreview<CityPolicy>>> PreviewCityPolicyAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, CancellationToken ct) =>
        BuildCityAsync(caller, cityCode, change, seed: false, ct);

    async Task<Outcome<PolicyPreview<CityPolicy>>> BuildCityAsync(VoucherPrincipal caller, string cityCode, CityPolicyChange change, bool seed, CancellationToken ct)
    {
        if (!Cities.TryGet(cityCode, out var city))
        {
            return new Failure.NotFound("未知的城市 (Unknown city)");
        }

        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以发布政策 (Only the province centre publishes policy)");
        }

        var current = await cities.GetCurrentAsync(city.Code, ct);
        if (seed && current.Version == 1)
        {
            await cities.EnsureSeededAsync(current, ct);
        }

        if (change.ExpectedVersion is { } expected && expected != current.Version)
        {
            return new Failure.Conflict($"政策已被他人修改为第{current.Version}版，请刷新后重试 (Changed meanwhile to version {current.Version}; reload)");
        }

        var errors = new List<FieldError>();
        var cadence = ParseEnum(change.Cadence, "cadence", current.Cadence, errors);
        var binding = ParseEnum(change.BindingMode, "bindingMode", current.BindingMode, errors);
        var editor = EditorOf(caller);
        var next = current.NextVersion(editor, change.Reason?.Trim() ?? "", time.GetUtcNow()) with
        {
            LargeDenominationEnabled = change.LargeDenominationEnabled ?? current.LargeDenominationEnabled,
            ExcessRatio = change.ExcessRatio ?? current.ExcessRatio,
            Cadence = cadence,
            PublicityWorkingDays = change.PublicityWorkingDays ?? current.PublicityWorkingDays,
            BindingMode = binding,
            ReminderLeadWorkingDays = change.ReminderLeadWorkingDays ?? current.ReminderLeadWorkingDays,
            ValidityMonths = change.ValidityMonths ?? current.ValidityMonths,
            PrepaymentShare = change.PrepaymentShare ?? current.PrepaymentShare,
        };
        errors.AddRange(next.Validate());
        CheckReasonLength(next.Reason, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        return new PolicyPreview<CityPolicy>(current, next);
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
