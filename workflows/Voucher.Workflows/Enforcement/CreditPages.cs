using Voucher.Workflows.Settlement;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Enforcement;

/// <summary>The enterprise's own credit history page, over <see cref="CreditService"/>.</summary>
public sealed class CreditPages(CreditService credit)
{
    public async Task<IResult> CreditPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await credit.CreditAsync(p, p.Scope ?? "", ctx.Aborted);
        switch (outcome.Failure)
        {
            case Failure.NotFound:
                return Pages.NotFound(p, "请先登记企业信息 (Register the enterprise first)");
            case { } failure:
                return Pages.Forbidden(p, failure.Message);
        }

        var view = outcome.Value;
        var entries = view.Entries
            .Select(e => new[] { E(BatchLinks.ChinaDate(e.At)), E(KindText(e.Kind)), E(e.Reference), E(Cny.FromFen(e.AmountFen).ToString()), E(e.Detail) });
        var body = $"""
            <section class="card"><dl class="facts">
            <dt>企业 Enterprise</dt><dd>{E(view.Name)}（{E(view.Uscc)}）</dd>
            <dt>使用创新券年度 Years of voucher use</dt><dd>{E(view.YearsOfUse.Count == 0 ? "—" : string.Join("、", view.YearsOfUse))}</dd>
            <dt>守信企业（可事前兑付）Trusted for pre-payment</dt><dd>{(view.Trusted ? "是 Yes" : "否 No")}</dd>
            <dt>限制申请 Barred</dt><dd>{(view.BarredUntil is null ? "无 No" : $"<span class=\"warn\">至 {E(view.BarredUntil)} 止 until {E(view.BarredUntil)}</span>")}</dd></dl>
            <p class="muted">连续两年以上使用创新券且无违规记录的企业可获事前兑付，批次审核即为事后审计。Two or more consecutive years of use and no violation: paid in advance, audited in the batch review.</p></section>
            <section class="card"><h2>信用记录 Credit history</h2>{Table(["时间 When", "事项 Entry", "编号 Reference", "金额 Amount", "说明 Detail"], entries, "暂无记录 No entries yet")}</section>
            """;
        return Pages.Page("信用记录 Credit history", body, p);
    }

    static string KindText(string kind) => kind switch
    {
        "prepaid" => "事前兑付 Pre-paid",
        "audit-passed" => "事后审核通过 Audit passed",
        "audit-failed" => "事后审核未通过 Audit failed",
        "violation" => "违规 Violation",
        "clawback-confirmed" => "资金已追回 Claw-back recovered",
        _ => kind,
    };
}
