using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Voucher.Domain;
using Voucher.Workflows.Http;

namespace Voucher.Browser.Tests;

public sealed partial class PortalWorkBrowserTests
{
    /// <summary>
    /// GET page routes the crawl cannot reach, with the reason. Keep it short: a page that no link leads to is itself
    /// a finding (a person could not find it either), and a new page is checked automatically once a page links to it.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> KnownUnreachable = new Dictionary<string, string>
    {
        ["StaticAsset"] = "the stylesheet and the script, referenced by every page's <link> and <script>, not pages",
        ["PortalViolation"] = "this scenario records no violation; EnforcementBrowserTests opens a recorded violation's page (axe, 390 px)",
        ["PortalViolationEvidence"] = "a file download of a recorded violation, linked from its page (EnforcementBrowserTests)",
        ["Invitation"] = "an invitation link is sent to the invitee, not linked from a page; AccountsBrowserTests opens one (axe, 390 px)",
        ["PortalClaim"] = "a claimant's own claim, linked from their claims page; the crawl's people claim nothing (OnboardingBrowserTests opens one, axe)",
    };

    /// <summary>Who the crawl signs in as, and where it starts (every parameterless GET route the identity may call is added).</summary>
    private sealed record Identity(string Label, string? Role, string? Scope, string DisplayName, int MaxPages = 40);

    private const int MaxAttemptsPerRoute = 8;

    private sealed record Visit(string Identity, string Route, string Url, int Status, string Outcome, int Blocking);

    /// <summary>What a person must never meet on a page: links into the API, internal names, sideways scrolling, 5xx.</summary>
    private readonly StringBuilder contentFindings = new();

    /// <summary>Routes whose pages are kept as screenshots (desktop and phone) for each identity that reaches them.</summary>
    private static readonly HashSet<string> ScreenshotRoutes = ["Home", "PortalApplication", "PortalRedemption", "PortalVoucher", "PublicityPage"];

    /// <summary>
    /// State and kind names of the glossary that must never show as text (portal.md "Language"): a page names them in
    /// Chinese. Case-sensitive whole words, so Chinese text and ordinary data do not match.
    /// </summary>
    private static readonly Regex InternalNames = new(@"\b(" + string.Join("|", new[]
    {
        Enum.GetNames<ApplicationStatus>(), Enum.GetNames<RedemptionStatus>(), Enum.GetNames<VoucherStatus>(), Enum.GetNames<BatchStage>(),
        Enum.GetNames<ObjectionStatus>(), Enum.GetNames<SettlementCadence>(), Enum.GetNames<ClawBackStatus>(), Enum.GetNames<EvidenceKind>(),
        ["micro", "small", "medium", "CityBureau", "FinanceBureau"],
    }.SelectMany(n => n).Distinct()) + @")\b", RegexOptions.CultureInvariant);

    /// <summary>A principal id (the development sign-in's or a party address such as institution:inst-czmc).</summary>
    private static readonly Regex PrincipalIds = new(@"\b(dev|enterprise|institution|agency|city-bureau|finance-bureau|expert|province):[\w-]+", RegexOptions.CultureInvariant);

    private const int PhoneWidth = 390;

    /// <summary>What Chromium writes to the console when a page breaks the Content-Security-Policy (issue #19).</summary>
    private const string CspConsoleMarker = "Content Security Policy";

    /// <summary>The console's CSP reports of every page the crawl opens, with the identity and URL.</summary>
    private readonly List<string> cspViolations = [];

    /// <summary>Records the page's console lines that report a CSP violation.</summary>
    private void ListenForCspViolations(IPage page, string label) =>
        page.Console += (_, message) =>
        {
            if (message.Text.Contains(CspConsoleMarker, StringComparison.Ordinal))
            {
                lock (cspViolations)
                {
                    cspViolations.Add($"{label} {page.Url}: {message.Text}");
                }
            }
        };

    [Fact]
    public Task Every_page_route_reached_by_links_as_each_role_has_no_serious_or_critical_axe_violations() => run.RunAsync(nameof(Every_page_route_reached_by_links_as_each_role_has_no_serious_or_critical_axe_violations), async () =>
    {
        var pageRoutes = VoucherRoutes.All.Where(r => r.Method == "GET" && !IsApi(r)).ToList();
        Identity[] identities =
        [
            new("anonymous", null, null, "", MaxPages: 80),
            new("enterprise (not registered yet)", "enterprise", TestUscc.New(), "新企业经办人", MaxPages: 1),
            new("enterprise (voucher used, redemption published)", "enterprise", site.PaidUscc, "企业经办人甲"),
            new("enterprise (redemption waiting for binding)", "enterprise", site.BindingUscc, "企业经办人乙"),
            new("enterprise (demo, with a service order)", "enterprise", LocalSite.FirstDemoEnterpriseUscc, "演示企业经办人"),
            new("institution", "institution", PortalScenarioFixture.InstitutionId, "山西大学分析测试中心"),
            new("city bureau", "city-bureau", "taiyuan", "太原市科技局审核员"),
            new("finance bureau", "finance-bureau", "taiyuan", "太原市财政局"),
            new("province centre", "province", null, "省中心督查员"),
            new("expert", "expert", PortalScenarioFixture.ExpertId, "李专家"),
            new("agency", "agency", PortalScenarioFixture.AgencyId, "晋科代理"),
        ];

        var visits = new List<Visit>();
        var findings = new StringBuilder();
        foreach (var identity in identities)
        {
            var page = await run.NewPageAsync();
            ListenForCspViolations(page, identity.Label);
            if (identity.Role is not null)
            {
                await Portal.SignInAsync(page, identity.Role, identity.Scope, identity.DisplayName);
            }

            var principalRole = identity.Role is null ? (Voucher.Workflows.Security.Role?)null : ParseRole(identity.Role);
            var seeds = new List<string> { "/" };
            seeds.AddRange(pageRoutes.Where(r => !r.Template.Contains('{', StringComparison.Ordinal) && (identity.Role is null ? r.Access.Anonymous : !r.Access.Anonymous && principalRole is { } role && r.Access.Roles.Contains(role)))
                .Select(r => "/" + r.Template));
            await CrawlAsync(page, identity, seeds, pageRoutes, visits, findings);
            run.Step($"{identity.Label}: {visits.Count(v => v.Identity == identity.Label)} route(s) visited");
            await run.ClosePageAsync(page);
        }

        // Coverage: every GET page route was scanned with a 2xx answer, or answered with something other than a page.
        var report = new StringBuilder();
        var unreached = new List<string>();
        foreach (var route in pageRoutes)
        {
            var seen = visits.Where(v => v.Route == route.Name).ToList();
            var ok = seen.FirstOrDefault(v => v.Status is >= 200 and < 300 || v.Outcome.StartsWith("redirect", StringComparison.Ordinal));
            if (ok is not null)
            {
                report.AppendLine($"  {route.Name,-26} /{route.Template} — {ok.Outcome} ({ok.Status}) as {string.Join(", ", seen.Select(v => v.Identity).Distinct())}");
            }
            else if (KnownUnreachable.TryGetValue(route.Name, out var reason))
            {
                report.AppendLine($"  {route.Name,-26} /{route.Template} — not reached: {reason}");
            }
            else
            {
                unreached.Add($"{route.Name} (/{route.Template}){(seen.Count == 0 ? "" : ": answered " + string.Join(", ", seen.Select(v => $"{v.Status} to {v.Identity}")))}");
            }
        }

        foreach (var failed in visits.Where(v => v.Status >= 500))
        {
            contentFindings.AppendLine($"{failed.Identity} {failed.Route} ({Shorten(failed.Url)}): answered {failed.Status}");
        }

        // The listener hears a violation when there is one: an inline script added to the home page is refused and reported.
        var probePage = await run.NewPageAsync();
        var provoked = new List<string>();
        probePage.Console += (_, message) =>
        {
            if (message.Text.Contains(CspConsoleMarker, StringComparison.Ordinal))
            {
                lock (provoked)
                {
                    provoked.Add(message.Text);
                }
            }
        };
        await probePage.GotoAsync("/");
        var ran = await probePage.EvaluateAsync<bool>("() => { window.__inline = false; const s = document.createElement('script'); s.textContent = 'window.__inline = true'; document.body.appendChild(s); return window.__inline; }");
        await Eventually.UntilAsync(() => Task.FromResult(provoked.Count), n => n > 0, TimeSpan.FromSeconds(10), "the console reports the refused inline script");
        Assert.False(ran, "an inline script ran: the page's Content-Security-Policy does not forbid inline script");
        await run.ClosePageAsync(probePage);

        output.WriteLine($"{visits.Count} visits, {visits.Count(v => v.Outcome == "scanned")} axe scans over {pageRoutes.Count} GET page routes; {cspViolations.Count} CSP violation(s) in the console");
        foreach (var violation in cspViolations)
        {
            output.WriteLine("  CSP " + violation);
        }

        output.WriteLine(report.ToString());
        Assert.True(findings.Length == 0, "Serious or critical axe violations:" + Environment.NewLine + findings);
        Assert.True(cspViolations.Count == 0, "Content-Security-Policy violations in the console:" + Environment.NewLine + string.Join(Environment.NewLine, cspViolations));
        Assert.True(contentFindings.Length == 0, "Pages a person should not meet:" + Environment.NewLine + contentFindings);
        Assert.True(unreached.Count == 0,
            "GET page routes no link led to (link them from a page, or add them with the reason to KnownUnreachable):" + Environment.NewLine + string.Join(Environment.NewLine, unreached));
    });

    private async Task CrawlAsync(IPage page, Identity identity, IEnumerable<string> seeds, IReadOnlyList<RouteDef> pageRoutes, List<Visit> visits, StringBuilder findings)
    {
        var queue = new Queue<string>(seeds);
        var routesDone = new HashSet<string>(StringComparer.Ordinal);
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        var signedIn = identity.Role is not null;
        var pages = 0;
        while (queue.Count > 0 && pages < identity.MaxPages)
        {
            var url = queue.Dequeue();
            var route = Match(pageRoutes, new Uri(new Uri(site.BaseUrl), url).AbsolutePath);
            if (route is null || routesDone.Contains(route.Name) || (signedIn && route.Name == "SignOut"))
            {
                continue;
            }

            // Public pages look the same to everyone (only the header changes): scan them once, except each role's home.
            if (signedIn && route.Access.Anonymous && route.Name != "Home" && visits.Any(v => v.Route == route.Name && v.Status is >= 200 and < 400))
            {
                continue;
            }

            // A signed link found first may be used up already (another test decided it): try a few others of the route.
            attempts[route.Name] = attempts.GetValueOrDefault(route.Name) + 1;
            if (attempts[route.Name] >= MaxAttemptsPerRoute)
            {
                routesDone.Add(route.Name);
            }

            pages++;

            // Ask first (with the context's cookies) so files and JSON are not opened as pages.
            var probe = await page.Context.APIRequest.GetAsync(url, new() { MaxRedirects = 0 });
            var contentType = probe.Headers.TryGetValue("content-type", out var type) ? type : "";
            var status = probe.Status;
            if (status is >= 300 and < 400)
            {
                var location = probe.Headers.TryGetValue("location", out var l) ? l : "";
                routesDone.Add(route.Name);
                visits.Add(new Visit(identity.Label, route.Name, url, status, $"redirect to {location}", 0));
                queue.Enqueue(location);
                continue;
            }

            if (contentType.StartsWith("text/html", StringComparison.Ordinal) &&
                (!probe.Headers.TryGetValue("content-security-policy", out var csp) || csp != SecurityHeaders.PageContentSecurityPolicy))
            {
                contentFindings.AppendLine($"{identity.Label} {route.Name} ({Shorten(url)}): page without the portal's Content-Security-Policy (got '{csp}')");
            }

            if (!contentType.StartsWith("text/html", StringComparison.Ordinal))
            {
                routesDone.Add(route.Name);
                visits.Add(new Visit(identity.Label, route.Name, url, status, $"not a page ({contentType})", 0));
                continue;
            }

            var response = await page.GotoAsync(url);
            if (response is { Status: >= 200 and < 300 })
            {
                routesDone.Add(route.Name);
            }
            else if (visits.Any(v => v.Identity == identity.Label && v.Route == route.Name))
            {
                // The same refusal page again (e.g. "link already used"): scanned once is enough.
                visits.Add(new Visit(identity.Label, route.Name, url, response?.Status ?? status, "refused again", 0));
                continue;
            }

            var result = await page.RunAxe();
            var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            visits.Add(new Visit(identity.Label, route.Name, url, response?.Status ?? status, "scanned", blocking.Count));
            output.WriteLine($"  axe {identity.Label} {route.Name} {Shorten(url)} → {response?.Status}: {result.Violations.Length} violation(s), {blocking.Count} serious/critical");
            foreach (var v in result.Violations)
            {
                var line = Describe(v);
                output.WriteLine("    " + line);
                if (v.Impact is "serious" or "critical")
                {
                    findings.AppendLine($"{identity.Label} {route.Name} ({Shorten(url)}): {line}");
                }
            }

            var links = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "els => els.map(e => e.href)");
            await CheckContentAsync(page, identity, route, url, links);
            foreach (var link in links)
            {
                if (Uri.TryCreate(link, UriKind.Absolute, out var target) && target.Authority == new Uri(site.BaseUrl).Authority)
                {
                    queue.Enqueue(target.PathAndQuery);
                }
            }
        }
    }

    /// <summary>
    /// The page as a person meets it: no link into the API (a notification's links included, through the inbox and the
    /// mailbox pages), no glossary state name or principal id in the visible text, nothing wider than a phone at 390 px.
    /// Screenshots of the pages in <see cref="ScreenshotRoutes"/> are kept, desktop and phone.
    /// </summary>
    private async Task CheckContentAsync(IPage page, Identity identity, RouteDef route, string url, IEnumerable<string> links)
    {
        var where = $"{identity.Label} {route.Name} ({Shorten(url)})";
        foreach (var link in links.Distinct())
        {
            if (Uri.TryCreate(link, UriKind.Absolute, out var target) && (target.AbsolutePath == "/api" || target.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)))
            {
                contentFindings.AppendLine($"{where}: links to the API {target.PathAndQuery}");
            }
        }

        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        foreach (var match in InternalNames.Matches(text).Select(m => m.Value).Concat(PrincipalIds.Matches(text).Select(m => m.Value)).Distinct())
        {
            contentFindings.AppendLine($"{where}: shows the internal name '{match}' in “{Around(text, match)}”");
        }

        var desktop = page.ViewportSize;
        await page.SetViewportSizeAsync(PhoneWidth, 844);
        var width = await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");
        if (width > PhoneWidth)
        {
            var widest = await page.EvaluateAsync<string>(
                "w => { let best = null; for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect(); if (r.right > w + 1 && (!best || r.right > best.r)) best = { r: r.right, d: e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') }; } return best ? best.d + ' to ' + Math.round(best.r) + ' px' : ''; }",
                PhoneWidth);
            contentFindings.AppendLine($"{where}: {width} px wide at a {PhoneWidth} px phone ({widest})");
        }

        if (ScreenshotRoutes.Contains(route.Name))
        {
            var name = $"crawl-{route.Name}-{identity.Label}";
            output.WriteLine($"  phone screenshot: {await Screenshots.SaveAsync(page, name + "-phone")}");
        }

        await page.SetViewportSizeAsync(desktop?.Width ?? 1280, desktop?.Height ?? 900);
        if (ScreenshotRoutes.Contains(route.Name))
        {
            output.WriteLine($"  desktop screenshot: {await Screenshots.SaveAsync(page, $"crawl-{route.Name}-{identity.Label}-desktop")}");
        }
    }

    private static string Around(string text, string match)
    {
        var at = text.IndexOf(match, StringComparison.Ordinal);
        var start = Math.Max(0, at - 20);
        return text.Substring(start, Math.Min(text.Length - start, match.Length + 40)).ReplaceLineEndings(" ");
    }

    private static string Describe(AxeResultItem v) =>
        $"[{v.Impact}] {v.Id}: {v.Help} ({v.HelpUrl})" + string.Concat(v.Nodes.Take(5).Select(n =>
        {
            var messages = (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList();
            return $"{Environment.NewLine}        {n.Target}: {n.Html}" + (messages.Count == 0 ? "" : $"{Environment.NewLine}          fix: {string.Join(" | ", messages)}");
        }));

    private static string Shorten(string url) => url.Length > 60 ? url[..60] + "…" : url;

    private static bool IsApi(RouteDef route) => route.Template == "api" || route.Template.StartsWith("api/", StringComparison.Ordinal);

    private static Voucher.Workflows.Security.Role ParseRole(string claim) =>
        Voucher.Workflows.Security.RoleNames.TryParse(claim, out var role) ? role : throw new ArgumentException($"unknown role {claim}", nameof(claim));

    /// <summary>The GET route a path belongs to; literal segments win over parameters (as in ASP.NET routing).</summary>
    private static RouteDef? Match(IEnumerable<RouteDef> routes, string path)
    {
        var trimmed = path.Trim('/');
        return routes
            .Select(r => (Route: r, Pattern: TemplatePattern(r.Template)))
            .Where(x => x.Pattern.IsMatch(trimmed))
            .OrderBy(x => x.Route.Template.Count(c => c == '{'))
            .ThenByDescending(x => x.Route.Template.Length)
            .Select(x => x.Route)
            .FirstOrDefault();
    }

    private static Regex TemplatePattern(string template) =>
        new("^" + string.Join("/", template.Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$", RegexOptions.CultureInvariant);
}
