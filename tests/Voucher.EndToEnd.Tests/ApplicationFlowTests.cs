using System.Globalization;
using Voucher.Domain;
using Voucher.Workflows.Http;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// Flow 1 against the local host as a separate process (Durable Task Framework on Azurite): an enterprise registers
/// and applies, the city bureau approves through the signed link it received in the mailbox, a voucher is issued.
/// </summary>
[Collection(FlowCollection.Name)]
public sealed class ApplicationFlowTests(FlowHostFixture fixture, ITestOutputHelper output)
{
    static readonly TimeSpan WorkflowTimeout = TimeSpan.FromSeconds(60);

    Uri Base => fixture.Host.BaseAddress;

    [Fact]
    public async Task Application_ApprovedThroughMailboxLink_IssuesVoucherAndLinkWorksOnce()
    {
        var watch = Stopwatch.StartNew();
        output.WriteLine($"host + Azurite start-up: {fixture.StartupTime.TotalSeconds:0.0} s");
        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(Base, "enterprise", uscc, "王工");
        using var bureau = await PortalClient.SignInAsync(Base, "city-bureau", "taiyuan", "太原市科技局审核员");

        using (var registered = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc)))
        {
            var text = await registered.Content.ReadAsStringAsync();
            Assert.True(registered.StatusCode == HttpStatusCode.Created, $"registration answered {(int)registered.StatusCode}: {text}");
            Assert.Equal(uscc, Json(text).GetProperty("uscc").GetString());
        }

        // Submit: 202 with our own status URL, never a Durable management URL (those carry the system key).
        string applicationId, statusUrl;
        using (var submitted = await enterprise.PostJsonAsync("api/applications", new { uscc }))
        {
            var text = await submitted.Content.ReadAsStringAsync();
            Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, $"submission answered {(int)submitted.StatusCode}: {text}");
            Assert.DoesNotContain("runtime/webhooks", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("code=", text, StringComparison.OrdinalIgnoreCase);
            var location = submitted.Headers.Location?.ToString() ?? "";
            Assert.DoesNotContain("runtime/webhooks", location, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("code=", location, StringComparison.OrdinalIgnoreCase);
            var body = Json(text);
            applicationId = body.GetProperty("applicationId").GetString()!;
            statusUrl = body.GetProperty("statusUrl").GetString()!;
            Assert.StartsWith(uscc + "-", applicationId, StringComparison.Ordinal);
            Assert.Equal($"/api/applications/{applicationId}", statusUrl);
            Assert.False(body.GetProperty("existing").GetBoolean());
        }

        // A retried submission while the application is open answers 200 with the same application.
        using (var retried = await enterprise.PostJsonAsync("api/applications", new { uscc }))
        {
            var text = await retried.Content.ReadAsStringAsync();
            Assert.True(retried.StatusCode == HttpStatusCode.OK, $"retried submission answered {(int)retried.StatusCode}: {text}");
            var body = Json(text);
            Assert.Equal(applicationId, body.GetProperty("applicationId").GetString());
            Assert.True(body.GetProperty("existing").GetBoolean());
        }

        var underReview = await enterprise.WaitForStatusAsync(statusUrl, "UnderReview", WorkflowTimeout);
        var reviewAt = watch.Elapsed;
        AssertDeadline(underReview);
        Assert.Equal(1, underReview.GetProperty("round").GetInt32());

        // The bureau's queue may read the application too.
        await bureau.GetJsonAsync(statusUrl);

        var link = await bureau.WaitForMailboxLinkAsync($"review-{applicationId}-r1", "city-bureau:taiyuan", WorkflowTimeout);
        Assert.StartsWith(fixture.BaseUrl + "/review/", link.ToString(), StringComparison.Ordinal);

        using (var page = await bureau.GetAsync(link.ToString()))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"review page answered {(int)page.StatusCode}: {html}");
            Assert.Contains(applicationId, html, StringComparison.Ordinal);
            Assert.Contains("批准并发放创新券", html, StringComparison.Ordinal);
            Assert.Contains("驳回", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Approve", html, StringComparison.Ordinal);
            Assert.Contains("method=\"post\"", html, StringComparison.Ordinal);
        }

        // GET only shows the page: the application must still wait for a decision.
        Assert.Equal("UnderReview", (await enterprise.GetJsonAsync(statusUrl)).GetProperty("status").GetString());

        using (var decided = await bureau.PostFormAsync(link.ToString(), new Dictionary<string, string> { ["decision"] = "approve", ["reason"] = "" }))
        {
            var html = await decided.Content.ReadAsStringAsync();
            Assert.True(decided.StatusCode == HttpStatusCode.OK, $"approving answered {(int)decided.StatusCode}: {html}");
            Assert.Contains("已批准", html, StringComparison.Ordinal);
        }

        var approved = await enterprise.WaitForStatusAsync(statusUrl, "Approved", WorkflowTimeout);
        var approvedAt = watch.Elapsed;
        var voucherId = approved.GetProperty("voucherId").GetString()!;
        Assert.Equal($"V-{applicationId}", voucherId);
        Assert.True(approved.GetProperty("decision").GetProperty("approved").GetBoolean());
        Assert.Equal("city-bureau:taiyuan", approved.GetProperty("decision").GetProperty("decidedBy").GetString());
        Assert.False(approved.TryGetProperty("deadline", out _), "a decided application has no running deadline");
        var history = (await enterprise.WaitForHistoryAsync(statusUrl, "Approved", TimeSpan.FromSeconds(10))).GetProperty("history");
        Assert.Single(history.EnumerateArray(), h => h.GetProperty("to").GetString() == "Approved");
        Assert.Equal(["Submitted", "UnderReview", "Approved"], history.EnumerateArray().Select(h => h.GetProperty("to").GetString()));

        var voucher = await enterprise.GetJsonAsync($"api/vouchers/{voucherId}");
        Assert.Equal("50000.00", voucher.GetProperty("faceValue").GetString());
        Assert.Equal("50000.00", voucher.GetProperty("remaining").GetString());
        Assert.Equal("Active", voucher.GetProperty("status").GetString());
        Assert.Equal(uscc, voucher.GetProperty("uscc").GetString());
        Assert.Equal(applicationId, voucher.GetProperty("applicationId").GetString());

        // The enterprise is told, with a link to its voucher's page (never to the API), which opens.
        var voucherLink = await enterprise.WaitForMailboxLinkAsync($"decision-{applicationId}", $"enterprise:{uscc}", WorkflowTimeout);
        Assert.Equal($"/portal/vouchers/{voucherId}", voucherLink.AbsolutePath);
        using (var voucherPage = await enterprise.GetAsync(voucherLink.ToString()))
        {
            var html = await voucherPage.Content.ReadAsStringAsync();
            Assert.True(voucherPage.StatusCode == HttpStatusCode.OK, $"voucher page answered {(int)voucherPage.StatusCode}: {html}");
            Assert.Contains("¥50,000.00", html, StringComparison.Ordinal);
        }

        // The link works once: a second POST (and a later GET) shows "already used" with 409 and changes nothing.
        using (var again = await bureau.PostFormAsync(link.ToString(), new Dictionary<string, string> { ["decision"] = "reject", ["reason"] = "重复提交" }))
        {
            var html = await again.Content.ReadAsStringAsync();
            Assert.True(again.StatusCode == HttpStatusCode.Conflict, $"second POST of the link answered {(int)again.StatusCode}: {html}");
            Assert.Contains("已使用", html, StringComparison.Ordinal);
        }

        using (var reopened = await bureau.GetAsync(link.ToString()))
        {
            Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);
        }

        var final = await enterprise.GetJsonAsync(statusUrl);
        Assert.Equal("Approved", final.GetProperty("status").GetString());
        Assert.Single(final.GetProperty("history").EnumerateArray(), h => h.GetProperty("to").GetString() == "Approved");

        output.WriteLine($"submit -> UnderReview: {reviewAt.TotalSeconds:0.0} s; submit -> Approved (incl. review): {approvedAt.TotalSeconds:0.0} s; whole test: {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [InlineData("uscc")]
    [InlineData("cityCode")]
    [InlineData("sizeClass")]
    [InlineData("contactPhone")]
    public async Task Registration_WithAnInvalidField_Returns400ProblemNamingThatField(string field)
    {
        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(Base, "enterprise", uscc, "王工");
        var body = field switch
        {
            "uscc" => Registration(uscc, uscc: TestUscc.WithWrongCheckCharacter(uscc)),
            "cityCode" => Registration(uscc, cityCode: "beijing"),
            "sizeClass" => Registration(uscc, sizeClass: "huge"),
            "contactPhone" => Registration(uscc, contactPhone: "12345"),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        using var response = await enterprise.PostJsonAsync("api/enterprises", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = Json(text);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name '{field}': {errors}");
        Assert.NotEmpty(messages.EnumerateArray());
        Assert.Single(errors.EnumerateObject());

        // Nothing was stored.
        await enterprise.GetJsonAsync($"api/enterprises/{uscc}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Registration_OfAnAlreadyRegisteredUscc_Returns409()
    {
        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(Base, "enterprise", uscc, "王工");
        using (var first = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await enterprise.PostJsonAsync("api/enterprises", TestData.Registration(uscc, "另一个名称有限公司"));
        var text = await second.Content.ReadAsStringAsync();
        Assert.True(second.StatusCode == HttpStatusCode.Conflict, $"answered {(int)second.StatusCode}: {text}");
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains(uscc, Json(text).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The first registration stands.
        var stored = await enterprise.GetJsonAsync($"api/enterprises/{uscc}");
        Assert.Equal("太原测试科技有限公司", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Api_WithoutSignIn_Returns401AndSubmissionForUnregisteredEnterpriseReturns422()
    {
        using var anonymous = PortalClient.Anonymous(Base);
        using (var response = await anonymous.PostJsonAsync("api/applications", new { uscc = TestUscc.New() }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var uscc = TestUscc.New();
        using var enterprise = await PortalClient.SignInAsync(Base, "enterprise", uscc, "王工");
        using (var response = await enterprise.PostJsonAsync("api/applications", new { uscc }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        }

        // Another enterprise's USCC: forbidden.
        using (var response = await enterprise.PostJsonAsync("api/applications", new { uscc = TestUscc.New() }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    /// <summary>
    /// The running process maps every route of <see cref="VoucherRoutes"/>: each answers its own method with
    /// something other than the router's empty 404 or a 405.
    /// </summary>
    [Fact]
    public async Task LocalHostProcess_AnswersEveryVoucherRoute()
    {
        using var anonymous = PortalClient.Anonymous(Base);
        var unanswered = new List<string>();
        foreach (var route in VoucherRoutes.All)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.Template, "\\{[^}]+\\}", "x");
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            if (route.Method == "POST")
            {
                request.Content = new FormUrlEncodedContent([]);
            }

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = Base };
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.MethodNotAllowed || (response.StatusCode == HttpStatusCode.NotFound && body.Length == 0))
            {
                unanswered.Add($"{route.Method} /{route.Template} ({route.Name}) -> {(int)response.StatusCode}");
            }
        }

        Assert.True(unanswered.Count == 0, "Routes the local host does not map: " + string.Join("; ", unanswered));
    }

    void AssertDeadline(JsonElement view)
    {
        var deadline = view.GetProperty("deadline");
        var date = DateOnly.ParseExact(deadline.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var remaining = deadline.GetProperty("remainingWorkingDays").GetInt32();
        var notifiedOn = ChinaTime.DateOf(view.GetProperty("notifiedAt").GetDateTimeOffset());
        var reviewDays = CityPolicy.Default("taiyuan", DateTimeOffset.UtcNow).ReviewWorkingDays;
        Assert.Equal(WorkingCalendar.Embedded.AddWorkingDays(notifiedOn, reviewDays), date);
        Assert.Equal(WorkingCalendar.Embedded.WorkingDaysBetween(ChinaTime.DateOf(DateTimeOffset.UtcNow), date), remaining);
        Assert.InRange(remaining, reviewDays - 1, reviewDays);
        Assert.False(deadline.GetProperty("overdue").GetBoolean());
        output.WriteLine($"deadline {date:yyyy-MM-dd}, {remaining} working days left");
    }

    static object Registration(string signedInUscc, string? uscc = null, string cityCode = "taiyuan", string sizeClass = "small", string contactPhone = "13903510001") => new
    {
        uscc = uscc ?? signedInUscc,
        name = "太原测试科技有限公司",
        cityCode,
        sizeClass,
        techSmeNumber = "202614010001",
        contactName = "王工",
        contactPhone,
    };

    static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
