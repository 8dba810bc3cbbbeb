namespace Voucher.Workflows.Marketplace;

/// <summary>The JSON body of the province centre's verification decision.</summary>
public sealed record VerificationRequest(bool? Approve, string? Reason);

/// <summary>The institutions' JSON API (<c>/api/institutions</c>): JSON in, <see cref="InstitutionService"/>, ProblemDetails or JSON out.</summary>
public sealed class InstitutionApi(InstitutionService institutions, CatalogueSearch search)
{
    public async Task<IResult> RegisterAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<InstitutionProfile>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await institutions.RegisterAsync(ctx.Principal!, body!, ctx.Aborted), StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(RequestContext ctx)
    {
        var outcome = await institutions.ViewAsync(ctx.Principal, ctx.RouteValue("institutionId"), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        var (institution, full, services) = outcome.Value;
        var eligible = await search.EligibleCategoriesAsync(ctx.Aborted);
        return Results.Json(new { institution = View(institution, full), services = services.Select(s => CatalogueViews.Service(s, eligible)) }, JsonBody.Response);
    }

    public async Task<IResult> EditAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<InstitutionProfile>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await institutions.EditProfileAsync(ctx.Principal!, new EditInstitutionProfile(ctx.RouteValue("institutionId"), body!), ctx.Aborted));
    }

    public async Task<IResult> DecideAsync(RequestContext ctx)
    {
        var (body, error) = await JsonBody.ReadAsync<VerificationRequest>(ctx.Request, ctx.Aborted);
        return error ?? Answer(await institutions.DecideAsync(ctx.Principal!, new DecideVerification(ctx.RouteValue("institutionId"), body!.Approve, body.Reason), ctx.Aborted));
    }

    public async Task<IResult> PendingAsync(RequestContext ctx)
    {
        var outcome = await institutions.PendingAsync(ctx.Principal!, ctx.Aborted);
        return outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(outcome.Value.Select(i => View(i, true)), JsonBody.Response);
    }

    static IResult Answer(Services.Outcome<InstitutionEntity> outcome, int status = StatusCodes.Status200OK) =>
        outcome.Failure is { } failure ? Problems.For(failure) : Results.Json(View(outcome.Value, true), JsonBody.Response, statusCode: status);

    /// <summary>An institution; the decision's reason and the contact details only for itself and the province centre.</summary>
    static object View(InstitutionEntity i, bool withContact) => new
    {
        institutionId = i.InstitutionId,
        name = i.Name,
        type = i.Type,
        cityCode = i.CityCode,
        code = i.Code,
        sharingPlatformId = i.SharingPlatformId,
        status = i.Status,
        verified = i.Verified,
        decisionReason = withContact ? i.DecisionReason : null,
        contactName = withContact ? i.ContactName : null,
        contactPhone = withContact ? i.ContactPhone : null,
        introduction = i.Introduction,
    };
}
