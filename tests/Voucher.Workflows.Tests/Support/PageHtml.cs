namespace Voucher.Workflows.Tests.Support;

/// <summary>The HTML a handler's page result writes, executed as a host would with the application's services.</summary>
public static class PageHtml
{
    public static async Task<string> RenderAsync(IResult result, IServiceProvider services)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        return Encoding.UTF8.GetString(body.ToArray());
    }

    public static async Task<string> RenderAsync(Task<IResult> result, IServiceProvider services) => await RenderAsync(await result, services);

    /// <summary>For handlers built without the application's container: the renderer and a signed-out host only.</summary>
    public static Task<string> RenderAsync(IResult result) => RenderAsync(result, Minimal);

    static readonly IServiceProvider Minimal = new ServiceCollection()
        .AddLogging()
        .AddSingleton<Voucher.Workflows.Web.PageRenderer>()
        .AddSingleton(Mock.Of<IPrincipalSource>())
        .BuildServiceProvider();
}
