using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Voucher.Testing;
using Voucher.Workflows.Http;

namespace Voucher.Benchmarks;

/// <summary>
/// Server time of every portal page over the demo data (<c>-- --pages [repeats]</c>): one local host with what
/// <c>--demo</c> seeds; signed in as each role, the benchmark follows the links of the pages from the home page and
/// every parameterless page route the role may open (as the browser crawler does), then requests each page found
/// <c>repeats</c> times (after one warm-up) and prints, per role and route, the median, 95th percentile and maximum
/// time to the last byte, and the page size. A measurement, not a test: it fails on nothing.
/// </summary>
internal static partial class PageTimingsBenchmark
{
    const int MaxPagesPerRole = 60;

    sealed record Identity(string Label, string? Role, string Scope, string Name);

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var repeats = args.Length > 1 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 20;
        var site = new LocalSite(new LocalSiteSettings { TaskHubPrefix = "pages", SeedDemoData = true });
        await site.InitializeAsync();
        try
        {
            var report = new StringBuilder();
            report.AppendLine("## Page timings over the demo data").AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores; one local host on an in-memory Azurite; {repeats} requests per page after one warm-up, one at a time; command `dotnet run -c Release --project tests/Voucher.Benchmarks -- --pages {repeats}`.").AppendLine();
            report.AppendLine("| role | route | example | p50 ms | p95 ms | max ms | KB |").AppendLine("|---|---|---|---:|---:|---:|---:|");
            Identity[] identities =
            [
                new("anonymous", null, "", ""),
                new("enterprise", "enterprise", LocalSite.FirstDemoEnterpriseUscc, "演示企业经办人"),
                new("institution", "institution", "inst-czmc", "机构经办人"),
                new("city bureau", "city-bureau", "taiyuan", "审核员"),
                new("finance bureau", "finance-bureau", "taiyuan", "财政经办人"),
                new("province", "province", "", "省中心督查员"),
                new("agency", "agency", "demo-agency", "代理人"),
            ];
            var pageRoutes = VoucherRoutes.All.Where(x => x.Method == "GET" && !x.Template.StartsWith("api", StringComparison.Ordinal) && !x.Template.StartsWith("static", StringComparison.Ordinal)).ToList();
            var all = new List<double>();
            foreach (var identity in identities)
            {
                using var client = identity.Role is null ? SiteClient.Anonymous(site.Host.BaseAddress) : await site.SignInAsync(identity.Role, identity.Scope, identity.Name);
                var pages = await DiscoverAsync(client, identity, pageRoutes, ct);
                foreach (var (route, url) in pages)
                {
                    var (_, warm) = await client.GetAsync(url);
                    var samples = new List<double>(repeats);
                    for (var i = 0; i < repeats; i++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        await client.GetAsync(url);
                        samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }

                    all.AddRange(samples);
                    var s = Percentiles.Summarize(route, samples, 0);
                    report.AppendLine(CultureInfo.InvariantCulture, $"| {identity.Label} | {route} | `{Shorten(url)}` | {s.P50:0.0} | {Percentile(samples, 0.95):0.0} | {s.Max:0.0} | {Encoding.UTF8.GetByteCount(warm) / 1024.0:0.0} |");
                    Console.WriteLine($"{identity.Label} {route} {Shorten(url)}: p50 {s.P50:0.0} ms");
                }
            }

            var overall = Percentiles.Summarize("all", all, 0);
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"All pages: {all.Count:N0} requests, p50 {overall.P50:0.0} ms, p95 {Percentile(all, 0.95):0.0} ms, max {overall.Max:0.0} ms.");
            Console.WriteLine();
            Console.WriteLine(report);
            return 0;
        }
        finally
        {
            await site.DisposeAsync();
        }
    }

    /// <summary>The identity's pages: its home, its parameterless page routes, and what their links lead to (one URL per route).</summary>
    static async Task<List<(string Route, string Url)>> DiscoverAsync(SiteClient client, Identity identity, IReadOnlyList<RouteDef> routes, CancellationToken ct)
    {
        var found = new List<(string, string)>();
        var queue = new Queue<string>();
        queue.Enqueue("/");
        foreach (var route in routes.Where(x => !x.Template.Contains('{', StringComparison.Ordinal) && !x.LocalOnly && (identity.Role is null ? x.Access.Anonymous : !x.Access.Anonymous)))
        {
            queue.Enqueue("/" + route.Template);
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0 && found.Count < MaxPagesPerRole)
        {
            ct.ThrowIfCancellationRequested();
            var url = queue.Dequeue();
            var path = url.Split('?', '#')[0];
            var route = Match(routes, path);
            if (route is null || route.Name is "SignOut" or "SignIn" || !done.Add(route.Name))
            {
                continue;
            }

            var (status, body) = await client.GetAsync(url);
            if ((int)status is < 200 or >= 300 || !body.StartsWith("<!DOCTYPE html>", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            found.Add((route.Name, url));
            foreach (Match link in Href().Matches(body))
            {
                var href = System.Net.WebUtility.HtmlDecode(link.Groups[1].Value);
                if (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal))
                {
                    queue.Enqueue(href);
                }
            }
        }

        return found;
    }

    static RouteDef? Match(IEnumerable<RouteDef> routes, string path)
    {
        var trimmed = path.Trim('/');
        return routes
            .Where(r => Regex.IsMatch(trimmed, "^" + string.Join("/", r.Template.Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$"))
            .OrderBy(r => r.Template.Count(c => c == '{'))
            .ThenByDescending(r => r.Template.Length)
            .FirstOrDefault();
    }

    static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    static string Shorten(string url) => url.Length > 50 ? url[..50] + "…" : url;

    [GeneratedRegex("href=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Href();
}
