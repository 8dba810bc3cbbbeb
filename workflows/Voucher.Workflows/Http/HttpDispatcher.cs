using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Agencies;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Http;

/// <summary>
/// Runs a route's handler the same way in both hosts: reads route values from the template, reads the
/// principal (who signed in, acting through their active membership: <see cref="MembershipPrincipals"/>), enforces the
/// route's access rule, and turns domain errors into ProblemDetails. Every answer carries the
/// <see cref="SecurityHeaders"/>, and a request that acts must come from this site's own pages (its <c>Origin</c>).
/// </summary>
public sealed partial class HttpDispatcher(IPrincipalSource principals, MembershipPrincipals memberships, DelegationGuard delegations, SecurityHeaders security, ClientAddress clients, ILogger<HttpDispatcher> log)
{
    /// <summary>The origin a route's storage calls count under (<c>/dev/metrics</c>, the benchmark): <c>http:{name}</c>.</summary>
    public static string OriginOf(string routeName) => "http:" + routeName;

    public async Task<IResult> DispatchAsync(RouteDef route, HttpContext http, DurableTaskClient durable)
    {
        security.Apply(http);
        var values = new RouteValueDictionary();
        var matcher = new TemplateMatcher(TemplateParser.Parse(route.Template), new RouteValueDictionary());
        matcher.TryMatch(http.Request.Path, values);

        var isApi = route.Template.StartsWith("api/", StringComparison.Ordinal);
        SignedIn? signedIn;
        try
        {
            // The membership may be read from storage (when this host's cache has no fresh entry): storage that is down
            // is a temporary failure here as anywhere in a handler (503), not an unhandled error.
            signedIn = await memberships.ResolveAsync(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499);
        }
        catch (Exception e)
        {
            Log.HandlerFailed(log, route.Name, e);
            return TemporaryFailure(isApi, null);
        }

        var principal = signedIn?.Principal;
        if (security.CrossOriginRefusal(http.Request) is { } crossOrigin)
        {
            Log.Refused(log, route.Name, StatusCodes.Status403Forbidden, principal?.Address ?? "anonymous", clients.Of(http.Request), crossOrigin);
            return isApi
                ? Problems.Forbidden("请求不是从本网站发出的，已拒绝 (Cross-origin request refused: Origin must be this site)")
                : Pages.Error(principal, PageText.CrossOrigin, StatusCodes.Status403Forbidden);
        }

        var delegated = await delegations.ApplyAsync(route, http.Request, principal, http.RequestAborted);
        if (delegated.Refusal is not null)
        {
            Log.Refused(log, route.Name, StatusCodes.Status403Forbidden, principal?.Address ?? "anonymous", clients.Of(http.Request), delegated.Refusal);
            return isApi ? Problems.Forbidden(delegated.Refusal) : Pages.Forbidden(principal!, delegated.Refusal);
        }

        principal = delegated.Principal;
        if (!route.Access.Allows(principal) && !(principal is null && signedIn is not null && route.Access.AllowsWithoutMembership))
        {
            if (principal is null && signedIn is not null)
            {
                // Signed in, but no membership acts (none yet, or rejected or revoked): say so, and where to claim or choose one.
                Log.Refused(log, route.Name, StatusCodes.Status403Forbidden, "person without membership", clients.Of(http.Request), "no acting membership");
                return isApi ? Problems.Forbidden(PageText.NoMembershipApi) : Pages.View<MessagePage>("尚无可用身份", null,
                    new MessageModel(MessageKind.Forbidden, PageText.NoMembership, "/account", "查看我的身份"), StatusCodes.Status403Forbidden);
            }

            if (principal is null)
            {
                Log.Refused(log, route.Name, StatusCodes.Status401Unauthorized, "anonymous", clients.Of(http.Request), "sign-in required");
                return isApi ? Problems.Unauthorized() : Pages.SignInRequired(principals.AllowsDevelopmentSignIn, http.Request.Path);
            }

            if (!principal.Verified && route.Access.Roles.Contains(principal.Role))
            {
                Log.Refused(log, route.Name, StatusCodes.Status403Forbidden, principal.Address, clients.Of(http.Request), "membership pending verification");
                return isApi ? Problems.Forbidden(PageText.PendingApi) : Pages.Forbidden(principal, PageText.Pending(principal.Role));
            }

            var agencyMayAct = principal.Role == Role.Agency && DelegationActions.IsDelegable(route.Name);
            var detail = $"角色 {RoleNames.Chinese(principal.Role)} 不能访问此功能 (Allowed: {route.Access.Description})" +
                (agencyMayAct ? $"；代理机构请用 {ActingFor.HeaderName} 指明委托方 (agencies name the party they act for)" : "");
            Log.Refused(log, route.Name, StatusCodes.Status403Forbidden, principal.Address, clients.Of(http.Request), detail);
            return isApi ? Problems.Forbidden(detail) : Pages.Forbidden(principal, PageText.NotAllowed(principal.Role, agencyMayAct));
        }

        using var acting = delegated.Acting is null ? null : ActingContext.Enter(delegated.Acting);
        try
        {
            using var origin = StorageMetrics.Attribute(OriginOf(route.Name));
            var result = await route.Handler(new RequestContext(http, values, principal, durable));
            if (result is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 and var status })
            {
                // What the caller did wrong, in one place for every route: ProblemDetails carry the rule and the fields.
                Log.Refused(log, route.Name, status, principal?.Address ?? "anonymous", clients.Of(http.Request), Problems.Describe(result));
            }

            return result;
        }
        catch (DomainException e)
        {
            return isApi ? Problems.Unprocessable(e.Message) : Pages.Error(principal, e.Message, StatusCodes.Status422UnprocessableEntity);
        }
        catch (BadHttpRequestException e)
        {
            return isApi ? Problems.Validation("body", e.Message) : Pages.Error(principal, PageText.UnreadableRequest, StatusCodes.Status400BadRequest);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499);
        }
        catch (Exception e)
        {
            Log.HandlerFailed(log, route.Name, e);
            return TemporaryFailure(isApi, principal);
        }
    }

    static IResult TemporaryFailure(bool isApi, VoucherPrincipal? principal) =>
        isApi
            ? Results.Problem(title: "系统暂时无法处理，请稍后重试 (Temporary failure; please retry)", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Pages.Error(principal, PageText.TemporaryFailure, StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// The answer to a path no route serves (the hosts' fallback): under <c>/api/</c> a ProblemDetails 404 as every API
    /// error; otherwise the branded "not found" page inside the layout, with the signed-in person in the header.
    /// </summary>
    public async Task<IResult> NotFound(HttpContext http)
    {
        security.Apply(http);
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.NotFound("未找到该接口 (No such API route)");
        }

        VoucherPrincipal? principal = null;
        try
        {
            principal = (await memberships.ResolveAsync(http))?.Principal;
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Storage down: the "not found" page still answers, without the person in the header.
            Log.HandlerFailed(log, "NotFound", e);
        }

        return Pages.NotFound(principal, PageText.NoSuchPage);
    }

    /// <summary>What pages say when the dispatcher refuses or fails (the API keeps its bilingual ProblemDetails).</summary>
    public static class PageText
    {
        public const string NoSuchPage = "您访问的页面不存在或已被移除。";

        public const string UnreadableRequest = "提交的内容无法读取，请返回上一页重新填写后提交。";

        public const string TemporaryFailure = "系统暂时无法处理您的请求，请稍后重试。";

        public const string NoMembership = "您已登录，但还没有可用的身份（或您的身份已被驳回、撤销）。企业和服务机构的人员可以认领本单位，工作人员请使用管理员发来的邀请链接。";

        public const string NoMembershipApi = "您已登录，但没有可用的身份 (Signed in without an acting membership: claim a party or accept an invitation)";

        public const string PendingApi = "您的身份正在等待审核，审核通过前不能办理此事项 (Membership pending verification)";

        public static string Pending(Role role) => $"您的身份（{RoleNames.Chinese(role)}）正在等待审核。审核通过前可以填写资料，但不能办理此事项。";

        public const string CrossOrigin = "此次提交不是从本网站的页面发出的，系统已拒绝，未做任何更改。请打开本网站的页面重新填写后提交。";

        public static string NotAllowed(Role role, bool agencyMayAct) =>
            $"您当前的身份（{RoleNames.Chinese(role)}）不能使用此功能。" + (agencyMayAct ? "代理机构请先在“委托方”页面选择所代理的企业或机构，再办理此事项。" : "");
    }

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 1, Level = LogLevel.Error, Message = "Handler of route '{RouteName}' failed")]
        public static partial void HandlerFailed(ILogger logger, string routeName, Exception exception);

        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 2, Level = LogLevel.Information, Message = "Request to route '{RouteName}' refused with {Status} for {Caller} from {ClientAddress}: {Reason}")]
        public static partial void Refused(ILogger logger, string routeName, int status, string caller, string clientAddress, string reason);
    }
}
