using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Web;

/// <summary>
/// A page as an <see cref="IResult"/>: the component and its parameters, rendered inside the layout when the host
/// writes the response. The layout adds what every page shows: the signed-in person, the unread count, and the result
/// line of the form post that led here (<c>?done=</c> / <c>?error=</c>).
/// </summary>
public sealed class PageResult(string title, VoucherPrincipal? principal, Type component, IReadOnlyDictionary<string, object?> parameters, int statusCode)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public string Title { get; } = title;

    public Type Component { get; } = component;

    public IReadOnlyDictionary<string, object?> Parameters { get; } = parameters;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "text/html; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var counter = services.GetService<IUnreadCounter>();
        var unread = principal is null || counter is null ? 0 : await counter.CountAsync(principal, httpContext.RequestAborted);
        var (personName, choices) = Accounts.SignedIn.Of(httpContext) is not null && services.GetService<Accounts.MembershipSwitcher>() is { } switcher ? await switcher.ForHeaderAsync(httpContext) : (null, []);
        var shell = ShellModel.For(Title, principal, httpContext.Request, unread, services.GetService<IPrincipalSource>()?.AllowsDevelopmentSignIn ?? false)
            with { Wide = typeof(IWidePage).IsAssignableFrom(Component), PersonName = personName, Memberships = choices };
        var html = await services.GetRequiredService<PageRenderer>().RenderPageAsync(shell, Component, Parameters);
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.Headers.CacheControl = "no-store";
        await httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
    }
}

/// <summary>A page whose tables need the wide layout (officers' work lists, batch review, notices): <c>@implements IWidePage</c>.</summary>
public interface IWidePage;

/// <summary>How many unread notifications the signed-in person has (the header's badge).</summary>
public interface IUnreadCounter
{
    Task<int> CountAsync(VoucherPrincipal principal, CancellationToken ct);
}
