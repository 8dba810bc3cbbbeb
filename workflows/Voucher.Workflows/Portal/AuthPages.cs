using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Portal;

/// <summary>
/// Sign-in and sign-out. In Azure they hand over to App Service Authentication; in the local host a
/// development sign-in issues the same principal shape. The development pages refuse to work in production.
/// </summary>
public sealed class AuthPages(IPrincipalSource principals, PublicRateLimiter limiter)
{
    public Task<IResult> SignInAsync(RequestContext ctx) =>
        Task.FromResult(principals.AllowsDevelopmentSignIn
            ? Results.Redirect("/dev/signin")
            : Results.Redirect("/.auth/login/aad?post_login_redirect_uri=/"));

    public Task<IResult> SignOutAsync(RequestContext ctx)
    {
        if (!principals.AllowsDevelopmentSignIn)
        {
            return Task.FromResult(Results.Redirect("/.auth/logout?post_logout_redirect_uri=/"));
        }

        ctx.Http.Response.Cookies.Delete(DevelopmentPrincipalSource.CookieName);
        return Task.FromResult(Results.Redirect("/"));
    }

    public Task<IResult> DevSignInFormAsync(RequestContext ctx)
    {
        if (principals is not DevelopmentPrincipalSource)
        {
            return Task.FromResult(DevOnly(ctx));
        }

        return Task.FromResult(Form(ctx, null, null, ctx.Request.Query["returnUrl"].ToString(), StatusCodes.Status200OK));
    }

    public async Task<IResult> DevSignInAsync(RequestContext ctx)
    {
        if (principals is not DevelopmentPrincipalSource dev)
        {
            return DevOnly(ctx);
        }

        if (!limiter.TryAcquire(ctx.Request, "signin"))
        {
            return Pages.Error(ctx.Principal, "登录尝试过于频繁，请一分钟后再试 (Too many sign-in attempts; try again in a minute)", StatusCodes.Status429TooManyRequests);
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        var roleValue = form?["role"].ToString();
        var scope = form?["scope"].ToString().Trim() ?? "";
        var name = form?["name"].ToString().Trim() ?? "";
        var returnUrl = form?["returnUrl"].ToString() ?? "";
        if (!RoleNames.TryParse(roleValue, out var role))
        {
            return Form(ctx, "role", "请选择角色 (Choose a role)", returnUrl, StatusCodes.Status400BadRequest, scope, name);
        }

        string? normalizedScope = null;
        switch (role)
        {
            case Role.Enterprise:
                if (!Uscc.TryValidate(scope, out var uscc, out var error))
                {
                    return Form(ctx, "scope", error ?? "统一社会信用代码无效", returnUrl, StatusCodes.Status400BadRequest, scope, name);
                }

                normalizedScope = uscc;
                break;
            case Role.CityBureau or Role.FinanceBureau:
                if (!Cities.TryGet(scope, out var city))
                {
                    return Form(ctx, "scope", "请填写地市代码，如 taiyuan (A city code such as taiyuan)", returnUrl, StatusCodes.Status400BadRequest, scope, name);
                }

                normalizedScope = city.Code;
                break;
            case Role.Institution or Role.Agency or Role.Expert:
                if (scope.Length is 0 or > 64)
                {
                    return Form(ctx, "scope", "请填写机构或专家编号 (An id is required)", returnUrl, StatusCodes.Status400BadRequest, scope, name);
                }

                normalizedScope = scope;
                break;
        }

        var displayName = name.Length is > 0 and <= 50 ? name : RoleNames.Chinese(role);
        var principal = new VoucherPrincipal($"dev:{RoleNames.ClaimValue(role)}:{normalizedScope}", displayName, role, normalizedScope);
        ctx.Http.Response.Cookies.Append(DevelopmentPrincipalSource.CookieName, dev.CreateCookieValue(principal),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        return Results.Redirect(IsLocalPath(returnUrl) ? returnUrl : "/");
    }

    static bool IsLocalPath(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');

    static IResult DevOnly(RequestContext ctx) =>
        Pages.Error(ctx.Principal, "开发环境登录仅在本地模式可用 (Development sign-in works only in local mode)", StatusCodes.Status404NotFound);

    static IResult Form(RequestContext ctx, string? errorField, string? error, string returnUrl, int status, string scope = "", string name = "")
    {
        string Err(string field) => errorField == field ? $"<p class=\"error\" id=\"{field}-error\" role=\"alert\">{E(error)}</p>" : "";
        var options = string.Concat(Enum.GetValues<Role>().Select(r => $"<option value=\"{RoleNames.ClaimValue(r)}\">{E(RoleNames.Chinese(r))} ({RoleNames.ClaimValue(r)})</option>"));
        var body = $$"""
            <section class="card">
            <p>本地开发环境登录：选择角色和范围，生成与 Azure 统一身份认证相同结构的身份。Development sign-in (local mode only).</p>
            <form method="post" action="/dev/signin">
            <input type="hidden" name="returnUrl" value="{{Attr(returnUrl)}}">
            <label for="role">角色 Role</label>{{Err("role")}}
            <select id="role" name="role">{{options}}</select>
            <label for="scope">范围 Scope（企业：统一社会信用代码；市科技局/财政局：地市代码如 taiyuan；机构：机构编号；代理机构：代理机构编号）</label>{{Err("scope")}}
            <input id="scope" name="scope" value="{{Attr(scope)}}" autocomplete="off">
            <label for="name">显示名称 Display name</label>
            <input id="name" name="name" value="{{Attr(name)}}" autocomplete="off">
            <div><button type="submit">登录 Sign in</button></div>
            </form>
            </section>
            """;
        return Pages.Page("开发环境登录 Development sign-in", body, ctx.Principal, status);
    }
}
