using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Http;

/// <summary>
/// One HTTP route of the system: its function name (the Functions app has one function per route with this
/// name), method, template, who may call it, and the handler. <see cref="LocalOnly"/> routes exist only in the
/// local host (the development sign-in and the mailbox). <see cref="Contract"/> is what an API route (<c>api/…</c>)
/// reads and answers, from which <see cref="OpenApiDocumentBuilder"/> writes <c>/api/openapi.json</c>.
/// </summary>
public sealed record RouteDef(string Name, string Method, string Template, Access Access, Func<RequestContext, Task<IResult>> Handler, bool LocalOnly = false)
{
    /// <summary>The class whose method handles the route (resolved from the request's services), when it has one.</summary>
    public Type? HandlerType { get; init; }

    /// <summary>The API route's request and response types and the problems it can answer; null for pages, forms and links.</summary>
    public ApiContract? Contract { get; init; }

    public static RouteDef For<THandler>(string name, string method, string template, Access access, Func<THandler, RequestContext, Task<IResult>> handle, bool localOnly = false)
        where THandler : notnull =>
        new(name, method, template, access, ctx => handle(ctx.Services.GetRequiredService<THandler>(), ctx), localOnly) { HandlerType = typeof(THandler) };
}
