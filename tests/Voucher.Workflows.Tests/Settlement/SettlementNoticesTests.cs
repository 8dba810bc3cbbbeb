namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// What the enterprise is told through settlement, over Azurite with the steps run as the engine runs them: the
/// publicity start (approved rows only), the publicity end (rows made payable), an objection filed against its
/// redemption and the objection's resolution — each exactly once, also when the step runs again or the resolution is
/// asked again, in Chinese, with links that open portal pages.
/// </summary>
public sealed class SettlementNoticesTests(SettlementHostFixture fixture) : SettlementHostTests(fixture)
{
    [Fact]
    public async Task PublicityOpened_TellsEachApprovedEnterpriseOnce_EvenWhenTheStepRunsAgain()
    {
        var (batchId, published, rejected) = await PublicityBatchAsync("datong", rejectSecond: true);
        var at = DateTime.UtcNow;

        await Get<OpenPublicity>().RunAsync(new BatchStep(batchId, at));
        await Get<OpenPublicity>().RunAsync(new BatchStep(batchId, at));

        var notice = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(published.Uscc)), n => n.NotificationId == SettlementNotices.PublicityStartedId(published.RedemptionId));
        Assert.Contains("已通过大同市科技局结算审核", notice.Body, StringComparison.Ordinal);
        Assert.Contains("公示期为", notice.Body, StringComparison.Ordinal);
        AssertPortalLinks(notice, $"/portal/redemptions/{published.RedemptionId}", "/publicity");
        Assert.DoesNotContain(await Seed.InboxAsync(Addresses.Enterprise(rejected.Uscc)), n => n.NotificationId.StartsWith("publicity-start-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicityClosed_TellsTheEnterpriseOfEachPayableRowOnce_NotTheObjectedOne()
    {
        var (batchId, payable, objected) = await PublicityBatchAsync("linfen");
        await ObjectAsync(objected.RedemptionId);
        var at = DateTime.UtcNow;

        var input = new ChunkInput(batchId, 0, SettlementPhase.ClosePublicity, at);
        await Get<ProcessSettlementChunk>().RunAsync(input);
        await Get<ProcessSettlementChunk>().RunAsync(input);

        Assert.Equal(RedemptionStatus.Payable, (await Seed.RedemptionAsync(payable.RedemptionId)).State);
        var notice = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(payable.Uscc)), n => n.NotificationId == SettlementNotices.PublicityEndedId(payable.RedemptionId));
        Assert.Contains("公示期满", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("临汾市财政局", notice.Body, StringComparison.Ordinal);
        AssertPortalLinks(notice, $"/portal/redemptions/{payable.RedemptionId}");
        Assert.DoesNotContain(await Seed.InboxAsync(Addresses.Enterprise(objected.Uscc)), n => n.NotificationId.StartsWith("publicity-end-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ObjectionFiledAndDismissed_TheEnterpriseHearsEachOnce_AskedAgainAddsNothing()
    {
        const string city = "jinzhong";
        var (_, dismissed, _) = await PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);

        await ObjectAsync(dismissed.RedemptionId);
        var inbox = await Seed.InboxAsync(Addresses.Enterprise(dismissed.Uscc));
        var filed = Assert.Single(inbox, n => n.NotificationId.StartsWith($"objection-filed-{dismissed.RedemptionId}-", StringComparison.Ordinal));
        Assert.Contains("收到异议", filed.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("张某", filed.Body, StringComparison.Ordinal); // the objector is not named
        AssertPortalLinks(filed, $"/portal/redemptions/{dismissed.RedemptionId}");
        var toBureau = Assert.Single(await Seed.InboxAsync(Addresses.CityBureau(city)), n => n.NotificationId.StartsWith($"objection-{dismissed.RedemptionId}-", StringComparison.Ordinal));
        AssertPortalLinks(toBureau, $"/portal/redemptions/{dismissed.RedemptionId}");

        const string reason = "经核查，服务真实发生";
        for (var i = 0; i < 2; i++)
        {
            await Get<PublicityService>().ResolveObjectionAsync(bureau, new ResolveObjection(dismissed.RedemptionId, false, reason), Seed.Client, CancellationToken.None);
        }

        var resolved = Assert.Single(await Seed.InboxAsync(Addresses.Enterprise(dismissed.Uscc)), n => n.NotificationId.StartsWith($"objection-resolved-{dismissed.RedemptionId}-", StringComparison.Ordinal));
        Assert.Equal("公示异议不成立，兑付继续办理", resolved.Subject);
        Assert.Contains(reason, resolved.Body, StringComparison.Ordinal);
        AssertPortalLinks(resolved, $"/portal/redemptions/{dismissed.RedemptionId}");
    }

    [Fact]
    public async Task ObjectionUpheld_TheEnterpriseHearsTheResolutionOnce_WhenTheResolutionIsAskedAgain()
    {
        const string city = "yangquan";
        var (_, _, upheld) = await PublicityBatchAsync(city);
        var bureau = SettlementSeed.CityBureau(city);
        await ObjectAsync(upheld.RedemptionId);

        const string reason = "发票重复使用";
        var first = await Get<PublicityService>().ResolveObjectionAsync(bureau, new ResolveObjection(upheld.RedemptionId, true, reason), Seed.Client, CancellationToken.None);
        Assert.True(first.Succeeded, first.Failure?.Message);
        await Seed.WaitForCompletionAsync(upheld.InstanceId);
        var again = await Get<PublicityService>().ResolveObjectionAsync(bureau, new ResolveObjection(upheld.RedemptionId, true, reason), Seed.Client, CancellationToken.None);
        Assert.Equal(PublicityService.NoOpenObjection, again.Failure);

        var inbox = await Seed.InboxAsync(Addresses.Enterprise(upheld.Uscc));
        var resolved = Assert.Single(inbox, n => n.NotificationId.StartsWith($"objection-resolved-{upheld.RedemptionId}-", StringComparison.Ordinal));
        Assert.Equal("公示异议成立，兑付申请不予兑付", resolved.Subject);
        Assert.Contains(reason, resolved.Body, StringComparison.Ordinal);
        Assert.Single(inbox, n => n.NotificationId.StartsWith($"objection-filed-{upheld.RedemptionId}-", StringComparison.Ordinal));
    }

    /// <summary>Chinese only, and every link opens a portal page of this site (never the API).</summary>
    static void AssertPortalLinks(NotificationEntity n, params string[] paths)
    {
        var links = n.ToNotification().Links;
        Assert.Equal(paths.Select(p => WorkflowServices.PublicBaseUrl + p), links.Select(l => l.Url));
        Assert.All(links, l => Assert.DoesNotContain("/api/", l.Url, StringComparison.Ordinal));
        Assert.All(links, l => Assert.DoesNotMatch("[A-Za-z]", l.Label));
        Assert.DoesNotMatch("[A-Za-z]{3,}", System.Text.RegularExpressions.Regex.Replace(n.Subject, "测试科技 [0-9A-Z]{4}", ""));
        // The seed's institution and service names (in parentheses) and enterprise names (测试科技 + four USCC characters)
        // carry Latin letters, and so do ids; the message's own words are Chinese.
        var words = System.Text.RegularExpressions.Regex.Replace(n.Body, "（[^）]*）|测试科技 [0-9A-Z]{4}|[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*", "");
        Assert.True(!System.Text.RegularExpressions.Regex.IsMatch(words, "[A-Za-z]{3,}"), n.Body);
    }

    /// <summary>A batch of the current period in its objection window (ten minutes left) with two approved rows, the second optionally rejected instead.</summary>
    async Task<(string BatchId, SeededRedemption First, SeededRedemption Second)> PublicityBatchAsync(string city, bool rejectSecond = false)
    {
        var period = await Seed.CurrentPeriodAsync(city);
        var batchId = SettlementIds.BatchId(city, period.Id);
        var first = await Seed.QueuedAsync(city, 16_000m, DateTimeOffset.UtcNow.AddDays(-20), status: RedemptionStatus.Published, enqueue: false);
        var second = await Seed.QueuedAsync(city, 17_000m, DateTimeOffset.UtcNow.AddDays(-20), status: rejectSecond ? RedemptionStatus.Rejected : RedemptionStatus.Published, enqueue: false, startOrchestration: !rejectSecond);
        var store = Get<VoucherStore>();
        var now = DateTimeOffset.UtcNow;
        var start = SettlementSeed.Today.ToString("yyyy-MM-dd");
        var endsAt = now.AddMinutes(10);
        var end = ChinaTime.DateOf(endsAt.UtcDateTime).ToString("yyyy-MM-dd");
        await store.UpsertAsync(VoucherStore.Batches, A.Batch(city, period.Id).InStage(BatchStage.Publicity).WithItems(2)
            .SubmittedAt(now.AddHours(-1), Addresses.CityBureau(city)).InPublicity(start, end, endsAt)
            .With(b => (b.CutoffUtc, b.FormedAt) = (now.AddDays(-1), now.AddDays(-1))).Build());
        await store.UpsertAsync(VoucherStore.PublicityIndex, new PublicityIndexEntity { PartitionKey = "open", RowKey = batchId, CityCode = city, PublicityStart = start, PublicityEnd = end });
        foreach (var (r, verdict) in new[] { (first, RowVerdict.Approve), (second, rejectSecond ? RowVerdict.Reject : RowVerdict.Approve) })
        {
            var row = await Seed.RedemptionAsync(r.RedemptionId);
            await store.UpsertAsync(VoucherStore.BatchItems, A.BatchItem(batchId, r.RedemptionId).From(row).Decided(verdict, Addresses.CityBureau(city), verdict == RowVerdict.Reject ? "材料不全" : null).Build());
            await Get<RedemptionStore>().UpdateAsync(r.RedemptionId, e =>
            {
                e.BatchId = batchId;
                e.PublishedAt = now.AddMinutes(-5);
                return true;
            });
        }

        return (batchId, first, second);
    }

    async Task ObjectAsync(string redemptionId)
    {
        var filed = await Get<PublicityApi>().ObjectAsync(Seed.Request(null, new { contact = "张某 zhang@example.com", grounds = "服务未实际发生" }, ("redemptionId", redemptionId)));
        Assert.Equal(StatusCodes.Status201Created, SettlementSeed.StatusOf(filed));
    }
}
