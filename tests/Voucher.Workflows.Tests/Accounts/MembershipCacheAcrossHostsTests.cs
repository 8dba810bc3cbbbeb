using Microsoft.Extensions.Hosting;
using Voucher.Workflows.Accounts;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// Two hosts (two service providers built from the production registrations, each with its own membership cache and
/// running its own <see cref="MembershipFeedService"/>) over one Azurite storage: after the first request a person's
/// principal is built with no storage read on either host; a revocation through one host is refused by that host on
/// the very next request and by the other within two seconds; a grant and a verification reach the other host too.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MembershipCacheAcrossHostsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    readonly List<(ServiceProvider Services, IHostedService Feed)> started = [];

    sealed record Instance(MembershipStore Memberships, StorageMetrics Metrics)
    {
        /// <summary>The principal this host builds for a request of <paramref name="identity"/> (no cookie: the first acting membership).</summary>
        public async Task<VoucherPrincipal?> PrincipalAsync(SignedInIdentity identity)
        {
            var source = new Mock<IPrincipalSource>();
            source.Setup(s => s.Read(It.IsAny<HttpRequest>())).Returns(identity);
            var signedIn = await new MembershipPrincipals(source.Object, Memberships, NullLogger<MembershipPrincipals>.Instance).ResolveAsync(new DefaultHttpContext());
            return signedIn?.Principal;
        }

        /// <summary>The storage calls this host made to build principals so far.</summary>
        public long PrincipalCalls() => Metrics.Snapshot().Operations.Where(o => o.Key.StartsWith(MembershipPrincipals.Origin + "|", StringComparison.Ordinal)).Sum(o => o.Value);
    }

    async Task<Instance> StartHostAsync(string prefix)
    {
        var metrics = new StorageMetrics();
        var services = new ServiceCollection();
        services.AddSingleton(metrics);
        services.AddSingleton(new VoucherStore(new TableServiceClient(azurite.ConnectionString, metrics.TableOptions()), azurite.Blobs, prefix));
        services.AddLogging();
        services.AddSingleton(Mock.Of<IPrincipalSource>());
        services.AddVoucherWorkflows(WorkflowServices.Configuration(azurite, prefix));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<VoucherStore>().EnsureCreatedAsync();
        var feed = ActivatorUtilities.CreateInstance<MembershipFeedService>(provider);
        await feed.StartAsync(default);
        started.Add((provider, feed));
        return new Instance(provider.GetRequiredService<MembershipStore>(), metrics);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (services, feed) in started)
        {
            await feed.StopAsync(default);
            await services.DisposeAsync();
        }
    }

    static Task UntilAsync(Func<Task<bool>> condition, string because) => Eventually.UntilAsync(condition, Within, because);

    [Fact]
    public async Task A_revocation_through_one_host_is_refused_there_at_once_and_by_the_other_within_two_seconds()
    {
        var prefix = azurite.NewName("t")[..13];
        var a = await StartHostAsync(prefix);
        var b = await StartHostAsync(prefix);
        var officer = new SignedInIdentity("oidc|officer-" + Guid.NewGuid().ToString("N"), "撤销测试科员", null);
        await a.Memberships.GrantAsync("oidc|boss", Role.CityBureau, "taiyuan", true, "test", default);
        var membership = await a.Memberships.GrantAsync(officer.Subject, Role.CityBureau, "taiyuan", false, "test", default);

        // Both hosts build the officer's principal; after the first request neither reads storage for it.
        Assert.Equal(Role.CityBureau, (await a.PrincipalAsync(officer))?.Role);
        Assert.Equal(Role.CityBureau, (await b.PrincipalAsync(officer))?.Role);
        var (beforeA, beforeB) = (a.PrincipalCalls(), b.PrincipalCalls());
        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await a.PrincipalAsync(officer));
            Assert.NotNull(await b.PrincipalAsync(officer));
        }

        Assert.Equal((0L, 0L), (a.PrincipalCalls() - beforeA, b.PrincipalCalls() - beforeB));

        // Revoked through host A: A refuses on the very next request, B within two seconds (the feed, polled every second).
        await a.Memberships.RevokeAsync(membership.Id, "city-bureau:taiyuan", "调离岗位", default);
        Assert.Null(await a.PrincipalAsync(officer));
        await UntilAsync(async () => await b.PrincipalAsync(officer) is null, "host B refuses the officer revoked through host A");
    }

    [Fact]
    public async Task A_grant_and_a_verification_through_one_host_reach_the_other_within_two_seconds()
    {
        var prefix = azurite.NewName("t")[..13];
        var a = await StartHostAsync(prefix);
        var b = await StartHostAsync(prefix);

        // A person without a membership, seen (and cached) by B, is invited and accepts on A: B lets them act.
        var invitee = new SignedInIdentity("oidc|invitee-" + Guid.NewGuid().ToString("N"), "新科员", null);
        Assert.Null(await b.PrincipalAsync(invitee));
        await a.Memberships.GrantAsync(invitee.Subject, Role.CityBureau, "datong", false, "invitation", default);
        await UntilAsync(async () => await b.PrincipalAsync(invitee) is { Role: Role.CityBureau, Verified: true }, "host B sees the grant made on host A");

        // A pending claim, seen by B as pending, verified on A: B sees it verified.
        var uscc = TestUscc.New("taiyuan");
        var claimant = new SignedInIdentity("oidc|claimant-" + Guid.NewGuid().ToString("N"), "企业经办人", null);
        var claim = await a.Memberships.RequestAsync(claimant.Subject, Role.Enterprise, uscc, claimant.Subject, default);
        await UntilAsync(async () => await b.PrincipalAsync(claimant) is { Verified: false }, "host B sees the claim made on host A");
        var before = b.PrincipalCalls();
        Assert.False((await b.PrincipalAsync(claimant))!.Verified);
        Assert.Equal(0, b.PrincipalCalls() - before);
        await a.Memberships.VerifyAsync(claim.Id, "city-bureau:taiyuan", default);
        await UntilAsync(async () => await b.PrincipalAsync(claimant) is { Role: Role.Enterprise, Verified: true }, "host B sees the verification made on host A");
    }

    [Fact]
    public async Task Every_membership_change_appends_a_feed_record_naming_the_person()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var feed = new MembershipChangeFeed(store, TimeProvider.System);
        var memberships = new MembershipStore(store, new AuditLog(store), TimeProvider.System, feed);
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);

        var bureau = await memberships.GrantAsync("p-1", Role.CityBureau, "taiyuan", true, "test", default);
        await memberships.GrantAsync("p-1", Role.CityBureau, "taiyuan", true, "test", default); // nothing to change: no record
        var claim = await memberships.RequestAsync("p-2", Role.CityBureau, "taiyuan", "p-2", default);
        await memberships.VerifyAsync(claim.Id, "city-bureau:taiyuan", default);
        await memberships.SetAdministratorAsync(claim.Id, true, "test", default);
        await memberships.RevokeAsync(bureau.Id, "city-bureau:taiyuan", "离职", default);
        var rejected = await memberships.RequestAsync("p-3", Role.CityBureau, "taiyuan", "p-3", default);
        await memberships.RejectAsync(rejected.Id, "city-bureau:taiyuan", "材料不符", default);

        var records = await feed.ReadFromAsync(start, default);
        Assert.Equal(["p-1", "p-2", "p-2", "p-2", "p-1", "p-3", "p-3"], records.Select(r => r.Subject));
        Assert.Equal(records.Select(r => r.Key).Order(StringComparer.Ordinal), records.Select(r => r.Key));
        Assert.Empty(await feed.ReadFromAsync(DateTimeOffset.UtcNow.AddSeconds(1), default));

        // Pruning deletes what is older than the cut and keeps the rest.
        Assert.Equal(0, await feed.PruneAsync(start, default));
        Assert.Equal(7, await feed.PruneAsync(DateTimeOffset.UtcNow.AddSeconds(1), default));
        Assert.Empty(await feed.ReadFromAsync(start, default));
    }
}
