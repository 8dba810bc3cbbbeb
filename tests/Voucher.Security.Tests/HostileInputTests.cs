using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Voucher.Security.Tests;

/// <summary>One hostile request: who sends it, where, what body, and the field or rule the answer must name.</summary>
public sealed record HostileCase(string Name, string Caller, string Method, string Path, string Kind, string? Body, string? ContentType, string? Names, int? Status = null, byte[]? File = null, string? FileName = null, string? FileType = null);

/// <summary>
/// ≥ 200 malformed or hostile requests across the API and the forms. Each gets a 4xx (never a 5xx) with a body that
/// names the field or the rule, and the application tables and the evidence container are unchanged afterwards.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class HostileInputTests(SecurityHost host, ITestOutputHelper output)
{
    public static readonly Dictionary<string, HostileCase> Cases = HostileCaseBook.Build();

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(k => new object[] { k });

    [Fact]
    public void There_are_at_least_200_cases()
    {
        output.WriteLine($"hostile input cases: {Cases.Count}");
        foreach (var group in Cases.Values.GroupBy(c => c.Method + " " + c.Path.Split('/').Take(2).Aggregate((a, b) => a + "/" + b)))
        {
            output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        Assert.True(Cases.Count >= 200, $"only {Cases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_input_gets_a_clear_4xx_and_changes_nothing(string name)
    {
        var c = Cases[name];
        var before = await StorageSnapshot.TakeAsync(host.Azurite);
        var answer = await host.SendAsync(c.Caller, new HttpMethod(c.Method), host.Fill(c.Path), Content(c));
        Assert.True(answer.Code is >= 400 and < 500, $"{name}: expected 4xx, got {answer}");
        if (c.Status is { } expected)
        {
            Assert.True(answer.Code == expected, $"{name}: expected {expected}, got {answer}");
        }

        AssertNamesTheProblem(c, answer);
        var after = await StorageSnapshot.TakeAsync(host.Azurite);
        Assert.True(before == after, $"{name}: storage changed{Environment.NewLine}before {before}{Environment.NewLine}after  {after}");
    }

    HttpContent? Content(HostileCase c)
    {
        if (c.File is not null || c.Kind == "multipart")
        {
            var form = new MultipartFormDataContent();
            if (c.File is not null)
            {
                var file = new ByteArrayContent(c.File);
                file.Headers.ContentType = new MediaTypeHeaderValue(c.FileType ?? "application/pdf");
                form.Add(file, "file", c.FileName ?? "x.pdf");
            }
            else
            {
                form.Add(new StringContent("no file here"), "note");
            }

            return form;
        }

        if (c.Body is null)
        {
            return null;
        }

        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(host.Fill(c.Body)));
        if (c.ContentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }

        return content;
    }

    static void AssertNamesTheProblem(HostileCase c, Answer answer)
    {
        if (answer.ContentType is "application/problem+json" or "application/json")
        {
            var problem = answer.Json();
            if (c.Names is not null && c.Names.StartsWith('$'))
            {
                // A rule, not a field: the title or detail carries it.
                var text = (problem.TryGetProperty("title", out var t) ? t.GetString() : "") + " " + (problem.TryGetProperty("detail", out var d) ? d.GetString() : "");
                Assert.True(text.Contains(c.Names[1..], StringComparison.OrdinalIgnoreCase), $"{c.Name}: the answer does not state '{c.Names[1..]}': {answer}");
                return;
            }

            if (c.Names is not null)
            {
                Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => string.Equals(e.Name, c.Names, StringComparison.OrdinalIgnoreCase)),
                    $"{c.Name}: errors do not name '{c.Names}': {answer}");
                return;
            }

            var readable = (problem.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 })
                || (problem.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 });
            Assert.True(readable, $"{c.Name}: no title or detail: {answer}");
            return;
        }

        // A page: readable text in an error or alert element, or (forms) the error in the redirect.
        if (answer.Status == HttpStatusCode.Redirect)
        {
            Assert.Contains("error=", answer.Location ?? "", StringComparison.Ordinal);
            return;
        }

        Assert.True(answer.ContentType == "text/html" && (answer.Body.Contains("class=\"error\"", StringComparison.Ordinal) || answer.Body.Contains("role=\"alert\"", StringComparison.Ordinal) || answer.Body.Contains("<h1>", StringComparison.Ordinal)),
            $"{c.Name}: not a readable error: {answer}");
        if (c.Names is not null && !c.Names.StartsWith('$'))
        {
            Assert.True(answer.Body.Contains($"id=\"{c.Names}-error\"", StringComparison.Ordinal) || answer.Body.Contains(c.Names, StringComparison.Ordinal),
                $"{c.Name}: the page does not point at '{c.Names}': {answer}");
        }
    }
}
