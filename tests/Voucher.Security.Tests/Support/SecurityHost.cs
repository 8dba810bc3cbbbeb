using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Voucher.Domain;
using Voucher.Testing;
using Voucher.Workflows.Links;
using Voucher.Workflows.Security;

namespace Voucher.Security.Tests.Support;

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityHost>
{
    public const string Name = "security";
}

/// <summary>An HTTP answer with its body text.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, string? Location, string? ContentType)
{
    public int Code => (int)Status;

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Body);
        return doc.RootElement.Clone();
    }

    public override string ToString()
    {
        var main = Body.IndexOf("<main", StringComparison.Ordinal);
        var text = main >= 0 ? Body[main..] : Body;
        return $"{Code} {ContentType} {(Location is null ? "" : "→ " + Location + " ")}{(text.Length > 900 ? text[..900] + "…" : text)}";
    }
}

/// <summary>
/// One Azurite and one local host (its own task hub) for the security suites, with a seeded scenario: enterprise A
/// (Taiyuan) with an approved application, a voucher and a redemption that is bound, evidenced and in Taiyuan's
/// settlement batch; enterprise B (Datong) with an approved application and a redemption awaiting binding; two
/// verified institutions. Callers sign in once through /dev/signin; requests carry the cookie explicitly.
/// </summary>
public sealed class SecurityHost : IAsyncLifetime
{
    public const string PhoneA = "13903510001";
    public const string ContactA = "赵联系甲";
    public const string PhoneB = "13903520002";
    public const string InstTy = "inst-sec-ty";
    public const string InstDt = "inst-sec-dt";
    public const string SvcTy = "svc-sec-ty";
    public const string SvcDt = "svc-sec-dt";
    const string UsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(90);

    public AzuriteFixture Azurite { get; } = new();

    public LocalHostProcess Host { get; private set; } = null!;

    public string TaskHub { get; } = AzuriteFixture.UniqueName("sechub");

    public byte[] LinkKeyBytes { get; } = RandomNumberGenerator.GetBytes(32);

    public HttpClient Http { get; private set; } = null!;

    public Dictionary<string, string?> Cookies { get; } = [];

    public Dictionary<string, string> Ids { get; } = [];

    public TimeSpan StartupTime { get; private set; }

    public TimeSpan ScenarioTime { get; private set; }

    public List<string> Log { get; } = [];

    /// <summary>A valid Shanxi USCC whose body always holds a letter (no long digit runs).</summary>
    public static string NewUscc(string division = "140100")
    {
        var body = string.Concat(Enumerable.Range(0, 8).Select(_ => UsccAlphabet[RandomNumberGenerator.GetInt32(UsccAlphabet.Length)])) + "K";
        var first17 = "91" + division + body;
        return first17 + Uscc.ComputeCheckCharacter(first17);
    }

    public LinkSigner Signer => new(new LinkKey(LinkKeyBytes), TimeProvider.System);

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await Azurite.InitializeAsync();
        var port = LocalHostProcess.FreeTcpPort();
        var env = new Dictionary<string, string>
        {
            ["VoucherStorage"] = Azurite.ConnectionString,
            ["DurableStorage"] = Azurite.ConnectionString,
            ["TaskHubName"] = TaskHub,
            ["Voucher__PublicBaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Voucher__LinkSigningKey"] = Convert.ToBase64String(LinkKeyBytes),
            ["Voucher__OutboxSchedule"] = "*/2 * * * * *",
            ["Voucher__PublicRateLimitPerMinute"] = "100000",
            ["Voucher__SettlementCutoff"] = "now",
            ["Voucher__PublicityWindowMinutes"] = "1",
            ["Voucher__MaxEvidenceBytes"] = "2048",
            // Only the tests start settlements.
            ["Voucher__SettlementSchedule"] = "0 0 0 1 1 *",
        };
        Host = await LocalHostProcess.StartAsync(env, port);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
        {
            BaseAddress = Host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        StartupTime = watch.Elapsed;
        watch.Restart();
        try
        {
            await SeedScenarioAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Scenario set-up failed: {e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, Log)}{Environment.NewLine}Host output:{Environment.NewLine}{Tail(Host.Output)}", e);
        }

        ScenarioTime = watch.Elapsed;
    }

    static string Tail(string s) => s.Length <= 8000 ? s : s[^8000..];

    async Task SeedScenarioAsync()
    {
        await SeedInstitutionAsync(InstTy, "taiyuan", "太原安全测试研究院", SvcTy, "材料检测 Materials testing");
        await SeedInstitutionAsync(InstDt, "datong", "大同安全测试研究院", SvcDt, "科技查新 Novelty search");

        Ids["usccA"] = NewUscc("140100");
        Ids["usccB"] = NewUscc("140200");
        Ids["usccD"] = NewUscc("140100");
        Ids["usccE"] = NewUscc("140100");
        Ids["usccUnknown"] = NewUscc("140100");
        Ids["usccBeijing"] = NewUscc("110000");
        var d = Ids["usccD"];
        Ids["usccD-wrong"] = d[..17] + UsccAlphabet.First(c => c != d[17] && c != Uscc.ComputeCheckCharacter(d[..17]));
        Ids["today"] = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await SignInAsync("entA", "enterprise", Ids["usccA"]);
        await SignInAsync("entB", "enterprise", Ids["usccB"]);
        await SignInAsync("entD", "enterprise", Ids["usccD"]);
        await SignInAsync("entE", "enterprise", Ids["usccE"]);
        await SignInAsync("instTY", "institution", InstTy);
        await SignInAsync("instDT", "institution", InstDt);
        await SignInAsync("agency", "agency", "agency-sec-1");
        await SignInAsync("cityTY", "city-bureau", "taiyuan");
        await SignInAsync("cityDT", "city-bureau", "datong");
        await SignInAsync("finTY", "finance-bureau", "taiyuan");
        await SignInAsync("finDT", "finance-bureau", "datong");
        await SignInAsync("expert", "expert", "expert-sec-1");
        await SignInAsync("prov", "province", "shanxi");
        Cookies["anon"] = null;

        await Expect(HttpStatusCode.Created, await PostJsonAsync("entA", "api/enterprises", Registration(Ids["usccA"], "太原安全测试科技有限公司", "taiyuan", ContactA, PhoneA)), "register A");
        await Expect(HttpStatusCode.Created, await PostJsonAsync("entB", "api/enterprises", Registration(Ids["usccB"], "大同安全测试科技有限公司", "datong", "钱联系乙", PhoneB)), "register B");

        await SeedMarketplaceAsync();

        var appA = (await Expect(HttpStatusCode.Accepted, await PostJsonAsync("entA", "api/applications", new { uscc = Ids["usccA"] }), "apply A")).Json().GetProperty("applicationId").GetString()!;
        var appB = (await Expect(HttpStatusCode.Accepted, await PostJsonAsync("entB", "api/applications", new { uscc = Ids["usccB"] }), "apply B")).Json().GetProperty("applicationId").GetString()!;
        Ids["appA"] = appA;
        Ids["appB"] = appB;
        await WaitStatusAsync("entA", $"api/applications/{appA}", "UnderReview");
        await WaitStatusAsync("entB", $"api/applications/{appB}", "UnderReview");
        await Expect(HttpStatusCode.Accepted, await PostJsonAsync("cityTY", $"api/applications/{appA}/decision", new { round = 1, approve = true }), "approve A");
        await Expect(HttpStatusCode.Accepted, await PostJsonAsync("cityDT", $"api/applications/{appB}/decision", new { round = 1, approve = true }), "approve B");
        Ids["vA"] = (await WaitStatusAsync("entA", $"api/applications/{appA}", "Approved")).GetProperty("voucherId").GetString()!;
        Ids["vB"] = (await WaitStatusAsync("entB", $"api/applications/{appB}", "Approved")).GetProperty("voucherId").GetString()!;
        Log.Add($"vouchers {Ids["vA"]} {Ids["vB"]}");

        var redA = (await Expect(HttpStatusCode.Accepted, await PostJsonAsync("entA", "api/redemptions", new
        {
            voucherId = Ids["vA"], institutionId = InstTy, serviceId = SvcTy, contractNumber = "SEC-TY-0001", amountPaid = 80000m,
        }), "redemption A")).Json().GetProperty("redemptionId").GetString()!;
        Ids["redA"] = redA;
        foreach (var kind in new[] { "report", "contract", "payment" })
        {
            await Expect(HttpStatusCode.Created, await PostFileAsync("entA", $"api/redemptions/{redA}/evidence/{kind}", Pdf(kind), kind + ".pdf", "application/pdf"), "upload " + kind);
        }

        // Bind only once the orchestration has taken in "evidence complete": an event raised while it continues-as-new
        // with the previous one is lost (reported product bug), and the link's one-time claim then blocks a retry.
        await Eventually.UntilAsync(async () => (await GetAsync("entA", $"api/redemptions/{redA}")).Json().GetProperty("evidenceComplete").GetBoolean(), FlowTimeout, "evidence complete");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Eventually.UntilAsync(
            async () => (await PostJsonAsync("instTY", $"api/redemptions/{redA}/binding", new { round = 1, confirm = true })).Status == HttpStatusCode.Accepted,
            FlowTimeout, "institution binds redemption A");
        await WaitStatusAsync("entA", $"api/redemptions/{redA}", "Queued");

        var redB = (await Expect(HttpStatusCode.Accepted, await PostJsonAsync("entB", "api/redemptions", new
        {
            voucherId = Ids["vB"], institutionId = InstDt, serviceId = SvcDt, contractNumber = "SEC-DT-0001", amountPaid = 1000m,
        }), "redemption B")).Json().GetProperty("redemptionId").GetString()!;
        Ids["redB"] = redB;
        await WaitStatusAsync("entB", $"api/redemptions/{redB}", "AwaitingBinding");

        Ids["batchTY"] = await StartSettlementAsync("taiyuan");
        Ids["batchDT"] = await StartSettlementAsync("datong");
        await WaitStatusAsync("entA", $"api/redemptions/{redA}", "InBatch");
        await Eventually.UntilAsync(
            async () => await GetAsync("prov", $"api/settlements/{Ids["batchTY"]}") is { Status: HttpStatusCode.OK } a && a.Json().GetProperty("stage").GetString() == "Reviewing",
            FlowTimeout, "Taiyuan's batch is under review");
        await Eventually.UntilAsync(async () => (await GetAsync("prov", $"api/settlements/{Ids["batchDT"]}")).Status == HttpStatusCode.OK, FlowTimeout, "Datong's batch exists");
        Log.Add($"batches {Ids["batchTY"]} {Ids["batchDT"]}");
    }

    /// <summary>A demand of enterprise A answered by the Taiyuan institution and accepted: demandA, orderA.</summary>
    async Task SeedMarketplaceAsync()
    {
        var deadline = ChinaTime.DateOf(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var demand = await Expect(HttpStatusCode.Created, await PostJsonAsync("entA", "api/demands", new { category = "testing", description = "安全测试需求 matrix demand", budget = 20000m, cityCode = "taiyuan", deadline }), "demand A");
        Ids["demandA"] = demand.Json().GetProperty("demandId").GetString()!;
        await Expect(HttpStatusCode.Created, await PostJsonAsync("instTY", $"api/demands/{Ids["demandA"]}/offers", new { serviceId = SvcTy, price = 12000m, turnaroundDays = 6 }), "offer A");
        var order = await Expect(HttpStatusCode.Created, await PostJsonAsync("entA", $"api/demands/{Ids["demandA"]}/offers/{InstTy}/accept", new { contractNumber = "SEC-SO-1" }), "accept A");
        Ids["orderA"] = order.Json().GetProperty("orderId").GetString()!;
    }

    async Task<string> StartSettlementAsync(string city)
    {
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var answers = new List<string>();
        foreach (var cadence in new[] { SettlementCadence.Quarterly, SettlementCadence.Monthly })
        {
            var periodId = SettlementPeriod.Containing(cadence, today).Id;
            var a = await PostJsonAsync("prov", "api/settlements", new { cityCode = city, periodId });
            answers.Add(a.ToString());
            if (a.Status is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                Ids["period-" + city] = periodId;
                return a.Json().GetProperty("batchId").GetString()!;
            }
        }

        throw new InvalidOperationException($"no settlement period accepted for {city}: {string.Join(" | ", answers)}");
    }

    async Task SeedInstitutionAsync(string id, string city, string name, string serviceId, string title)
    {
        var institutions = Azurite.Tables.GetTableClient("Institutions");
        var services = Azurite.Tables.GetTableClient("Services");
        await institutions.CreateIfNotExistsAsync();
        await services.CreateIfNotExistsAsync();
        await institutions.UpsertEntityAsync(new TableEntity(id, "profile")
        {
            ["Verified"] = true, ["CityCode"] = city, ["Name"] = name, ["Type"] = "research-institute", ["Code"] = id.ToUpperInvariant(), ["SharingPlatformId"] = "",
        });
        await services.UpsertEntityAsync(new TableEntity(id, serviceId)
        {
            ["Title"] = title, ["Category"] = "testing", ["CityCode"] = city,
        });
    }

    public static object Registration(string uscc, string name, string city, string contact, string phone) => new
    {
        uscc, name, cityCode = city, sizeClass = "small", techSmeNumber = "202614010001", contactName = contact, contactPhone = phone,
    };

    public static byte[] Pdf(string title) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    async Task SignInAsync(string caller, string role, string scope)
    {
        using var response = await Http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = role, ["scope"] = scope, ["name"] = caller }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in {caller} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var setCookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(DevelopmentPrincipalSource.CookieName + "=", StringComparison.Ordinal));
        Cookies[caller] = setCookie.Split(';')[0];
    }

    async Task<JsonElement> WaitStatusAsync(string caller, string path, string status) =>
        await Eventually.UntilAsync(
            async () => (await GetAsync(caller, path)).Json(),
            v => v.TryGetProperty("status", out var s) && s.GetString() == status,
            FlowTimeout, $"{path} reaches {status}");

    async Task<Answer> Expect(HttpStatusCode status, Answer answer, string what)
    {
        Log.Add($"{what}: {answer.Code}");
        if (answer.Status != status)
        {
            throw new InvalidOperationException($"{what}: expected {(int)status}, got {answer}");
        }

        await Task.CompletedTask;
        return answer;
    }

    /// <summary>Replaces {name} placeholders with scenario ids.</summary>
    public string Fill(string text)
    {
        foreach (var (k, v) in Ids)
        {
            text = text.Replace("{" + k + "}", v, StringComparison.Ordinal);
        }

        return text;
    }

    public async Task<Answer> SendAsync(string caller, HttpMethod method, string path, HttpContent? content = null)
    {
        if (caller.StartsWith("fresh:", StringComparison.Ordinal) && !Cookies.ContainsKey(caller))
        {
            // A not-yet-registered enterprise of its own, so one case's outcome cannot leak into the next.
            await SignInAsync(caller, "enterprise", NewUscc());
        }

        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        if (Cookies.TryGetValue(caller, out var cookie) && cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        else if (caller != "anon")
        {
            throw new ArgumentException($"unknown caller {caller}");
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, response.Headers.Location?.ToString(), response.Content.Headers.ContentType?.MediaType);
    }

    public Task<Answer> GetAsync(string caller, string path) => SendAsync(caller, HttpMethod.Get, path);

    public Task<Answer> PostJsonAsync(string caller, string path, object body) => SendAsync(caller, HttpMethod.Post, path, JsonContent.Create(body));

    public Task<Answer> PostFileAsync(string caller, string path, byte[] content, string fileName, string contentType)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return SendAsync(caller, HttpMethod.Post, path, form);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
