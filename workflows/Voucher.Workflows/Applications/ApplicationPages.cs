using Voucher.Workflows.Agencies;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Applications;

/// <summary>One application's 办件进度 page, as its enterprise, its city's bureau or the province sees it.</summary>
public sealed class ApplicationPages(
    ApplicationStore applicationStore,
    ApplicationService applicationService,
    VoucherRepository vouchers,
    DelegationStore delegations,
    ReviewLinks reviewLinks,
    TimeProvider time)
{
    /// <summary>The steps with their dates, who acts now, the deadline, the voucher issued, and the record of every change.</summary>
    public async Task<IResult> ApplicationPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var app = await applicationStore.GetAsync(ctx.RouteValue("id"), ctx.Aborted);
        if (app is null || !ApplicationService.CanRead(p, app))
        {
            return Pages.NotFound(p, "申请不存在或无权查看。");
        }

        // The view (audit trail, calendar) and the voucher at once.
        var viewRead = applicationService.ViewOfAsync(app, ctx.Aborted);
        var voucherRead = app.VoucherId is { } voucherId ? vouchers.GetAsync(voucherId, ctx.Aborted) : Task.FromResult<VoucherEntity?>(null);
        var view = await viewRead;
        var voucher = await voucherRead;
        var agencyNames = await AgencyNamesAsync(view.History, ctx.Aborted);
        var model = ApplicationProgress.Of(app, view, voucher, agencyNames, ReviewHref(p, app));
        return Pages.View<ApplicationPage>("创新券申请办理进度", p, model);
    }

    /// <summary>
    /// The review page for the bureau of the application's city while it waits for a decision (as its home page links it:
    /// valid at least until tomorrow, so an overdue round can still be decided).
    /// </summary>
    string? ReviewHref(VoucherPrincipal p, ApplicationEntity app)
    {
        if (!p.IsBureauOf(app.CityCode) || app.State is not (ApplicationStatus.UnderReview or ApplicationStatus.Escalated)
            || !DateOnly.TryParseExact(app.DeadlineDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var deadline))
        {
            return null;
        }

        var tomorrow = ChinaTime.Today(time).AddDays(1);
        return $"/review/{reviewLinks.TokenFor(app.ApplicationId, app.CityCode, app.Round, deadline < tomorrow ? tomorrow : deadline)}";
    }

    async Task<IReadOnlyDictionary<string, string>> AgencyNamesAsync(IReadOnlyList<HistoryView> history, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in history.Select(h => AgencyActor.Parse(h.Actor).Agency).OfType<string>().Distinct())
        {
            if (await delegations.GetAgencyAsync(id, ct) is { } agency)
            {
                names[id] = agency.Name;
            }
        }

        return names;
    }
}
