namespace Voucher.Workflows.Tests.Notifications;

/// <summary>The header's unread count over the inbox table: everything until the inbox is viewed, then only what is newer.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboxUnreadCounterTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Wang = new("dev:enterprise:91140100MA0TEXT0019", "王芳", Role.Enterprise, "91140100MA0TEXT0019");
    static readonly VoucherPrincipal Li = new("dev:enterprise:91140100MA0TEXT0019:li", "李强", Role.Enterprise, "91140100MA0TEXT0019");

    static Notification Message(string id, int minute) =>
        new(id, Wang.Address, "通知 " + id, "正文", [], new DateTimeOffset(2026, 12, 1, 8, minute, 0, TimeSpan.Zero), id);

    [Fact]
    public async Task Count_AllUntilViewed_ThenOnlyNewer_PerPerson()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var inbox = new InboxSender(store);
        var counter = new InboxUnreadCounter(store);
        await inbox.SendAsync(Message("a", 1));
        await inbox.SendAsync(Message("b", 2));

        Assert.Equal(2, await counter.CountAsync(Wang, default));

        var newest = (await store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Wang.Address))[0];
        Assert.Equal("b", newest.NotificationId);
        await counter.MarkReadAsync(Wang, newest.RowKey, default);
        Assert.Equal(0, await counter.CountAsync(Wang, default));

        await inbox.SendAsync(Message("c", 3));
        Assert.Equal(1, await counter.CountAsync(Wang, default));
        // Another person at the same address has read nothing yet.
        Assert.Equal(3, await counter.CountAsync(Li, default));
        // The marker lives in its own partition: the address partition holds notifications only.
        Assert.All(await store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, Wang.Address), r => Assert.NotEmpty(r.NotificationId));
    }

    [Fact]
    public async Task Count_IsBoundedByTheCap()
    {
        var store = await StoreFactory.NewAsync(azurite);
        for (var i = 0; i < InboxUnreadCounter.Cap + 5; i++)
        {
            await store.UpsertAsync(VoucherStore.Inbox, NotificationEntity.From(Message("m" + i, 0) with { CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i) }, Wang.Address, $"{i:D19}"));
        }

        Assert.Equal(InboxUnreadCounter.Cap, await new InboxUnreadCounter(store).CountAsync(Wang, default));
    }
}
