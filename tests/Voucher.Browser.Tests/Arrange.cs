using System.Net;

namespace Voucher.Browser.Tests;

/// <summary>What a page test starts from, arranged through the API of a <see cref="LocalSite"/>.</summary>
public static class Arrange
{
    /// <summary>How long an orchestration step may take to show in the API.</summary>
    public static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Signs in as a new Taiyuan enterprise, registers it (with the contact given) and applies; returns the USCC, the
    /// application id (under review) and the enterprise's client, which the caller disposes.
    /// </summary>
    public static async Task<(string Uscc, string ApplicationId, SiteClient Enterprise)> ApplicationAsync(
        LocalSite site, string name, string contactName = "周明", string contactPhone = "13935100501", string techSmeNumber = "2026140100A00501")
    {
        var uscc = TestUscc.New();
        var enterprise = await site.SignInAsync("enterprise", uscc, "企业经办人");
        var (registered, registeredBody) = await enterprise.PostJsonAsync("api/enterprises", new
        {
            uscc, name, cityCode = "taiyuan", sizeClass = "small", techSmeNumber, contactName, contactPhone,
        });
        Assert.True(registered == HttpStatusCode.Created, $"registration answered {(int)registered}: {registeredBody}");
        var (applied, appliedBody) = await enterprise.PostJsonAsync("api/applications", new { uscc });
        Assert.True(applied == HttpStatusCode.Accepted, $"application answered {(int)applied}: {appliedBody}");
        var applicationId = SiteClient.Json(appliedBody).GetProperty("applicationId").GetString()!;
        await enterprise.WaitForStatusAsync($"api/applications/{applicationId}", "UnderReview", FlowTimeout);
        return (uscc, applicationId, enterprise);
    }

    /// <summary>The bureau approves the application through the review link in its mailbox; returns the voucher id once the enterprise can read it.</summary>
    public static async Task<string> VoucherAsync(SiteClient bureau, SiteClient enterprise, string applicationId)
    {
        var review = await bureau.WaitForMailboxLinkAsync($"review-{applicationId}-r1", FlowTimeout);
        var (decided, decidedBody) = await bureau.PostFormAsync(review, new Dictionary<string, string> { ["decision"] = "approve", ["reason"] = "" });
        Assert.True(decided == HttpStatusCode.OK, $"approval answered {(int)decided}: {decidedBody}");
        var approved = await enterprise.WaitForStatusAsync($"api/applications/{applicationId}", "Approved", FlowTimeout);
        var voucherId = approved.GetProperty("voucherId").GetString()!;
        await Eventually.UntilAsync(async () => (await enterprise.GetAsync($"api/vouchers/{voucherId}")).Status == HttpStatusCode.OK, FlowTimeout, $"voucher {voucherId} is readable");
        return voucherId;
    }
}
