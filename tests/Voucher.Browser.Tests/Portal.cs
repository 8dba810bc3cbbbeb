using System.Text.RegularExpressions;

namespace Voucher.Browser.Tests;

/// <summary>What a person does in the portal, step by step through the real pages (no API shortcuts).</summary>
public static partial class Portal
{
    /// <summary>How long asynchronous outcomes (orchestration steps, outbox delivery) may take to show up.</summary>
    public static readonly TimeSpan AsyncTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Playwright's per-action timeout for these pages (server-rendered, local). Generous because CI has two cores
    /// shared by the browser, the host, Azurite and the test: a crawl of ~85 pages once met a 15 s load there.
    /// </summary>
    public const float ActionTimeoutMs = 30_000;

    /// <summary>Accepts every confirm() the page raises (the apply and decide forms ask before posting).</summary>
    public static void AcceptDialogs(IPage page) => page.Dialog += (_, dialog) => dialog.AcceptAsync();

    /// <summary>
    /// Development sign-in through the form at /dev/signin with a role (claim value, e.g. "enterprise"), scope and
    /// display name; the header then names the person (role · unit · name; the unit for a bureau is its city's).
    /// </summary>
    public static async Task SignInAsync(IPage page, string role, string? scope, string displayName)
    {
        await page.GotoAsync("/dev/signin");
        await page.Locator("select#role").SelectOptionAsync(role);
        await page.Locator("input#scope").FillAsync(scope ?? "");
        await page.Locator("input#name").FillAsync(displayName);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // Every role lands on "/", except an agency, whose home is the list of parties it acts for. The address is polled:
        // WaitForURLAsync with WaitUntil Commit timed out when the redirect had already landed before it was called (it then
        // waits for a "commit" load state that never fires), and waiting for load once took 30 s on two busy cores.
        await Expect(page).ToHaveURLAsync(HomeAddress());
        // The header names the person by name and role, never by scope or principal id (issue #17).
        await Expect(page.Locator("header .who")).ToContainTextAsync(displayName);
        if (role is "city-bureau" or "finance-bureau")
        {
            await Expect(page.Locator("header .who")).ToContainTextAsync(role == "city-bureau" ? "科技局" : "财政局");
        }
    }

    /// <summary>Fills and submits the enterprise registration form on the home page (Taiyuan, small).</summary>
    public static async Task RegisterEnterpriseAsync(IPage page, string enterpriseName)
    {
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登记企业信息", Level = 2 })).ToBeVisibleAsync();
        await page.Locator("#name").FillAsync(enterpriseName);
        await page.Locator("#cityCode").SelectOptionAsync("taiyuan");
        await page.Locator("#sizeClass").SelectOptionAsync("small");
        await page.Locator("#techSmeNumber").FillAsync("2024140100A00123");
        await page.Locator("#contactName").FillAsync("王晓明");
        await page.Locator("#contactPhone").FillAsync("13812345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = enterpriseName })).ToBeVisibleAsync();
    }

    /// <summary>Clicks "申请创新券", confirms on the confirmation page, checks the application is listed, returns its id.</summary>
    public static async Task<string> ApplyAsync(IPage page)
    {
        AcceptDialogs(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "申请创新券" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "确认申请" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(AppliedPattern());
        var applied = Uri.UnescapeDataString(AppliedPattern().Match(page.Url).Groups[1].Value);
        if (applied.Length == 0)
        {
            throw new InvalidOperationException($"No application id in the redirect {page.Url}.");
        }

        var applications = page.Locator("section.card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "我的申请" }) });
        await Expect(applications.GetByRole(AriaRole.Link, new() { Name = applied, Exact = true })).ToBeVisibleAsync();
        return applied;
    }

    /// <summary>Signs in as a new Taiyuan enterprise, registers it and applies; returns (USCC, application id).</summary>
    public static async Task<(string Uscc, string ApplicationId)> NewEnterpriseApplicationAsync(IPage page, string enterpriseName)
    {
        var uscc = TestUscc.New();
        await SignInAsync(page, "enterprise", uscc, "企业经办人");
        await RegisterEnterpriseAsync(page, enterpriseName);
        var id = await ApplyAsync(page);
        return (uscc, id);
    }

    /// <summary>
    /// Opens /dev/mailbox (reloading until the message arrives) and returns the href of the "审核申请" link of
    /// the review request sent to <c>city-bureau:{city}</c> for <paramref name="applicationId"/>.
    /// </summary>
    public static async Task<string> ReviewLinkFromMailboxAsync(IPage page, string applicationId, string city = "taiyuan")
    {
        var message = page.Locator($"article[data-notification][data-recipient='city-bureau:{city}']")
            .Filter(new() { HasText = applicationId });
        var link = message.GetByRole(AriaRole.Link, new() { Name = "审核申请", Exact = true });
        await Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync("/dev/mailbox");
                return await link.CountAsync() == 1;
            },
            AsyncTimeout,
            $"the review request for {applicationId} reaches city-bureau:{city} in /dev/mailbox");
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("Review link without href.");
    }

    /// <summary>Reloads <paramref name="path"/> until <paramref name="locator"/> matches at least once.</summary>
    public static Task ReloadUntilVisibleAsync(IPage page, string path, ILocator locator, string because) =>
        ReloadUntilAsync(page, path, async () => await locator.CountAsync() > 0, because);

    /// <summary>Reloads <paramref name="path"/> (up to <see cref="AsyncTimeout"/>) until <paramref name="condition"/> holds on the fresh page.</summary>
    public static Task ReloadUntilAsync(IPage page, string path, Func<Task<bool>> condition, string because) =>
        Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync(path);
                return await condition();
            },
            AsyncTimeout,
            because);

    [GeneratedRegex(@"[?&]applied=([^&#]+)")]
    private static partial Regex AppliedPattern();

    [GeneratedRegex(@"^https?://[^/]+/(portal/agency)?([?#].*)?$")]
    private static partial Regex HomeAddress();
}
