namespace Voucher.Workflows.Web;

/// <summary>What the layout shows around every page.</summary>
public sealed record ShellModel(string Title, VoucherPrincipal? Principal, int Unread, bool DevelopmentSignIn, string ReturnPath, string? Done, string? Error)
{
    public static ShellModel For(string title, VoucherPrincipal? principal, HttpRequest request, int unread, bool developmentSignIn) =>
        new(title, principal, unread, developmentSignIn, request.Path + request.QueryString,
            request.Query["done"].ToString() is { Length: > 0 and < 200 } done ? done : null,
            request.Query["error"].ToString() is { Length: > 0 and < 300 } error ? error : null);

    /// <summary>Where the sign-in link leads: the development sign-in in the local host, the platform's otherwise.</summary>
    public string SignInHref => DevelopmentSignIn ? "/dev/signin?returnUrl=" + Uri.EscapeDataString(ReturnPath) : "/.auth/login/aad";
}
