using System.Text.Json;
using System.Text.Json.Nodes;

namespace Voucher.Security.Tests;

/// <summary>
/// The hostile requests of <see cref="HostileInputTests"/>, by area: the applicant's JSON routes (enterprises,
/// applications, decisions, redemptions) here, evidence, settlement and payment in <c>HostileCaseBook.Settlement.cs</c>,
/// forms, unknown ids, delegations and the calendar in <c>HostileCaseBook.Pages.cs</c>. Paths and bodies name the
/// scenario's ids as {placeholders} (<see cref="Support.SecurityHost.Fill"/>).
/// </summary>
sealed partial class HostileCaseBook
{
    readonly Dictionary<string, HostileCase> cases = new(StringComparer.Ordinal);

    public static Dictionary<string, HostileCase> Build()
    {
        var book = new HostileCaseBook();
        book.AddApplicantCases();
        book.AddSettlementCases();
        book.AddPageCases();
        return book.cases;
    }

    void Add(string name, string caller, string method, string path, string? body, string? names, int? status = null, string contentType = "application/json; charset=utf-8") =>
        cases.Add(name, new HostileCase(name, caller, method, path, "json", body, body is null ? null : contentType, names, status));

    void AddForm(string name, string caller, string path, IDictionary<string, string> fields, string? names, int? status = null)
    {
        var body = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        cases.Add(name, new HostileCase(name, caller, "POST", path, "form", body, "application/x-www-form-urlencoded", names, status));
    }

    void AddFile(string name, string caller, string path, byte[]? file, string fileName, string fileType, string? names, int? status = null) =>
        cases.Add(name, new HostileCase(name, caller, "POST", path, "multipart", null, null, names, status, file, fileName, fileType));

    static string With(Func<JsonObject> make, string field, JsonNode? value)
    {
        var o = make();
        o[field] = value;
        return o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    static string Without(Func<JsonObject> make, string field)
    {
        var o = make();
        o.Remove(field);
        return o.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    void AddApplicantCases()
    {
        // ---- POST /api/enterprises (enterprise D, not registered: a case that slipped through would register it) ----
        static JsonObject Registration() => new()
        {
            ["uscc"] = "{usccD}", ["name"] = "安全测试科技有限公司", ["cityCode"] = "taiyuan", ["sizeClass"] = "small",
            ["techSmeNumber"] = "202614010001", ["contactName"] = "周工", ["contactPhone"] = "13903510001",
        };
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
        Add("decision: another city's application", "cityTY", "POST", "api/applications/{appB}/decision", "{\"round\":1,\"approve\":true}", "$not found", 404);

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
        Add("redemption: another enterprise's voucher", "entA", "POST", Red, With(Redemption, "voucherId", "{vB}"), "$not found", 404);
        Add("redemption: malformed", "entA", "POST", Red, "{\"voucherId\":", null, 400);
        Add("redemption: oversized", "entA", "POST", Red, "{\"contractNumber\":\"" + new string('合', 30 * 1024) + "\"}", "$too large", 413);
    }
}
