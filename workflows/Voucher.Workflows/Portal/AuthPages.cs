using Voucher.Workflows.Web;

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
            return Pages.Error(ctx.Principal, "登录尝试过于频繁，请一分钟后再试。", StatusCodes.Status429TooManyRequests);
        }

        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.Aborted) : null;
        var roleValue = form?["role"].ToString();
        var scope = form?["scope"].ToString().Trim() ?? "";
        var name = form?["name"].ToString().Trim() ?? "";
        var returnUrl = form?["returnUrl"].ToString() ?? "";
        if (!RoleNames.TryParse(roleValue, out var role))
        {
            return Form(ctx, "role", "请选择角色。", returnUrl, StatusCodes.Status400BadRequest, scope, name);
        }

        string? normalizedScope = null;
        switch (role)
        {
            case Role.Enterprise:
                if (!Uscc.TryValidate(scope, out var uscc, out var error))
                {
                    return Form(ctx, "scope", Glossary.ChineseOnly(error ?? "统一社会信用代码无效。"), returnUrl, StatusCodes.Status400BadRequest, scope, name, roleValue);
                }

                normalizedScope = uscc;
                break;
            case Role.CityBureau or Role.FinanceBureau:
                if (!Cities.TryGet(scope, out var city))
                {
                    return Form(ctx, "scope", "请填写地市代码，如 taiyuan（太原市）。", returnUrl, StatusCodes.Status400BadRequest, scope, name, roleValue);
                }

                normalizedScope = city.Code;
                break;
            case Role.Institution or Role.Agency or Role.Expert:
                if (scope.Length is 0 or > 64)
                {
                    return Form(ctx, "scope", "请填写机构、代理机构或专家的编号（不超过 64 个字符）。", returnUrl, StatusCodes.Status400BadRequest, scope, name, roleValue);
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
        Pages.NotFound(ctx.Principal, "开发环境登录仅在本地模式可用。");

    static IResult Form(RequestContext ctx, string? errorField, string? error, string returnUrl, int status, string scope = "", string name = "", string? role = null)
    {
        var errors = errorField is null ? [] : new List<FieldError> { new(errorField, error ?? "") };
        var selected = role ?? ctx.Request.Query["role"].ToString();
        return Pages.View<DevSignInForm>("开发环境登录", ctx.Principal, new DevSignInModel(selected, scope, name, returnUrl, errors), status);
    }
}

/// <summary>The development sign-in form: what was chosen and typed, and the message of a refused post.</summary>
public sealed record DevSignInModel(string? SelectedRole, string Scope, string Name, string ReturnUrl, IReadOnlyList<FieldError> Errors)
{
    /// <summary>Each role with the scope it takes, as the form explains it.</summary>
    public static IReadOnlyList<(string Value, string Name, string Scope)> Roles { get; } =
        Enum.GetValues<Security.Role>().Select(r => (RoleNames.ClaimValue(r), RoleNames.Chinese(r), r switch
        {
            Security.Role.Enterprise => "统一社会信用代码",
            Security.Role.CityBureau or Security.Role.FinanceBureau => "地市代码，如 taiyuan",
            Security.Role.Institution => "服务机构编号，如 inst-czmc",
            Security.Role.Agency => "代理机构编号，如 demo-agency",
            Security.Role.Expert => "专家编号",
            _ => "无需填写",
        })).ToList();
}
