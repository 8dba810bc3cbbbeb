namespace Voucher.Workflows.Tests.Notifications;

/// <summary>The channel abstraction: the setting chooses registered channels, the sender uses each in order.</summary>
public sealed class NotificationChannelTests
{
    static Notification Message() => new("n-1", "enterprise:91140100MA0TEXT0019", "审核结果", "已通过", [], DateTimeOffset.UnixEpoch, "a-1");

    static Mock<INotificationChannel> Channel(string name, MockBehavior behaviour = MockBehavior.Default)
    {
        var channel = new Mock<INotificationChannel>(behaviour);
        channel.SetupGet(c => c.Name).Returns(name);
        return channel;
    }

    [Theory]
    [InlineData(null, new[] { "inbox" })]
    [InlineData("", new[] { "inbox" })]
    [InlineData(" Inbox , sms;email,sms ", new[] { "inbox", "sms", "email" })]
    public void ParseNames_ReadsCommaOrSemicolonSeparatedNames_DefaultInbox(string? setting, string[] expected) =>
        Assert.Equal(expected, NotificationChannels.ParseNames(setting));

    [Fact]
    public void Choose_UnknownName_FailsNamingItAndTheRegisteredOnes()
    {
        var inbox = Channel("inbox");

        var e = Assert.Throws<InvalidOperationException>(() => NotificationChannels.Choose(["inbox", "sms"], [inbox.Object]));

        Assert.Contains("Voucher__Notifications__Channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("sms", e.Message, StringComparison.Ordinal);
        Assert.Contains("Registered channels: inbox", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_KeepsTheOrderOfTheSetting_CaseInsensitive()
    {
        var inbox = Channel("inbox");
        var sms = Channel("sms");

        var chosen = NotificationChannels.Choose(["SMS", "inbox"], [inbox.Object, sms.Object]);

        Assert.Equal([sms.Object, inbox.Object], chosen);
    }

    [Fact]
    public async Task ChannelSender_DeliversThroughEveryChosenChannelInOrder()
    {
        var order = new List<string>();
        var inbox = Channel("inbox");
        inbox.Setup(c => c.DeliverAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("inbox")).Returns(Task.CompletedTask);
        var email = Channel("email");
        email.Setup(c => c.DeliverAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("email")).Returns(Task.CompletedTask);
        var message = Message();

        await new ChannelSender([inbox.Object, email.Object]).SendAsync(message);

        Assert.Equal(["inbox", "email"], order);
        inbox.Verify(c => c.DeliverAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        email.Verify(c => c.DeliverAsync(message, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ChannelSender_AChannelFails_TheSendFailsSoTheOutboxKeepsTheMessage()
    {
        var inbox = Channel("inbox");
        inbox.Setup(c => c.DeliverAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var sms = Channel("sms");
        sms.Setup(c => c.DeliverAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("gateway down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => new ChannelSender([inbox.Object, sms.Object]).SendAsync(Message()));
    }

    [Fact]
    public void Registration_DefaultSetting_SenderUsesTheInboxChannel()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new VoucherStore(new TableServiceClient("UseDevelopmentStorage=true"), new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true"), "x"));
        services.AddVoucherWorkflows(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Voucher:LinkSigningKey"] = Convert.ToBase64String(WorkflowServices.SigningKey) }).Build());
        using var provider = services.BuildServiceProvider();

        var sender = Assert.IsType<ChannelSender>(provider.GetRequiredService<INotificationSender>());

        Assert.IsType<InboxChannel>(Assert.Single(sender.Channels));
        Assert.IsType<InboxUnreadCounter>(provider.GetRequiredService<Voucher.Workflows.Web.IUnreadCounter>());
    }

    [Fact]
    public void Registration_UnknownChannelInTheSetting_FailsWhenTheSenderIsResolved()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new VoucherStore(new TableServiceClient("UseDevelopmentStorage=true"), new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true"), "x"));
        services.AddVoucherWorkflows(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voucher:LinkSigningKey"] = Convert.ToBase64String(WorkflowServices.SigningKey),
            ["Voucher:Notifications:Channels"] = "inbox,wechat",
        }).Build());
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<INotificationSender>());
        Assert.Contains("wechat", e.Message, StringComparison.Ordinal);
    }
}
