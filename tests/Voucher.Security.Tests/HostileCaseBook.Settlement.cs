using System.Text.Json.Nodes;

namespace Voucher.Security.Tests;

sealed partial class HostileCaseBook
{
    /// <summary>Evidence uploads, settlements, objections, payment and the other JSON routes.</summary>
    void AddSettlementCases()
    {
        // ---- evidence upload (enterprise B's redemption awaits binding; max 2048 bytes on this host) ----
        const string Ev = "api/redemptions/{redB}/evidence/report";
        AddFile("evidence: executable", "entB", Ev, [0x4D, 0x5A, 0x90, 0x00, .. new byte[200]], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: HTML disguised as PDF", "entB", Ev, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: text", "entB", Ev, Encoding.UTF8.GetBytes("just some text, no document"), "report.txt", "text/plain", "file", 400);
        AddFile("evidence: zip", "entB", Ev, [0x50, 0x4B, 0x03, 0x04, .. new byte[100]], "report.zip", "application/zip", "file", 400);
        AddFile("evidence: SVG", "entB", Ev, Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "report.svg", "image/svg+xml", "file", 400);
        AddFile("evidence: GIF", "entB", Ev, Encoding.ASCII.GetBytes("GIF89a" + new string('x', 50)), "report.gif", "image/gif", "file", 400);
        AddFile("evidence: empty", "entB", Ev, [], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: oversize PDF", "entB", Ev, [.. TestFiles.Pdf("big"), .. new byte[3000]], "report.pdf", "application/pdf", "file", 400);
        AddFile("evidence: oversize with traversal name", "entB", Ev, [.. TestFiles.Pdf("big"), .. new byte[3000]], "../../etc/passwd.pdf", "application/pdf", "file", 400);
        AddFile("evidence: executable with traversal name", "entB", Ev, [0x4D, 0x5A, .. new byte[100]], "..\\..\\windows\\system32\\cmd.exe.pdf", "application/pdf", "file", 400);
        AddFile("evidence: wrong field name", "entB", Ev, null, "x.pdf", "application/pdf", "file", 400);
        Add("evidence: JSON instead of multipart", "entB", "POST", Ev, "{\"file\":\"JVBERi0=\"}", "file", 400);
        AddFile("evidence: unknown kind", "entB", "api/redemptions/{redB}/evidence/photo", TestFiles.Pdf("x"), "x.pdf", "application/pdf", "kind", 400);
        AddFile("evidence: kind with traversal", "entB", "api/redemptions/{redB}/evidence/..%2F..%2Freport", TestFiles.Pdf("x"), "x.pdf", "application/pdf", null);
        AddFile("evidence: unknown redemption", "entB", "api/redemptions/V-nope-R1/evidence/report", TestFiles.Pdf("x"), "x.pdf", "application/pdf", "$not found", 404);
        AddFile("evidence: another enterprise's redemption", "entA", Ev, TestFiles.Pdf("x"), "x.pdf", "application/pdf", "$not found", 404);
        AddFile("evidence: locked redemption", "entA", "api/redemptions/{redA}/evidence/report", TestFiles.Pdf("x"), "x.pdf", "application/pdf", "$locked", 409);
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

        Add("batch decisions: another city's batch", "cityDT", "POST", Dec, "{\"decisions\":[{\"redemptionId\":\"{redA}\",\"decision\":\"approve\"}]}", "$not found", 404);
        Add("batch decisions: unknown batch", "cityTY", "POST", "api/settlements/taiyuan-1999Q1/decisions", "{\"decisions\":[{\"redemptionId\":\"x\"}]}", "$not found", 404);
        Add("batch submit: incomplete", "cityTY", "POST", "api/settlements/{batchTY}/submit", null, "$rows", 422);
        Add("batch submit: unknown batch", "cityTY", "POST", "api/settlements/nope/submit", null, "$not found", 404);
        Add("batch submit: another city's batch", "cityDT", "POST", "api/settlements/{batchTY}/submit", null, "$not found", 404);

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
        Add("payment: another city", "finDT", "POST", Pay, "{\"reference\":\"R1\",\"paidOn\":\"{today}\"}", "$not found", 404);

        // ---- other JSON routes ----
        Add("extend binding: wrong round", "cityTY", "POST", "api/redemptions/{redA}/binding/extend", "{\"round\":7}", "round", 400);
        Add("extend binding: round text", "cityTY", "POST", "api/redemptions/{redA}/binding/extend", "{\"round\":\"1\"}", "round", 400);
        Add("bind: confirm missing", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1}", "confirm", 400);
        Add("bind: dispute without reason", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1,\"confirm\":false}", "reason", 400);
        Add("bind: extra status", "instTY", "POST", "api/redemptions/{redA}/binding", "{\"round\":1,\"confirm\":true,\"status\":\"Queued\"}", "status", 400);
        Add("resolve objection: uphold missing", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"reason\":\"x\"}", "uphold", 400);
        Add("resolve objection: reason missing", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"uphold\":true}", "reason", 400);
        Add("resolve objection: extra status", "cityTY", "POST", "api/objections/{redA}/resolve", "{\"uphold\":true,\"reason\":\"x\",\"status\":\"Payable\"}", "status", 400);
    }
}
