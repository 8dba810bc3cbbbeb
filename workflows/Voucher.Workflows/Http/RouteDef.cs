using Microsoft.Extensions.DependencyInjection;

namespace Voucher.Workflows.Http;

/// <summary>
/// One HTTP route of the system: its function name (the Functions app has one function per route with this
/// name), method, template, who may call it, and the handler. <see cref="LocalOnly"/> routes exist only in the
/// local host (the development sign-in and the mailbox).
/// </summary>
public sealed record RouteDef(string Name, string Method, string Template, Access Access, Func<RequestContext, Task<IResult>> Handler, bool LocalOnly = false)
{
    public static RouteDef For<THandler>(string name, string method, string template, Access access, Func<THandler, RequestContext, Task<IResult>> handle, bool localOnly = false)
        where THandler : notnull =>
        new(name, method, template, access, ctx => handle(ctx.Services.GetRequiredService<THandler>(), ctx), localOnly);
}
