using Voucher.Workflows.Web;

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
            return Pages.Error(p, failure.Message, MarketForms.StatusOf(failure));
        }

        var entries = outcome.Value;
        var names = await faculty.StaffAsync(p.Scope ?? "", ctx.Aborted);
        var totals = entries.GroupBy(e => e.Staff).Select(g => new FacultyTotal(
            g.Key, g.Count(FacultyRecords.IsOrder), g.Count(e => !FacultyRecords.IsOrder(e)), Cny.FromFen(g.Where(FacultyRecords.IsOrder).Sum(e => e.Amount.Fen)).ToString())).ToList();
        var export = "/portal/faculty/export" + (staff.Length == 0 ? "" : "?staff=" + Uri.EscapeDataString(staff));
        var filter = new FormState(new Dictionary<string, string?> { ["staff"] = staff }, []);
        return Pages.View<FacultyPage>("人员服务记录", p, new FacultyModel(filter, [.. names.Select(n => new SelectOption(n, n))], totals, entries, export));
    }

    public async Task<IResult> ExportAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await faculty.ReadAsync(p, p.Scope ?? "", ctx.Request.Query["staff"].ToString(), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Pages.Error(p, failure.Message, MarketForms.StatusOf(failure))
            : Results.File(FacultyRecords.Csv(outcome.Value), "text/csv; charset=utf-8", $"faculty-record-{p.Scope}.csv");
    }
}

/// <summary>The faculty record page: the staff filter, totals per person, the entries, the export link (same filter).</summary>
public sealed record FacultyModel(FormState Filter, IReadOnlyList<SelectOption> Staff, IReadOnlyList<FacultyTotal> Totals, IReadOnlyList<FacultyEntry> Entries, string ExportHref);

public sealed record FacultyTotal(string Staff, int Orders, int RedemptionsPaid, string OrderValue);
