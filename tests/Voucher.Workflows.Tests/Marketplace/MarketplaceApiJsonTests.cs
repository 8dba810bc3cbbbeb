using static Voucher.Workflows.Tests.Marketplace.MarketWorld;

namespace Voucher.Workflows.Tests.Marketplace;

/// <summary>
/// The API adapters over the typed statuses answer the JSON they always did: statuses as the lowercase names, the
/// status codes of creation and of a repeated acceptance, and a failure as ProblemDetails naming the field.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MarketplaceApiJsonTests(AzuriteFixture azurite)
{
    static RequestContext Request(VoucherPrincipal? caller, object? body, params (string Name, string Value)[] route) =>
        TestRequests.Json(caller, body, route, method: body is null ? "GET" : "POST", options: JsonBody.Response);

    /// <summary>The answer's status code and its body as the API writes it.</summary>
    static (int Status, JsonElement Body) Json(IResult result)
    {
        var status = Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode ?? StatusCodes.Status200OK;
        var value = Assert.IsAssignableFrom<IValueHttpResult>(result).Value;
        return (status, JsonSerializer.SerializeToElement(value, value!.GetType(), JsonBody.Response));
    }

    [Fact]
    public async Task Statuses_read_as_the_lowercase_names_and_codes_stay_as_they_were()
    {
        var w = await MarketWorld.NewAsync(azurite);
        var institutions = new InstitutionApi(w.Institutions, w.Search);
        var (created, registered) = Json(await institutions.RegisterAsync(Request(Inst("inst-a"), Registration("山西大学"))));
        Assert.Equal((StatusCodes.Status201Created, "pending", false), (created, registered.GetProperty("status").GetString(), registered.GetProperty("verified").GetBoolean()));
        var (_, decided) = Json(await institutions.DecideAsync(Request(Province, new VerificationRequest(true, null), ("institutionId", "inst-a"))));
        Assert.Equal("verified", decided.GetProperty("status").GetString());

        var catalogue = new CatalogueApi(w.Services, w.Search);
        var (published, service) = Json(await catalogue.PublishAsync(Request(Inst("inst-a"), Service("扫描电镜材料表征"))));
        Assert.Equal((StatusCodes.Status201Created, "published"), (published, service.GetProperty("status").GetString()));
        var serviceId = service.GetProperty("serviceId").GetString()!;
        var (_, paused) = Json(await catalogue.ChangeStatusAsync(Request(Inst("inst-a"), new ServiceStatusRequest("paused"), ("institutionId", "inst-a"), ("serviceId", serviceId))));
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var (_, versions) = Json(await catalogue.VersionsAsync(Request(Inst("inst-a"), null, ("institutionId", "inst-a"), ("serviceId", serviceId))));
        Assert.Equal(["paused", "published"], versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        await catalogue.ChangeStatusAsync(Request(Inst("inst-a"), new ServiceStatusRequest("published"), ("institutionId", "inst-a"), ("serviceId", serviceId)));

        var sme = await w.EnterpriseAsync();
        var (posted, demand) = Json(await new DemandApi(w.Demands).PostAsync(Request(sme, new DemandDetails("testing", "材料检测", 5000m, "taiyuan", w.Deadline()))));
        Assert.Equal((StatusCodes.Status201Created, "open"), (posted, demand.GetProperty("status").GetString()));
        var demandId = demand.GetProperty("demandId").GetString()!;
        var offers = new OfferApi(w.Offers, w.Orders);
        var (offered, offer) = Json(await offers.MakeAsync(Request(Inst("inst-a"), new OfferTerms(serviceId, 4000m, 5, null), ("demandId", demandId))));
        Assert.Equal((StatusCodes.Status201Created, "open"), (offered, offer.GetProperty("status").GetString()));
        var accept = () => offers.AcceptAsync(Request(sme, new AcceptOfferRequest(null), ("demandId", demandId), ("institutionId", "inst-a")));
        Assert.Equal(StatusCodes.Status201Created, Json(await accept()).Status);
        Assert.Equal(StatusCodes.Status200OK, Json(await accept()).Status);
        var (_, seen) = Json(await new DemandApi(w.Demands).GetAsync(Request(sme, null, ("demandId", demandId))));
        Assert.Equal(("accepted", "accepted"), (seen.GetProperty("status").GetString(), seen.GetProperty("offers")[0].GetProperty("status").GetString()));

        var refused = await catalogue.ChangeStatusAsync(Request(Inst("inst-a"), new ServiceStatusRequest("Paused"), ("institutionId", "inst-a"), ("serviceId", serviceId)));
        var problem = Assert.IsType<ProblemHttpResult>(refused);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal(["status"], Assert.IsType<HttpValidationProblemDetails>(problem.ProblemDetails).Errors.Keys);
    }
}
