using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voucher.Security.Tests.Support;

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
    public static readonly Dictionary<string, HostileCase> Cases = Build();

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

    // ------------------------------------------------------------------------------------------------------------

    static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        void Add(string name, string caller, string method, string path, string? body, string? names, int? status = null, string contentType = "application/json; charset=utf-8")
        {
            cases.Add(name, new HostileCase(name, caller, method, path, "json", body, body is null ? null : contentType, names, status));
        }

        void AddForm(string name, string caller, string path, IDictionary<string, string> fields, string? names, int? status = null)
        {
            var body = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
            cases.Add(name, new HostileCase(name, caller, "POST", path, "form", body, "application/x-www-form-urlencoded", names, status));
        }

        void AddFile(string name, string caller, string path, byte[]? file, string fileName, string fileType, string? names, int? status = null)
        {
            cases.Add(name, new HostileCase(name, caller, "POST", path, "multipart", null, null, names, status, file, fileName, fileType));
        }

        // ---- POST /api/enterprises (enterprise D, not registered: a case that slipped through would register it) ----
        static JsonObject Registration() => new()
        {
            ["uscc"] = "{usccD}", ["name"] = "安全测试科技有限公司", ["cityCode"] = "taiyuan", ["sizeClass"] = "small",
            ["techSmeNumber"] = "202614010001", ["contactName"] = "周工", ["contactPhone"] = "13903510001",
        };
        string With(Func<JsonObject> make, string field, JsonNode? value)
        {
            var o = make();
            o[field] = value;
            return o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        string Without(Func<JsonObject> make, string field)
        {
            var o = make();
            o.Remove(field);
            return o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        const string Ent = "api/enterprises";
        var malformed = new Dictionary<string, string>
        {
            ["open brace"] = "{", ["close brace"] = "}", ["array"] = "[]", ["null"] = "null", ["string"] = "\"hello\"", ["number"] = "42",
            ["missing value"] = "{\"uscc\":}", ["trailing comma"] = "{\"uscc\":\"x\",}", ["trailing garbage"] = "{}garbage", ["single quotes"] = "{'uscc':'x'}",
            ["unquoted key"] = "{uscc:\"x\"}", ["comment"] = "{/* c */\"uscc\":\"x\"}", ["nan"] = "{\"uscc\":NaN}", ["deep nesting"] = new string('[', 200) + new string(']', 200),
            ["invalid utf8 escape"] = "{\"name\":\"\\uZZZZ\"}", ["two objects"] = "{}{}",
        };
        foreach (var (what, body) in malformed)
        {
            Add($"enterprise: malformed JSON ({what})", "entD", "POST", Ent, body, null, 400);
        }

        Add("enterprise: empty body", "entD", "POST", Ent, "", null, 400);
        Add("enterprise: oversized body (70 KB)", "entD", "POST", Ent, "{\"name\":\"" + new string('x', 70 * 1024) + "\"}", "$too large", 413);
        Add("enterprise: text/plain", "entD", "POST", Ent, Registration().ToJsonString(), "$JSON", 415, "text/plain");
        Add("enterprise: form content type", "entD", "POST", Ent, "uscc=x", "$JSON", 415, "application/x-www-form-urlencoded");
        Add("enterprise: no body at all", "entD", "POST", Ent, null, "$JSON", 415);

        foreach (var field in new[] { "uscc", "name", "cityCode", "sizeClass", "techSmeNumber", "contactName", "contactPhone" })
        {
            Add($"enterprise: missing {field}", "entD", "POST", Ent, Without(Registration, field), field, 400);
            Add($"enterprise: {field} is a number", "entD", "POST", Ent, With(Registration, field, 12345), field, 400);
            Add($"enterprise: {field} is an object", "entD", "POST", Ent, With(Registration, field, new JsonObject { ["$ne"] = "" }), field, 400);
            Add($"enterprise: {field} is an array", "entD", "POST", Ent, With(Registration, field, new JsonArray("a", "b")), field, 400);
            Add($"enterprise: {field} is blank", "entD", "POST", Ent, With(Registration, field, "   "), field, 400);
        }

        foreach (var extra in new[] { "status", "payoutFen", "registeredAt", "barredUntil", "partitionKey", "rowKey", "eTag", "role", "isAdmin", "faceValue", "Status" })
        {
            Add($"enterprise: mass assignment of {extra}", "entD", "POST", Ent, With(Registration, extra, extra == "payoutFen" ? 99999999 : "Approved"), extra, 400);
        }

        var badUscc = new Dictionary<string, string>
        {
            ["wrong check character"] = "WRONGCHECK", ["17 characters"] = "91140100MA0K1234", ["19 characters"] = "91140100MA0K1234XXX",
            ["letter I"] = "91140100MA0KI2345X", ["letter O"] = "91140100MA0KO2345X", ["letter Z"] = "91140100MA0KZ2345X",
            ["Beijing"] = "BEIJING", ["Chinese"] = "九一一四零一零零ＭＡ０Ｋ１２３４５Ｘ", ["emoji"] = "91140100😀😀😀😀X", ["SQL"] = "' OR '1'='1' --", ["path traversal"] = "../../etc/passwd",
            ["OData"] = "x' or PartitionKey ne '", ["null byte"] = "91140100MA0K1234\u0000X", ["spaces only"] = "                  ",
        };
        foreach (var (what, value) in badUscc)
        {
            var uscc = value switch
            {
                "WRONGCHECK" => "{usccD-wrong}",
                "BEIJING" => "{usccBeijing}",
                _ => value,
            };
            Add($"enterprise: invalid USCC ({what})", "entD", "POST", Ent, With(Registration, "uscc", uscc), "uscc", 400);
        }

        var badFields = new (string Field, string Value, string What)[]
        {
            ("name", new string('企', 101), "101 Chinese characters"), ("cityCode", "beijing", "not a Shanxi city"), ("cityCode", "taiyuan' or '1'='1", "SQL"),
            ("cityCode", "../datong", "path traversal"), ("cityCode", "太原😀", "emoji"), ("sizeClass", "huge", "unknown size"), ("sizeClass", "1", "enum number as text"),
            ("sizeClass", "small; rm -rf /", "shell"), ("techSmeNumber", "'; DROP TABLE Enterprises;--", "SQL"), ("techSmeNumber", "<script>alert(1)</script>", "script"),
            ("techSmeNumber", "科技型编号一二三", "Chinese"), ("techSmeNumber", new string('1', 41), "41 characters"), ("contactName", new string('王', 51), "51 characters"),
            ("contactPhone", "12345", "too short"), ("contactPhone", "139035100011", "12 digits"), ("contactPhone", "12903510001", "starts with 12"),
            ("contactPhone", "+8613903510001", "country code"), ("contactPhone", "1390351000😀", "emoji"), ("contactPhone", "一三九零三五一零零零一", "Chinese digits"),
            ("contactPhone", "13903510001' OR 1=1", "SQL"), ("contactPhone", "13903510001\n13903510002", "newline"),
        };
        foreach (var (field, value, what) in badFields)
        {
            Add($"enterprise: {field} {what}", "entD", "POST", Ent, With(Registration, field, value), field, 400);
        }

        Add("enterprise: registering another enterprise's USCC", "entD", "POST", Ent, With(Registration, "uscc", "{usccUnknown}"), "$enterprise", 403);

        // ---- POST /api/applications (enterprise A: a valid request would open a new application) ----
        const string App = "api/applications";
        foreach (var (what, value) in new (string, JsonNode?)[]
        {
            ("zero", 0), ("negative", -50000), ("huge", 1e20m), ("over-precise", 50000.001m), ("almost", 49999.99m), ("as text", "50000"), ("true", true),
            ("object", new JsonObject()), ("3 times", 150000),
        })
        {
            Add($"application: faceValue {what}", "entA", "POST", App, new JsonObject { ["uscc"] = "{usccA}", ["faceValue"] = value?.DeepClone() }.ToJsonString(), "faceValue", 400);
        }

        Add("application: faceValue beyond decimal", "entA", "POST", App, "{\"uscc\":\"{usccA}\",\"faceValue\":1e400}", "faceValue", 400);
        foreach (var extra in new[] { "status", "voucherId", "round", "applicationId", "approved", "payoutFen" })
        {
            Add($"application: mass assignment of {extra}", "entA", "POST", App, $"{{\"uscc\":\"{{usccA}}\",\"{extra}\":\"Approved\"}}", extra, 400);
        }

        Add("application: missing uscc", "entA", "POST", App, "{}", "uscc", 400);
        Add("application: invalid uscc", "entA", "POST", App, "{\"uscc\":\"91140100\"}", "uscc", 400);
        Add("application: uscc number", "entA", "POST", App, "{\"uscc\":91140100}", "uscc", 400);
        Add("application: another enterprise", "entA", "POST", App, "{\"uscc\":\"{usccB}\",\"faceValue\":1}", "$enterprise", 403);
        Add("application: malformed", "entA", "POST", App, "{\"uscc\":", null, 400);

        // ---- POST /api/applications/{id}/decision (Taiyuan bureau) ----
        const string Decide = "api/applications/{appA}/decision";
        foreach (var (what, body, field) in new[]
        {
            ("round zero", "{\"round\":0,\"approve\":true}", "round"), ("round negative", "{\"round\":-1,\"approve\":true}", "round"),
            ("round text", "{\"round\":\"1\",\"approve\":true}", "round"), ("round fraction", "{\"round\":1.5,\"approve\":true}", "round"),
            ("round huge", "{\"round\":99999999999,\"approve\":true}", "round"), ("approve missing", "{\"round\":1}", "approve"),
            ("approve text", "{\"round\":1,\"approve\":\"yes\"}", "approve"), ("approve number", "{\"round\":1,\"approve\":1}", "approve"),
            ("reject without reason", "{\"round\":1,\"approve\":false}", "reason"), ("reject with blank reason", "{\"round\":1,\"approve\":false,\"reason\":\"   \"}", "reason"),
            ("reason 501", "{\"round\":1,\"approve\":false,\"reason\":\"" + new string('理', 501) + "\"}", "reason"),
            ("extra status", "{\"round\":1,\"approve\":true,\"status\":\"Approved\"}", "status"), ("extra voucherId", "{\"round\":1,\"approve\":true,\"voucherId\":\"V-x\"}", "voucherId"),
            ("extra decidedBy", "{\"round\":1,\"approve\":true,\"decidedBy\":\"province\"}", "decidedBy"), ("empty object", "{}", "round"),
        })
        {
            Add($"decision: {what}", "cityTY", "POST", Decide, body, field, 400);
        }

        Add("decision: malformed", "cityTY", "POST", Decide, "{\"round\":1,", null, 400);
        Add("decision: unknown application", "cityTY", "POST", "api/applications/91140100MA0K00000X-2026-01/decision", "{\"round\":1,\"approve\":true}", "$not found", 404);
        Add("decision: already decided", "cityTY", "POST", Decide, "{\"round\":1,\"approve\":false,\"reason\":\"再次\"}", "$already", 409);
        Add("decision: another city's application", "cityTY", "POST", "api/applications/{appB}/decision", "{\"round\":1,\"approve\":true}", "$bureau", 403);

        // ---- POST /api/redemptions (enterprise A, voucher A) ----
        static JsonObject Redemption() => new()
        {
            ["voucherId"] = "{vA}", ["institutionId"] = "inst-sec-ty", ["serviceId"] = "svc-sec-ty", ["contractNumber"] = "HOSTILE-1", ["amountPaid"] = 100,
        };
        const string Red = "api/redemptions";
        foreach (var (what, value) in new (string, JsonNode?)[]
        {
            ("zero", 0), ("negative", -100), ("negative tiny", -0.01m), ("huge", 1e15m), ("over-precise", 100.001m), ("tiny", 0.001m), ("as text", "100"),
            ("as words", "一百元"), ("boolean", true), ("null", null), ("array", new JsonArray(1)), ("just over the cap", 100000000001m),
        })
        {
            Add($"redemption: amountPaid {what}", "entA", "POST", Red, With(Redemption, "amountPaid", value?.DeepClone()), "amountPaid", 400);
        }

        Add("redemption: amountPaid beyond decimal", "entA", "POST", Red, "{\"voucherId\":\"{vA}\",\"institutionId\":\"inst-sec-ty\",\"serviceId\":\"svc-sec-ty\",\"contractNumber\":\"H\",\"amountPaid\":1e400}", "amountPaid", 400);
        foreach (var extra in new[] { "status", "payoutFen", "uscc", "enterpriseName", "bindingRound", "bound", "policyVersion", "cityCode" })
        {
            Add($"redemption: mass assignment of {extra}", "entA", "POST", Red, With(Redemption, extra, extra == "payoutFen" ? 100000000 : "Paid"), extra, 400);
        }

        foreach (var field in new[] { "voucherId", "institutionId", "contractNumber", "amountPaid", "serviceId" })
        {
            Add($"redemption: missing {field}", "entA", "POST", Red, Without(Redemption, field), field, 400);
        }

        Add("redemption: voucherId 41 characters", "entA", "POST", Red, With(Redemption, "voucherId", new string('V', 41)), "voucherId", 400);
        Add("redemption: contractNumber 65 characters", "entA", "POST", Red, With(Redemption, "contractNumber", new string('合', 65)), "contractNumber", 400);
        Add("redemption: institutionId 65 characters", "entA", "POST", Red, With(Redemption, "institutionId", new string('i', 65)), "institutionId", 400);
        Add("redemption: cooperativeRd with a service", "entA", "POST", Red, With(Redemption, "cooperativeRd", true), "serviceId", 400);
        Add("redemption: cooperativeRd as text", "entA", "POST", Red, With(Redemption, "cooperativeRd", "yes"), "cooperativeRd", 400);
        Add("redemption: voucherId number", "entA", "POST", Red, With(Redemption, "voucherId", 42), "voucherId", 400);
        Add("redemption: unknown voucher", "entA", "POST", Red, With(Redemption, "voucherId", "V-nope"), "$not found", 404);
        Add("redemption: voucher with SQL", "entA", "POST", Red, With(Redemption, "voucherId", "V' or '1'='1"), "$not found", 404);
        Add("redemption: another enterprise's voucher", "entA", "POST", Red, With(Redemption, "voucherId", "{vB}"), "$another enterprise", 403);
        Add("redemption: malformed", "entA", "POST", Red, "{\"voucherId\":", null, 400);
        Add("redemption: oversized", "entA", "POST", Red, "{\"contractNumber\":\"" + new string('合', 30 * 1024) + "\"}", "$too large", 413);

        // ---- evidence upload (enterprise B's redemption awaits binding; max 2048 bytes on this host) ----
        const string Ev = "api/redemptions/{redB}/evidence/report";
        AddFile("evidence: executable", "entB", Ev, [0x4D, 0x5A, 0x90, 0x00, .. new byte[200]], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: HTML disguised as PDF", "entB", Ev, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: text", "entB", Ev, Encoding.UTF8.GetBytes("just some text, no document"), "report.txt", "text/plain", "file", 400);
        AddFile("evidence: zip", "entB", Ev, [0x50, 0x4B, 0x03, 0x04, .. new byte[100]], "report.zip", "application/zip", "file", 400);
        AddFile("evidence: SVG", "entB", Ev, Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "report.svg", "image/svg+xml", "file", 400);
        AddFile("evidence: GIF", "entB", Ev, Encoding.ASCII.GetBytes("GIF89a" + new string('x', 50)), "report.gif", "image/gif", "file", 400);
        AddFile("evidence: empty", "entB", Ev, [], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: oversize PDF", "entB", Ev, [.. SecurityHost.Pdf("big"), .. new byte[3000]], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: oversize with traversal name", "entB", Ev, [.. SecurityHost.Pdf("big"), .. new byte[3000]], "../../etc/passwd.pdf", "application/pdf", "file", 400);
        AddFile("evidence: executable with traversal name", "entB", Ev, [0x4D, 0x5A, .. new byte[100]], "..\\..\\windows\\system32\\cmd.exe.pdf", "application/pdf", "file", 400);
        AddFile("evidence: wrong field name", "entB", Ev, null, "x.pdf", "application/pdf", "file", 400);
        Add("evidence: JSON instead of multipart", "entB", "POST", Ev, "{\"file\":\"JVBERi0=\"}", "file", 400);
        AddFile("evidence: unknown kind", "entB", "api/redemptions/{redB}/evidence/photo", SecurityHost.Pdf("x"), "x.pdf", "application/pdf", "kind", 400);
        AddFile("evidence: kind with traversal", "entB", "api/redemptions/{redB}/evidence/..%2F..%2Freport", SecurityHost.Pdf("x"), "x.pdf", "application/pdf", null);
        AddFile("evidence: unknown redemption", "entB", "api/redemptions/V-nope-R1/evidence/report", SecurityHost.Pdf("x"), "x.pdf", "application/pdf", "$not found", 404);
        AddFile("evidence: another enterprise's redemption", "entA", Ev, SecurityHost.Pdf("x"), "x.pdf", "application/pdf", "$enterprise", 403);
        AddFile("evidence: locked redemption", "entA", "api/redemptions/{redA}/evidence/report", SecurityHost.Pdf("x"), "x.pdf", "application/pdf", "$locked", 409);
        Add("evidence: complete with a bad upload id", "entB", "POST", "api/redemptions/{redB}/evidence/report/complete", "{\"uploadId\":\"../../x\"}", "file", 400);
        Add("evidence: complete with an unknown upload id", "entB", "POST", "api/redemptions/{redB}/evidence/report/complete", "{\"uploadId\":\"" + Guid.NewGuid().ToString("N") + "\"}", "file", 400);
        Add("evidence: complete with extra field", "entB", "POST", "api/redemptions/{redB}/evidence/report/complete", "{\"uploadId\":\"x\",\"blobName\":\"../x\"}", "blobName", 400);

        // ---- settlements (Taiyuan bureau) ----
        foreach (var (what, body, field, status) in new (string, string, string?, int)[]
        {
            ("unknown city", "{\"cityCode\":\"beijing\",\"periodId\":\"2026Q1\"}", "cityCode", 400),
            ("missing city", "{\"periodId\":\"2026Q1\"}", "cityCode", 400),
            ("city number", "{\"cityCode\":1401,\"periodId\":\"2026Q1\"}", "cityCode", 400),
            ("city traversal", "{\"cityCode\":\"../taiyuan\",\"periodId\":\"2026Q1\"}", "cityCode", 400),
            ("missing period", "{\"cityCode\":\"taiyuan\"}", "periodId", 400),
            ("blank period", "{\"cityCode\":\"taiyuan\",\"periodId\":\"  \"}", "periodId", 400),
            ("period garbage", "{\"cityCode\":\"taiyuan\",\"periodId\":\"2026Q9\"}", "$period", 422),
            ("period SQL", "{\"cityCode\":\"taiyuan\",\"periodId\":\"2026Q1' or '1'='1\"}", "$period", 422),
            ("period far future", "{\"cityCode\":\"taiyuan\",\"periodId\":\"9999Q1\"}", null, 422),
            ("period year zero", "{\"cityCode\":\"taiyuan\",\"periodId\":\"0000Q1\"}", null, 422),
            ("extra stage", "{\"cityCode\":\"taiyuan\",\"periodId\":\"2026Q1\",\"stage\":\"Closed\"}", "stage", 400),
            ("extra cutoff", "{\"cityCode\":\"taiyuan\",\"periodId\":\"2026Q1\",\"cutoffUtc\":\"2000-01-01\"}", "cutoffUtc", 400),
            ("another city", "{\"cityCode\":\"datong\",\"periodId\":\"2026Q1\"}", "$province", 403),
        })
        {
            Add($"settlement start: {what}", "cityTY", "POST", "api/settlements", body, field, status);
        }

        const string Dec = "api/settlements/{batchTY}/decisions";
        foreach (var (what, body, field) in new[]
        {
            ("decisions missing", "{}", "decisions"), ("decisions null", "{\"decisions\":null}", "decisions"), ("decisions empty", "{\"decisions\":[]}", "decisions"),
            ("decisions object", "{\"decisions\":{}}", "decisions"),
            ("1001 rows", "{\"decisions\":[" + string.Join(",", Enumerable.Repeat("{\"redemptionId\":\"x\"}", 1001)) + "]}", "decisions"),
            ("unknown redemption", "{\"decisions\":[{\"redemptionId\":\"nope\",\"decision\":\"approve\"}]}", "decisions[0].redemptionId"),
            ("decision maybe", "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"maybe\"}]}", "decisions[0].decision"),
            ("reject without reason", "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"reject\"}]}", "decisions[0].reason"),
            ("row payoutFen", "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"approve\",\"payoutFen\":1}]}", "decisions[0].payoutFen"),
            ("row amount", "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"approve\",\"amountPaid\":1}]}", "decisions[0].amountPaid"),
            ("row override text", "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"approve\",\"override\":\"yes\"}]}", "decisions[0].override"),
            ("extra stage", "{\"decisions\":[{\"redemptionId\":\"{redA}\"}],\"stage\":\"Closed\"}", "stage"),
        })
        {
            Add($"batch decisions: {what}", "cityTY", "POST", Dec, body, field, 400);
        }

        Add("batch decisions: another city's batch", "cityDT", "POST", Dec, "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"approve\"}]}", "$batch", 403);
        Add("batch decisions: unknown batch", "cityTY", "POST", "api/settlements/taiyuan-1999Q1/decisions", "{\"decisions\":[{\"redemptionId\":\"x\"}]}", "$not found", 404);
        Add("batch submit: incomplete", "cityTY", "POST", "api/settlements/{batchTY}/submit", null, "$rows", 422);
        Add("batch submit: unknown batch", "cityTY", "POST", "api/settlements/nope/submit", null, "$not found", 404);
        Add("batch submit: another city's batch", "cityDT", "POST", "api/settlements/{batchTY}/submit", null, "$batch", 403);

        // ---- objections (public) ----
        const string Obj = "api/publicity/{redA}/objections";
        foreach (var (what, body, field, status) in new (string, string, string?, int)[]
        {
            ("empty", "{}", "contact", 400), ("missing grounds", "{\"contact\":\"李四 13900000000\"}", "grounds", 400),
            ("contact 101", "{\"contact\":\"" + new string('李', 101) + "\",\"grounds\":\"x\"}", "contact", 400),
            ("grounds 2001", "{\"contact\":\"李四\",\"grounds\":\"" + new string('异', 2001) + "\"}", "grounds", 400),
            ("grounds number", "{\"contact\":\"李四\",\"grounds\":1}", "grounds", 400),
            ("extra status", "{\"contact\":\"李四\",\"grounds\":\"x\",\"status\":\"Upheld\"}", "status", 400),
            ("extra redemptionId", "{\"contact\":\"李四\",\"grounds\":\"x\",\"redemptionId\":\"x\"}", "redemptionId", 400),
            ("not in publicity", "{\"contact\":\"李四 😀\",\"grounds\":\"<script>alert(1)</script>\"}", "$publicity", 404),
            ("unknown redemption", "{\"contact\":\"李四\",\"grounds\":\"x\"}", "$publicity", 404),
        })
        {
            Add($"objection: {what}", "anon", "POST", what == "unknown redemption" ? "api/publicity/V-nope-R9/objections" : Obj, body, field, status);
        }

        Add("objection: malformed", "anon", "POST", Obj, "{\"contact\":", null, 400);
        Add("objection: text/plain", "anon", "POST", Obj, "contact=x", "$JSON", 415, "text/plain");

        // ---- payment (Taiyuan finance bureau) ----
        const string Pay = "api/redemptions/{redA}/payment";
        foreach (var (what, body, field) in new[]
        {
            ("empty", "{}", "reference"), ("blank reference", "{\"reference\":\"  \",\"paidOn\":\"{today}\"}", "reference"),
            ("reference 65", "{\"reference\":\"" + new string('R', 65) + "\",\"paidOn\":\"{today}\"}", "reference"),
            ("future date", "{\"reference\":\"R1\",\"paidOn\":\"2999-01-01\"}", "paidOn"), ("ancient date", "{\"reference\":\"R1\",\"paidOn\":\"1999-01-01\"}", "paidOn"),
            ("slashes", "{\"reference\":\"R1\",\"paidOn\":\"2026/01/01\"}", "paidOn"), ("February 30", "{\"reference\":\"R1\",\"paidOn\":\"2026-02-30\"}", "paidOn"),
            ("words", "{\"reference\":\"R1\",\"paidOn\":\"yesterday\"}", "paidOn"), ("Chinese date", "{\"reference\":\"R1\",\"paidOn\":\"二〇二六年一月一日\"}", "paidOn"),
            ("date number", "{\"reference\":\"R1\",\"paidOn\":20260101}", "paidOn"), ("extra amount", "{\"reference\":\"R1\",\"paidOn\":\"{today}\",\"amount\":1}", "amount"),
            ("extra payoutFen", "{\"reference\":\"R1\",\"paidOn\":\"{today}\",\"payoutFen\":1}", "payoutFen"),
        })
        {
            Add($"payment: {what}", "finTY", "POST", Pay, body, field, 400);
        }

        Add("payment: not payable", "finTY", "POST", Pay, "{\"reference\":\"R1\",\"paidOn\":\"{today}\"}", "$payable", 409);
        Add("payment: unknown redemption", "finTY", "POST", "api/redemptions/V-nope-R1/payment", "{\"reference\":\"R1\",\"paidOn\":\"{today}\"}", "$not found", 404);
        Add("payment: another city", "finDT", "POST", Pay, "{\"reference\":\"R1\",\"paidOn\":\"{today}\"}", "$finance", 403);

        // ---- other JSON routes ----
        Add("extend binding: wrong round", "cityTY", "POST", "api/redemptions/{redA}/binding/extend", "{\"round\":7}", "round", 400);
        Add("extend binding: round text", "cityTY", "POST", "api/redemptions/{redA}/binding/extend", "{\"round\":\"1\"}", "round", 400);
        Add("bind: confirm missing", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1}", "confirm", 400);
        Add("bind: dispute without reason", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1,\"confirm\":false}", "reason", 400);
        Add("bind: extra status", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1,\"confirm\":true,\"status\":\"Queued\"}", "status", 400);
        Add("resolve objection: uphold missing", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"reason\":\"x\"}", "uphold", 400);
        Add("resolve objection: reason missing", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"uphold\":true}", "reason", 400);
        Add("resolve objection: extra status", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"uphold\":true,\"reason\":\"x\",\"status\":\"Payable\"}", "status", 400);

        // ---- forms: development sign-in ----
        AddForm("sign-in: no role", "anon", "dev/signin", new Dictionary<string, string> { ["scope"] = "taiyuan" }, "role", 400);
        AddForm("sign-in: unknown role", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "admin", ["scope"] = "x" }, "role", 400);
        AddForm("sign-in: role injection", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "province' --", ["scope"] = "x" }, "role", 400);
        AddForm("sign-in: enterprise with invalid USCC", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "enterprise", ["scope"] = "91140100MA0K1234" }, "scope", 400);
        AddForm("sign-in: enterprise with SQL", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "enterprise", ["scope"] = "' or 1=1 --" }, "scope", 400);
        AddForm("sign-in: enterprise with emoji", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "enterprise", ["scope"] = "😀😀😀" }, "scope", 400);
        AddForm("sign-in: bureau of Beijing", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "city-bureau", ["scope"] = "beijing" }, "scope", 400);
        AddForm("sign-in: finance bureau traversal", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "finance-bureau", ["scope"] = "../taiyuan" }, "scope", 400);
        AddForm("sign-in: institution without id", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "institution", ["scope"] = "" }, "scope", 400);
        AddForm("sign-in: expert id 65", "anon", "dev/signin", new Dictionary<string, string> { ["role"] = "expert", ["scope"] = new string('e', 65) }, "scope", 400);
        cases.Add("sign-in: JSON body", new HostileCase("sign-in: JSON body", "anon", "POST", "dev/signin", "json", "{\"role\":\"province\"}", "application/json", "role", 400));

        // ---- forms: portal registration (enterprise E, not registered) ----
        static Dictionary<string, string> RegForm() => new()
        {
            ["name"] = "表单测试科技有限公司", ["cityCode"] = "taiyuan", ["sizeClass"] = "small", ["techSmeNumber"] = "202614010009", ["contactName"] = "吴工", ["contactPhone"] = "13903510009",
        };
        foreach (var (field, value, what) in new[]
        {
            ("name", "", "no name"), ("name", new string('名', 101), "name 101"), ("cityCode", "beijing", "Beijing"), ("cityCode", "", "no city"),
            ("sizeClass", "huge", "size huge"), ("sizeClass", "2", "size number"), ("techSmeNumber", "<img src=x onerror=alert(1)>", "script"),
            ("techSmeNumber", "", "no number"), ("contactName", "", "no contact"), ("contactPhone", "abc", "letters"), ("contactPhone", "1390351000１", "full-width digit"),
            ("contactPhone", "13903510009😀", "emoji"),
        })
        {
            var form = RegForm();
            form[field] = value;
            AddForm($"portal register: {what}", "fresh:register-" + what, "portal/register", form, field, 400);
        }

        cases.Add("portal register: JSON body", new HostileCase("portal register: JSON body", "fresh:register-json", "POST", "portal/register", "json", "{\"name\":\"x\"}", "application/json", null));
        cases.Add("portal register: no body", new HostileCase("portal register: no body", "fresh:register-none", "POST", "portal/register", "json", null, null, null));
        cases.Add("guide self-check: JSON body", new HostileCase("guide self-check: JSON body", "anon", "POST", "guide/self-check", "json", "{\"cityCode\":\"taiyuan\"}", "application/json", null));
        cases.Add("guide self-check: no body", new HostileCase("guide self-check: no body", "anon", "POST", "guide/self-check", "json", null, null, null));
        AddForm("publicity form: empty objection", "anon", "publicity/{redA}/objection", new Dictionary<string, string>(), null, 400);
        AddForm("publicity form: grounds 2001", "anon", "publicity/{redA}/objection", new Dictionary<string, string> { ["contact"] = "x", ["grounds"] = new string('异', 2001) }, null, 400);
        AddForm("review form: no decision", "anon", "review/not-a-token", new Dictionary<string, string> { ["decision"] = "approve" }, null, 400);

        // ---- unknown ids in every GET route with a parameter ----
        foreach (var (route, path) in new[]
        {
            ("enterprise", "api/enterprises/{usccUnknown}"), ("enterprise", "api/enterprises/not-a-uscc"), ("enterprise", "api/enterprises/%27%20or%20%271%27%3D%271"),
            ("application", "api/applications/nope"), ("application", "api/applications/%2E%2E%2F%2E%2E%2Fetc"), ("application", "api/applications/" + new string('x', 300)),
            ("voucher", "api/vouchers/V-nope"), ("voucher", "api/vouchers/%E5%88%9B%E6%96%B0%E5%88%B8"), ("redemption", "api/redemptions/V-nope-R1"),
            ("redemption", "api/redemptions/%F0%9F%98%80"), ("evidence", "api/redemptions/V-nope-R1/evidence/report"), ("evidence kind", "api/redemptions/{redA}/evidence/photo"),
            ("evidence missing", "api/redemptions/{redB}/evidence/contract"), ("settlement", "api/settlements/nope"), ("settlement", "api/settlements/taiyuan-1999Q1"),
            ("portal redemption", "portal/redemptions/V-nope-R1"), ("binding page", "binding/not-a-token"), ("batch page", "batches/x.y"), ("opinion page", "opinions/a.b"),
            ("review page", "review/" + new string('a', 3000)), ("opinion evidence", "opinions/a.b/evidence/report"),
        })
        {
            var caller = route switch { "portal redemption" => "entA", "evidence missing" => "entB", _ when path.StartsWith("api/settlements", StringComparison.Ordinal) => "prov", _ when path.StartsWith("api/", StringComparison.Ordinal) => "prov", _ => "anon" };
            if (route is "evidence" or "evidence kind")
            {
                caller = "prov";
            }

            var name = $"unknown id: {route} {path}";
            name = name.Length > 90 ? name[..90] + "…" : name;
            cases.Add(name, new HostileCase(name, caller, "GET", path, "none", null, null, null));
        }

        // ---- Delegations, agencies and the enterprise profile ----
        const string Dlg = "api/delegations";
        Add("delegation: unknown action group", "entA", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":[\"approve-everything\"],\"validUntil\":\"2099-01-01\"}", "actions", 400);
        Add("delegation: actions not an array", "entA", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":\"view-records\",\"validUntil\":\"2026-12-01\"}", "actions", 400);
        Add("delegation: date in another format", "entA", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":[\"view-records\"],\"validUntil\":\"01/12/2026\"}", "validUntil", 400);
        Add("delegation: date in the past", "entA", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":[\"view-records\"],\"validUntil\":\"2000-01-01\"}", "validUntil", 400);
        Add("delegation: script as agency id", "entA", "POST", Dlg, "{\"agencyId\":\"<script>alert(1)</script>\",\"actions\":[\"view-records\"],\"validUntil\":\"2099-01-01\"}", "agencyId", 400);
        Add("delegation: party named in the body", "entA", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":[\"view-records\"],\"validUntil\":\"2099-01-01\",\"partyId\":\"{usccB}\"}", "partyId", 400);
        Add("delegation: institution delegating an enterprise action", "instTY", "POST", Dlg, "{\"agencyId\":\"nope-agency\",\"actions\":[\"apply-for-voucher\"],\"validUntil\":\"2099-01-01\"}", "actions", 400);
        Add("delegation: revoke an unknown id", "entA", "POST", "api/delegations/nope-agency.0000000000000000009/revoke", "{}", "$not", 404);
        Add("agency: registering another agency's id", "agency", "POST", "api/agencies", "{\"agencyId\":\"someone-else\",\"name\":\"冒名代理\",\"cityCode\":\"taiyuan\",\"contactName\":\"x\",\"contactPhone\":\"13903510000\"}", "$agency", 403);
        Add("agency: id with upper case and slash", "prov", "POST", "api/agencies", "{\"agencyId\":\"A/B\",\"name\":\"x\",\"cityCode\":\"taiyuan\",\"contactName\":\"x\",\"contactPhone\":\"13903510000\"}", "agencyId", 400);
        const string Profile = "api/enterprises/{usccA}/profile";
        const string ProfileBody = "\"name\":\"太原安全测试科技有限公司\",\"cityCode\":\"taiyuan\",\"sizeClass\":\"small\",\"techSmeNumber\":\"202614010001\",\"contactName\":\"赵联系甲\"";
        Add("profile: uscc in the body", "entA", "PUT", Profile, "{" + ProfileBody + ",\"contactPhone\":\"13903510001\",\"uscc\":\"{usccB}\"}", "uscc", 400);
        Add("profile: phone with letters", "entA", "PUT", Profile, "{" + ProfileBody + ",\"contactPhone\":\"1390351abcd\"}", "contactPhone", 400);
        Add("profile: address 201 characters", "entA", "PUT", Profile, "{" + ProfileBody + ",\"contactPhone\":\"13903510001\",\"address\":\"" + new string('址', 201) + "\"}", "address", 400);
        Add("profile: moving city after applying", "entA", "PUT", Profile, "{" + ProfileBody.Replace("taiyuan", "datong", StringComparison.Ordinal) + ",\"contactPhone\":\"13903510001\"}", "cityCode", 400);
        Add("profile: another enterprise", "entA", "PUT", "api/enterprises/{usccB}/profile", "{" + ProfileBody + ",\"contactPhone\":\"13903510001\"}", "$enterprise", 403);

        // ---- PUT /api/calendar/{year} (province): a bad arrangement names the field and publishes nothing ----
        const string Cal = "api/calendar/2031";
        const string Notice = "\"source\":\"测试通知\",\"reason\":\"测试\"";
        Add("calendar: date outside the year", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-01\",\"2032-01-01\"]," + Notice + "}", "holidays[1]", 400);
        Add("calendar: not a date", "prov", "PUT", Cal, "{\"holidays\":[\"2031-02-30\"]," + Notice + "}", "holidays[0]", 400);
        Add("calendar: holiday listed twice", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-01\",\"2031-01-01\"]," + Notice + "}", "holidays[1]", 400);
        Add("calendar: make-up day on a weekday", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-01\"],\"workdays\":[\"2031-01-02\"]," + Notice + "}", "workdays[0]", 400);
        Add("calendar: holiday and workday at once", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-04\"],\"workdays\":[\"2031-01-04\"]," + Notice + "}", "workdays[0]", 400);
        Add("calendar: no source", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-01\"],\"reason\":\"x\"}", "source", 400);
        Add("calendar: no reason", "prov", "PUT", Cal, "{\"holidays\":[\"2031-01-01\"],\"source\":\"x\"}", "reason", 400);
        Add("calendar: year out of range", "prov", "PUT", "api/calendar/1999", "{\"holidays\":[\"1999-01-01\"]," + Notice + "}", "year", 400);
        Add("calendar: year not a number", "prov", "PUT", "api/calendar/20x1", "{\"holidays\":[]," + Notice + "}", "year", 400);
        Add("calendar: holidays not a list", "prov", "PUT", Cal, "{\"holidays\":\"2031-01-01\"," + Notice + "}", null, 400);
        Add("calendar: stale expected version", "prov", "PUT", Cal, "{\"expectedVersion\":3,\"holidays\":[\"2031-01-01\"]," + Notice + "}", "$version", 409);
        Add("calendar: GET year out of range", "anon", "GET", "api/calendar/2101", null, "year", 400);

        return cases;
    }
}
