namespace Voucher.Security.Tests;

/// <summary>
/// URLs no route serves, on the local host: pages answer the branded "not found" page inside the layout (a way home, no
/// stack trace); API paths keep a ProblemDetails 404 as every API error.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class UnknownUrlTests(SecurityHost host)
{
    [Theory]
    [InlineData("no/such/page")]
    [InlineData("portal/nothing-here?x=<script>")]
    [InlineData("favicon.ico")]
    public async Task Unknown_page_gets_the_branded_not_found_page(string path)
    {
        using var response = await host.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>未找到</h1>", body, StringComparison.Ordinal);
        Assert.Contains("您访问的页面不存在或已被移除。", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">返回首页</a>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_path_gets_a_problem_details_404()
    {
        using var response = await host.Http.GetAsync("api/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_routes_are_not_shadowed_by_the_fallback()
    {
        using var guide = await host.Http.GetAsync("guide");
        using var api = await host.Http.GetAsync("api/stats/redemptions");

        Assert.Equal(HttpStatusCode.OK, guide.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
