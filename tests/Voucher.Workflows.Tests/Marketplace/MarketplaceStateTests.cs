namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// Each marketplace aggregate changes status only through its MoveTo, which refuses what the domain's table does not
/// allow; the statuses are stored under the lowercase text rows have always held, so rows written before they were
/// typed (lowercase or empty) still read.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceStateTests(AzuriteFixture azurite)
{
    [Fact]
    public void Each_aggregate_moves_as_its_table_allows_and_refuses_an_illegal_move_without_changing()
    {
        var institution = new InstitutionEntity { PartitionKey = "inst-a", Status = InstitutionStatus.Pending };
        Assert.Throws<DomainException>(() => institution.MoveTo(InstitutionStatus.Pending));
        institution.MoveTo(InstitutionStatus.Verified);
        Assert.True(institution.Verified);
        institution.MoveTo(InstitutionStatus.Pending); // its code changed: verified again before it publishes
        Assert.False(institution.Verified);
        Assert.Equal(InstitutionStatus.Pending, institution.Status);

        var service = new ServiceEntity { Status = ServiceStatus.Published };
        service.MoveTo(ServiceStatus.Retired);
        Assert.Throws<DomainException>(() => service.MoveTo(ServiceStatus.Published));
        Assert.Throws<DomainException>(() => service.MoveTo(ServiceStatus.Paused));
        Assert.Equal(ServiceStatus.Retired, service.Status);

        var demand = new DemandEntity();
        Assert.Equal(DemandStatus.Open, demand.Status);
        demand.MoveTo(DemandStatus.Accepted);
        Assert.Throws<DomainException>(() => demand.MoveTo(DemandStatus.Closed));
        Assert.Equal(DemandStatus.Accepted, demand.Status);

        var offer = new OfferEntity();
        offer.MoveTo(OfferStatus.Withdrawn);
        Assert.Throws<DomainException>(() => offer.MoveTo(OfferStatus.Accepted));
        offer.MoveTo(OfferStatus.Open);
        offer.MoveTo(OfferStatus.Accepted);
        Assert.Throws<DomainException>(() => offer.MoveTo(OfferStatus.Withdrawn));
        Assert.Equal(OfferStatus.Accepted, offer.Status);
    }

    [Fact]
    public async Task Rows_written_before_the_statuses_were_typed_read_and_new_rows_keep_the_lowercase_text()
    {
        var store = await StoreFactory.NewAsync(azurite);
        Task WriteAsync(string table, string pk, string rk, params (string Key, object Value)[] columns)
        {
            var row = new TableEntity(pk, rk);
            foreach (var (key, value) in columns)
            {
                row[key] = value;
            }

            return store.Table(table).UpsertEntityAsync(row);
        }

        // Seeded before the marketplace: no status at all; written by it: lowercase names.
        await WriteAsync(VoucherStore.Institutions, "inst-old", InstitutionEntity.ProfileRow, ("Name", "老机构"), ("Verified", true));
        await WriteAsync(VoucherStore.Institutions, "inst-new", InstitutionEntity.ProfileRow, ("Name", "新机构"), ("Verified", false));
        await WriteAsync(VoucherStore.Institutions, "inst-rej", InstitutionEntity.ProfileRow, ("Verified", false), ("Status", "rejected"));
        await WriteAsync(VoucherStore.Services, "inst-old", "svc-old", ("Title", "老服务"));
        await WriteAsync(VoucherStore.Services, "inst-old", "svc-paused", ("Title", "暂停的服务"), ("Status", "paused"));
        await WriteAsync(VoucherStore.Demands, "DM1", DemandEntity.Row, ("Status", "accepted"));
        await WriteAsync(VoucherStore.Offers, "DM1", "inst-old", ("Status", "open"));

        var catalogue = new CatalogueStore(store, TimeProvider.System);
        Assert.Equal(InstitutionStatus.Verified, (await catalogue.GetInstitutionAsync("inst-old", default))!.Status);
        Assert.Equal(InstitutionStatus.Pending, (await catalogue.GetInstitutionAsync("inst-new", default))!.Status);
        Assert.Equal(InstitutionStatus.Rejected, (await catalogue.GetInstitutionAsync("inst-rej", default))!.Status);
        Assert.Equal(ServiceStatus.Published, (await catalogue.GetServiceAsync("inst-old", "svc-old", default))!.Status);
        Assert.Equal(ServiceStatus.Paused, (await catalogue.GetServiceAsync("inst-old", "svc-paused", default))!.Status);
        var market = new MarketStore(store);
        Assert.Equal(DemandStatus.Accepted, (await market.GetDemandAsync("DM1", default))!.Status);
        Assert.Equal(OfferStatus.Open, (await market.GetOfferAsync("DM1", "inst-old", default))!.Status);

        // A move writes the lowercase name into the same "Status" column (and the flag with it), nothing else.
        var institution = (await catalogue.GetInstitutionAsync("inst-new", default))!;
        institution.MoveTo(InstitutionStatus.Verified);
        Assert.True(await catalogue.TryReplaceInstitutionAsync(institution, default));
        var raw = (await store.Table(VoucherStore.Institutions).GetEntityAsync<TableEntity>("inst-new", InstitutionEntity.ProfileRow)).Value;
        Assert.Equal("verified", raw.GetString("Status"));
        Assert.True(raw.GetBoolean("Verified"));
        Assert.DoesNotContain("StatusName", raw.Keys);
        Assert.False(await catalogue.TryReplaceInstitutionAsync(institution, default)); // the ETag it was read with is spent
    }
}
