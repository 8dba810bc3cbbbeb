using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enforcement;

/// <summary>The enterprise's own credit file (<c>/portal/credit</c>), over <see cref="CreditService"/>.</summary>
public sealed class CreditPages(CreditService credit)
{
    const string Title = "信用记录";

    public async Task<IResult> CreditPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await credit.CreditAsync(p, p.Scope ?? "", ctx.Aborted);
        return outcome.Failure switch
        {
            null => Pages.View<CreditPage>(Title, p, outcome.Value),
            Failure.NotFound => Pages.NotFound(p, "请先登记企业信息，再查看信用记录。"),
            var failure => Pages.Forbidden(p, failure.Message),
        };
    }

    /// <summary>The Chinese name of a credit entry's kind.</summary>
    public static string KindText(string kind) => kind switch
    {
        "prepaid" => "事前兑付",
        "audit-passed" => "事后审核通过",
        "audit-failed" => "事后审核未通过",
        "violation" => "违规处理",
        "clawback-confirmed" => "资金已追回",
        _ => "其他",
    };
}
