using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Voucher.Security.Tests.Support;

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityHost>
{
    public const string Name = "security";
}

/// <summary>
/// One Azurite and one local host (its own task hub) for the security suites, with a seeded scenario: enterprise A
/// (Taiyuan) with an approved application, a voucher and a redemption that is bound, evidenced and in Taiyuan's
/// settlement batch; enterprise B (Datong) with an approved application and a redemption awaiting binding; two
/// verified institutions. Callers sign in once through /dev/signin; requests carry the cookie explicitly.
/// </summary>
public sealed class SecurityHost() : LocalSite(new LocalSiteSettings
{
    TaskHubPrefix = "sechub", SettleNow = true, OnlyTestsSettle = true, MaxEvidenceBytes = 2048,
})
{
    public const string PhoneA = "13903510001";
    public const string ContactA = "赵联系甲";
    public const string PhoneB = "13903520002";
    public const string InstTy = "inst-sec-ty";
    public const string InstDt = "inst-sec-dt";
    public const string SvcTy = "svc-sec-ty";
    public const string SvcDt = "svc-sec-dt";
    static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A client without cookies of its own: each request carries its caller's cookie (<see cref="Cookies"/>).</summary>
    public HttpClient Http { get; private set; } = null!;

    public Dictionary<string, string?> Cookies { get; } = [];

    public Dictionary<string, string> Ids { get; } = [];

    public List<string> Log { get; } = [];

    public LinkSigner Signer => new(new LinkKey(LinkKeyBytes), TimeProvider.System);

    /// <inheritdoc />
    protected override async Task SeedAsync()
    {
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
        {
            BaseAddress = Host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        try
        {
            await SeedScenarioAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, Log)}", e);
        }
    }

    /// <inheritdoc />
    protected override void ReleaseScenario() => Http?.Dispose();

    async Task SeedScenarioAsync()
    {
        await SeedInstitutionAsync(InstTy, "taiyuan", "太原安全测试研究院", SvcTy, "材料检测 Materials testing");
        await SeedInstitutionAsync(InstDt, "datong", "大同安全测试研究院", SvcDt, "科技查新 Novelty search");

        Ids["usccA"] = TestUscc.InDivision("140100");
        Ids["usccB"] = TestUscc.InDivision("140200");
        Ids["usccD"] = TestUscc.InDivision("140100");
        Ids["usccE"] = TestUscc.InDivision("140100");
        Ids["usccUnknown"] = TestUscc.InDivision("140100");
        Ids["usccBeijing"] = TestUscc.InDivision("110000");
        Ids["usccD-wrong"] = TestUscc.WithWrongCheckCharacter(Ids["usccD"]);
        Ids["today"] = ChinaTime.DateOf(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await SignInCallerAsync("entA", "enterprise", Ids["usccA"]);
        await SignInCallerAsync("entB", "enterprise", Ids["usccB"]);
        await SignInCallerAsync("entD", "enterprise", Ids["usccD"]);
        await SignInCallerAsync("entE", "enterprise", Ids["usccE"]);
        await SignInCallerAsync("instTY", "institution", InstTy);
        await SignInCallerAsync("instDT", "institution", InstDt);
        await SignInCallerAsync("agency", "agency", "agency-sec-1");
        await SignInCallerAsync("cityTY", "city-bureau", "taiyuan");
        await SignInCallerAsync("cityDT", "city-bureau", "datong");
        await SignInCallerAsync("finTY", "finance-bureau", "taiyuan");
        await SignInCallerAsync("finDT", "finance-bureau", "datong");
        await SignInCallerAsync("expert", "expert", "expert-sec-1");
        await SignInCallerAsync("prov", "province", "shanxi");
        Cookies["anon"] = null;
        // A second Taiyuan officer, revoked by the Taiyuan administrator (cityTY, the party's first member), and an
        // invitation link that is not one.
        await SignInCallerAsync("cityTY2", "city-bureau", "taiyuan");
        Ids["memberTY"] = Voucher.Workflows.Accounts.MembershipKeys.IdOf(Voucher.Workflows.Portal.AuthPages.DevelopmentSubject("city-bureau|taiyuan|cityTY2"), Role.CityBureau, "taiyuan");
        await Expect(HttpStatusCode.Redirect, await SendAsync("cityTY", HttpMethod.Post, $"account/members/{Ids["memberTY"]}/revoke",
            new FormUrlEncodedContent([new("reason", "调离")])), "revoke the second Taiyuan officer");
        Ids["inviteForged"] = "0badc0de.eyJpIjoieCJ9." + new string('A', 43);
        // An open invitation to the Taiyuan bureau (its id from the party's invitations), withdrawn in the matrix.
        await Expect(HttpStatusCode.Redirect, await SendAsync("cityTY", HttpMethod.Post, "account/invitations",
            new FormUrlEncodedContent([new("role", "city-bureau"), new("scope", "taiyuan"), new("inviteeName", "矩阵撤回受邀人")])), "invite to Taiyuan");
        Ids["inviteTY"] = (await Store.PartitionAsync<Voucher.Workflows.Accounts.InvitationEntity>(Voucher.Workflows.Storage.VoucherStore.Invitations, Voucher.Workflows.Accounts.MembershipKeys.PartyPartition(Role.CityBureau, "taiyuan")))
            .Single(i => i.InviteeName == "矩阵撤回受邀人").Id;
        // Onboarding: enterprise A's membership (its administrator), and a claim waiting for the Taiyuan bureau by a person with no membership.
        Ids["memberEntA"] = Voucher.Workflows.Accounts.MembershipKeys.IdOf(Voucher.Workflows.Portal.AuthPages.DevelopmentSubject($"enterprise|{Ids["usccA"]}|entA"), Role.Enterprise, Ids["usccA"]);
        await SignInCallerAsync("claimer", "none", "", "周敏");
        Ids["usccC"] = TestUscc.InDivision("140100");
        var claim = new MultipartFormDataContent
        {
            { new StringContent(Ids["usccC"]), "uscc" },
            { new StringContent("太原认领测试科技有限公司"), "enterpriseName" },
            { new StringContent("taiyuan"), "cityCode" },
            { new ByteArrayContent(TestFiles.Pdf("licence")), "licence", "licence.pdf" },
            { new ByteArrayContent(TestFiles.Pdf("letter")), "letter", "letter.pdf" },
        };
        var claimed = await Expect(HttpStatusCode.Redirect, await SendAsync("claimer", HttpMethod.Post, "portal/claims", claim), "claim C");
        Ids["claimTY"] = claimed.Location!.Split('?')[0].Split('/')[^1];

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
            await Expect(HttpStatusCode.Created, await PostFileAsync("entA", $"api/redemptions/{redA}/evidence/{kind}", TestFiles.Pdf(kind), kind + ".pdf", "application/pdf"), "upload " + kind);
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

    /// <summary>Signs in through /dev/signin and keeps the cookie as <paramref name="caller"/>'s (shown as <paramref name="name"/>, else the caller).</summary>
    public async Task SignInCallerAsync(string caller, string role, string scope, string? name = null)
    {
        using var response = await Http.PostAsync("dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = role, ["scope"] = scope, ["name"] = name ?? caller }));
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
            await SignInCallerAsync(caller, "enterprise", TestUscc.New());
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
}
