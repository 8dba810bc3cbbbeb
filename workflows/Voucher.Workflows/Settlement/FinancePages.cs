using Microsoft.AspNetCore.Components;
using Voucher.Workflows.Redemptions;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// The finance bureau's work: what is payable and the advances to pay, confirming each payment once (<see cref="PaymentService"/>)
/// after a confirmation page naming the enterprise and the amount.
/// </summary>
public sealed class FinancePages(PaymentService payments, RedemptionStore redemptions, TimeProvider time)
{
    const string NotOurs = "兑付申请不存在或不属于本市。";

    DateOnly Today => ChinaTime.Today(time);

    public async Task<IResult> FinanceHomeAsync(RequestContext ctx)
    {
        var p = ctx.Principal!;
        var outcome = await payments.WorkAsync(p, ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Pages.Error(p, Glossary.ChineseOnly(failure.Message), PageStatus.Of(failure));
        }

        var city = SettlementText.CityName(p.Scope ?? "");
        return Pages.View<FinanceHome>($"{city}财政局工作台", p, new FinanceHomeModel(outcome.Value, Today, Enforcement.EnforcementLinks.For(p)));
    }

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

/// <summary>The finance bureau's home: its work list, today (the default payment day) and the supervision links section.</summary>
public sealed record FinanceHomeModel(FinanceWork Work, DateOnly Today, RenderFragment Supervision);
