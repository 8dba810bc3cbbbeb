using Voucher.Domain.Catalogue;
using Voucher.Workflows.Retention;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The change log is trimmed daily to its last week (<see cref="CatalogueChangeTrim"/>); a search index that has not
/// refreshed for longer than <see cref="CatalogueIndex.ReloadAfterIdle"/> loads the tables again instead of trusting the
/// log, so a change whose log entry was trimmed meanwhile is still found.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CatalogueIndexIdleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_index_idle_past_the_trimmed_log_reloads_and_finds_every_change()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-idle", "山西农业大学");
        await w.PublishedAsync(a, MarketWorld.Service("谷子种质资源鉴定", "germplasm"));
        var other = w.OtherInstance();
        Assert.Equal(1, (await other.SearchAsync(new SearchQuery("种质"), default)).Total);

        w.Time.Advance(TimeSpan.FromHours(1));
        await w.PublishedAsync(a, MarketWorld.Service("苹果种质资源评价", "germplasm"));
        w.Time.Advance(TimeSpan.FromDays(8));
        await w.PublishedAsync(a, MarketWorld.Service("高粱种质资源保存", "germplasm"));
        Assert.True(await new CatalogueChangeTrim(w.Store).TrimAsync(w.Time.GetUtcNow(), default) >= 2, "the week-old entries are trimmed");

        // The other instance last refreshed 8 days ago: the apple service's entry is gone from the log.
        Assert.Equal(3, (await other.SearchAsync(new SearchQuery("种质"), default)).Total);
    }
}
