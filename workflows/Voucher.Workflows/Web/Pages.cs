using Microsoft.AspNetCore.Components;

namespace Voucher.Workflows.Web;

/// <summary>
/// How handlers answer with a page: a Razor component inside the one layout (<see cref="Shell"/>), and the shared
/// answers (sign-in required, forbidden, not found, cannot complete) as pages within the layout with a way back.
/// </summary>
public static class Pages
{
    /// <summary>The page <typeparamref name="TComponent"/>; <paramref name="model"/>, when given, is its <c>Model</c> parameter.</summary>
    public static IResult View<TComponent>(string title, VoucherPrincipal? principal, object? model = null, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new PageResult(title, principal, typeof(TComponent), model is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Model"] = model }, statusCode);

    /// <summary>The page <typeparamref name="TComponent"/> with named parameters.</summary>
    public static IResult View<TComponent>(string title, VoucherPrincipal? principal, IReadOnlyDictionary<string, object?> parameters, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new PageResult(title, principal, typeof(TComponent), parameters, statusCode);

    public static IResult SignInRequired(bool developmentSignIn, string returnPath) =>
        View<MessagePage>("请先登录", null, new MessageModel(MessageKind.SignIn, "此页面需要登录后使用。",
            developmentSignIn ? "/dev/signin?returnUrl=" + Uri.EscapeDataString(returnPath) : "/signin", developmentSignIn ? "登录（开发环境）" : "统一身份认证登录"), StatusCodes.Status401Unauthorized);

    public static IResult Forbidden(VoucherPrincipal principal, string detail) =>
        View<MessagePage>("无权访问", principal, new MessageModel(MessageKind.Forbidden, detail), StatusCodes.Status403Forbidden);

    public static IResult Error(VoucherPrincipal? principal, string message, int statusCode) =>
        View<MessagePage>(statusCode >= 500 ? "系统暂时无法处理" : "无法完成", principal, new MessageModel(statusCode >= 500 ? MessageKind.ServerError : MessageKind.Refused, message), statusCode);

    public static IResult NotFound(VoucherPrincipal? principal, string what) =>
        View<MessagePage>("未找到", principal, new MessageModel(MessageKind.NotFound, what), StatusCodes.Status404NotFound);
}

public enum MessageKind
{
    SignIn,
    Forbidden,
    NotFound,
    Refused,
    ServerError,
}

/// <summary>A page that says one thing and offers a way on: sign in, back home.</summary>
public sealed record MessageModel(MessageKind Kind, string Message, string? ActionHref = null, string? ActionText = null);
