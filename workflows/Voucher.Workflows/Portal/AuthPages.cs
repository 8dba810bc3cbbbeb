using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Web;

namespace Voucher.Workflows.Portal;

/// <summary>
/// Sign-in and sign-out. In Azure they hand over to App Service Authentication (the configured provider's login); in the
/// local host a development sign-in says who signed in (the same principal shape) and grants the membership it names
/// through the same <see cref="IMemberships"/> as production, so the membership paths run in tests. The development pages
/// refuse to work in production.
/// </summary>
public sealed class AuthPages(IPrincipalSource principals, PublicRateLimiter limiter)
{
    /// <summary>Who granted a membership through the development sign-in (its audit entries say so).</summary>
    public const string DevelopmentGrant = "development-sign-in";

    /// <summary>The form's role value for signing in as a person without any membership.</summary>
    public const string NoRole = "none";

    public Task<IResult> SignInAsync(RequestContext ctx)
    {
        var back = ctx.Request.Query["returnUrl"].ToString() is var asked && IsLocalPath(asked) ? asked : null;
        return Task.FromResult(principals switch
        {
            AppServiceAuthPrincipalSource platform => Results.Redirect(platform.LoginPath + "?post_login_redirect_uri=" + Uri.EscapeDataString(back ?? "/")),
            _ => Results.Redirect(back is null ? "/dev/signin" : "/dev/signin?returnUrl=" + Uri.EscapeDataString(back)),
        });
    }

    public Task<IResult> SignOutAsync(RequestContext ctx)
    {
        if (!principals.AllowsDevelopmentSignIn)
        {
            MembershipPrincipals.Forget(ctx.Http);
            return Task.FromResult(Results.Redirect("/.auth/logout?post_logout_redirect_uri=/"));
        }

        ctx.Http.Response.Cookies.Delete(DevelopmentPrincipalSource.CookieName);
        MembershipPrincipals.Forget(ctx.Http);
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
        var person = form?["person"].ToString().Trim() ?? "";
        var pending = form?["pending"].ToString() is "1" or "on" or "true";
        if (roleValue == NoRole)
        {
            // A person without any membership: an invitee before accepting, a person about to claim an enterprise.
            var bare = new SignedInIdentity(DevelopmentSubject(person.Length > 0 ? person : "none|" + name), name.Length is > 0 and <= 50 ? name : "访客", null);
            await ctx.Services.GetRequiredService<MembershipStore>().EnsurePersonAsync(bare.Subject, bare.Name, null, ctx.Aborted);
            ctx.Http.Response.Cookies.Append(DevelopmentPrincipalSource.CookieName, dev.CreateCookieValue(bare),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
            MembershipPrincipals.Forget(ctx.Http);
            return Results.Redirect(IsLocalPath(returnUrl) ? returnUrl : "/account");
        }

        if (!RoleNames.TryParse(roleValue, out var role))
        {
            return Form(ctx, "role", "请选择角色。", returnUrl, StatusCodes.Status400BadRequest, scope, name, null, person, pending);
        }

        if (person.Length > 50)
        {
            return Form(ctx, "person", "人员标识不超过 50 个字符。", returnUrl, StatusCodes.Status400BadRequest, scope, name, roleValue, person, pending);
        }

        if (!PartyScopes.TryNormalize(role, scope, out var normalizedScope, out var scopeError))
        {
            return Form(ctx, "scope", scopeError!, returnUrl, StatusCodes.Status400BadRequest, scope, name, roleValue, person, pending);
        }

        // Resolved here, after the development-only check: the Functions app composes these pages without touching storage.
        var memberships = ctx.Services.GetRequiredService<MembershipStore>();
        var displayName = name.Length is > 0 and <= 50 ? name : RoleNames.Chinese(role);
        var identity = new SignedInIdentity(DevelopmentSubject(person.Length > 0 ? person : $"{RoleNames.ClaimValue(role)}|{normalizedScope}|{displayName}"), displayName, null);
        await memberships.EnsurePersonAsync(identity.Subject, identity.Name, null, ctx.Aborted);
        var membership = await memberships.FindOfPersonAsync(identity.Subject, MembershipKeys.IdOf(identity.Subject, role, normalizedScope), ctx.Aborted);
        if (pending)
        {
            membership = await memberships.RequestAsync(identity.Subject, role, normalizedScope, DevelopmentGrant, ctx.Aborted);
        }
        else if (membership is not { State: MembershipState.Verified })
        {
            // The party's first member becomes its administrator, as a verified claim would.
            var party = await memberships.OfPartyAsync(role, normalizedScope, ctx.Aborted);
            membership = await memberships.GrantAsync(identity.Subject, role, normalizedScope, !party.Any(m => m.State == MembershipState.Verified && m.Administrator), DevelopmentGrant, ctx.Aborted);
        }

        ctx.Http.Response.Cookies.Append(DevelopmentPrincipalSource.CookieName, dev.CreateCookieValue(identity),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        MembershipPrincipals.Remember(ctx.Http, membership!.Id);
        return Results.Redirect(IsLocalPath(returnUrl) ? returnUrl : "/");
    }

    /// <summary>The development sign-in's subject: <c>dev:</c> and a stable hash of the person field (or of role, scope and name).</summary>
    public static string DevelopmentSubject(string who) => "dev:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(who)))[..16];

    static bool IsLocalPath(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');

    static IResult DevOnly(RequestContext ctx) =>
        Pages.NotFound(ctx.Principal, "开发环境登录仅在本地模式可用。");

    static IResult Form(RequestContext ctx, string? errorField, string? error, string returnUrl, int status, string scope = "", string name = "", string? role = null, string person = "", bool pending = false)
    {
        var errors = errorField is null ? [] : new List<FieldError> { new(errorField, error ?? "") };
        var selected = role ?? ctx.Request.Query["role"].ToString();
        return Pages.View<DevSignInForm>("开发环境登录", ctx.Principal, new DevSignInModel(selected, scope, name, returnUrl, errors) { Person = person, Pending = pending }, status);
    }
}

/// <summary>The development sign-in form: what was chosen and typed, and the message of a refused post.</summary>
public sealed record DevSignInModel(string? SelectedRole, string Scope, string Name, string ReturnUrl, IReadOnlyList<FieldError> Errors)
{
    /// <summary>Who signs in, when several sign-ins are one person (one person holding several memberships); empty: role, scope and name.</summary>
    public string Person { get; init; } = "";

    /// <summary>Sign in with a claim that waits for verification instead of a verified membership.</summary>
    public bool Pending { get; init; }

    /// <summary>Each role with the scope it takes, as the form explains it.</summary>
    public static IReadOnlyList<(string Value, string Name, string Scope)> Roles { get; } =
        Enum.GetValues<Security.Role>().Select(r => (RoleNames.ClaimValue(r), RoleNames.Chinese(r), PartyScopes.Hint(r))).ToList();
}
