using Voucher.Workflows.Accounts;

namespace Voucher.Workflows.Tests.Accounts;

/// <summary>
/// The per-host membership cache and the feed poller, without storage (the loader and the feed are mocks, the clock is
/// fake): a fresh entry is not read again, an expired or evicted one is; a read that raced an eviction is not kept; the
/// cache stays within its size; the poller evicts each person a feed record names once, reads from the previous poll
/// minus the overlap (never further back than the time to live), and prunes every ten minutes.
/// </summary>
public sealed class MembershipCacheTests
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero));
    readonly Mock<IMemberships> store = new();

    static Membership Bureau(string subject, MembershipState state = MembershipState.Verified) =>
        new(MembershipKeys.IdOf(subject, Role.CityBureau, "taiyuan"), subject, Role.CityBureau, "taiyuan", state, false, DateTimeOffset.UnixEpoch, "test", null);

    MembershipCache Cache(int capacity = MembershipCache.DefaultCapacity)
    {
        store.Setup(s => s.OfPersonAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string subject, CancellationToken _) => [Bureau(subject)]);
        return new MembershipCache(store.Object.OfPersonAsync, time, capacity);
    }

    void AssertLoads(string subject, int times) => store.Verify(s => s.OfPersonAsync(subject, It.IsAny<CancellationToken>()), Times.Exactly(times));

    [Fact]
    public async Task A_fresh_entry_is_not_read_again_an_expired_or_evicted_one_is_and_other_people_keep_theirs()
    {
        var cache = Cache();
        Assert.Equal("p-1", Assert.Single(await cache.OfPersonAsync("p-1", default)).Subject);
        await cache.OfPersonAsync("p-2", default);
        time.Advance(MembershipCache.TimeToLive - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            await cache.OfPersonAsync("p-1", default);
        }

        AssertLoads("p-1", 1);

        time.Advance(TimeSpan.FromSeconds(1));
        await cache.OfPersonAsync("p-1", default);
        AssertLoads("p-1", 2);

        cache.Evict("p-1");
        await cache.OfPersonAsync("p-1", default);
        await cache.OfPersonAsync("p-1", default);
        AssertLoads("p-1", 3);
        AssertLoads("p-2", 1);
    }

    [Fact]
    public async Task A_read_that_raced_an_eviction_is_answered_once_but_not_kept()
    {
        var pending = new TaskCompletionSource<IReadOnlyList<Membership>>();
        var fresh = new[] { Bureau("p-1", MembershipState.Revoked) };
        store.SetupSequence(s => s.OfPersonAsync("p-1", It.IsAny<CancellationToken>()))
            .Returns(pending.Task)
            .ReturnsAsync(fresh);
        var cache = new MembershipCache(store.Object.OfPersonAsync, time);

        var racing = cache.OfPersonAsync("p-1", default);
        cache.Evict("p-1"); // the revocation lands while the read (made before it) is on its way
        pending.SetResult([Bureau("p-1")]);
        Assert.Equal(MembershipState.Verified, Assert.Single(await racing).State);

        Assert.Equal(MembershipState.Revoked, Assert.Single(await cache.OfPersonAsync("p-1", default)).State);
        AssertLoads("p-1", 2);
        Assert.Equal(MembershipState.Revoked, Assert.Single(await cache.OfPersonAsync("p-1", default)).State);
        AssertLoads("p-1", 2);
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_capacity_dropping_the_entries_closest_to_expiry()
    {
        var cache = Cache(capacity: 10);
        for (var i = 0; i < 25; i++)
        {
            await cache.OfPersonAsync($"p-{i}", default);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(cache.Count, 1, 10);

        // The newest stay; the oldest went first.
        await cache.OfPersonAsync("p-24", default);
        AssertLoads("p-24", 1);
        await cache.OfPersonAsync("p-0", default);
        AssertLoads("p-0", 2);
    }

    [Fact]
    public async Task The_poller_evicts_each_named_person_once_reading_from_the_previous_poll_minus_the_overlap()
    {
        var cache = Cache();
        var feed = new Mock<IMembershipChangeFeed>();
        var froms = new List<DateTimeOffset>();
        var a1 = new MembershipChange(MembershipChangeFeed.KeyOf(time.GetUtcNow()) + "-a1", "p-a");
        var b1 = new MembershipChange(MembershipChangeFeed.KeyOf(time.GetUtcNow()) + "-b1", "p-b");
        var a2 = new MembershipChange(MembershipChangeFeed.KeyOf(time.GetUtcNow().AddSeconds(1)) + "-a2", "p-a");
        feed.SetupSequence(f => f.ReadFromAsync(Capture.In(froms), It.IsAny<CancellationToken>()))
            .ReturnsAsync([a1, b1])
            .ReturnsAsync([a1, b1, a2]) // the overlap returns the first two again
            .ReturnsAsync([a2])
            .ReturnsAsync([]);
        var poller = new MembershipFeedPoller(cache, feed.Object, time);
        foreach (var subject in new[] { "p-a", "p-b", "p-c" })
        {
            await cache.OfPersonAsync(subject, default);
        }

        var start = time.GetUtcNow();
        Assert.Equal(2, await poller.PollOnceAsync(default));
        time.Advance(MembershipFeedPoller.Interval);
        Assert.Equal(1, await poller.PollOnceAsync(default));
        time.Advance(MembershipFeedPoller.Interval);
        Assert.Equal(0, await poller.PollOnceAsync(default));

        // The first poll reaches back over everything a cache entry may hold; each later one from the previous poll minus the overlap.
        Assert.Equal(start - MembershipCache.TimeToLive - MembershipFeedPoller.Overlap, froms[0]);
        Assert.Equal(start - MembershipFeedPoller.Overlap, froms[1]);
        Assert.Equal(start + MembershipFeedPoller.Interval - MembershipFeedPoller.Overlap, froms[2]);

        // p-a was evicted twice (two records), p-b once, p-c never.
        foreach (var subject in new[] { "p-a", "p-b", "p-c" })
        {
            await cache.OfPersonAsync(subject, default);
        }

        AssertLoads("p-a", 2);
        AssertLoads("p-b", 2);
        AssertLoads("p-c", 1);

        // After a long gap (an outage) the window starts no earlier than the time to live before now.
        time.Advance(TimeSpan.FromMinutes(5));
        await poller.PollOnceAsync(default);
        Assert.Equal(time.GetUtcNow() - MembershipCache.TimeToLive - MembershipFeedPoller.Overlap, froms[3]);
    }

    [Fact]
    public async Task A_failed_poll_does_not_move_the_window_and_old_records_are_pruned_every_ten_minutes()
    {
        var cache = Cache();
        var feed = new Mock<IMembershipChangeFeed>();
        var froms = new List<DateTimeOffset>();
        feed.SetupSequence(f => f.ReadFromAsync(Capture.In(froms), It.IsAny<CancellationToken>()))
            .ReturnsAsync([])
            .ThrowsAsync(new Azure.RequestFailedException(503, "storage down"))
            .ReturnsAsync([new MembershipChange(MembershipChangeFeed.KeyOf(time.GetUtcNow()) + "-x", "p-x")])
            .ReturnsAsync([]);
        var poller = new MembershipFeedPoller(cache, feed.Object, time);
        await cache.OfPersonAsync("p-x", default);

        var first = time.GetUtcNow();
        await poller.PollOnceAsync(default);
        feed.Verify(f => f.PruneAsync(first - MembershipFeedPoller.Kept, It.IsAny<CancellationToken>()), Times.Once);
        time.Advance(MembershipFeedPoller.Interval);
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => poller.PollOnceAsync(default));
        time.Advance(MembershipFeedPoller.Interval);
        Assert.Equal(1, await poller.PollOnceAsync(default));
        Assert.Equal(first - MembershipFeedPoller.Overlap, froms[2]);
        await cache.OfPersonAsync("p-x", default);
        AssertLoads("p-x", 2);

        time.Advance(MembershipFeedPoller.PruneEvery);
        await poller.PollOnceAsync(default);
        feed.Verify(f => f.PruneAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        feed.Verify(f => f.PruneAsync(time.GetUtcNow() - MembershipFeedPoller.Kept, It.IsAny<CancellationToken>()), Times.Once);
    }
}
