using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Portal;
using Voucher.Workflows.Security;

namespace Voucher.Browser.Tests;

/// <summary>
/// Accounts in headless Chromium: the province's administrator opens 我的身份 and the members page, invites a Datong
/// officer; the invitee signs in without a membership, opens the link, accepts it and acts as the officer; holding a
/// second membership, the invitee switches in the header. Axe scans and desktop + 390 px screenshots of each page.
/// </summary>
[Collection("browser")]
public sealed class AccountsBrowserTests(BrowserFixture browser, LocalSiteFixture site, ITestOutputHelper output)
    : IClassFixture<LocalSiteFixture>
{
    readonly BrowserRun run = new(browser, site, output);

    async Task ShootAsync(IPage page, string name)
    {
        output.WriteLine($"{name}: {await Screenshots.SaveAsync(page, name)}");
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        output.WriteLine($"{name} at 390 px: {await Screenshots.SaveAsync(page, name + "-phone")}");
        Assert.True(overflow <= 0, $"{name} is {overflow}px wider than a 390px phone");
        await page.SetViewportSizeAsync(1280, 900);
    }

    [Fact]
    public Task Province_invites_an_officer_who_accepts_acts_and_switches_memberships_in_the_header() => run.RunAsync(nameof(Province_invites_an_officer_who_accepts_acts_and_switches_memberships_in_the_header), async () =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..4];
        var adminName = "省厅管理员" + suffix;
        var province = await run.NewPageAsync();
        await Portal.SignInAsync(province, "province", "", adminName);
        // Another test may have signed in as the province first (then it is the administrator): make this person one too.
        var memberships = new MembershipStore(site.Store, new AuditLog(site.Store), TimeProvider.System);
        await memberships.SetAdministratorAsync(MembershipKeys.IdOf(AuthPages.DevelopmentSubject($"province||{adminName}"), Role.Province, null), true, "browser-test", default);

        await province.GetByRole(AriaRole.Link, new() { Name = "我的身份" }).First.ClickAsync();
        await Expect(province.GetByRole(AriaRole.Heading, new() { Name = "我的身份", Level = 1 })).ToBeVisibleAsync();
        await Expect(province.Locator("table")).ToContainTextAsync("山西省科技厅");
        await Expect(province.Locator("table")).ToContainTextAsync("已认证");
        await run.ScanAsync(province, "account");
        await ShootAsync(province, "account-province");

        // The members page: choose Datong's bureau, invite an officer.
        await province.GetByRole(AriaRole.Link, new() { Name = "管理本单位成员与邀请" }).ClickAsync();
        await province.Locator("#pick-role").SelectOptionAsync("city-bureau");
        await province.Locator("#pick-scope").FillAsync("datong");
        await province.GetByRole(AriaRole.Button, new() { Name = "查看", Exact = true }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Heading, new() { Name = "大同市科技局", Level = 2 })).ToBeVisibleAsync();
        var invitee = "大同新科员" + suffix;
        await province.Locator("#role").SelectOptionAsync("city-bureau");
        await province.Locator("#scope").FillAsync("datong");
        await province.GetByRole(AriaRole.Button, new() { Name = "生成邀请链接" }).ClickAsync();
        await Expect(province.Locator("#inviteeName-error")).ToBeVisibleAsync();
        await Expect(province.Locator("#scope")).ToHaveValueAsync("datong");
        await province.Locator("#inviteeName").FillAsync(invitee);
        await province.GetByRole(AriaRole.Button, new() { Name = "生成邀请链接" }).ClickAsync();
        await Expect(province.GetByRole(AriaRole.Status)).ToContainTextAsync("已邀请" + invitee);
        var row = province.Locator("tr", new() { HasText = invitee });
        var link = (await row.Locator(".invite-link").InnerTextAsync()).Trim();
        Assert.StartsWith(site.BaseUrl + "/invite/", link, StringComparison.Ordinal);
        await run.ScanAsync(province, "members");
        await ShootAsync(province, "members-and-invitations");
        run.Step("invited");

        // The invitee: signed in without any membership, told so; opens the link, accepts.
        var officer = await run.NewPageAsync();
        await officer.GotoAsync("/dev/signin");
        await officer.Locator("select#role").SelectOptionAsync(AuthPages.NoRole);
        await officer.Locator("input#name").FillAsync(invitee);
        await officer.Locator("input#person").FillAsync("browser-" + invitee);
        await officer.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "我的身份", Level = 1 })).ToBeVisibleAsync();
        await Expect(officer.Locator("main")).ToContainTextAsync("您还没有任何身份");
        await ShootAsync(officer, "account-without-membership");
        await officer.GotoAsync(link);
        await Expect(officer.Locator("dl.facts")).ToContainTextAsync("大同市科技局");
        await run.ScanAsync(officer, "invitation");
        await ShootAsync(officer, "invitation");
        await officer.GetByRole(AriaRole.Button, new() { Name = "接受邀请" }).ClickAsync();
        await Expect(officer.GetByRole(AriaRole.Status)).ToContainTextAsync("已加入：大同市科技局");
        await Expect(officer.Locator("header .who")).ToContainTextAsync("大同市科技局 · " + invitee);
        await officer.GotoAsync("/portal/objections");
        await Expect(officer.GetByRole(AriaRole.Heading, new() { Level = 1 })).Not.ToHaveTextAsync("无权访问");

        // Used once: the same link again for someone else is refused with a page that says so.
        var stranger = await run.NewPageAsync();
        await Portal.SignInAsync(stranger, "expert", "expert-br-" + suffix, "另一位专家");
        var replay = await stranger.GotoAsync(link);
        Assert.Equal(410, replay!.Status);
        await Expect(stranger.Locator("main")).ToContainTextAsync("该邀请已被使用");

        // A second membership for the same person: the header offers both and switches.
        await officer.GotoAsync("/dev/signin");
        await officer.Locator("select#role").SelectOptionAsync("expert");
        await officer.Locator("input#scope").FillAsync("expert-br2-" + suffix);
        await officer.Locator("input#name").FillAsync(invitee);
        await officer.Locator("input#person").FillAsync("browser-" + invitee);
        await officer.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(officer.Locator("header .who")).ToContainTextAsync("评审专家 · " + invitee);
        var switcher = officer.Locator("header .who form.membership-switch select");
        await Expect(switcher.Locator("option")).ToHaveCountAsync(2);
        await ShootAsync(officer, "header-membership-switch");
        await officer.SetViewportSizeAsync(390, 844);
        await officer.Locator("header details.menu summary").ClickAsync();
        await Expect(officer.Locator("header details.menu form.membership-switch select option")).ToHaveCountAsync(2);
        output.WriteLine($"header menu at 390 px: {await Screenshots.SaveAsync(officer, "header-membership-switch-phone-menu")}");
        await officer.SetViewportSizeAsync(1280, 900);
        await switcher.SelectOptionAsync(new SelectOptionValue { Label = "大同市科技局" });
        await officer.Locator("header .who form.membership-switch").GetByRole(AriaRole.Button, new() { Name = "切换" }).ClickAsync();
        await Expect(officer.GetByRole(AriaRole.Status)).ToContainTextAsync("已切换为：大同市科技局");
        await Expect(officer.Locator("header .who")).ToContainTextAsync("大同市科技局 · " + invitee);
        await officer.GotoAsync("/account");
        await Expect(officer.Locator("tr", new() { HasText = "大同市科技局" })).ToContainTextAsync("当前身份");
        await run.ScanAsync(officer, "account with two memberships");
        await ShootAsync(officer, "account-two-memberships");
        run.AssertNoSeriousFindings();
    });
}
