using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Voucher.Domain;
using Voucher.Workflows.Http;

namespace Voucher.Contract.Tests;

/// <summary>
/// The <c>.http</c> files in <c>tests/http/</c> run from the top against a real local host (with the demo data and
/// settlement "now"): every answer's status is the one the file expects, and every API answer's status is one the
/// OpenAPI document lists for that operation — so neither the examples nor the contract can rot.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class HttpFileTests(ContractSite site, ITestOutputHelper output)
{
    static readonly TimeSpan PollLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task LifecycleFile_ApplyReviewRedeemSettlePay_RunsAsWritten()
    {
        var answers = await RunAsync("lifecycle.http", new Dictionary<string, string>
        {
            ["uscc"] = TestUscc.New(),
            ["periodId"] = SettlementPeriod.Containing(SettlementCadence.Monthly, ChinaTime.DateOf(DateTime.UtcNow)).Id,
        });

        // The flows the file stands for each happened: submitted, decided, redeemed, settled, paid.
        Assert.Contains(answers, a => a is { Method: "POST", Status: 202 } && a.Url.AbsolutePath == "/api/applications");
        Assert.Contains(answers, a => a is { Method: "POST", Status: 202 } && a.Url.AbsolutePath.EndsWith("/decision", StringComparison.Ordinal));
        Assert.Contains(answers, a => a is { Method: "POST", Status: 202 } && a.Url.AbsolutePath == "/api/redemptions");
        Assert.Contains(answers, a => a is { Method: "POST", Status: 202 } && a.Url.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal));
        Assert.Equal("Paid", HttpFileRunner.Select(answers[^1].Body, "$.status"));
    }

    [Fact]
    public async Task PublicFile_ReadsAndProblemAnswers_RunAsWritten()
    {
        var answers = await RunAsync("public.http", new Dictionary<string, string>());

        var unknownField = Assert.Single(answers, a => a is { Method: "POST", Status: 400 });
        Assert.Contains("status", HttpFileRunner.Select(unknownField.Body, "$.errors") ?? "", StringComparison.Ordinal);
        Assert.StartsWith("application/problem+json", unknownField.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public void Files_AreParsedAsTheyAreWritten()
    {
        var file = HttpFile.Load(PathOf("lifecycle.http"));
        Assert.True(file.Requests.Count >= 25, $"{file.Requests.Count} requests");
        Assert.Equal("http://localhost:7071", file.Variables["base"]);
        Assert.True(Uscc.TryValidate(file.Variables["uscc"], out _, out _), "the file's own @uscc is a valid code");
        Assert.Contains(file.Requests, r => r is { Name: "submit", Method: "POST", Url: "{{base}}/api/applications" } && r.Expect!.SequenceEqual([202]));
        Assert.Contains(file.Requests, r => r.Poll == "$.status == Paid");
    }

    async Task<IReadOnlyList<HttpFileAnswer>> RunAsync(string name, Dictionary<string, string> overrides)
    {
        overrides["base"] = site.BaseUrl;
        var runner = new HttpFileRunner(HttpFile.Load(PathOf(name)), overrides, PollLimit);
        IReadOnlyList<HttpFileAnswer> answers;
        try
        {
            answers = await runner.RunAsync(output.WriteLine);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}Host output (tail):{Environment.NewLine}{site.OutputTail()}", e);
        }

        AssertStatusesAreInTheContract(answers);
        return answers;
    }

    /// <summary>Each answer of an API route has a status the OpenAPI document lists for that route's operation.</summary>
    void AssertStatusesAreInTheContract(IReadOnlyList<HttpFileAnswer> answers)
    {
        using var document = JsonDocument.Parse(OpenApiDocumentBuilder.Json);
        var paths = document.RootElement.GetProperty("paths");
        var checkedCount = 0;
        var typedCount = 0;
        foreach (var answer in answers.Where(a => a.Url.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var route = RouteOf(answer.Method, answer.Url.AbsolutePath);
            Assert.True(route is not null, $"{answer.Method} {answer.Url.AbsolutePath} matches no API route");
            var responses = paths.GetProperty("/" + route!.Template).GetProperty(route.Method.ToLowerInvariant()).GetProperty("responses");
            Assert.True(responses.TryGetProperty(answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                $"{answer.Method} {answer.Url.AbsolutePath} answered {answer.Status}, which /api/openapi.json does not list for {route.Name} ({string.Join(", ", responses.EnumerateObject().Select(p => p.Name))})");
            checkedCount++;
            if (answer.Status is >= 200 and < 300 && PropertiesOf(document.RootElement, responses, answer.Status) is { } declared)
            {
                // The answer holds no property its declared type does not (a wrong or stale ApiContract type shows here).
                using var body = JsonDocument.Parse(answer.Body);
                var sample = body.RootElement.ValueKind == JsonValueKind.Array ? body.RootElement.EnumerateArray().FirstOrDefault() : body.RootElement;
                if (sample.ValueKind == JsonValueKind.Object)
                {
                    var undeclared = sample.EnumerateObject().Select(p => p.Name).Where(n => !declared.Contains(n)).ToList();
                    Assert.True(undeclared.Count == 0, $"{answer.Method} {answer.Url.AbsolutePath} answered properties the contract of {route.Name} does not declare: {string.Join(", ", undeclared)}");
                    typedCount++;
                }
            }
        }

        output.WriteLine($"{checkedCount} API answers checked against the OpenAPI document, {typedCount} against their declared schema");
    }

    /// <summary>The property names of the success answer's schema when it is a named component (or an array of one).</summary>
    static HashSet<string>? PropertiesOf(JsonElement root, JsonElement responses, int status)
    {
        if (!responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
            || !response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
        {
            return null;
        }

        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("items", out var items))
        {
            schema = items;
        }

        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return null;
        }

        var component = root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        return component.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : null;
    }

    static RouteDef? RouteOf(string method, string path) =>
        VoucherRoutes.All.Where(r => OpenApiDocumentBuilder.IsApi(r) && r.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            .Where(r => new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            .OrderByDescending(r => r.Template.Split('/').Count(s => !s.StartsWith('{')))
            .FirstOrDefault();

    static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "http", name);
}
