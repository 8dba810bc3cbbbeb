using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The institution's marketplace home: register or edit its profile (the error next to the field, what was typed
/// kept), its verification, and its services with the actions each allows (<see cref="InstitutionServicePages"/>).
/// </summary>
public sealed class InstitutionMarketPages(InstitutionService institutions, CatalogueService services)
{
    static readonly string[] ProfileFields = ["name", "type", "cityCode", "code", "sharingPlatformId", "contactName", "contactPhone", "introduction"];

    public async Task<IResult> HomeAsync(RequestContext ctx) => await RenderHomeAsync(ctx, null, [], StatusCodes.Status200OK);

    async Task<IResult> RenderHomeAsync(RequestContext ctx, Dictionary<string, string?>? typed, IReadOnlyList<FieldError> errors, int status)
    {
        var p = ctx.Principal!;
        var institution = await institutions.OwnAsync(p, ctx.Aborted);
        var values = typed ?? (institution is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>
        {
            ["name"] = institution.Name, ["type"] = institution.Type, ["cityCode"] = institution.CityCode, ["code"] = institution.Code,
            ["sharingPlatformId"] = institution.SharingPlatformId, ["contactName"] = institution.ContactName, ["contactPhone"] = institution.ContactPhone, ["introduction"] = institution.Introduction,
        });
        var form = new FormState(values, errors);
        if (institution is null)
        {
            return Pages.View<InstitutionRegisterPage>("登记服务机构", p, form, status);
        }

        var own = (await services.OwnAsync(p, ctx.Aborted)).OrderBy(s => s.Status == ServiceStatus.Retired).ThenByDescending(s => s.UpdatedAt).ToList();
        return Pages.View<InstitutionMarketHomePage>("我的服务", p, new InstitutionHomeModel(institution, form, own), status);
    }

    /// <summary>Registers the institution, or saves its edited profile; a failure is shown next to its field with what was typed.</summary>
    public async Task<IResult> SaveProfileAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = MarketForms.Typed(form, ProfileFields);
        var profile = new InstitutionProfile(typed["name"], typed["type"], typed["cityCode"], typed["code"], typed["sharingPlatformId"], typed["contactName"], typed["contactPhone"], typed["introduction"]);
        var existing = await institutions.OwnAsync(p, ctx.Aborted);
        var outcome = existing is null
            ? await institutions.RegisterAsync(p, profile, ctx.Aborted)
            : await institutions.EditProfileAsync(p, new EditInstitutionProfile(existing.InstitutionId, profile), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return await RenderHomeAsync(ctx, typed, MarketForms.ErrorsOf(failure, "name"), MarketForms.StatusOf(failure));
        }

        return PageParts.Back("/portal/institution", done: existing is null
            ? "已提交登记。省中心核验共享平台登记编号后，即可发布服务。"
            : outcome.Value.Status == InstitutionStatus.Pending && existing.Status != InstitutionStatus.Pending ? "机构信息已保存，等待省中心重新核验。" : "机构信息已保存。");
    }
}

/// <summary>The institution's home: its record, its profile form (as stored or as typed), its services.</summary>
public sealed record InstitutionHomeModel(InstitutionEntity Institution, FormState Profile, IReadOnlyList<ServiceEntity> Services);
