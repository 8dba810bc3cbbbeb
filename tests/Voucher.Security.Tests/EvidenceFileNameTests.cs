namespace Voucher.Security.Tests;

/// <summary>Evidence is stored under the server's own name; the client's file name never chooses a path nor comes back.</summary>
[Collection(SecurityCollection.Name)]
public sealed class EvidenceFileNameTests(SecurityHost host)
{
    [Theory]
    [InlineData("../../etc/passwd.pdf")]
    [InlineData("..\\..\\..\\Windows\\win.ini.pdf")]
    [InlineData("/etc/shadow.pdf")]
    [InlineData("%2e%2e%2fsecret.pdf")]
    public async Task Path_traversal_file_names_are_stored_under_the_server_chosen_name(string fileName)
    {
        var redemption = host.Ids["redB"];
        var answer = await host.PostFileAsync("entB", $"api/redemptions/{redemption}/evidence/report", TestFiles.Pdf("traversal"), fileName, "application/pdf");
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        Assert.DoesNotContain("..", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("passwd", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("shadow", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("win.ini", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("%2e", answer.Body, StringComparison.OrdinalIgnoreCase);

        var row = (await host.Azurite.Tables.GetTableClient("Evidence").GetEntityAsync<TableEntity>(redemption, "report")).Value;
        var blobName = row.GetString("BlobName");
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(redemption)}/report/[0-9a-f]{{32}}$", blobName);
        var names = new List<string>();
        await foreach (var blob in host.Azurite.Blobs.GetBlobContainerClient("evidence").GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.All(names, n => Assert.DoesNotContain("..", n, StringComparison.Ordinal));
        // Every name is the server's: a redemption's files under its id, a claim's documents under claims/{claim id}/.
        Assert.All(names, n => Assert.Matches("^(V-|claims/[0-9a-z]+/(licence|letter)/[0-9a-f]+$)", n));

        // Download: the response names the file after the redemption, never the client's name.
        var download = await host.SendAsync("entB", HttpMethod.Get, $"api/redemptions/{redemption}/evidence/report");
        Assert.Equal(HttpStatusCode.OK, download.Status);
    }
}
