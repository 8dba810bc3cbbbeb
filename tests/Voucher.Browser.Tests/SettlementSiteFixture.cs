using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Deque.AxeCore.Commons;
using Voucher.Testing;
using Voucher.Demo;
using Voucher.Workflows.Policies;
using Voucher.Workflows.Storage;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Voucher.Browser.Tests;

/// <summary>
/// One in-memory Azurite and one local host process for the redemption → settlement → publicity browser tests. On
/// top of <see cref="LocalSiteFixture"/>'s settings the host settles "now" (the current period, cut at the moment it
/// is started), keeps publicity open for one minute, and its own settlement timer is moved to 1 January so only the
/// test starts a settlement. The local host cannot be given <c>--demo</c> through <see cref="LocalHostProcess"/>, so
/// the product's own <see cref="DemoData"/> seed (institutions such as inst-sxu with svc-icp-ms, the demo city
/// policies) is run against the same Azurite once the host is up — the same rows <c>--demo</c> writes.
/// The fixture also carries the state the ordered tests hand to each other and the axe results they collect.
/// </summary>
public sealed class SettlementSiteFixture : IAsyncLifetime
{
    private const string UsccBodyAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private readonly AzuriteFixture _azurite = new();
    private LocalHostProcess? _host;

    /// <summary>The running local host.</summary>
    public LocalHostProcess Host => _host ?? throw new InvalidOperationException("SettlementSiteFixture is not initialised.");

    /// <summary>http://127.0.0.1:{port} — no trailing slash, as the product's public base URL.</summary>
    public string BaseUrl => Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>How long Azurite, the local host and the demo seed took.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>What the ordered tests pass on (voucher, redemption, batch).</summary>
    public SettlementScenario Scenario { get; } = new();

    /// <summary>Axe results collected on the pages as the flow reaches them; asserted by the last test.</summary>
    public List<SettlementAxeScan> AxeScans { get; } = [];

    /// <summary>A fresh, valid Taiyuan (1401xx) USCC.</summary>
    public static string NewTaiyuanUscc()
    {
        var body = string.Concat(Enumerable.Range(0, 9).Select(_ => UsccBodyAlphabet[RandomNumberGenerator.GetInt32(UsccBodyAlphabet.Length)]));
        var first17 = "91140100" + body;
        return first17 + Voucher.Domain.Uscc.ComputeCheckCharacter(first17);
    }

    /// <summary>The last <paramref name="maxChars"/> characters of the host's output, for failure messages.</summary>
    public string OutputTail(int maxChars = 6000)
    {
        if (_host is null)
        {
            return "(host not started)";
        }

        var output = _host.Output;
        return output.Length <= maxChars ? output : "…" + output[^maxChars..];
    }

    /// <summary>A client of the site signed in through /dev/signin (own cookies).</summary>
    public Task<SettlementApiClient> SignInAsync(string role, string scope, string name) =>
        SettlementApiClient.SignInAsync(Host.BaseAddress, role, scope, name);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await _azurite.InitializeAsync();
        var port = LocalHostProcess.FreeTcpPort();
        var env = new Dictionary<string, string>
        {
            ["VoucherStorage"] = _azurite.ConnectionString,
            ["DurableStorage"] = _azurite.ConnectionString,
            ["TaskHubName"] = AzuriteFixture.UniqueName("settlebrowser"),
            ["Voucher__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Voucher__LinkSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Voucher__OutboxSchedule"] = "*/2 * * * * *",
            ["Voucher__SettlementCutoff"] = "now",
            ["Voucher__PublicityWindowMinutes"] = "1",
            // The daily timer (16:05 UTC by default) would settle every city on its own; only the test starts one.
            ["Voucher__SettlementSchedule"] = "0 0 0 1 1 *",
            ["Voucher__PublicRateLimitPerMinute"] = "100000",
        };
        _host = await LocalHostProcess.StartAsync(env, port);

        // What `--demo` seeds (the host has created the tables by the time /healthz answers).
        var store = new VoucherStore(new TableServiceClient(_azurite.ConnectionString), new BlobServiceClient(_azurite.ConnectionString));
        await DemoData.Over(store, TimeProvider.System).SeedAsync();
        StartupTime = watch.Elapsed;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Scenario.Enterprise?.Dispose();
        Scenario.Bureau?.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

/// <summary>State handed from one ordered test to the next.</summary>
public sealed class SettlementScenario
{
    public const string EnterpriseName = "太原汾水精密检测科技有限公司";
    public const string ContactName = "赵思远";
    public const string ContactPhone = "13935187264";
    public const string InstitutionId = "inst-sxu";
    public const string ServiceId = "svc-icp-ms";
    public const decimal AmountPaid = 80_000m;

    /// <summary>80,000 paid on a 50,000 voucher at the default excess ratio 0.5: 50,000 + 30,000 × 0.5.</summary>
    public const string ExpectedPayout = "¥65,000.00";

    public string? Uscc { get; set; }

    public string? VoucherId { get; set; }

    public string? RedemptionId { get; set; }

    public string? BatchId { get; set; }

    /// <summary>The redemption reached Queued (test 1 done).</summary>
    public bool Queued { get; set; }

    /// <summary>The redemption reached Published (test 2 done).</summary>
    public bool Published { get; set; }

    public SettlementApiClient? Enterprise { get; set; }

    public SettlementApiClient? Bureau { get; set; }
}

/// <summary>One axe run: the page, the counts and the serious/critical findings (with fix hints).</summary>
public sealed record SettlementAxeScan(string Name, string Path, int Violations, IReadOnlyList<string> Blocking, IReadOnlyList<string> Other, IReadOnlyList<string> Incomplete)
{
    /// <summary>Summarises an axe result; serious and critical violations are "blocking".</summary>
    public static SettlementAxeScan From(string name, string path, AxeResult result)
    {
        static string Describe(AxeResultItem v) =>
            $"[{v.Impact}] {v.Id}: {v.Help} ({v.HelpUrl})" + string.Concat(v.Nodes.Take(5).Select(n =>
                $"{Environment.NewLine}      {n.Target}: {n.Html}{Fix(n)}"));
        static string Fix(AxeResultNode n)
        {
            var messages = (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList();
            return messages.Count == 0 ? "" : $"{Environment.NewLine}        fix: {string.Join(" | ", messages)}";
        }


        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(Describe).ToList();
        var other = result.Violations.Where(v => v.Impact is not ("serious" or "critical")).Select(Describe).ToList();
        return new SettlementAxeScan(name, path, result.Violations.Length, blocking, other, result.Incomplete.Select(i => i.Id).ToList());
    }
}

/// <summary>A party's HTTP client of the local host: own cookies, no redirects followed, JSON helpers.</summary>
public sealed partial class SettlementApiClient : IDisposable
{
    private readonly HttpClient _http;

    private SettlementApiClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Signs in through POST /dev/signin and checks the redirect.</summary>
    public static async Task<SettlementApiClient> SignInAsync(Uri baseAddress, string role, string scope, string name)
    {
        var client = new SettlementApiClient(baseAddress);
        using var response = await client._http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["role"] = role,
            ["scope"] = scope,
            ["name"] = name,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"dev sign-in as {role}:{scope} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>POSTs JSON; returns the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(Relative(path), body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a form; returns the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFormAsync(string path, IDictionary<string, string> fields)
    {
        using var response = await _http.PostAsync(Relative(path), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs one file as multipart/form-data in the field "file".</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFileAsync(string path, byte[] content, string fileName, string contentType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        using var response = await _http.PostAsync(Relative(path), form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET returning the status and body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(Relative(path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET and parse JSON; asserts 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, text) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {text}");
        return Json(text);
    }

    /// <summary>Polls <paramref name="path"/> until its "status" is <paramref name="status"/>; returns that view.</summary>
    public Task<JsonElement> WaitForStatusAsync(string path, string status, TimeSpan timeout) =>
        Eventually.UntilAsync(
            () => GetJsonAsync(path),
            view => view.TryGetProperty("status", out var s) && s.GetString() == status,
            timeout,
            $"{path} reaches status {status}");

    /// <summary>The first link of notification <paramref name="notificationId"/> in /dev/mailbox, once delivered.</summary>
    public Task<string> WaitForMailboxLinkAsync(string notificationId, TimeSpan timeout) =>
        Eventually.UntilAsync(
            async () =>
            {
                var (_, html) = await GetAsync("dev/mailbox");
                foreach (Match article in ArticlePattern().Matches(html))
                {
                    if (WebUtility.HtmlDecode(article.Groups["id"].Value) == notificationId && HrefPattern().Match(article.Groups["body"].Value) is { Success: true } href)
                    {
                        return WebUtility.HtmlDecode(href.Groups["href"].Value);
                    }
                }

                return "";
            },
            link => link.Length > 0,
            timeout,
            $"notification {notificationId} reaches /dev/mailbox");

    public static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Mailbox links are absolute; the path and query are requested on this client's host.</summary>
    private static string Relative(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute.PathAndQuery.TrimStart('/')
            : pathOrUrl.TrimStart('/');

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<article class=\"card\" data-notification=\"(?<id>[^\"]*)\">(?<body>.*?)</article>", RegexOptions.Singleline)]
    private static partial Regex ArticlePattern();

    [GeneratedRegex("<a href=\"(?<href>[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex HrefPattern();
}

/// <summary>Position of a test in an ordered flow (see <see cref="SettlementFlowOrderer"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SettlementStepAttribute(int step) : Attribute
{
    public int Step { get; } = step;
}

/// <summary>Runs the tests of a class in the order of their <see cref="SettlementStepAttribute"/>.</summary>
public sealed class SettlementFlowOrderer : ITestCaseOrderer
{
    public const string TypeName = "Voucher.Browser.Tests.SettlementFlowOrderer";
    public const string AssemblyName = "Voucher.Browser.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => StepOf(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int StepOf(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(SettlementStepAttribute).AssemblyQualifiedName)
            .Select(a => a.GetConstructorArguments().FirstOrDefault() is int step ? step : int.MaxValue)
            .DefaultIfEmpty(int.MaxValue)
            .First();
}

/// <summary>Small helpers shared by the flow's tests.</summary>
public static class SettlementFlow
{
    /// <summary>A tiny PDF: evidence is judged by content, and "%PDF-" is what makes it a PDF.</summary>
    public static byte[] Pdf(string title) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>Writes a line prefixed with the elapsed seconds.</summary>
    public static void Step(ITestOutputHelper output, Stopwatch watch, string what) =>
        output.WriteLine($"{watch.Elapsed.TotalSeconds,6:0.0} s  {what}");
}
