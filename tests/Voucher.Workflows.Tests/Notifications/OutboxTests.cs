namespace Voucher.Workflows.Tests.Notifications;

[Collection(AzuriteCollection.Name)]
public sealed class OutboxTests(AzuriteFixture azurite)
{
    const string To = "enterprise:91140100MA0TEXT0019";

    [Fact]
    public async Task EnqueueAndTryDeliver_SameIdTwice_OneInboxRowPerAddressAndNothingPending()
    {
        var store = await StoreFactory.NewAsync(azurite);
        // As the local host sends: into the recipient's inbox and its development mailbox.
        var outbox = new Outbox(store, new InboxSender(store, new DevMailbox(true)), NullLogger<Outbox>.Instance);
        var message = Message("decision-app-1");

        await outbox.EnqueueAndTryDeliverAsync(message);
        await outbox.EnqueueAndTryDeliverAsync(message);

        var row = Assert.Single(await Inbox(store, To));
        Assert.Equal(message.Id, row.NotificationId);
        Assert.Equal(message, Normalise(row.ToNotification(), message));
        Assert.Single(await Inbox(store, InboxSender.MailboxPartition), r => r.NotificationId == message.Id);
        Assert.Empty(await Pending(store));
    }

    [Fact]
    public async Task DeliveryFails_RowStaysPendingAndTheSweepDeliversItLater()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var (sender, calls) = FailsOnceThenDelivers(store);
        var outbox = new Outbox(store, sender, NullLogger<Outbox>.Instance);
        var message = Message("review-app-2-r1");

        await outbox.EnqueueAndTryDeliverAsync(message);

        Assert.Equal(message.Id, Assert.Single(await Pending(store)).NotificationId);
        Assert.Empty(await Inbox(store, To));

        var delivered = await outbox.SweepAsync();

        Assert.Equal(1, delivered);
        Assert.Empty(await Pending(store));
        var row = Assert.Single(await Inbox(store, To));
        Assert.Equal(message, Normalise(row.ToNotification(), message));
        Assert.Equal(0, await outbox.SweepAsync());
        Assert.Equal(2, calls());
    }

    [Fact]
    public async Task Sweep_SenderStillFailing_KeepsEveryRowPending()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var sender = new Mock<INotificationSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("down"));
        var outbox = new Outbox(store, sender.Object, NullLogger<Outbox>.Instance);
        await outbox.EnqueueAndTryDeliverAsync(Message("a"));
        await outbox.EnqueueAndTryDeliverAsync(Message("b"));

        Assert.Equal(0, await outbox.SweepAsync());
        Assert.Equal(["a", "b"], (await Pending(store)).Select(r => r.NotificationId).Order());
    }

    [Fact]
    public async Task DeliverFromStep_Delivered_OneCallNoOutboxRow_AndARerunOfTheStepLeavesOneInboxRow()
    {
        // As the Functions app sends (no development mailbox): one write per message delivered from a step.
        var (store, metrics) = await StoreFactory.NewCountedAsync(azurite);
        var outbox = new Outbox(store, new InboxSender(store), NullLogger<Outbox>.Instance);
        var message = Message("decision-app-3");

        var calls = await StoreFactory.TableCallsAsync(metrics, () => outbox.DeliverFromStepAsync(message));
        // The step re-run after a crash sends the same message again.
        await outbox.DeliverFromStepAsync(message);

        Assert.Equal(1, calls);
        Assert.Equal(message, Normalise(Assert.Single(await Inbox(store, To)).ToNotification(), message));
        Assert.Empty(await Inbox(store, InboxSender.MailboxPartition));
        Assert.Empty(await Pending(store));
        Assert.Equal(3, await StoreFactory.TableCallsAsync(metrics, () => outbox.EnqueueAndTryDeliverAsync(Message("decision-app-4"))));
    }

    [Fact]
    public async Task DeliverFromStep_SenderFails_RecordsThePendingRowAndTheSweepDeliversIt()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var (sender, calls) = FailsOnceThenDelivers(store);
        var outbox = new Outbox(store, sender, NullLogger<Outbox>.Instance);
        var message = Message("review-app-5-r1");

        await outbox.DeliverFromStepAsync(message);

        Assert.Equal(message.Id, Assert.Single(await Pending(store)).NotificationId);
        Assert.Empty(await Inbox(store, To));
        Assert.Equal(1, await outbox.SweepAsync());
        Assert.Empty(await Pending(store));
        Assert.Equal(message, Normalise(Assert.Single(await Inbox(store, To)).ToNotification(), message));
    }

    [Fact]
    public async Task DeliverFromStep_SenderAndOutboxBothFail_ThrowsSoTheStepFails()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var sender = new Mock<INotificationSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("down"));
        var outbox = new Outbox(store, sender.Object, NullLogger<Outbox>.Instance);
        // The outbox cannot be written either (its table is gone).
        await store.Table(VoucherStore.Outbox).DeleteAsync();

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => outbox.DeliverFromStepAsync(Message("c")));
    }

    /// <summary>A sender whose first delivery fails (the mail relay is down) and whose later ones reach the inbox.</summary>
    static (INotificationSender Sender, Func<int> Calls) FailsOnceThenDelivers(VoucherStore store)
    {
        var real = new InboxSender(store);
        var sender = new Mock<INotificationSender>();
        var calls = 0;
        sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .Returns((Notification n, CancellationToken ct) => Interlocked.Increment(ref calls) == 1
                ? Task.FromException(new IOException("mail relay down"))
                : real.SendAsync(n, ct));
        return (sender.Object, () => calls);
    }

    static Notification Message(string id) => new(
        id,
        To,
        "创新券申请已通过 (Voucher issued)",
        "创新券 V-1 已发放。",
        [new NotificationLink("查看创新券 View voucher", "https://voucher.test.example/api/vouchers/V-1")],
        new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero),
        "app-1");

    /// <summary>Records compare lists by reference: give the round-tripped one the original's list when equal.</summary>
    static Notification Normalise(Notification roundTripped, Notification original) =>
        roundTripped.Links.SequenceEqual(original.Links) ? roundTripped with { Links = original.Links } : roundTripped;

    static Task<List<NotificationEntity>> Inbox(VoucherStore store, string address) =>
        store.PartitionAsync<NotificationEntity>(VoucherStore.Inbox, address);

    static Task<List<NotificationEntity>> Pending(VoucherStore store) =>
        store.PartitionAsync<NotificationEntity>(VoucherStore.Outbox, "pending");
}
