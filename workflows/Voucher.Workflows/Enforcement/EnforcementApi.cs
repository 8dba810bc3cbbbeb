namespace Voucher.Workflows.Enforcement;

public sealed record ConfirmClawBackRequest(string? Reference);

/// <summary>
/// The rest of the supervision API of §1.5 and §4 — claw-backs the finance bureau confirms, the enterprise's credit file,
/// the expert pool and an expert's opinion requests — over <see cref="ClawBackService"/>, <see cref="CreditService"/> and
/// <see cref="ExpertService"/>.
/// </summary>
public sealed class EnforcementApi(ClawBackService clawBacks, CreditService credit, ExpertService experts)
{
    public async Task<IResult> ClawBacksAsync(RequestContext ctx)
    {
        var outcome = await clawBacks.ClawBacksAsync(ctx.Principal!, ctx.Request.Query["city"].ToString(), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(outcome.Value.OrderBy(c => c.Status == ClawBackStatus.Confirmed).ThenByDescending(c => c.CreatedAt).Select(ClawBackView), JsonBody.Response);
    }

    public async Task<IResult> ConfirmClawBackAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<ConfirmClawBackRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await clawBacks.ConfirmAsync(ctx.Principal!, new ConfirmClawBack(ctx.RouteValue("city"), ctx.RouteValue("id"), body!.Reference), ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(new { clawBackId = outcome.Value.ClawBackId, status = outcome.Value.Status }, JsonBody.Response);
    }

    public async Task<IResult> CreditAsync(RequestContext ctx)
    {
        var outcome = await credit.CreditAsync(ctx.Principal!, ctx.RouteValue("uscc"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var c = outcome.Value;
        return Results.Json(new
        {
            c.Uscc,
            c.Name,
            c.Trusted,
            c.YearsOfUse,
            c.BarredUntil,
            entries = c.Entries.Select(e => new { e.Kind, e.Reference, e.At, amount = Cny.FromFen(e.AmountFen), e.Detail }),
        }, JsonBody.Response);
    }

    public async Task<IResult> ExpertsAsync(RequestContext ctx) =>
        Results.Json((await experts.ExpertsForFieldAsync(ctx.Request.Query["field"].ToString(), ctx.Aborted)).Select(ExpertView), JsonBody.Response);

    public async Task<IResult> SaveExpertAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<SaveExpertRequest>(ctx.Request, ctx.Aborted);
        if (error is not null)
        {
            return error;
        }

        var outcome = await experts.SaveExpertAsync(ctx.Principal!, body!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(ExpertView(outcome.Value), JsonBody.Response);
    }

    public async Task<IResult> MyOpinionsAsync(RequestContext ctx)
    {
        var outcome = await experts.OpinionRequestsAsync(ctx.Principal!, ctx.Aborted);
        return outcome.Failure is { } failure
            ? Problems.For(failure)
            : Results.Json(outcome.Value.Requests.Select(o => new { o.RedemptionId, o.BatchId, o.EnterpriseName, o.ServiceTitle, o.Field, o.RequestedAt, o.Opinion, o.OpinionAt }), JsonBody.Response);
    }

    static object ExpertView(ExpertEntity e) =>
        new { expertId = e.ExpertId, e.Name, fields = e.FieldList(), e.AffiliationInstitutionId, e.Affiliation, tiedUsccs = e.TieList(), e.Active, e.UpdatedAt };

    public static object ClawBackView(ClawBackEntity c) =>
        new { clawBackId = c.ClawBackId, c.ViolationId, c.RedemptionId, c.Uscc, c.EnterpriseName, amount = Cny.FromFen(c.AmountFen), c.Kind, c.Status, c.CreatedAt, c.Reference, c.ConfirmedAt };
}
