using System.Globalization;
using System.Text.Json;
using Voucher.Domain;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Storage;

namespace Voucher.Workflows.Supervision;

/// <summary>What an editor may change in a city's policy; the rest (annual cap) is province-wide.</summary>
public sealed record CityPolicyRequest(
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

public sealed record ProvincePolicyRequest(
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
    string? Reason);

public enum PublishOutcome
{
    Published,
    Invalid,
    Stale,
}

public sealed record PublishResult<T>(PublishOutcome Outcome, T? Policy, IReadOnlyList<FieldError> Errors);

/// <summary>
/// The province centre's policy administration: each change is a new version (who, when, why) published under
/// optimistic concurrency; versions are never rewritten, so decisions that recorded a version keep meaning what they did.
/// The province-wide policy lives in the same table under partition <c>province</c>; a change of the annual cap is also
/// published to every city as that city's next version, because redemptions read the cap from their city's version.
/// The current province policy is read by every redemption request and catalogue search, so it is cached as
/// <see cref="PolicyStore"/> caches a city's: for <see cref="PolicyStore.CurrentTtl"/>, replaced at once when this
/// process publishes; another process's publish is seen within the TTL.
/// </summary>
public sealed class PolicyAdministration(VoucherStore store, PolicyStore cities, TimeProvider time)
{
    public const string ProvincePartition = "province";
    const string Current = "current";

    sealed record CachedProvince(ProvincePolicy Policy, long ReadAtMs);

    volatile CachedProvince? province;
    long generation;

    public async Task<IReadOnlyList<CityPolicy>> HistoryAsync(string cityCode, CancellationToken ct)
    {
        var rows = await store.PartitionAsync<PolicyEntity>(VoucherStore.Policies, cityCode, 1000, ct);
        var list = rows.Where(r => r.RowKey != Current).Select(r => JsonSerializer.Deserialize<CityPolicy>(r.Json)!).OrderByDescending(p => p.Version).ToList();
        return list.Count > 0 ? list : [await cities.GetCurrentAsync(cityCode, ct)];
    }

    public async Task<PublishResult<CityPolicy>> PublishCityAsync(string cityCode, CityPolicyRequest request, string actor, CancellationToken ct)
    {
        var current = await cities.GetCurrentAsync(cityCode, ct);
        if (current.Version == 1)
        {
            await cities.EnsureSeededAsync(current, ct);
        }

        var errors = new List<FieldError>();
        if (request.ExpectedVersion is { } expected && expected != current.Version)
        {
            return new(PublishOutcome.Stale, current, [new("expectedVersion", $"政策已被他人修改为 v{current.Version}，请刷新后重试 (Changed meanwhile to v{current.Version}; reload)")]);
        }

        var cadence = ParseEnum<SettlementCadence>(request.Cadence, "cadence", current.Cadence, errors);
        var binding = ParseEnum<BindingMode>(request.BindingMode, "bindingMode", current.BindingMode, errors);
        var next = current.NextVersion(actor, request.Reason?.Trim() ?? "", time.GetUtcNow()) with
        {
            LargeDenominationEnabled = request.LargeDenominationEnabled ?? current.LargeDenominationEnabled,
            ExcessRatio = request.ExcessRatio ?? current.ExcessRatio,
            Cadence = cadence,
            PublicityWorkingDays = request.PublicityWorkingDays ?? current.PublicityWorkingDays,
            BindingMode = binding,
            ReminderLeadWorkingDays = request.ReminderLeadWorkingDays ?? current.ReminderLeadWorkingDays,
            ValidityMonths = request.ValidityMonths ?? current.ValidityMonths,
            PrepaymentShare = request.PrepaymentShare ?? current.PrepaymentShare,
        };
        errors.AddRange(next.Validate());
        if (next.Reason.Length > 200)
        {
            errors.Add(new("reason", "不能超过 200 个字符 (At most 200 characters)"));
        }

        if (errors.Count > 0)
        {
            return new(PublishOutcome.Invalid, next, errors);
        }

        return await cities.TryPublishAsync(next, ct)
            ? new(PublishOutcome.Published, next, [])
            : new(PublishOutcome.Stale, await cities.GetCurrentAsync(cityCode, ct), [new("expectedVersion", "政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)")]);
    }

    public async Task<ProvincePolicy> GetProvinceAsync(CancellationToken ct)
    {
        if (province is { } cached && Environment.TickCount64 - cached.ReadAtMs < PolicyStore.CurrentTtl.TotalMilliseconds)
        {
            return cached.Policy;
        }

        var before = Interlocked.Read(ref generation);
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, ProvincePartition, Current, ct);
        if (row is null)
        {
            // Never published: the default, not cached, so a first publish by another process is seen at once.
            return ProvincePolicy.Default(DateTimeOffset.UnixEpoch);
        }

        var policy = JsonSerializer.Deserialize<ProvincePolicy>(row.Json)!;
        // A publish by this process while the read was in flight wins over what the read returned.
        if (Interlocked.Read(ref generation) == before)
        {
            province = new CachedProvince(policy, Environment.TickCount64);
        }

        return policy;
    }

    public async Task<ProvincePolicy?> GetProvinceVersionAsync(int version, CancellationToken ct)
    {
        var row = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, ProvincePartition, $"v{version:D6}", ct);
        return row is null ? (version == 1 ? ProvincePolicy.Default(DateTimeOffset.UnixEpoch) : null) : JsonSerializer.Deserialize<ProvincePolicy>(row.Json);
    }

    public async Task<IReadOnlyList<ProvincePolicy>> ProvinceHistoryAsync(CancellationToken ct)
    {
        var rows = await store.PartitionAsync<PolicyEntity>(VoucherStore.Policies, ProvincePartition, 1000, ct);
        var list = rows.Where(r => r.RowKey != Current).Select(r => JsonSerializer.Deserialize<ProvincePolicy>(r.Json)!).OrderByDescending(p => p.Version).ToList();
        return list.Count > 0 ? list : [await GetProvinceAsync(ct)];
    }

    public async Task<PublishResult<ProvincePolicy>> PublishProvinceAsync(ProvincePolicyRequest request, string actor, CancellationToken ct)
    {
        var currentRow = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, ProvincePartition, Current, ct);
        var current = currentRow is null ? ProvincePolicy.Default(DateTimeOffset.UnixEpoch) : JsonSerializer.Deserialize<ProvincePolicy>(currentRow.Json)!;
        if (request.ExpectedVersion is { } expected && expected != current.Version)
        {
            return new(PublishOutcome.Stale, current, [new("expectedVersion", $"全省政策已被他人修改为 v{current.Version}，请刷新后重试 (Changed meanwhile; reload)")]);
        }

        var errors = new List<FieldError>();
        var cap = current.AnnualCap;
        if (request.AnnualCap is { } capYuan && !Cny.TryParseAmount(capYuan, out cap, out var capError))
        {
            errors.Add(new("annualCap", capError!));
        }

        var f = current.Formula;
        var next = current.NextVersion(actor, request.Reason?.Trim() ?? "", time.GetUtcNow()) with
        {
            AnnualCap = cap,
            EligibleCategories = request.EligibleCategories?.Select(c => c.Trim()).Distinct().ToList() ?? current.EligibleCategories,
            Formula = f with
            {
                AmountWeight = request.AmountWeight ?? f.AmountWeight,
                EnterprisesWeight = request.EnterprisesWeight ?? f.EnterprisesWeight,
                SpeedWeight = request.SpeedWeight ?? f.SpeedWeight,
                QualityWeight = request.QualityWeight ?? f.QualityWeight,
                ExpertWeight = request.ExpertWeight ?? f.ExpertWeight,
                ViolationPenalty = request.ViolationPenalty ?? f.ViolationPenalty,
                FloorShare = request.FloorShare ?? f.FloorShare,
            },
        };
        errors.AddRange(next.Validate());
        if (next.Reason.Length > 200)
        {
            errors.Add(new("reason", "不能超过 200 个字符 (At most 200 characters)"));
        }

        if (errors.Count > 0)
        {
            return new(PublishOutcome.Invalid, next, errors);
        }

        var json = JsonSerializer.Serialize(next);
        if (currentRow is null)
        {
            await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = ProvincePartition, RowKey = "v000001", Version = 1, Json = JsonSerializer.Serialize(current) }, ct);
            if (!await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = ProvincePartition, RowKey = Current, Version = 1, Json = JsonSerializer.Serialize(current) }, ct))
            {
                return new(PublishOutcome.Stale, current, [new("expectedVersion", "全省政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)")]);
            }

            currentRow = await store.GetAsync<PolicyEntity>(VoucherStore.Policies, ProvincePartition, Current, ct);
        }

        if (!await store.TryAddAsync(VoucherStore.Policies, new PolicyEntity { PartitionKey = ProvincePartition, RowKey = $"v{next.Version:D6}", Version = next.Version, Json = json }, ct))
        {
            return new(PublishOutcome.Stale, current, [new("expectedVersion", "全省政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)")]);
        }

        currentRow!.Version = next.Version;
        currentRow.Json = json;
        try
        {
            await store.Table(VoucherStore.Policies).UpdateEntityAsync(currentRow, currentRow.ETag, Azure.Data.Tables.TableUpdateMode.Replace, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            province = null;
            return new(PublishOutcome.Stale, current, [new("expectedVersion", "全省政策已被他人修改，请刷新后重试 (Changed meanwhile; reload)")]);
        }

        Interlocked.Increment(ref generation);
        province = new CachedProvince(next, Environment.TickCount64);

        if (next.AnnualCap != current.AnnualCap)
        {
            foreach (var city in Voucher.Domain.Cities.All)
            {
                await CarryCapAsync(city.Code, next, actor, ct);
            }
        }

        return new(PublishOutcome.Published, next, []);
    }

    /// <summary>Each city's next version carries the new cap (retried when an editor publishes the city at the same moment).</summary>
    async Task CarryCapAsync(string cityCode, ProvincePolicy province, string actor, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await cities.GetCurrentAsync(cityCode, ct);
            if (current.AnnualCap == province.AnnualCap)
            {
                return;
            }

            if (current.Version == 1)
            {
                await cities.EnsureSeededAsync(current, ct);
            }

            var reason = $"全省年度补助上限调整为 {province.AnnualCap}（全省政策 v{province.Version}）：{province.Reason}";
            if (await cities.TryPublishAsync(current.NextVersion(actor, reason, province.EffectiveFrom) with { AnnualCap = province.AnnualCap }, ct))
            {
                return;
            }
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
