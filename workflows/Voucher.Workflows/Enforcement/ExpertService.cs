using System.Text.RegularExpressions;

namespace Voucher.Workflows.Enforcement;

/// <summary>A member of the expert pool as the province centre enters it (a new id adds, a known id replaces).</summary>
public sealed record SaveExpertRequest(string? ExpertId, string? Name, IReadOnlyList<string>? Fields, string? AffiliationInstitutionId, string? Affiliation, IReadOnlyList<string>? TiedUsccs, bool? Active);

/// <summary>
/// The expert pool: the province centre adds and updates members (fields, affiliation, declared ties — a conflict of
/// interest keeps an expert off a redemption); reviewers read it by field; each expert reads the opinions asked of them.
/// </summary>
public sealed partial class ExpertService(EnforcementStore enforcement, TimeProvider time, ILogger<ExpertService> log)
{
    /// <summary>Active experts, those whose fields include <paramref name="field"/> first.</summary>
    public Task<IReadOnlyList<ExpertEntity>> ExpertsForFieldAsync(string? field, CancellationToken ct) =>
        enforcement.ExpertsForFieldAsync(string.IsNullOrEmpty(field) ? null : field, ct);

    /// <summary>The whole pool (active or not), for the province centre's page.</summary>
    public async Task<IReadOnlyList<ExpertEntity>> PoolAsync(CancellationToken ct) =>
        (await enforcement.ExpertsAsync(ct)).OrderBy(e => e.ExpertId, StringComparer.Ordinal).ToList();

    public async Task<Outcome<ExpertEntity>> SaveExpertAsync(VoucherPrincipal caller, SaveExpertRequest command, CancellationToken ct)
    {
        if (caller.Role != Role.Province)
        {
            return new Failure.Forbidden("只有省中心可以维护专家库 (Only the province centre maintains the pool)");
        }

        var errors = new List<FieldError>();
        var id = Http.JsonBody.Required(command.ExpertId, "expertId", 64, errors);
        if (id is not null && !ExpertIdPattern().IsMatch(id))
        {
            errors.Add(new FieldError("expertId", "编号只能包含字母、数字、点、下划线和连字符 (Letters, digits, '.', '_' and '-' only)"));
        }

        var name = Http.JsonBody.Required(command.Name, "name", 100, errors);
        var fields = (command.Fields ?? []).Select(f => f?.Trim() ?? "").Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (fields.Count is 0 or > 20 || fields.Any(f => f.Length > 40 || f.Contains(',')))
        {
            errors.Add(new FieldError("fields", "请填写 1 到 20 个专业领域，每个不超过 40 字 (1 to 20 fields of at most 40 characters)"));
        }

        var ties = (command.TiedUsccs ?? []).Select(t => t?.Trim().ToUpperInvariant() ?? "").Where(t => t.Length > 0).Distinct().ToList();
        foreach (var tie in ties)
        {
            if (!Uscc.TryValidate(tie, out _, out var usccError))
            {
                errors.Add(new FieldError("tiedUsccs", $"{tie}：{usccError}"));
            }
        }

        if (ties.Count > 100)
        {
            errors.Add(new FieldError("tiedUsccs", "最多 100 个关联企业 (At most 100 ties)"));
        }

        var institution = command.AffiliationInstitutionId?.Trim() ?? "";
        var affiliation = command.Affiliation?.Trim() ?? "";
        if (institution.Length > 64 || affiliation.Length > 100)
        {
            errors.Add(new FieldError("affiliation", "单位编号不超过 64 字符，单位名称不超过 100 字 (Too long)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var expert = new ExpertEntity
        {
            PartitionKey = ExpertEntity.Pool,
            RowKey = id!,
            Name = name!,
            Fields = string.Join(",", fields),
            AffiliationInstitutionId = institution,
            Affiliation = affiliation,
            TiedUsccs = string.Join(",", ties),
            Active = command.Active ?? true,
            UpdatedBy = caller.Address,
            UpdatedAt = time.GetUtcNow(),
        };
        await enforcement.UpsertExpertAsync(expert, ct);
        EnforcementLog.ExpertSaved(log, expert.ExpertId, expert.Active, caller.Address);
        return expert;
    }

    /// <summary>The signed-in expert's pool entry (null: not in the pool) and the opinions asked of them, newest first.</summary>
    public async Task<Outcome<(ExpertEntity? Member, IReadOnlyList<ExpertOpinionEntity> Requests)>> OpinionRequestsAsync(VoucherPrincipal caller, CancellationToken ct)
    {
        if (caller.Role != Role.Expert)
        {
            return new Failure.Forbidden("只有评审专家可以查看意见请求 (Experts only)");
        }

        var expertId = caller.Scope ?? "";
        var requests = (await enforcement.OpinionsForExpertAsync(expertId, ct)).OrderByDescending(o => o.RequestedAt).ToList();
        return (await enforcement.GetExpertAsync(expertId, ct), requests);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex ExpertIdPattern();
}
