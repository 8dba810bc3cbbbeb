using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Web;

/// <summary>
/// The one shared layout of every server-rendered page: Chinese first, English where cheap, readable on a
/// phone, keyboard-usable (skip link, visible focus, labelled controls).
/// </summary>
public static class Pages
{
    const string Css = """
        :root{--ink:#1f2933;--muted:#52606d;--brand:#a61b1b;--line:#d9e2ec;--bg:#f5f7fa;--ok:#1e7b34;--warn:#9a5b00}
        *{box-sizing:border-box}body{margin:0;font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg);line-height:1.6}
        a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0b429;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
        header{background:var(--brand);color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
        header a{color:#fff}header .brand{font-weight:700;font-size:1.1rem;text-decoration:none}header nav{display:flex;gap:1rem;flex-wrap:wrap}
        header .who{margin-left:auto;font-size:.9rem}
        main{max-width:60rem;margin:1rem auto;padding:0 1rem}section.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin-bottom:1rem}
        h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:.2rem 0 .6rem}
        .table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
        th{background:#eef2f7}.muted{color:var(--muted)}.ok{color:var(--ok)}.warn{color:var(--warn);font-weight:600}.provisional{display:inline-block;padding:0 .35em;border:1px solid var(--warn);border-radius:3px;color:var(--warn);font-size:.85em}.error{color:#b00020;font-weight:600}
        label{display:block;font-weight:600;margin:.6rem 0 .2rem}input,select,textarea{font:inherit;padding:.4rem;border:1px solid #9aa5b1;border-radius:4px;width:100%;max-width:32rem}
        button{font:inherit;padding:.5rem 1.1rem;border-radius:4px;border:1px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer;margin:.6rem .6rem 0 0}
        button.secondary{background:#fff;color:#0b4f9c}button.danger{background:#b00020;border-color:#b00020}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        footer{text-align:center;color:var(--muted);font-size:.85rem;padding:2rem 1rem}
        @media (max-width:40rem){main{padding:0 .5rem}section.card{padding:.75rem}table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.4rem 0}table.stack td{display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem;border:0;padding:.15rem .25rem;overflow-wrap:anywhere}
        table.stack td::before{content:attr(data-label);color:var(--muted);font-weight:600}}
        """;

    public static IResult Page(string title, string body, VoucherPrincipal? principal, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(Render(title, body, principal), "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);

    public static string Render(string title, string body, VoucherPrincipal? principal)
    {
        var who = principal is null
            ? $"<a href=\"/signin\">登录 Sign in</a>"
            : $"{E(RoleNames.Chinese(principal.Role))} · {E(principal.DisplayName)}{(principal.Scope is null ? "" : $" ({E(principal.Scope)})")}{(principal.Role == Role.Agency || principal.Agency is not null ? " · <a href=\"/portal/agency\">委托方 Parties</a>" : "")} · <a href=\"/signout\">退出 Sign out</a>";
        return $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · 山西省科技创新券</title>
            <style>{{Css}}</style>
            </head>
            <body>
            <a class="skip" href="#main">跳到正文 Skip to content</a>
            <header>
            <a class="brand" href="/">山西省科技创新券 Voucher</a>
            <nav aria-label="主导航 Main"><a href="/">首页 Home</a><a href="/inbox">通知 Inbox</a><a href="/publicity">公示 Publicity</a><a href="/catalogue">服务目录 Catalogue</a><a href="/guide">政策指南 Guide</a></nav>
            <div class="who">{{who}}</div>
            </header>
            <main id="main">
            <h1>{{E(title)}}</h1>
            {{body}}
            </main>
            <footer>山西省科技资源与大型仪器开放共享中心 · Shanxi S&amp;T innovation vouchers</footer>
            </body>
            </html>
            """;
    }

    public static IResult SignInRequired(bool developmentSignIn, string returnPath) =>
        Page(
            "请先登录 Sign-in required",
            developmentSignIn
                ? $"<section class=\"card\"><p>此页面需要登录。This page needs you to sign in.</p><p>{Link("/dev/signin?returnUrl=" + Uri.EscapeDataString(returnPath), "开发环境登录 Development sign-in")}</p></section>"
                : "<section class=\"card\"><p>此页面需要登录。This page needs you to sign in.</p><p><a href=\"/.auth/login/aad\">统一身份认证登录 Sign in</a></p></section>",
            null,
            StatusCodes.Status401Unauthorized);

    public static IResult Forbidden(VoucherPrincipal principal, string detail) =>
        Page("无权访问 Forbidden", $"<section class=\"card\"><p class=\"error\">{E(detail)}</p></section>", principal, StatusCodes.Status403Forbidden);

    public static IResult Error(VoucherPrincipal? principal, string message, int statusCode) =>
        Page("无法完成 Cannot complete", $"<section class=\"card\"><p class=\"error\" role=\"alert\">{E(message)}</p><p>{Link("/", "返回首页 Back to home")}</p></section>", principal, statusCode);

    public static IResult NotFound(VoucherPrincipal? principal, string what) =>
        Page("未找到 Not found", $"<section class=\"card\"><p>{E(what)}</p></section>", principal, StatusCodes.Status404NotFound);
}
