namespace Voucher.Workflows.Web;

/// <summary>After a form post: back to a page with the result line the layout shows (<c>?done=</c> / <c>?error=</c>).</summary>
public static class PageParts
{
    /// <summary>Back to <paramref name="path"/> with the result of a form post.</summary>
    public static IResult Back(string path, string? done = null, string? error = null) =>
        Results.Redirect(path + (done is not null ? "?done=" + Uri.EscapeDataString(done) : error is not null ? "?error=" + Uri.EscapeDataString(error) : ""));
}
