using Voucher.Workflows.Audit;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Vouchers;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;
using static Voucher.Workflows.Web.PageParts;

namespace Voucher.Workflows.Redemptions;

/// <summary>The enterprise's redemption work on its home page: its list, its annual cap, the request form and its refusals.</summary>
public sealed class EnterpriseRedemptionPages(
    VoucherStore store,
    RedemptionStore redemptions,
    RedemptionService redemptionService,
    VoucherRepository vouchers,
    Policies.PolicyStore policies,
    Policies.CalendarStore calendars,
    Ledger.CapLedger ledger,
    TimeProvider time)
{
    DateOnly Today => ChinaTime.Today(time);

    /// <summary>The enterprise home's redemption sections: its redemptions, and a request form per live voucher.</summary>
    public async Task<Microsoft.AspNetCore.Components.RenderFragment> EnterpriseSectionsAsync(string uscc, CancellationToken ct)
    {
        var list = (await redemptions.ForEnterpriseAsync(uscc, ct)).OrderByDescending(r => r.SubmittedAt).ToList();
        var calendar = await calendars.CurrentAsync(ct);
        var rows = list.Select(r => new[]
        {
            Link($"/portal/redemptions/{r.RedemptionId}", r.RedemptionId),
            E(r.ServiceTitle),
            Money(r.AmountPaidFen),
            r.PayoutFen > 0 ? Money(r.PayoutFen) : "—",
            E(RedemptionView.StatusText(r.State)),
            E(RedemptionView.NextStep(r).Next) + BindingDaysLeft(r, calendar, Today),
        });
        var enterprise = await store.GetAsync<Enterprises.EnterpriseEntity>(VoucherStore.Enterprises, uscc, Enterprises.EnterpriseEntity.ProfileRow, ct);
        var policy = await policies.GetCurrentAsync(enterprise?.CityCode ?? "taiyuan", ct);
        var cap = await ledger.GetAsync(uscc, Today.Year, policy.AnnualCap, ct);
        var sb = new StringBuilder($"<section class=\"card\"><h2>{Today.Year} 年度补助额度 Annual cap</h2><dl class=\"facts\"><dt>上限 Cap</dt><dd>{E(cap.Cap.ToString())}</dd><dt>已拨付 Granted</dt><dd>{E(cap.Granted.ToString())}</dd><dt>在途预留 Reserved</dt><dd>{E(cap.Reserved.ToString())}</dd><dt>剩余 Left</dt><dd><strong>{E(cap.Remaining.ToString())}</strong></dd></dl><p class=\"muted\">兑付金额计入进入结算队列当天所在年度的限额；已拨付含财政局已确认的事前兑付。{Link("/guide#annual-cap-rules", "规则 Rules")}</p></section>");
        sb.Append($"<section class=\"card\"><h2>我的兑付 My redemptions</h2>{Table(["编号 Id", "服务 Service", "实付 Paid", "核定 Pay-out", "状态 Status", "下一步 Next"], rows, "暂无兑付申请 No redemptions yet")}</section>");
        var live = (await vouchers.ForEnterpriseAsync(uscc, ct)).Where(v => VoucherRepository.StatusOf(v, Today) == VoucherStatus.Active
            && !list.Any(r => r.VoucherId == v.VoucherId && !RedemptionTransitions.IsFinal(r.State))).ToList();
        if (live.Count > 0)
        {
            var services = await ServiceOptionsAsync(ct);
            foreach (var v in live)
            {
                sb.Append(RedemptionForm(v.VoucherId, services, null, null));
            }
        }

        return Fragments.Markup(sb.ToString());
    }

    /// <summary>
    /// The redemption request form of one voucher. After a refused post it shows each message next to its field and
    /// keeps what was typed and chosen (<paramref name="typed"/> is the posted form).
    /// </summary>
    static string RedemptionForm(string voucherId, IReadOnlyList<(string Value, string Text)> services, IFormCollection? typed, IReadOnlyDictionary<string, string[]>? errors)
    {
        var v = Attr(voucherId);
        string Err(string id, params string[] fields)
        {
            var messages = fields.SelectMany(f => errors is not null && errors.TryGetValue(f, out var m) ? m : []).ToList();
            return messages.Count == 0 ? "" : $"<p class=\"error\" id=\"{id}-{v}-error\" role=\"alert\">{E(string.Join("；", messages))}</p>";
        }

        string Aria(string id, string error) => error.Length == 0 ? "" : $" aria-invalid=\"true\" aria-describedby=\"{id}-{v}-error\"";
        var serviceError = Err("service", "serviceId", "voucherId");
        var institutionError = Err("institution", "institutionId");
        var contractError = Err("contract", "contractNumber");
        var amountError = Err("amount", "amountPaid");
        var formError = errors is not null && errors.TryGetValue("", out var general) ? $"<p class=\"error\" role=\"alert\">{E(string.Join("；", general))}</p>" : "";
        var chosen = typed?["service"].ToString();
        var options = string.Concat(services.Select(s => $"<option value=\"{Attr(s.Value)}\"{(s.Value == chosen ? " selected" : "")}>{E(s.Text)}</option>"));
        return $"""
            <section class="card"><h2>使用创新券 {E(voucherId)} 申请兑付 Request a redemption</h2>{formError}
            <form method="post" action="/portal/redemptions" onsubmit="return confirm('提交兑付申请后将通知服务机构确认，确认提交？ Submit the redemption request?');">
            <input type="hidden" name="voucherId" value="{v}">
            <label for="service-{v}">服务机构与服务 Institution and service</label>{serviceError}
            <select id="service-{v}" name="service"{Aria("service", serviceError)}>{options}<option value=""{(chosen == "" ? " selected" : "")}>合作研发（无目录服务）Cooperative R&amp;D</option></select>
            <label for="institution-{v}">合作研发时填写机构编号 Institution id (cooperative R&amp;D only)</label>{institutionError}
            <input id="institution-{v}" name="institutionId" maxlength="64" value="{Attr(typed?["institutionId"])}"{Aria("institution", institutionError)}>
            <label for="contract-{v}">合同编号 Contract number</label>{contractError}<input id="contract-{v}" name="contractNumber" maxlength="64" required value="{Attr(typed?["contractNumber"])}"{Aria("contract", contractError)}>
            <label for="amount-{v}">实际支付金额（元）Amount paid (CNY)</label>{amountError}<input id="amount-{v}" name="amountPaid" inputmode="decimal" required value="{Attr(typed?["amountPaid"])}"{Aria("amount", amountError)}>
            <div><button type="submit">提交兑付申请 Submit</button></div></form></section>
            """;
    }

    /// <summary>While the institution is to confirm: the working days left (or overdue) beside "what happens next".</summary>
    static string BindingDaysLeft(RedemptionEntity r, WorkingCalendar calendar, DateOnly today)
    {
        if (r.State != RedemptionStatus.AwaitingBinding || BindingDeadlines.Of(r) is not { } plan)
        {
            return "";
        }

        var left = calendar.WorkingDaysBetween(today, plan.Deadline);
        return (left < 0 ? $"<span class=\"warn\">（已逾期 {-left} 个工作日 overdue）</span>" : $"（剩余 {left} 个工作日 working days left）")
            + (plan.Basis.Provisional ? " " + Provisional : "");
    }

    /// <summary>Verified institutions' services for the request form (the catalogue search comes with the marketplace).</summary>
    async Task<IReadOnlyList<(string Value, string Text)>> ServiceOptionsAsync(CancellationToken ct)
    {
        var options = new List<(string Value, string Text)>();
        var filter = "Verified eq true";
        var institutions = new List<InstitutionEntity>();
        await foreach (var i in store.Table(VoucherStore.Institutions).QueryAsync<InstitutionEntity>(filter, maxPerPage: 200, cancellationToken: ct))
        {
            institutions.Add(i);
            if (institutions.Count >= 200)
            {
                break;
            }
        }

        foreach (var institution in institutions.OrderBy(i => i.CityCode).ThenBy(i => i.Name))
        {
            foreach (var s in await store.PartitionAsync<ServiceEntity>(VoucherStore.Services, institution.InstitutionId, 100, ct))
            {
                options.Add((institution.InstitutionId + "|" + s.RowKey, $"{institution.Name} · {s.Title}"));
            }
        }

        return options;
    }

    public async Task<IResult> CreateRedemptionAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var service = form["service"].ToString().Split('|', 2);
        var cooperative = service.Length < 2;
        var amountText = form["amountPaid"].ToString().Trim().Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(amountText, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            return await RedemptionFormPageAsync(ctx, form, new Dictionary<string, string[]> { ["amountPaid"] = ["金额须为数字，如 80000 或 80000.50 (The amount must be a number)"] });
        }

        var command = new RequestRedemption(
            form["voucherId"], cooperative ? form["institutionId"].ToString() : service[0], cooperative ? null : service[1], cooperative, form["contractNumber"], amount);
        var outcome = await redemptionService.RequestAsync(ctx.Principal!, command, ctx.Durable, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            // The page answers with the status the API would (400, 403, 404, 409, 422), the messages by their fields.
            var status = Problems.For(failure) is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
            return await RedemptionFormPageAsync(ctx, form, Problems.FieldMessages(failure), status);
        }

        return Back($"/portal/redemptions/{outcome.Value.Redemption.RedemptionId}", done: "兑付申请已提交，请上传三项材料 (Submitted: upload the three documents)");
    }

    /// <summary>The refused request form again, messages next to the fields and the typed values kept; nothing was started.</summary>
    async Task<IResult> RedemptionFormPageAsync(RequestContext ctx, IFormCollection form, IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest)
    {
        var voucherId = form["voucherId"].ToString();
        var body = $"<p class=\"error\" role=\"status\">兑付申请未提交，请按提示修改。The request was not submitted: correct the fields below.</p>"
            + RedemptionForm(voucherId, await ServiceOptionsAsync(ctx.Aborted), form, errors)
            + $"<p>{Link("/", "返回首页 Back to home")}</p>";
        return Pages.Page("申请兑付 Request a redemption", body, ctx.Principal, status);
    }
}
