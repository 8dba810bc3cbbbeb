using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Marketplace;

/// <summary>
/// The province centre's list of institutions awaiting verification, with 通过认证 / 不通过 (a reason required); each
/// decision is confirmed on a page of its own that names the institution and what follows.
/// </summary>
public sealed class ProvinceInstitutionPages(InstitutionService institutions)
{
    const string List = "/portal/institutions";

    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var outcome = await institutions.PendingAsync(ctx.Principal!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(ctx.Principal, failure.Message, MarketForms.StatusOf(failure));
        }

        return Pages.View<PendingInstitutionsPage>("服务机构认证", ctx.Principal, outcome.Value.OrderBy(i => i.RegisteredAt).ToList());
    }

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var institutionId = ctx.RouteValue("institutionId");
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        bool? approve = form["approve"].ToString() switch { "true" => true, "false" => false, _ => null };
        var reason = form["reason"].ToString().Trim();
        if (approve is null)
        {
            return PageParts.Back(List, error: "请选择通过认证或不通过。");
        }

        if (approve == false && reason.Length == 0)
        {
            return PageParts.Back(List, error: "不通过认证须填写理由。");
        }

        if (!ConfirmModel.IsConfirmed(form))
        {
            var pending = await institutions.PendingAsync(p, ctx.Aborted);
            if (pending.Failure is null && pending.Value.FirstOrDefault(i => i.InstitutionId == institutionId) is { } institution)
            {
                return Pages.View<ConfirmPage>("确认认证结果", p, approve.Value
                    ? new ConfirmModel($"确认“{institution.Name}”通过认证？",
                        [("服务机构", institution.Name), ("共享平台登记编号", institution.SharingPlatformId), ("通过后", "机构即可发布服务，其服务出现在服务目录中，企业可用创新券购买。")],
                        $"{List}/{Uri.EscapeDataString(institutionId)}/verification", ConfirmModel.Carry(form), "确认通过认证", List)
                    : new ConfirmModel($"确认“{institution.Name}”不通过认证？",
                        [("服务机构", institution.Name), ("理由", reason), ("不通过后", "机构不能发布服务；机构看到理由后可修改信息重新提交。")],
                        $"{List}/{Uri.EscapeDataString(institutionId)}/verification", ConfirmModel.Carry(form), "确认不通过", List, Danger: true));
            }
        }

        var outcome = await institutions.DecideAsync(p, new DecideVerification(institutionId, approve, reason), ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back(List, done: $"{outcome.Value.Name}：{Glossary.Of(outcome.Value.Status)}"),
            Failure.NotFound => PageParts.Back(List, error: "没有找到该服务机构。"),
            { } failure => PageParts.Back(List, error: failure.Message),
        };
    }
}
