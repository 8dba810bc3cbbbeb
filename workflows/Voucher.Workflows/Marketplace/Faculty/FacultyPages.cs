using Voucher.Workflows.Portal;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Marketplace;

/// <summary>The institution's faculty service record page (per staff member, with totals) and its CSV export.</summary>
public sealed class FacultyPages(FacultyRecords faculty)
{
    public async Task<IResult> FacultyAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var staff = ctx.Request.Query["staff"].ToString();
        var outcome = await faculty.ReadAsync(p, p.Scope ?? "", staff, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, failure.Message, FormView.StatusOf(failure));
        }

        var entries = outcome.Value;
        var names = await faculty.StaffAsync(p.Scope ?? "", ctx.Aborted);
        var form = new FormView(new Dictionary<string, string?> { ["staff"] = staff }, []);
        var rows = entries.Select(e => new[] { E(e.Staff), E(e.Kind), E(e.Date), E(e.Enterprise), E(e.Service), E(e.Amount.ToString()), E(e.Reference) });
        var totals = entries.GroupBy(e => e.Staff).Select(g => new[]
        {
            E(g.Key), g.Count(e => e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            g.Count(e => !e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture),
            E(Cny.FromFen(g.Where(e => e.Kind.StartsWith("服务订单", StringComparison.Ordinal)).Sum(e => e.Amount.Fen)).ToString()),
        });
        var export = "/portal/faculty/export" + (staff.Length == 0 ? "" : "?staff=" + Uri.EscapeDataString(staff));
        var body = $"""
            <section class="card"><p>列出服务中署名人员为中小企业完成的服务（订单、已兑付的创新券），可导出作为职称评审的佐证材料（§4.6）。SME services each named staff member delivered, exportable as evidence for title evaluation.</p>
            <form method="get" action="/portal/faculty">{form.Select("staff", "人员 Staff", names.Select(x => (x, x)), "全部人员 Everyone")}<div><button type="submit">查看 Show</button> {Link(export, "导出 CSV Export")}</div></form></section>
            <section class="card"><h2>汇总 Summary</h2>{Table(["人员 Staff", "订单 Orders", "已兑付 Redemptions paid", "订单金额 Order value"], totals, "暂无记录 No records")}</section>
            <section class="card"><h2>明细 Entries</h2>{Table(["人员 Staff", "类型 Kind", "日期 Date", "企业 Enterprise", "服务 Service", "金额 Amount", "编号 Reference"], rows, "暂无记录 No records")}</section>
            """;
        return Pages.Page("人员服务记录 Faculty service record", body, p);
    }

    public async Task<IResult> ExportAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await faculty.ReadAsync(p, p.Scope ?? "", ctx.Request.Query["staff"].ToString(), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Pages.Error(p, failure.Message, FormView.StatusOf(failure))
            : Results.File(FacultyRecords.Csv(outcome.Value), "text/csv; charset=utf-8", $"faculty-record-{p.Scope}.csv");
    }
}
