using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Voucher.Workflows.Http;

namespace Voucher.Contract.Tests;

/// <summary>
/// The API contract the local host serves at <c>/api/openapi.json</c>, read with Microsoft.OpenApi (the maintained
/// OpenAPI.NET reader): OpenAPI 3.1 without reader errors or warnings, exactly the API routes of the route table
/// (every path and method, nothing else), each operation with its success answer's schema and its problems.
/// </summary>
[Collection(ContractCollection.Name)]
public sealed class OpenApiDocumentTests(ContractSite site, ITestOutputHelper output)
{
    [Fact]
    public async Task ServedDocument_ReadsAsOpenApi31_WithoutErrorsOrWarnings()
    {
        var (document, diagnostic, text) = await ReadServedAsync();

        output.WriteLine($"{text.Length:N0} characters, {document.Paths.Count} paths, {document.Components?.Schemas?.Count ?? 0} component schemas");
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Contains("appServiceAuthentication", document.Components!.SecuritySchemes!.Keys);
        Assert.Contains("developmentSignIn", document.Components.SecuritySchemes.Keys);
    }

    [Fact]
    public async Task Operations_AreExactlyTheApiRoutesOfTheRouteTable()
    {
        var (document, _, _) = await ReadServedAsync();

        var expected = VoucherRoutes.All.Where(OpenApiDocumentBuilder.IsApi)
            .Select(r => $"{r.Method.ToUpperInvariant()} /{r.Template} {r.Name}").ToHashSet();
        var actual = document.Paths
            .SelectMany(p => p.Value.Operations!.Select(o => $"{o.Key.Method.ToUpperInvariant()} {p.Key} {o.Value.OperationId}"))
            .ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Empty(expected.Except(actual).Select(x => "missing from the document: " + x));
        Assert.Empty(actual.Except(expected).Select(x => "in the document, not an API route: " + x));
        output.WriteLine($"{actual.Count} operations = {expected.Count} API routes of {VoucherRoutes.All.Count} routes");
    }

    [Fact]
    public async Task EachOperation_HasItsSuccessSchema_PathParameters_SecurityAndProblems()
    {
        var (document, _, _) = await ReadServedAsync();
        var routes = VoucherRoutes.All.Where(OpenApiDocumentBuilder.IsApi).ToDictionary(r => r.Name);
        var problems = 0;

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var route = routes[operation.OperationId!];
                var contract = route.Contract!;
                var where = $"{method.Method} {path}";

                var success = operation.Responses![contract.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                var media = Assert.Single(success.Content!);
                Assert.True(media.Value.Schema is not null, $"{where}: the {contract.Status} answer has no schema");
                if (Element(contract.Response) != typeof(JsonObjectResponse) && contract.Response != typeof(FileResponse))
                {
                    // A named contract type: the schema says what it holds (a referenced component or an array of one).
                    var schema = media.Value.Schema!.Items ?? media.Value.Schema;
                    Assert.True(schema.Properties?.Count > 0, $"{where}: {contract.Response.Name} has no properties in its schema");
                }

                var parameters = System.Text.RegularExpressions.Regex.Matches(route.Template, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToHashSet();
                Assert.Equal(parameters, (operation.Parameters ?? []).Where(p => p.In == ParameterLocation.Path).Select(p => p.Name!).ToHashSet());

                Assert.Equal(!route.Access.Anonymous, operation.Security?.Count > 0);

                foreach (var status in OpenApiDocumentBuilder.ProblemStatuses(route, contract))
                {
                    var problem = operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                    var schema = Assert.Single(problem.Content!, c => c.Key == "application/problem+json").Value.Schema!;
                    Assert.Contains("title", schema.Properties!.Keys);
                    problems++;
                }

                if (contract.Request is not null)
                {
                    var body = Assert.Single(operation.RequestBody!.Content!, c => c.Key == "application/json").Value.Schema!;
                    Assert.True(body.Properties?.Count > 0, $"{where}: request {contract.Request.Name} has no properties");
                }
            }
        }

        output.WriteLine($"{problems} problem answers described");
        // The failures the handlers answer most: the application's 409/422, the redemption's cap (422), an unknown id (404).
        Assert.Contains("422", document.Paths["/api/redemptions"].Operations![HttpMethod.Post].Responses!.Keys);
        Assert.Contains("404", document.Paths["/api/applications/{id}"].Operations![HttpMethod.Get].Responses!.Keys);
        Assert.Contains("errors", document.Paths["/api/applications"].Operations![HttpMethod.Post].Responses!["400"].Content!["application/problem+json"].Schema!.Properties!.Keys);
    }

    [Fact]
    public void EveryApiRoute_HasAContract_AndNoPageOrLinkHasOne()
    {
        Assert.All(VoucherRoutes.All.Where(OpenApiDocumentBuilder.IsApi), r => Assert.True(r.Contract is not null, $"{r.Name} ({r.Method} {r.Template}) has no ApiContract"));
        Assert.All(VoucherRoutes.All.Where(r => !OpenApiDocumentBuilder.IsApi(r)), r => Assert.True(r.Contract is null, $"{r.Name} ({r.Template}) is not API but has an ApiContract"));
    }

    static Type Element(Type type) =>
        type.IsArray ? type.GetElementType()! : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : type;

    async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic, string Text)> ReadServedAsync()
    {
        using var http = new HttpClient { BaseAddress = site.Host.BaseAddress };
        using var response = await http.GetAsync("api/openapi.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);

        var settings = new OpenApiReaderSettings();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var result = await OpenApiDocument.LoadAsync(stream, "json", settings);
        Assert.NotNull(result.Document);
        return (result.Document!, result.Diagnostic!, text);
    }
}
