using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;
using Voucher.Workflows.Web.Lists;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The finance bureau's work: the payments list (待拨付 / 已拨付) with its totals and exports, the bank's payment file,
/// confirming a selection or a whole batch at once after one confirmation page naming the count and the total, and the
/// advances to pay (<see cref="PaymentService"/>).
/// </summary>
public sealed class FinancePages(PaymentService payments, RedemptionStore redemptions, TimeProvider time)
{
    const string NotOurs = "兑付申请不存在或不属于本市。";

    public const string ListPath = "/portal/payables";

    static readonly string[] Tabs = ["payable", "paid"];

    static readonly string[] Sorts = ["enterprise", "amount", "date"];

    static readonly string[] FilterNames = ["batch", "institution"];

    DateOnly Today => ChinaTime.Today(time);

    /// <summary>The finance bureau's home: the payments list (待拨付 first), the advances to pay, the supervision links.</summary>
    public Task<IResult> FinanceHomeAsync(RequestContext ctx) => PayablesAsync(ctx);

    /// <summary>
    /// <c>/portal/payables</c>: 待拨付 / 已拨付 with filters (batch, institution, keyword), totals per batch and overall,
    /// paging; <c>format=xlsx|csv</c> answers the whole filtered list as a file.
    /// </summary>
    public async Task<IResult> PayablesAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var query = ListQuery.From(ctx.Request, Tabs, Sorts, null, false, FilterNames);
        var tab = query.Tab == "paid" ? PaymentLedgerTab.Paid : PaymentLedgerTab.Payable;
        var outcome = await payments.LedgerAsync(p, FilterOf(tab, query.Filter("batch"), query.Filter("institution"), query.Keyword), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, Glossary.ChineseOnly(failure.Message), PageStatus.Of(failure));
        }

        var ledger = outcome.Value;
        var rows = Sorted(ledger.Rows, query, tab);
        if (TableExport.ParseFormat(ctx.Request.Query["format"]) is { } format)
        {
            return tab == PaymentLedgerTab.Payable
                ? TableExport.File(format, $"待拨付-{Glossary.Date(Today)}", "待拨付", PayableColumns, rows)
                : TableExport.File(format, $"已拨付-{Glossary.Date(Today)}", "已拨付", PaidColumns, rows);
        }

        var advances = await payments.AdvancesDueAsync(p, ctx.Aborted);
        var city = SettlementText.CityName(p.Scope ?? "");
        return Pages.View<FinanceHome>($"{city}财政局工作台", p, new FinanceHomeModel(
            query, tab, ledger, query.PageOf(rows), advances.Value, Today, Enforcement.EnforcementLinks.For(p)));
    }

    /// <summary>
    /// <c>/portal/payments/file</c>: the bank's payment file (.xlsx) for the payables chosen — the ids ticked, or the
    /// filtered list — whose enterprises have a bank account: 户名, 开户银行, 账号 (whole), 金额, 用途/附言 (the
    /// redemption id), one row each, then the total.
    /// </summary>
    public async Task<IResult> PaymentFileAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var request = ctx.Request.Query;
        var outcome = await payments.LedgerAsync(p, FilterOf(PaymentLedgerTab.Payable, request["batch"], request["institution"], request["q"]), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, Glossary.ChineseOnly(failure.Message), PageStatus.Of(failure));
        }

        var chosen = Chosen(outcome.Value, request["scope"] == "selected" ? request["id"] : default);
        if (chosen.Count == 0)
        {
            return BackTo(ListPath, error: "没有可拨付的兑付申请：请勾选已填写银行账户的待拨付项。");
        }

        var lines = chosen.Select((r, i) => new PaymentFileLine(i + 1, r.Account!.AccountName, r.Account.BankName, r.Account.AccountNumber, Cny.FromFen(r.AmountFen).Yuan, $"创新券兑付 {r.RedemptionId}", r.EnterpriseName))
            .Append(new PaymentFileLine(null, $"合计（{chosen.Count} 笔）", "", "", Cny.FromFen(chosen.Sum(r => r.AmountFen)).Yuan, "", ""))
            .ToList();
        return TableExport.File(ExportFormat.Xlsx, $"付款文件-{Glossary.Date(Today)}", "付款文件", PaymentFileColumns, lines);
    }

    /// <summary>
    /// Confirms the payment of many payables at once: the ticked ones (<c>scope=selected</c>) or the whole filtered list
    /// (<c>scope=filtered</c>), after one confirmation page naming the count and the total. Payables without a bank
    /// account are left out (and named). The filtered set is counted again on the confirming post: when it changed in
    /// between, nothing is paid and the officer is asked again.
    /// </summary>
    public async Task<IResult> ConfirmPaymentsFormAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var selected = form["scope"] == "selected";
        var back = ListPath + QueryString.Create(FilterNames.Select(n => new KeyValuePair<string, string?>(n, form[n].ToString())).Append(new("q", form["q"].ToString())).Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
        var outcome = await payments.LedgerAsync(p, FilterOf(PaymentLedgerTab.Payable, form["batch"], form["institution"], form["q"]), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, Glossary.ChineseOnly(failure.Message), PageStatus.Of(failure));
        }

        var chosen = Chosen(outcome.Value, selected ? form["id"] : default);
        var waiting = selected
            ? outcome.Value.Rows.Count(r => r.Account is null && form["id"].Contains(r.RedemptionId))
            : outcome.Value.Rows.Count(r => r.Account is null);
        if (chosen.Count == 0)
        {
            return BackTo(back, error: waiting > 0 ? "所选兑付申请的企业尚未填写银行账户，暂不能拨付。" : "请勾选要拨付的兑付申请。");
        }

        var command = new ConfirmPayments([.. chosen.Select(r => r.RedemptionId)], null, form["reference"], form["paidOn"]);
        if (payments.Check(new ConfirmPayment("", command.Reference, command.PaidOn)) is { } invalid)
        {
            return BackTo(back, error: Message(invalid));
        }

        var total = chosen.Sum(r => r.AmountFen);
        var count = chosen.Count.ToString(CultureInfo.InvariantCulture);
        if (!ConfirmModel.IsConfirmed(form))
        {
            var facts = new List<(string, string)>
            {
                ("拨付笔数", $"{chosen.Count} 笔（{chosen.Select(r => r.Uscc).Distinct().Count()} 家企业）"),
                ("拨付金额合计", Glossary.Money(total)),
                ("批次", string.Join("、", chosen.Select(r => r.BatchId ?? "").Distinct().Order(StringComparer.Ordinal).Select(PaymentText.BatchName))),
                ("拨付凭证号", command.Reference!.Trim()),
                ("拨付日期", command.PaidOn!.Trim()),
            };
            if (waiting > 0)
            {
                facts.Add(("未填写银行账户", $"{waiting} 笔，不在本次拨付中，待企业填写账户后再拨付"));
            }

            facts.Add(("之后", "这些兑付申请记为已拨付，创新券额度按实核销，系统通知企业；已拨付的不会重复拨付。"));
            return Pages.View<ConfirmPage>("确认批量拨付", p, new ConfirmModel(
                $"确认已拨付 {chosen.Count} 笔，合计 {Glossary.Money(total)}？",
                facts,
                "/portal/payments",
                [.. ConfirmModel.Carry(form).Where(f => f.Name is not ("count" or "total")), ("count", count), ("total", total.ToString(CultureInfo.InvariantCulture))],
                $"确认已拨付 {chosen.Count} 笔",
                back));
        }

        if (form["count"] != count || form["total"] != total.ToString(CultureInfo.InvariantCulture))
        {
            return BackTo(back, error: "待拨付列表在确认期间有变化，本次未拨付。请核对后重新确认。");
        }

        var result = await payments.ConfirmManyAsync(p, command, ctx.Durable, ctx.Aborted);
        if (result.Failure is { } refused)
        {
            return BackTo(back, error: Message(refused));
        }

        var r = result.Value;
        var done = $"已确认拨付 {r.Paid.Count} 笔，合计 {Glossary.Money(r.PaidFen)}，凭证号 {command.Reference!.Trim()}，已通知企业。";
        if (r.AlreadyPaid.Count > 0)
        {
            done += $"另有 {r.AlreadyPaid.Count} 笔此前已拨付，未重复拨付。";
        }

        if (r.WithoutAccount.Count + r.Refused.Count > 0)
        {
            done += $"{r.WithoutAccount.Count + r.Refused.Count} 笔未拨付（未填写银行账户或状态已变化）。";
        }

        return BackTo(ListPath + "?tab=paid", done: done);
    }

    /// <summary>Back to the list (keeping its filters) with the result line.</summary>
    static IResult BackTo(string path, string? done = null, string? error = null) =>
        Results.Redirect(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + (done is not null ? "done=" + Uri.EscapeDataString(done) : "error=" + Uri.EscapeDataString(error ?? "")));

    static PaymentFilter FilterOf(PaymentLedgerTab tab, string? batch, string? institution, string? keyword) =>
        new(tab, string.IsNullOrWhiteSpace(batch) ? null : batch.Trim(), string.IsNullOrWhiteSpace(institution) ? null : institution.Trim(), keyword?.Trim());

    /// <summary>The payables with a bank account among the ticked ids (when <paramref name="ids"/> has any) or the whole filtered list.</summary>
    static List<PaymentRow> Chosen(PaymentLedger ledger, Microsoft.Extensions.Primitives.StringValues ids)
    {
        var payable = ledger.Payable;
        if (ids.Count == 0)
        {
            return [.. payable];
        }

        var set = ids.Where(i => !string.IsNullOrEmpty(i)).ToHashSet(StringComparer.Ordinal);
        return [.. payable.Where(r => set.Contains(r.RedemptionId))];
    }

    static List<PaymentRow> Sorted(IReadOnlyList<PaymentRow> rows, ListQuery query, PaymentLedgerTab tab)
    {
        IEnumerable<PaymentRow> sorted = query.Sort switch
        {
            "enterprise" => query.Descending ? rows.OrderByDescending(r => r.EnterpriseName, StringComparer.Ordinal) : rows.OrderBy(r => r.EnterpriseName, StringComparer.Ordinal),
            "amount" => query.Descending ? rows.OrderByDescending(r => r.AmountFen) : rows.OrderBy(r => r.AmountFen),
            "date" when tab == PaymentLedgerTab.Paid => query.Descending ? rows.OrderByDescending(r => r.PaidOn, StringComparer.Ordinal) : rows.OrderBy(r => r.PaidOn, StringComparer.Ordinal),
            "date" => query.Descending ? rows.OrderByDescending(r => r.PayableAt) : rows.OrderBy(r => r.PayableAt),
            _ => rows,
        };
        return [.. sorted];
    }

    static readonly IReadOnlyList<ExportColumn<PaymentRow>> PayableColumns =
    [
        new("兑付申请编号", r => r.RedemptionId),
        new("批次", r => PaymentText.BatchName(r.BatchId ?? "")),
        new("企业名称", r => r.EnterpriseName),
        new("统一社会信用代码", r => r.Uscc),
        new("服务机构", r => r.InstitutionName),
        new("服务内容", r => r.ServiceTitle),
        new("核定兑付（元）", r => Cny.FromFen(r.PayoutFen).Yuan),
        new("已事前兑付（元）", r => Cny.FromFen(r.AdvancePaidFen).Yuan),
        new("本次拨付（元）", r => Cny.FromFen(r.AmountFen).Yuan),
        new("开户银行", r => r.Account?.BankName ?? "未填写银行账户"),
        new("户名", r => r.Account?.AccountName ?? ""),
        new("账号", r => r.Account?.AccountNumber ?? ""),
    ];

    static readonly IReadOnlyList<ExportColumn<PaymentRow>> PaidColumns =
    [
        new("兑付申请编号", r => r.RedemptionId),
        new("批次", r => PaymentText.BatchName(r.BatchId ?? "")),
        new("企业名称", r => r.EnterpriseName),
        new("服务机构", r => r.InstitutionName),
        new("服务内容", r => r.ServiceTitle),
        new("拨付金额（元）", r => Cny.FromFen(r.AmountFen).Yuan),
        new("拨付日期", r => r.PaidOn ?? ""),
        new("拨付凭证号", r => r.Reference ?? ""),
    ];

    static readonly IReadOnlyList<ExportColumn<PaymentFileLine>> PaymentFileColumns =
    [
        new("序号", l => l.Number),
        new("户名", l => l.AccountName),
        new("开户银行", l => l.BankName),
        new("账号", l => l.AccountNumber),
        new("金额（元）", l => l.Yuan),
        new("用途/附言", l => l.Memo),
        new("企业名称", l => l.EnterpriseName),
    ];

    public async Task<IResult> ConfirmAdvanceFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var command = new ConfirmPayment(ctx.RouteValue("id"), form["reference"], form["paidOn"]);
        if (await AskFirstAsync(ctx, form, command, advance: true) is { } asked)
        {
            return asked;
        }

        var outcome = await payments.ConfirmAdvanceAsync(ctx.Principal!, command, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back("/", done: $"已确认拨付{outcome.Value.EnterpriseName}的事前兑付 {Glossary.Money(outcome.Value.PrepaidFen)}，已通知企业。"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, NotOurs),
            { } failure => PageParts.Back("/", error: Message(failure)),
        };
    }

    public async Task<IResult> ConfirmPaymentFormAsync(RequestContext ctx)
    {
        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var command = new ConfirmPayment(ctx.RouteValue("id"), form["reference"], form["paidOn"]);
        if (await AskFirstAsync(ctx, form, command, advance: false) is { } asked)
        {
            return asked;
        }

        var outcome = await payments.ConfirmPaymentAsync(ctx.Principal!, command, ctx.Durable, ctx.Aborted);
        return outcome.Failure switch
        {
            null => PageParts.Back("/", done: $"已确认拨付{outcome.Value.EnterpriseName} {Glossary.Money(outcome.Value.FinalPaidFen)}，已通知企业。"),
            Failure.NotFound or Failure.Forbidden => Pages.NotFound(ctx.Principal, NotOurs),
            { } failure => PageParts.Back("/", error: Message(failure)),
        };
    }

    /// <summary>
    /// The first post of a confirmation: the fields checked (back with the reason when they do not hold), then the page
    /// naming the enterprise, the amount, the reference and the day. Null on the confirming post, or when the redemption
    /// is not one this bureau can pay now (the service answers that).
    /// </summary>
    async Task<IResult?> AskFirstAsync(RequestContext ctx, IFormCollection form, ConfirmPayment command, bool advance)
    {
        if (ConfirmModel.IsConfirmed(form))
        {
            return null;
        }

        var r = await redemptions.GetAsync(command.RedemptionId, ctx.Aborted);
        var p = ctx.Principal!;
        if (r is null || p.Role != Role.FinanceBureau || !string.Equals(p.Scope, r.CityCode, StringComparison.OrdinalIgnoreCase))
        {
            return Pages.NotFound(p, NotOurs);
        }

        if (payments.Check(command) is { } invalid)
        {
            return PageParts.Back("/", error: Message(invalid));
        }

        if (advance ? r.PrepaidFen <= 0 || r.AdvancePaidFen > 0 : r.State != RedemptionStatus.Payable)
        {
            return null;
        }

        var amount = advance ? r.PrepaidFen : r.PayoutFen - r.AdvancePaidFen;
        var facts = new List<(string, string)>
        {
            ("企业", r.EnterpriseName),
            ("服务", $"{r.InstitutionName} · {r.ServiceTitle}"),
            (advance ? "事前兑付金额" : "本次拨付金额", Glossary.Money(amount)),
        };
        if (!advance && r.AdvancePaidFen > 0)
        {
            facts.Add(("核定兑付", $"{Glossary.Money(r.PayoutFen)}（已事前兑付 {Glossary.Money(r.AdvancePaidFen)}）"));
        }

        facts.Add(("拨付凭证号", command.Reference!.Trim()));
        facts.Add(("拨付日期", command.PaidOn!.Trim()));
        facts.Add(("之后", advance ? "记为事前兑付已拨付，系统通知企业；其余部分经批次审核、公示后拨付。" : "该兑付申请记为已拨付，创新券额度按实核销，系统通知企业。"));
        var action = advance ? $"/portal/advances/{r.RedemptionId}" : $"/portal/payments/{r.RedemptionId}";
        return Pages.View<ConfirmPage>(advance ? "确认事前兑付已拨付" : "确认拨付", p, new ConfirmModel(
            $"确认已向{r.EnterpriseName}拨付 {Glossary.Money(amount)}？",
            facts,
            action,
            ConfirmModel.Carry(form),
            advance ? "确认事前兑付已拨付" : "确认已拨付",
            "/"));
    }

    static string Message(Failure failure) => failure is Failure.Invalid invalid
        ? string.Join("；", invalid.Errors.Select(e => (e.Field == "reference" ? "拨付凭证号：" : e.Field == "paidOn" ? "拨付日期：" : "") + Glossary.ChineseOnly(e.Message)))
        : Glossary.ChineseOnly(failure.Message);
}

/// <summary>
/// The finance bureau's home: the list asked for (tab, filters, page), its rows and totals, the advances to pay, today
/// (the default payment day) and the supervision links section.
/// </summary>
public sealed record FinanceHomeModel(ListQuery Query, PaymentLedgerTab Tab, PaymentLedger Ledger, ListPage<PaymentRow> Page, IReadOnlyList<AdvanceDue> Advances, DateOnly Today, RenderFragment Supervision);

/// <summary>One line of the bank's payment file (the last one: the total, without a number).</summary>
public sealed record PaymentFileLine(int? Number, string AccountName, string BankName, string AccountNumber, decimal Yuan, string Memo, string EnterpriseName);
