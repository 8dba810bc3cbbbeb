using Voucher.Domain.Catalogue;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The institution's marketplace home: register or edit its profile (the error next to the field, what was typed
/// kept), its verification, and its services with their actions (<see cref="InstitutionServicePages"/>).
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
        var form = new FormView(values, errors);
        var profileForm = $"""
            <form method="post" action="/portal/institution/profile">
            {form.Input("name", "机构名称 Name", "maxlength=\"100\" required")}
            {form.Select("type", "机构类型 Type", FormView.TypeOptions, "请选择 Choose")}
            {form.Select("cityCode", "所在地市 City", FormView.CityOptions, "请选择 Choose")}
            {form.Input("code", "统一社会信用代码或机构代码 USCC or institution code", "maxlength=\"40\" required")}
            {form.Input("sharingPlatformId", "省开放共享平台登记编号 Open-sharing platform id", "maxlength=\"40\" required")}
            {form.Input("contactName", "联系人 Contact", "maxlength=\"40\" required")}
            {form.Input("contactPhone", "联系电话 Phone", "maxlength=\"20\" required")}
            {form.TextArea("introduction", "机构简介 Introduction", 1000)}
            <div><button type="submit">{(institution is null ? "提交登记 Register" : "保存机构信息 Save profile")}</button></div></form>
            """;
        if (institution is null)
        {
            return Pages.Page("登记服务机构 Register the institution", $"<section class=\"card\"><p>登记后由省中心核验共享平台编号，核验通过即可发布服务。The province centre verifies the platform id; then you can publish services.</p>{profileForm}</section>", p, status);
        }

        var own = (await services.OwnAsync(p, ctx.Aborted)).OrderBy(s => s.Status == ServiceStatus.Retired).ThenByDescending(s => s.UpdatedAt).ToList();
        var rows = own.Select(s => new[]
        {
            Link($"/catalogue/{s.InstitutionId}/{s.ServiceId}", s.Title), E(ServiceCategories.NameOf(s.Category)), E(CataloguePages.Price(s.PriceFromFen, s.PriceToFen)),
            E(MarketPages.StatusText(s.Status)), E("v" + Math.Max(1, s.Version).ToString(CultureInfo.InvariantCulture)), s.UsedCount.ToString(CultureInfo.InvariantCulture),
            InstitutionServicePages.Actions(s),
        });
        var verifiedNote = institution.Verified
            ? $"<p>{Link("/portal/institution/services/new", "发布新服务 Publish a service")}</p>"
            : "<p class=\"warn\">机构通过省中心核验后才能发布服务、被企业选择。Publishing opens after verification.</p>";
        var body = Web.PageParts.Flash(ctx.Request) + $"""
            <section class="card"><h2>{E(institution.Name)}</h2><dl class="facts"><dt>核验状态 Status</dt><dd><strong>{E(MarketPages.StatusText(institution.Status))}</strong>{(institution.DecisionReason is { Length: > 0 } r ? $"（{E(r)}）" : "")}</dd>
            <dt>机构编号 Id</dt><dd>{E(institution.InstitutionId)}</dd></dl>
            <p>{Link("/portal/institution/demands", "查看匹配的企业需求 Matching demand")} · {Link("/portal/faculty", "人员服务记录 Faculty service record")}</p></section>
            <section class="card"><h2>我的服务 My services（{own.Count}）</h2>{verifiedNote}{Table(["服务 Service", "类别 Category", "价格 Price", "状态 Status", "版本 Version", "成交 Orders", "操作 Actions"], rows, "尚未发布服务 No services yet")}</section>
            <section class="card"><details{(errors.Count > 0 ? " open" : "")}><summary>修改机构信息 Edit the profile（修改机构代码或平台编号需重新核验 changing the code or platform id needs re-verification）</summary>{profileForm}</details></section>
            """;
        return Pages.Page("服务与需求 My services", body, p, status);
    }

    /// <summary>Registers the institution, or saves its edited profile; a failure is shown next to its field with what was typed.</summary>
    public async Task<IResult> SaveProfileAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = ProfileFields.ToDictionary(k => k, k => (string?)form[k].ToString());
        var profile = new InstitutionProfile(typed["name"], typed["type"], typed["cityCode"], typed["code"], typed["sharingPlatformId"], typed["contactName"], typed["contactPhone"], typed["introduction"]);
        var existing = await institutions.OwnAsync(p, ctx.Aborted);
        var outcome = existing is null
            ? await institutions.RegisterAsync(p, profile, ctx.Aborted)
            : await institutions.EditProfileAsync(p, new EditInstitutionProfile(existing.InstitutionId, profile), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return await RenderHomeAsync(ctx, typed, FormView.ErrorsOf(failure, "name"), FormView.StatusOf(failure));
        }

        return Web.PageParts.Back("/portal/institution", done: existing is null ? "已提交登记，等待省中心核验 (Registered; awaiting verification)" : "机构信息已保存 (Saved)");
    }
}
