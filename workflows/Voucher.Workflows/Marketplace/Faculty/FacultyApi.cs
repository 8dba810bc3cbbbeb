namespace Voucher.Workflows.Marketplace;

/// <summary>The faculty service record's API (<c>/api/institutions/{institutionId}/faculty-record</c>): JSON, or CSV with <c>format=csv</c>.</summary>
public sealed class FacultyApi(FacultyRecords faculty)
{
    public async Task<IResult> RecordAsync(RequestContext ctx)
    {
        var id = ctx.RouteValue("institutionId");
        var outcome = await faculty.ReadAsync(ctx.Principal!, id, ctx.Request.Query["staff"].ToString(), ctx.Aborted);
        if (outcome.Failure is { } failure)
        {
            return Problems.For(failure);
        }

        return ctx.Request.Query["format"] == "csv"
            ? Results.File(FacultyRecords.Csv(outcome.Value), "text/csv; charset=utf-8", $"faculty-record-{id}.csv")
            : Results.Json(outcome.Value.Select(e => new { staff = e.Staff, kind = e.Kind, date = e.Date, enterprise = e.Enterprise, service = e.Service, amount = e.Amount, reference = e.Reference }), JsonBody.Response);
    }
}
