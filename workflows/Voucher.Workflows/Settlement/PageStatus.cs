namespace Voucher.Workflows.Settlement;

/// <summary>The status a page answers a failed act with: the one the API gives the same failure.</summary>
static class PageStatus
{
    public static int Of(Failure failure) =>
        Problems.For(failure) is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status400BadRequest;
}
