using Voucher.Domain.Catalogue;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>The province centre's list of institutions awaiting verification, with verify / reject (reason required).</summary>
public sealed class ProvinceInstitutionPages(InstitutionService institutions)
{
    public async Task<IResult> ListAsync(RequestContext ctx)
    {
        var outcome = await institutions.PendingAsync(ctx.Principal!, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(ctx.Principal, failure.Message, FormView.StatusOf(failure));
        }

        var pending = outcome.Value;
        var sb = new StringBuilder(Web.PageParts.Flash(ctx.Request));
        sb.Append($"<section class=\"card\"><p>请在省开放共享平台核对登记编号后决定。Check each platform id on the provincial open-sharing platform, then decide.（{pending.Count}）</p></section>");
        foreach (var i in pending.OrderBy(i => i.RegisteredAt))
        {
            var id = Attr(i.InstitutionId);
            sb.Append($"""
                <section class="card" data-institution="{id}"><h2>{E(i.Name)}</h2><dl class="facts"><dt>类型 Type</dt><dd>{E(InstitutionTypes.NameOf(i.Type))}</dd><dt>地市 City</dt><dd>{E(CataloguePages.CityName(i.CityCode))}</dd>
                <dt>代码 Code</dt><dd>{E(i.Code)}</dd><dt>共享平台编号 Platform id</dt><dd>{E(i.SharingPlatformId)}</dd><dt>联系人 Contact</dt><dd>{E(i.ContactName)} {E(i.ContactPhone)}</dd><dt>简介</dt><dd>{E(i.Introduction)}</dd></dl>
                <form method="post" action="/portal/institutions/{id}/verification" onsubmit="return confirm('确认核验通过该机构？ Verify this institution?');"><input type="hidden" name="approve" value="true"><button type="submit" aria-label="{Attr("核验通过 Verify " + i.Name)}">核验通过 Verify</button></form>
                <form method="post" action="/portal/institutions/{id}/verification" onsubmit="return confirm('确认驳回？ Reject?');"><input type="hidden" name="approve" value="false">
                <label for="reason-{id}">驳回理由 Reason for rejection</label><input id="reason-{id}" name="reason" maxlength="500" required><button type="submit" class="danger" aria-label="{Attr("驳回 Reject " + i.Name)}">驳回 Reject</button></form></section>
                """);
        }

        return Pages.Page("服务机构核验 Institution verification", sb.ToString(), ctx.Principal);
    }

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        bool? approve = form["approve"].ToString() switch { "true" => true, "false" => false, _ => null };
        var outcome = await institutions.DecideAsync(ctx.Principal!, new DecideVerification(ctx.RouteValue("institutionId"), approve, form["reason"]), ctx.Aborted);
        return Results.Redirect("/portal/institutions?" + (outcome.Failure is { } failure
            ? "error=" + Uri.EscapeDataString(failure.Message)
            : "done=" + Uri.EscapeDataString($"{outcome.Value.Name}：{(outcome.Value.Verified ? "已核验 verified" : "已驳回 rejected")}")));
    }
}
