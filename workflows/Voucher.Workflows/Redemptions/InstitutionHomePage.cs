using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Redemptions;

/// <summary>The institution's home page: binding requests waiting on it, nearest deadline first, and what it handled.</summary>
public sealed class InstitutionHomePage(VoucherStore store, BindingService binding, BindingLinks bindingLinks)
{
    public async Task<IResult> InstitutionHomeAsync(VoucherPrincipal p, CancellationToken ct)
    {
        var institution = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, p.Scope ?? "", InstitutionEntity.ProfileRow, ct);
        var (pending, handled) = await binding.ForInstitutionAsync(p, ct);
        var waiting = pending.Select(x => new InstitutionBindingRow(
            x.Row.RowKey, x.Row.EnterpriseName, Glossary.ChineseOnly(x.Row.ServiceTitle), x.Row.AmountPaidFen,
            new DeadlineView(x.Row.BindingDeadline!, x.DaysLeft, x.Row.BindingProvisional),
            $"/binding/{bindingLinks.TokenFor(x.Row.RowKey, p.Scope ?? "", x.Row.BindingRound, DateOnly.Parse(x.Row.BindingDeadline!, CultureInfo.InvariantCulture))}")).ToList();
        var done = handled.Select(i => new InstitutionHandledRow(i.RowKey, i.EnterpriseName, Glossary.ChineseOnly(i.ServiceTitle), i.AmountPaidFen, Glossary.Of(i.Status))).ToList();
        var model = new InstitutionHomeModel(waiting, done, MarketLinks.Institution);
        return Pages.View<InstitutionHome>($"{institution?.Name ?? "服务机构"}工作台", p, model);
    }
}

/// <summary>A redemption waiting on the institution's confirmation, with its deadline and signed link.</summary>
public sealed record InstitutionBindingRow(string RedemptionId, string EnterpriseName, string ServiceTitle, long AmountPaidFen, DeadlineView Deadline, string BindingHref);

/// <summary>A redemption the institution already answered, with its state now.</summary>
public sealed record InstitutionHandledRow(string RedemptionId, string EnterpriseName, string ServiceTitle, long AmountPaidFen, string Status);

/// <summary>The institution's home: what waits on it, what it handled, and the marketplace's links (a section of another area).</summary>
public sealed record InstitutionHomeModel(IReadOnlyList<InstitutionBindingRow> Waiting, IReadOnlyList<InstitutionHandledRow> Handled, RenderFragment MarketLinks);
