using System.Text.Json.Nodes;

namespace Voucher.Security.Tests;

sealed partial class HostileCaseBook
{
    /// <summary>Forms, unknown ids in every GET route, delegations and profile, the calendar.</summary>
    void AddPageCases()
    {
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
            ("portal application", "portal/applications/nope"), ("portal voucher", "portal/vouchers/V-nope"),
            ("portal voucher", "portal/vouchers/%E5%88%9B%E6%96%B0%E5%88%B8"),
        })
        {
            var caller = route switch { "portal redemption" or "portal application" or "portal voucher" => "entA", "evidence missing" => "entB", _ when path.StartsWith("api/settlements", StringComparison.Ordinal) => "prov", _ when path.StartsWith("api/", StringComparison.Ordinal) => "prov", _ => "anon" };
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
    }
}
