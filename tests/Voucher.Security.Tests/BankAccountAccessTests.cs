namespace Voucher.Security.Tests;

/// <summary>
/// The payee's bank account over the real local host: enterprise B (Datong) enters it through the API; it reads whole
/// for B itself and the Datong finance bureau, masked for the Datong S&amp;T bureau and the province, and as a missing
/// enterprise for enterprise A and the Taiyuan bureaus. A change is pending (the finance bureau still sees the old
/// account) until B types the new number again; bad input is a ProblemDetails naming the field.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class BankAccountAccessTests(SecurityHost host)
{
    const string Old = "6222020200112231234";
    const string New = "6217000011112225678";

    [Fact]
    public async Task Whole_for_the_enterprise_and_its_city_finance_masked_for_its_bureau_and_province_missing_for_the_rest_and_a_change_waits_for_confirmation()
    {
        var path = $"api/enterprises/{host.Ids["usccB"]}/bank-account";
        static HttpContent Body(string number) => JsonContent.Create(new { bankName = "中国银行大同分行", accountName = "大同安全测试科技有限公司", accountNumber = number });

        var invalid = await host.SendAsync("entB", HttpMethod.Put, path, JsonContent.Create(new { bankName = "", accountName = "大同安全测试科技有限公司", accountNumber = "12" }));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("accountNumber", invalid.Body, StringComparison.Ordinal);
        Assert.Contains("bankName", invalid.Body, StringComparison.Ordinal);

        var first = await host.SendAsync("entB", HttpMethod.Put, path, Body(Old));
        Assert.True(first.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, first.ToString());

        foreach (var whole in new[] { "entB", "finDT" })
        {
            var answer = await host.GetAsync(whole, path);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Contains("6222 0202 0011 2231 234", answer.Body, StringComparison.Ordinal);
        }

        foreach (var masked in new[] { "cityDT", "prov" })
        {
            var answer = await host.GetAsync(masked, path);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Contains("6222 **** **** 1234", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("0202", answer.Body, StringComparison.Ordinal);
        }

        foreach (var other in new[] { "entA", "finTY", "cityTY" })
        {
            var answer = await host.GetAsync(other, path);
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.DoesNotContain("1234", answer.Body, StringComparison.Ordinal);
        }

        // A change waits: 202, the finance bureau still pays the old account; a wrong re-entry names the field.
        Assert.Equal(HttpStatusCode.Accepted, (await host.SendAsync("entB", HttpMethod.Put, path, Body(New))).Status);
        Assert.Contains("6222 0202 0011 2231 234", (await host.GetAsync("finDT", path)).Body, StringComparison.Ordinal);
        var wrong = await host.PostJsonAsync("entB", path + "/confirmation", new { accountNumber = Old });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("accountNumber", wrong.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostJsonAsync("entA", path + "/confirmation", new { accountNumber = New })).Status);

        Assert.Equal(HttpStatusCode.OK, (await host.PostJsonAsync("entB", path + "/confirmation", new { accountNumber = New })).Status);
        Assert.Contains("6217 0000 1111 2225 678", (await host.GetAsync("finDT", path)).Body, StringComparison.Ordinal);
        Assert.Contains("6217 **** **** 5678", (await host.GetAsync("cityDT", path)).Body, StringComparison.Ordinal);
    }
}
