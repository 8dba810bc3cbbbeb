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

    [GeneratedRegex(@"(?<!\d)\d{16,19}(?!\d)")]
    private static partial Regex LongNumber();
}
