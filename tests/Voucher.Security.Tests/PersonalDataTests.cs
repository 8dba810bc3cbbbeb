using System.Text.RegularExpressions;

namespace Voucher.Security.Tests;

/// <summary>
/// After the scenario (two applications approved, a redemption bound, evidenced and batched, another awaiting binding),
/// the Durable task hub (history, instances, large-message blobs) and the host's output hold no phone number, no
/// contact name and no 16-19 digit number; the API masks the phone for everyone but the enterprise itself.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class PersonalDataTests(SecurityHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Durable_history_instances_and_logs_hold_no_personal_data()
    {
        var hub = host.TaskHub;
        var texts = new List<(string Where, string Text)>();
        foreach (var table in new[] { hub + "History", hub + "Instances" })
        {
            var rows = 0;
            await foreach (var row in host.Azurite.Tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                rows++;
                // History row keys are the engine's 16-digit event sequence numbers, not data.
                var text = new StringBuilder(row.PartitionKey).Append(' ').Append(table.EndsWith("History", StringComparison.Ordinal) ? "" : row.RowKey);
                foreach (var (key, value) in row)
                {
                    if (key is "odata.etag" or "RowKey")
                    {
                        continue;
                    }

                    text.Append(' ').Append(key).Append('=').Append(value switch { byte[] b => Encoding.UTF8.GetString(b), _ => value?.ToString() });
                }

                texts.Add(($"{table} {row.PartitionKey}", text.ToString()));
            }

            output.WriteLine($"{table}: {rows} rows scanned");
            Assert.True(rows > 0, $"{table} is empty: nothing ran?");
        }

        var blobs = 0;
        await foreach (var container in host.Azurite.Blobs.GetBlobContainersAsync(prefix: hub.ToLowerInvariant()))
        {
            var client = host.Azurite.Blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                blobs++;
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                texts.Add(($"blob {container.Name}/{blob.Name}", blob.Name + " " + Encoding.UTF8.GetString(content)));
            }
        }

        output.WriteLine($"task hub blobs scanned: {blobs}");
        texts.Add(("host output", host.Host.Output));
        texts.Add(("instance ids", string.Join(" ", texts.Select(t => t.Where).Distinct())));

        var findings = new List<string>();
        foreach (var (where, text) in texts)
        {
            foreach (var secret in new[] { SecurityHost.PhoneA, SecurityHost.PhoneB, SecurityHost.ContactA, "钱联系乙" })
            {
                if (text.Contains(secret, StringComparison.Ordinal))
                {
                    findings.Add($"{where}: contains '{secret}'");
                }
            }

            foreach (Match m in LongNumber().Matches(text))
            {
                findings.Add($"{where}: holds the {m.Value.Length}-digit number {m.Value}");
            }
        }

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings.Take(50)));
    }

    [Fact]
    public async Task Phone_is_masked_for_the_bureaus_and_province_and_whole_for_the_enterprise()
    {
        var path = $"api/enterprises/{host.Ids["usccA"]}";
        var own = await host.GetAsync("entA", path);
        Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
        Assert.Equal(SecurityHost.PhoneA, own.Json().GetProperty("contactPhone").GetString());

        foreach (var caller in new[] { "cityTY", "finTY", "prov" })
        {
            var seen = await host.GetAsync(caller, path);
            Assert.True(seen.Status == HttpStatusCode.OK, $"{caller}: {seen}");
            var phone = seen.Json().GetProperty("contactPhone").GetString()!;
            Assert.DoesNotContain(SecurityHost.PhoneA, seen.Body, StringComparison.Ordinal);
            Assert.Matches(@"^\*{4,}0001$", phone);
        }
    }

    [Fact]
    public async Task Pages_and_public_lists_show_no_phone_numbers()
    {
        foreach (var (caller, path) in new[]
        {
            ("cityTY", ""), ("cityTY", $"portal/redemptions/{host.Ids["redA"]}"), ("instTY", $"portal/redemptions/{host.Ids["redA"]}"), ("finTY", ""),
            ("prov", ""), ("anon", "publicity"), ("anon", "api/publicity"), ("cityTY", $"api/redemptions/{host.Ids["redA"]}"), ("cityTY", "dev/mailbox"),
        })
        {
            var answer = await host.GetAsync(caller, path);
            Assert.True(answer.Code < 500, $"{caller} /{path}: {answer}");
            Assert.DoesNotContain(SecurityHost.PhoneA, answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(SecurityHost.PhoneB, answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Personal_data_copy_holds_every_part_for_the_enterprise_and_nothing_of_another()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "portal/profile/personal-data");
        request.Headers.Add("Cookie", host.Cookies["entA"]);
        using var response = await host.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 600)]}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains($"personal-data-{host.Ids["usccA"]}.json", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);

        using var doc = System.Text.Json.JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal(host.Ids["usccA"], root.GetProperty("uscc").GetString());
        Assert.Equal(SecurityHost.PhoneA, root.GetProperty("profile").GetProperty("ContactPhone").GetString());
        var contact = Assert.Single(root.GetProperty("contacts").EnumerateArray());
        Assert.Equal(SecurityHost.ContactA, contact.GetProperty("name").GetString());
        Assert.Equal(SecurityHost.PhoneA, contact.GetProperty("phone").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("bankAccount").ValueKind);
        Assert.Contains(root.GetProperty("applications").EnumerateArray(), a => a.GetProperty("RowKey").GetString() == host.Ids["appA"]);
        Assert.Contains(root.GetProperty("vouchers").EnumerateArray(), v => v.GetProperty("RowKey").GetString() == host.Ids["vA"]);
        var redemption = Assert.Single(root.GetProperty("redemptions").EnumerateArray(), r => r.GetProperty("RowKey").GetString() == host.Ids["redA"]);
        Assert.Equal(["contract", "payment", "report"], redemption.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("RowKey").GetString()).Order());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, root.GetProperty("delegations").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, root.GetProperty("creditHistory").ValueKind);
        var subjects = root.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("subject").GetString()).ToHashSet();
        Assert.Contains($"application:{host.Ids["appA"]}", subjects);
        Assert.Contains($"redemption:{host.Ids["redA"]}", subjects);

        // Nothing of enterprise B, whose records sit in the same tables.
        foreach (var other in new[] { host.Ids["usccB"], host.Ids["appB"], host.Ids["vB"], host.Ids["redB"], SecurityHost.PhoneB, "钱联系乙" })
        {
            Assert.DoesNotContain(other, body, StringComparison.Ordinal);
        }

        // The copy itself is on the enterprise's audit trail.
        var details = new List<string>();
        await foreach (var e in host.Store.Table(Voucher.Workflows.Storage.VoucherStore.Audit).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"enterprise:" + host.Ids["usccA"]}")))
        {
            details.Add(e.GetString("Detail") ?? "");
        }

        Assert.Contains(details, d => d.Contains("个人信息副本", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Personal_data_copy_is_refused_to_everyone_but_the_enterprise_itself()
    {
        // Enterprise B gets its own copy, never A's.
        var own = await host.GetAsync("entB", "portal/profile/personal-data");
        Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
        Assert.Contains(host.Ids["usccB"], own.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Ids["usccA"], own.Body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("anon", "portal/profile/personal-data")).Status);
        foreach (var caller in new[] { "cityTY", "finTY", "prov", "instTY", "expert", "agency" })
        {
            var refused = await host.GetAsync(caller, "portal/profile/personal-data");
            Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{caller}: {refused}");
            Assert.DoesNotContain(SecurityHost.PhoneA, refused.Body, StringComparison.Ordinal);
        }

        // An agency naming enterprise A is refused too: a bulk copy of the party's personal data is no delegable act.
        using var request = new HttpRequestMessage(HttpMethod.Get, "portal/profile/personal-data");
        request.Headers.Add("Cookie", host.Cookies["agency"]);
        request.Headers.Add(Voucher.Workflows.Agencies.ActingFor.HeaderName, host.Ids["usccA"]);
        using var acting = await host.Http.SendAsync(request);
        var text = await acting.Content.ReadAsStringAsync();
        Assert.True(acting.StatusCode == HttpStatusCode.Forbidden, $"agency acting for A: {(int)acting.StatusCode}");
        Assert.DoesNotContain(SecurityHost.PhoneA, text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<!\d)\d{16,19}(?!\d)")]
    private static partial Regex LongNumber();
}
