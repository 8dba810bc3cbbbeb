namespace Voucher.Workflows.Web;

/// <summary>Small pieces the work pages share: an amount, the result line of a form post, the redirect back.</summary>
public static class PageParts
{
    public static string Money(long fen) => Html.E(Cny.FromFen(fen).ToString());

    /// <summary>The one-line result of a form post, carried in the redirect's query string.</summary>
    public static string Flash(HttpRequest request) =>
        request.Query["done"].ToString() is { Length: > 0 and < 200 } done ? $"<p class=\"ok\" role=\"status\">{Html.E(done)}</p>" :
        request.Query["error"].ToString() is { Length: > 0 and < 300 } error ? $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>" : "";

    /// <summary>Back to <paramref name="path"/> with the result of a form post.</summary>
    public static IResult Back(string path, string? done = null, string? error = null) =>
        Results.Redirect(path + (done is not null ? "?done=" + Uri.EscapeDataString(done) : error is not null ? "?error=" + Uri.EscapeDataString(error) : ""));
}
