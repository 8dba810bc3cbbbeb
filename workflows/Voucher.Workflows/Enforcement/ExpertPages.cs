using Voucher.Domain.Catalogue;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enforcement;

/// <summary>
/// The province centre's expert pool page (<c>/portal/experts</c>) and an expert's own page of opinion requests
/// (<c>/portal/expert</c>, with the signed links to give each opinion), over <see cref="ExpertService"/>.
/// </summary>
public sealed class ExpertPages(ExpertService experts, SettlementStore settlements, BatchLinks batchLinks, VoucherStore store)
{
    const string PoolPath = "/portal/experts";

    public async Task<IResult> ExpertsAsync(RequestContext ctx)
    {
        var editing = ctx.Request.Query["edit"].ToString();
        var pool = await experts.PoolAsync(ctx.Aborted);
        var typed = pool.FirstOrDefault(e => e.ExpertId == editing) is { } e ? ExpertForm.Of(e) : ExpertForm.Blank;
        return await PoolPageAsync(ctx, pool, typed, [], StatusCodes.Status200OK);
    }

    public async Task<IResult> SaveExpertFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new ExpertForm(form["expertId"].ToString().Trim(), form["name"].ToString(), [.. form["fields"].Select(f => f ?? "")], form["otherFields"].ToString(),
            form["affiliationInstitutionId"].ToString(), form["affiliation"].ToString(), form["tiedUsccs"].ToString(), form["active"].ToString() != "off");
        var request = new SaveExpertRequest(typed.ExpertId, typed.Name, [.. typed.Categories, .. ExpertEntity.Split(typed.OtherFields)], typed.AffiliationInstitutionId, typed.Affiliation,
            ExpertEntity.Split(typed.TiedUsccs), typed.Active);
        var outcome = await experts.SaveExpertAsync(p, request, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(PoolPath, done: $"已保存专家 {outcome.Value.Name}（{outcome.Value.Affiliation.Trim() switch { "" => "未填单位", var a => a }}）。"),
            Failure.Invalid invalid => await PoolPageAsync(ctx, await experts.PoolAsync(ctx.Aborted), typed, invalid.Errors, StatusCodes.Status400BadRequest),
            var failure => Pages.Forbidden(p, failure.Message),
        };
    }

    async Task<IResult> PoolPageAsync(RequestContext ctx, IReadOnlyList<ExpertEntity> pool, ExpertForm typed, IReadOnlyList<FieldError> errors, int status)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var uscc in pool.SelectMany(e => e.TieList()).Distinct(StringComparer.Ordinal))
        {
            names[uscc] = (await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ctx.Aborted))?.Name ?? "";
        }

        return Pages.View<ExpertPoolPage>("专家库", ctx.Principal, new ExpertPoolModel(pool, names, typed, errors), status);
    }

    public async Task<IResult> ExpertHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await experts.OpinionRequestsAsync(p, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Forbidden(p, failure.Message);
        }

        var expertId = p.Scope ?? "";
        var (member, requests) = outcome.Value;
        var rows = new List<OpinionRequestRow>();
        foreach (var o in requests)
        {
            // The links open only while the batch item still asks this expert.
            var item = await settlements.GetItemAsync(o.BatchId, o.RedemptionId, ctx.Aborted);
            var url = item is not null && item.ExpertId == expertId ? batchLinks.OpinionUrl(o.BatchId, o.RedemptionId, expertId) : null;
            var evidence = url is null ? [] : EvidenceRules.Required.Select(k => (EvidenceRules.Chinese(k), $"{url}/evidence/{EvidenceRules.Slug(k)}")).ToList();
            rows.Add(new OpinionRequestRow(o.RequestedAt, o.EnterpriseName, o.RedemptionId, o.ServiceTitle, ExpertForm.FieldName(o.Field), o.Opinion, o.OpinionAt, url, evidence));
        }

        return Pages.View<ExpertHomePage>("我的评审意见", p, new ExpertHomeModel(member, p.DisplayName, rows));
    }
}

/// <summary>The expert form as typed: service categories chosen by code, other fields as free words.</summary>
public sealed record ExpertForm(string ExpertId, string Name, IReadOnlyList<string> Categories, string OtherFields, string AffiliationInstitutionId, string Affiliation, string TiedUsccs, bool Active)
{
    public static ExpertForm Blank { get; } = new("", "", [], "", "", "", "", true);

    public static ExpertForm Of(ExpertEntity e)
    {
        var fields = e.FieldList();
        var categories = fields.Where(f => ServiceCategories.TryGet(f, out _)).ToList();
        return new(e.ExpertId, e.Name, categories, string.Join("，", fields.Except(categories)), e.AffiliationInstitutionId, e.Affiliation, string.Join("，", e.TieList()), e.Active);
    }

    /// <summary>A field of expertise in Chinese: a service category's name, or the word itself.</summary>
    public static string FieldName(string field) => ServiceCategories.TryGet(field, out var c) ? c.NameZh : field;
}

/// <summary>The pool page: the members, the names of the enterprises they declared ties to, the form as typed and its messages.</summary>
public sealed record ExpertPoolModel(IReadOnlyList<ExpertEntity> Pool, IReadOnlyDictionary<string, string> EnterpriseNames, ExpertForm Typed, IReadOnlyList<FieldError> Errors);

/// <summary>One opinion asked of the expert: the links are there while the batch item still asks them.</summary>
public sealed record OpinionRequestRow(
    DateTimeOffset RequestedAt, string EnterpriseName, string RedemptionId, string ServiceTitle, string Field, string? Opinion, DateTimeOffset? OpinionAt,
    string? OpinionUrl, IReadOnlyList<(string Label, string Url)> Evidence);

/// <summary>The expert's page: their pool entry (null: not in the pool), their name, and the requests.</summary>
public sealed record ExpertHomeModel(ExpertEntity? Member, string SignedInName, IReadOnlyList<OpinionRequestRow> Requests);
