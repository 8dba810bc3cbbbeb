using Voucher.Domain.Catalogue;
using static Voucher.Workflows.Tests.Marketplace.MarketWorld;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// What each marketplace service refuses and how (field errors, not found, forbidden, conflict, a business rule), and
/// that a refused act changes nothing; the demand's close and the offer's withdrawal with their state machines.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceFailureTests(AzuriteFixture azurite)
{
    static readonly VoucherPrincipal Someone = new("e", "E", Role.Enterprise, "91140100MA0000000X");

    [Fact]
    public async Task Institution_acts_refuse_the_wrong_party_bad_fields_a_second_registration_and_an_unknown_institution()
    {
        var w = await MarketWorld.NewAsync(azurite);
        Failed<Failure.Forbidden, InstitutionEntity>(await w.Institutions.RegisterAsync(Someone, Registration("企业冒充"), default));
        var bad = await w.Institutions.RegisterAsync(Inst("inst-a"), new InstitutionProfile("", "school", "beijing", "?", "", "", "12345", null), default);
        Assert.Equal(["name", "type", "cityCode", "code", "sharingPlatformId", "contactName", "contactPhone"], Fields(bad));
        Assert.Null(await w.Catalogue.GetInstitutionAsync("inst-a", default));
        Failed<Failure.NotFound, InstitutionEntity>(await w.Institutions.EditProfileAsync(Inst("inst-a"), new EditInstitutionProfile("inst-a", Registration("未登记")), default));

        Assert.True((await w.Institutions.RegisterAsync(Inst("inst-a"), Registration("山西大学"), default)).Succeeded);
        Failed<Failure.Conflict, InstitutionEntity>(await w.Institutions.RegisterAsync(Inst("inst-a"), Registration("山西大学"), default));
        Failed<Failure.Forbidden, InstitutionEntity>(await w.Institutions.EditProfileAsync(Inst("inst-b"), new EditInstitutionProfile("inst-a", Registration("篡改")), default));
        Failed<Failure.Forbidden, IReadOnlyList<InstitutionEntity>>(await w.Institutions.PendingAsync(Inst("inst-a"), default));
        Assert.Equal(["approve"], Fields(await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", null, null), default)));
        Assert.Equal(["reason"], Fields(await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", false, new string('x', 501)), default)));
        Failed<Failure.NotFound, InstitutionEntity>(await w.Institutions.DecideAsync(Province, new DecideVerification("inst-none", true, null), default));

        // Unverified: hidden from the public, whole to itself and the province.
        Failed<Failure.NotFound, InstitutionListing>(await w.Institutions.ViewAsync(null, "inst-a", default));
        Assert.True((await w.Institutions.ViewAsync(Inst("inst-a"), "inst-a", default)).Value.Full);
        Assert.Equal("山西大学", (await w.Catalogue.GetInstitutionAsync("inst-a", default))!.Name);
    }

    [Fact]
    public async Task Verification_decisions_follow_the_state_machine_and_the_same_decision_again_changes_nothing()
    {
        var w = await MarketWorld.NewAsync(azurite);
        await w.Institutions.RegisterAsync(Inst("inst-a"), Registration("山西大学"), default);
        var rejected = (await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", false, "平台编号不符"), default)).Value;
        Assert.Equal((InstitutionStatus.Rejected, false), (rejected.Status, rejected.Verified));
        w.Time.Advance(TimeSpan.FromMinutes(5));
        var again = (await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", false, "再次驳回"), default)).Value;
        Assert.Equal(rejected.DecidedAt, again.DecidedAt);
        Assert.Equal("平台编号不符", again.DecisionReason);

        // An edit that keeps the code and platform id keeps the decision; changing the platform id asks again.
        var profile = new InstitutionProfile(rejected.Name, rejected.Type, rejected.CityCode, rejected.Code, rejected.SharingPlatformId, rejected.ContactName, rejected.ContactPhone, "新简介");
        Assert.Equal(InstitutionStatus.Rejected, (await w.Institutions.EditProfileAsync(Inst("inst-a"), new EditInstitutionProfile("inst-a", profile), default)).Value.Status);
        var resubmitted = await w.Institutions.EditProfileAsync(Inst("inst-a"), new EditInstitutionProfile("inst-a", profile with { SharingPlatformId = "SX-OSP-0002" }), default);
        Assert.Equal(InstitutionStatus.Pending, resubmitted.Value.Status);
        Assert.Equal(["inst-a"], (await w.Institutions.PendingAsync(Province, default)).Value.Select(i => i.InstitutionId));
        Assert.True((await w.Institutions.DecideAsync(Province, new DecideVerification("inst-a", true, null), default)).Value.Verified);
        Assert.Empty((await w.Institutions.PendingAsync(Province, default)).Value);
    }

    [Fact]
    public async Task Service_acts_refuse_other_parties_unknown_services_and_unknown_statuses_and_hide_an_unverified_institutions_service()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-a", "山西大学");
        var s = await w.PublishedAsync(a, Service("核磁共振波谱分析"));
        Failed<Failure.Forbidden, ServiceEntity>(await w.Services.PublishAsync(Someone, Service("企业发布"), default));
        Failed<Failure.NotFound, ServiceEntity>(await w.Services.EditAsync(Inst(a), new EditService(a, "svc-none", Service("无此服务")), default));
        Failed<Failure.NotFound, ServiceEntity>(await w.Services.ChangeStatusAsync(Inst(a), new ChangeServiceStatus(a, "svc-none", "paused"), default));
        Assert.Equal(["status"], Fields(await w.Services.ChangeStatusAsync(Inst(a), new ChangeServiceStatus(a, s.ServiceId, "Paused"), default)));
        Assert.Equal(1, (await w.Services.ChangeStatusAsync(Inst(a), new ChangeServiceStatus(a, s.ServiceId, "published"), default)).Value.Version); // no move, no version

        var detail = (await w.Services.DetailAsync(null, a, s.ServiceId, default)).Value;
        Assert.Equal((s.ServiceId, "山西大学", 1), (detail.Service.ServiceId, detail.Institution!.Name, Assert.Single(detail.Versions).Version));

        // Sent back for verification: the public no longer reads it; the institution and the province still do.
        await w.Institutions.EditProfileAsync(Inst(a), new EditInstitutionProfile(a, Registration("山西大学") with { SharingPlatformId = "SX-OSP-0009" }), default);
        Failed<Failure.NotFound, ServiceEntity>(await w.Services.ReadAsync(null, a, s.ServiceId, default));
        Failed<Failure.NotFound, ServiceDetail>(await w.Services.DetailAsync(Someone, a, s.ServiceId, default));
        Assert.True((await w.Services.ReadAsync(Inst(a), a, s.ServiceId, default)).Succeeded);
        Assert.True((await w.Services.ReadAsync(Province, a, s.ServiceId, default)).Succeeded);
        Failed<Failure.Refused, ServiceEntity>(await w.Services.PublishAsync(Inst(a), Service("待核验时发布"), default));
    }

    [Fact]
    public async Task Demand_acts_refuse_other_parties_and_an_unregistered_enterprise_and_a_closed_demand_takes_no_offer()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原理工大学");
        var testing = await w.PublishedAsync(a, Service("金属材料力学性能测试"));
        var sme = await w.EnterpriseAsync();
        var details = new DemandDetails("testing", "铝合金板材拉伸检测", 20000m, "taiyuan", w.Deadline());
        Failed<Failure.Forbidden, DemandEntity>(await w.Demands.PostAsync(Inst(a), details, default));
        Failed<Failure.Refused, DemandEntity>(await w.Demands.PostAsync(Someone, details, default)); // not registered
        var demand = (await w.Demands.PostAsync(sme, details, default)).Value;
        Failed<Failure.NotFound, DemandWithOffers>(await w.Demands.ViewAsync(Someone, demand.DemandId, default));
        Failed<Failure.NotFound, DemandEntity>(await w.Demands.CloseAsync(Someone, new CloseDemand(demand.DemandId), default));
        Failed<Failure.Forbidden, DemandEntity>(await w.Demands.CloseAsync(Inst(a), new CloseDemand(demand.DemandId), default));
        Failed<Failure.NotFound, DemandEntity>(await w.Demands.CloseAsync(sme, new CloseDemand("DM-none"), default));
        Assert.True((await w.Offers.MakeAsync(Inst(a), new MakeOffer(demand.DemandId, new OfferTerms(testing.ServiceId, 9000m, 5, null)), default)).Succeeded);

        var closed = await w.Demands.CloseAsync(sme, new CloseDemand(demand.DemandId), default);
        Assert.Equal(DemandStatus.Closed, closed.Value.Status);
        Assert.Equal(DemandStatus.Closed, (await w.Demands.CloseAsync(sme, new CloseDemand(demand.DemandId), default)).Value.Status); // again: no change
        Assert.Empty(await w.Demands.ForCallerAsync(Inst(a), default));
        Failed<Failure.Conflict, OfferEntity>(await w.Offers.MakeAsync(Inst(a), new MakeOffer(demand.DemandId, new OfferTerms(testing.ServiceId, 8000m, 5, null)), default));
        Failed<Failure.Conflict, OrderTaken>(await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, null), default));
        Failed<Failure.Conflict, OfferEntity>(await w.Offers.WithdrawAsync(Inst(a), new WithdrawOffer(demand.DemandId, a), default));

        // An accepted demand cannot be closed.
        var second = (await w.Demands.PostAsync(sme, details, default)).Value;
        await w.Offers.MakeAsync(Inst(a), new MakeOffer(second.DemandId, new OfferTerms(testing.ServiceId, 9000m, 5, null)), default);
        Assert.True((await w.Offers.AcceptAsync(sme, new AcceptOffer(second.DemandId, a, null), default)).Succeeded);
        Failed<Failure.Conflict, DemandEntity>(await w.Demands.CloseAsync(sme, new CloseDemand(second.DemandId), default));
        Assert.Equal(DemandStatus.Accepted, (await w.Market.GetDemandAsync(second.DemandId, default))!.Status);
    }

    [Fact]
    public async Task Offer_acts_refuse_bad_terms_unverified_institutions_and_other_parties_and_a_withdrawn_offer_is_not_accepted_until_made_again()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var a = await w.VerifiedInstitutionAsync("inst-a", "太原理工大学");
        var testing = await w.PublishedAsync(a, Service("金属材料力学性能测试"));
        await w.Institutions.RegisterAsync(Inst("inst-u"), Registration("未核验机构"), default);
        var sme = await w.EnterpriseAsync();
        var demand = (await w.Demands.PostAsync(sme, new DemandDetails("testing", "铝合金板材拉伸检测", 20000m, "taiyuan", w.Deadline()), default)).Value;
        MakeOffer Offer(decimal? price, int? days = 5, string? serviceId = null) => new(demand.DemandId, new OfferTerms(serviceId ?? testing.ServiceId, price, days, null));

        Failed<Failure.Forbidden, OfferEntity>(await w.Offers.MakeAsync(sme, Offer(1000m), default));
        Assert.Equal(["price", "turnaroundDays", "serviceId"], Fields(await w.Offers.MakeAsync(Inst(a), Offer(null, 0, " "), default)));
        Failed<Failure.Refused, OfferEntity>(await w.Offers.MakeAsync(Inst("inst-u"), Offer(1000m), default));
        Failed<Failure.NotFound, OfferEntity>(await w.Offers.MakeAsync(Inst(a), new MakeOffer("DM-none", Offer(1000m).Terms), default));
        Failed<Failure.NotFound, OfferEntity>(await w.Offers.WithdrawAsync(Inst(a), new WithdrawOffer(demand.DemandId, a), default)); // none made yet
        Assert.Equal(["institutionId"], Fields(await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, null), default)));

        Assert.Equal(OfferStatus.Open, (await w.Offers.MakeAsync(Inst(a), Offer(12000m), default)).Value.Status);
        Failed<Failure.Forbidden, OfferEntity>(await w.Offers.WithdrawAsync(Inst("inst-u"), new WithdrawOffer(demand.DemandId, a), default));
        Assert.Equal(OfferStatus.Withdrawn, (await w.Offers.WithdrawAsync(Inst(a), new WithdrawOffer(demand.DemandId, a), default)).Value.Status);
        Assert.Equal(OfferStatus.Withdrawn, (await w.Offers.WithdrawAsync(Inst(a), new WithdrawOffer(demand.DemandId, a), default)).Value.Status); // again: no change
        Failed<Failure.Conflict, OrderTaken>(await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, null), default));
        Assert.Equal(["contractNumber"], Fields(await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, new string('9', 65)), default)));
        Failed<Failure.Forbidden, OrderTaken>(await w.Offers.AcceptAsync(Inst(a), new AcceptOffer(demand.DemandId, a, null), default));

        var remade = await w.Offers.MakeAsync(Inst(a), Offer(11000m), default);
        Assert.Equal((OfferStatus.Open, 1_100_000L), (remade.Value.Status, remade.Value.PriceFen));
        var taken = (await w.Offers.AcceptAsync(sme, new AcceptOffer(demand.DemandId, a, null), default)).Value;
        Assert.Equal(("HT-" + taken.Order.OrderId, 1_100_000L), (taken.Order.ContractNumber, taken.Order.AgreedPriceFen));
        Failed<Failure.Conflict, OfferEntity>(await w.Offers.WithdrawAsync(Inst(a), new WithdrawOffer(demand.DemandId, a), default));
        Assert.Equal(OfferStatus.Accepted, (await w.Market.GetOfferAsync(demand.DemandId, a, default))!.Status);
        Assert.Equal(1, (await w.Search.SearchAsync(new SearchQuery("力学性能"), default)).Hits.Single().Doc.UsedCount);
    }
}
