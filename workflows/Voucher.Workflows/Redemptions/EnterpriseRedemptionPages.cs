using Microsoft.AspNetCore.Components;
using Voucher.Domain.Catalogue;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// The enterprise's redemption work: on its home page its annual cap, its redemptions and where to start a request; the
/// request page (<c>/portal/redemptions/new</c>: search the catalogue, pick a service or an institution, fill the form)
/// and its post.
/// </summary>
public sealed class EnterpriseRedemptionPages(
    VoucherStore store,
    RedemptionStore redemptions,
    RedemptionService redemptionService,
    VoucherRepository vouchers,
    Policies.PolicyStore policies,
    Policies.CalendarStore calendars,
    Ledger.CapLedger ledger,
    CatalogueSearch catalogueSearch,
    CatalogueService catalogue,
    TimeProvider time)
{
    const string RequestTitle = "申请兑付";

    DateOnly Today => ChinaTime.Today(time);

    /// <summary>The enterprise home's redemption sections: its annual cap, its redemptions, and a start per live voucher.</summary>
    public async Task<RenderFragment> EnterpriseSectionsAsync(string uscc, CancellationToken ct)
    {
        var list = (await redemptions.ForEnterpriseAsync(uscc, ct)).OrderByDescending(r => r.SubmittedAt).ToList();
        var calendar = await calendars.CurrentAsync(ct);
        var rows = list.Select(r =>
        {
            var deadline = r.State == RedemptionStatus.AwaitingBinding && BindingDeadlines.Of(r) is { } plan
                ? new DeadlineView(BindingDeadlines.Iso(plan.Deadline), calendar.WorkingDaysBetween(Today, plan.Deadline), plan.Basis.Provisional)
                : null;
            return new EnterpriseRedemptionRow(r.RedemptionId, r.CooperativeRd ? "合作研发" : r.ServiceTitle, r.InstitutionName, r.AmountPaidFen, r.PayoutFen,
                Glossary.Of(r.State), RedemptionProgress.NextStep(r, deadline, null).Next, deadline);
        }).ToList();
        var enterprise = await store.GetAsync<Enterprises.EnterpriseEntity>(VoucherStore.Enterprises, uscc, Enterprises.EnterpriseEntity.ProfileRow, ct);
        var policy = await policies.GetCurrentAsync(enterprise?.CityCode ?? "taiyuan", ct);
        var cap = await ledger.GetAsync(uscc, Today.Year, policy.AnnualCap, ct);
        var starts = (await vouchers.ForEnterpriseAsync(uscc, ct))
            .Where(v => VoucherRepository.StatusOf(v, Today) == VoucherStatus.Active)
            .Select(v => new VoucherStart(v.VoucherId, v.FaceValueFen - v.UsedFen, v.ExpiresOn,
                list.FirstOrDefault(r => r.VoucherId == v.VoucherId && !RedemptionTransitions.IsFinal(r.State))?.RedemptionId))
            .ToList();
        var model = new EnterpriseRedemptionsModel(Today.Year, cap, rows, starts);
        return builder =>
        {
            builder.OpenComponent<EnterpriseRedemptions>(0);
            builder.AddAttribute(1, nameof(EnterpriseRedemptions.Model), model);
            builder.CloseComponent();
        };
    }

    /// <summary>
    /// <c>GET /portal/redemptions/new</c>: the request in steps that work without a script. With <c>q</c>, the catalogue's
    /// matching voucher-eligible services (and their institutions, for cooperative R&amp;D); with <c>institutionId</c>
    /// (and <c>serviceId</c>), the form prefilled with that choice. The voucher is <c>voucherId</c>, or the enterprise's
    /// one live voucher.
    /// </summary>
    public async Task<IResult> NewRequestPageAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var query = ctx.Request.Query;
        var (voucherId, problem) = await VoucherForAsync(p, query["voucherId"].ToString().Trim(), ctx.Aborted);
        if (voucherId is null)
        {
            return Pages.View<RedemptionRequestPage>(RequestTitle, p, RedemptionRequestModel.Refused(problem!));
        }

        var q = query["q"].ToString().Trim();
        if (q.Length > 100)
        {
            q = q[..100];
        }

        var institutionId = query["institutionId"].ToString().Trim();
        var serviceId = query["serviceId"].ToString().Trim();
        if (institutionId.Length > 0)
        {
            var choice = await ChoiceAsync(p, institutionId, serviceId.Length > 0 ? serviceId : null, ctx.Aborted);
            if (choice is null)
            {
                return Pages.View<RedemptionRequestPage>(RequestTitle, p,
                    new RedemptionRequestModel(voucherId, null, q, await SearchAsync(q, ctx.Aborted), null, new Dictionary<string, string>(), [new FieldError("q", "所选服务不存在或已下架，请重新搜索选择。")]),
                    StatusCodes.Status404NotFound);
            }

            return Pages.View<RedemptionRequestPage>(RequestTitle, p, new RedemptionRequestModel(voucherId, null, q, null, choice, new Dictionary<string, string>(), []));
        }

        return Pages.View<RedemptionRequestPage>(RequestTitle, p, new RedemptionRequestModel(voucherId, null, q, q.Length > 0 ? await SearchAsync(q, ctx.Aborted) : null, null, new Dictionary<string, string>(), []));
    }

    /// <summary>The voucher a request uses: the one named (the enterprise's, live, without an open redemption), or its one live voucher; else why not.</summary>
    async Task<(string? VoucherId, string? Problem)> VoucherForAsync(VoucherPrincipal p, string named, CancellationToken ct)
    {
        var own = await vouchers.ForEnterpriseAsync(p.Scope ?? "", ct);
        var open = (await redemptions.ForEnterpriseAsync(p.Scope ?? "", ct)).Where(r => !RedemptionTransitions.IsFinal(r.State)).ToList();
        var live = own.Where(v => VoucherRepository.StatusOf(v, Today) == VoucherStatus.Active).ToList();
        var candidates = named.Length > 0 ? live.Where(v => v.VoucherId == named).ToList() : live;
        if (candidates.Count == 0)
        {
            return (null, named.Length > 0 && own.Any(v => v.VoucherId == named)
                ? $"创新券 {named} 已不在有效期内或已用完，不能再申请兑付。"
                : named.Length > 0 ? $"未找到您的创新券 {named}。" : "您目前没有有效的创新券，需先申领创新券并获批后才能申请兑付。");
        }

        var free = candidates.FirstOrDefault(v => open.All(r => r.VoucherId != v.VoucherId));
        if (free is null)
        {
            var busy = open.First(r => candidates.Any(v => v.VoucherId == r.VoucherId));
            return (null, $"创新券 {busy.VoucherId} 已有办理中的兑付申请（{busy.RedemptionId}），办结后才能再次申请兑付。");
        }

        return (free.VoucherId, null);
    }

    /// <summary>Voucher-eligible published services matching the words, as the catalogue page finds them.</summary>
    async Task<PickerResults> SearchAsync(string q, CancellationToken ct)
    {
        if (q.Length == 0)
        {
            return new PickerResults(0, [], false);
        }

        var result = await catalogueSearch.SearchAsync(new SearchQuery(Keywords: q, VoucherEligible: true, PageSize: 20), ct);
        var hits = result.Hits.Select(h => new PickerHit(h.Doc.InstitutionId, h.Doc.InstitutionName, h.Doc.ServiceId, h.Doc.Title,
            ServiceCategories.NameOf(h.Doc.Category), Marketplace.MarketPages.CityName(h.Doc.CityCode), Marketplace.MarketPages.Price(h.Doc.PriceFromFen, h.Doc.PriceToFen))).ToList();
        return new PickerResults(result.Total, hits, result.Relaxed);
    }

    /// <summary>The chosen service of a verified institution (or the institution alone, for cooperative R&amp;D); null when not found.</summary>
    async Task<PickerChoice?> ChoiceAsync(VoucherPrincipal p, string institutionId, string? serviceId, CancellationToken ct)
    {
        if (serviceId is null)
        {
            var institution = await store.GetAsync<InstitutionEntity>(VoucherStore.Institutions, institutionId, InstitutionEntity.ProfileRow, ct);
            return institution is { Verified: true } ? new PickerChoice(institutionId, institution.Name, null, null) : null;
        }

        var detail = await catalogue.DetailAsync(p, institutionId, serviceId, ct);
        return detail.Failure is null && detail.Value.Service.Status == ServiceStatus.Published
            ? new PickerChoice(institutionId, detail.Value.Institution?.Name ?? institutionId, serviceId, detail.Value.Service.Title)
            : null;
    }

    public async Task<IResult> CreateRedemptionAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var service = form["service"].ToString().Split('|', 2);
        var cooperative = service.Length < 2;
        var amountText = form["amountPaid"].ToString().Trim().Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            return await RedemptionFormPageAsync(ctx, form, [new FieldError("amountPaid", "金额须为数字，如 80000 或 80000.50。")]);
        }

        var command = new RequestRedemption(
            form["voucherId"], cooperative ? form["institutionId"].ToString() : service[0], cooperative ? null : service[1], cooperative, form["contractNumber"], amount);
        var outcome = await redemptionService.RequestAsync(ctx.Principal!, command, ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            // The page answers with the status the API would (400, 403, 404, 409, 422), the messages by their fields.
            var status = Problems.For(failure) is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
            var errors = Problems.FieldMessages(failure).SelectMany(f => f.Value.Select(m => new FieldError(FormField(f.Key), m))).ToList();
            return await RedemptionFormPageAsync(ctx, form, errors, status);
        }

        return PageParts.Back($"/portal/redemptions/{outcome.Value.Redemption.RedemptionId}", done: "兑付申请已提交。已通知服务机构确认，请上传三项材料。");
    }

    /// <summary>The service messages' fields as the form names them: the choice (service, institution, voucher) is one place.</summary>
    static string FormField(string field) => field switch
    {
        "contractNumber" or "amountPaid" => field,
        _ => "choice",
    };

    /// <summary>The refused request form again, messages next to the fields and the typed values kept; nothing was started.</summary>
    async Task<IResult> RedemptionFormPageAsync(RequestContext ctx, IFormCollection form, IReadOnlyList<FieldError> errors, int status = StatusCodes.Status400BadRequest)
    {
        var p = ctx.Principal!;
        var service = form["service"].ToString().Split('|', 2);
        var institutionId = service.Length == 2 ? service[0] : form["institutionId"].ToString().Trim();
        // A choice that no longer resolves (an unknown institution, a retired service) stays on the form as it was posted, its message by it.
        var choice = institutionId.Length == 0 ? null
            : await ChoiceAsync(p, institutionId, service.Length == 2 ? service[1] : null, ctx.Aborted)
              ?? new PickerChoice(institutionId, institutionId, service.Length == 2 ? service[1] : null, service.Length == 2 ? service[1] : null);
        var typed = new Dictionary<string, string>
        {
            ["contractNumber"] = form["contractNumber"].ToString(),
            ["amountPaid"] = form["amountPaid"].ToString(),
        };
        var model = new RedemptionRequestModel(form["voucherId"].ToString(), null, "", null, choice, typed, errors);
        return Pages.View<RedemptionRequestPage>(RequestTitle, p, model, status);
    }
}

/// <summary>The enterprise's redemption sections: this year's annual cap, its redemptions, a start per live voucher.</summary>
public sealed record EnterpriseRedemptionsModel(int Year, Ledger.CapStanding Cap, IReadOnlyList<EnterpriseRedemptionRow> Rows, IReadOnlyList<VoucherStart> Vouchers);

/// <summary>One of the enterprise's redemptions in its list: status and the next step in words, the binding deadline while it runs.</summary>
public sealed record EnterpriseRedemptionRow(string RedemptionId, string Service, string InstitutionName, long AmountPaidFen, long PayoutFen, string Status, string Next, DeadlineView? Deadline);

/// <summary>A live voucher: its balance and expiry, and the open redemption that blocks a new request (if any).</summary>
public sealed record VoucherStart(string VoucherId, long BalanceFen, string ExpiresOn, string? OpenRedemptionId);

/// <summary>Catalogue hits for the picker.</summary>
public sealed record PickerResults(int Total, IReadOnlyList<PickerHit> Hits, bool Relaxed);

public sealed record PickerHit(string InstitutionId, string InstitutionName, string ServiceId, string Title, string Category, string City, string Price);

/// <summary>The chosen institution and, unless cooperative R&amp;D, its service.</summary>
public sealed record PickerChoice(string InstitutionId, string InstitutionName, string? ServiceId, string? ServiceTitle);

/// <summary>
/// The request page: the voucher (or why there is none), the search and its results, the choice and the form with what
/// was typed and the messages of a refused post.
/// </summary>
public sealed record RedemptionRequestModel(
    string? VoucherId,
    string? Problem,
    string Query,
    PickerResults? Results,
    PickerChoice? Choice,
    IReadOnlyDictionary<string, string> Typed,
    IReadOnlyList<FieldError> Errors)
{
    public static RedemptionRequestModel Refused(string problem) => new(null, problem, "", null, null, new Dictionary<string, string>(), []);

    public string TypedOf(string field) => Typed.TryGetValue(field, out var v) ? v : "";
}
