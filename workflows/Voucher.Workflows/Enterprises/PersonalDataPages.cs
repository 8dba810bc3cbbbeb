using Voucher.Workflows.Web;

namespace Voucher.Workflows.Enterprises;

/// <summary><c>GET /portal/profile/personal-data</c>: the enterprise's copy of its personal data as a JSON download (a link on its profile page).</summary>
public sealed class PersonalDataPages(PersonalDataExport export)
{
    public async Task<IResult> DownloadAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await export.ExportAsync(p, ctx.Aborted);
        return outcome.Failure switch
        {
            null => Results.File(outcome.Value, "application/json; charset=utf-8", $"personal-data-{p.Scope}.json"),
            Failure.Forbidden forbidden => Pages.Forbidden(p, forbidden.Message),
            _ => Pages.Error(p, "企业尚未登记，暂无可下载的信息。", StatusCodes.Status404NotFound),
        };
    }
}
