using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enterprises;

/// <summary>The enterprise's profile page (<c>/portal/profile</c>): read and edit, over <see cref="EnterpriseService"/>.</summary>
public sealed class EnterprisePages(EnterpriseService enterprises)
{
    const string Title = "企业信息";

    public async Task<IResult> PageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var current = await enterprises.OwnAsync(p, ctx.Aborted);
        if (current is null)
        {
            return Pages.View<ProfileMissing>(Title, p);
        }

        var typed = new UpdateEnterpriseProfileRequest(current.Name, current.CityCode, current.SizeClass, current.TechSmeNumber, current.ContactName, current.ContactPhone, current.Address);
        return Pages.View<ProfilePage>(Title, p, new ProfileModel(current, typed, []));
    }

    public async Task<IResult> SaveFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var typed = new UpdateEnterpriseProfileRequest(form["name"], form["cityCode"], form["sizeClass"], form["techSmeNumber"], form["contactName"], form["contactPhone"], form["address"]);
        var outcome = await enterprises.EditProfileAsync(p, p.Scope ?? "", typed, ctx.Aborted);
        switch (outcome.Failure)
        {
            case null:
                return PageParts.Back("/portal/profile", done: outcome.Value.Changed.Count > 0 ? "企业信息已保存。" : "没有修改。");
            case Failure.Invalid invalid:
                var current = await enterprises.OwnAsync(p, ctx.Aborted);
                return Pages.View<ProfilePage>(Title, p, new ProfileModel(current!, typed, invalid.Errors), StatusCodes.Status400BadRequest);
            case Failure.Conflict:
                return PageParts.Back("/portal/profile", error: "企业信息刚被他人修改，请核对后重新填写。");
            case Failure.Forbidden forbidden:
                return Pages.Forbidden(p, forbidden.Message);
            default:
                return Pages.Error(p, "企业尚未登记。", StatusCodes.Status404NotFound);
        }
    }
}

/// <summary>The profile page: the stored enterprise, what was typed, and the messages of a refused save.</summary>
public sealed record ProfileModel(EnterpriseEntity Current, UpdateEnterpriseProfileRequest Typed, IReadOnlyList<FieldError> Errors);
