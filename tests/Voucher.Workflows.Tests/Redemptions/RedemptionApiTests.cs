namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// The redemption API over the services: <c>GET /api/redemptions/{id}</c> answers the same JSON as before the services
/// existed (every property, in order, and nothing named twice), and a refusal is the ProblemDetails of its failure.
/// </summary>
[Collection(RedemptionDurableCollection.Name)]
public sealed class RedemptionApiTests(DurableHostFixture fixture)
{
    readonly RedemptionFlow flow = new(fixture);

    RequestContext Request(VoucherPrincipal caller, string redemptionId) =>
        new(new DefaultHttpContext(), new RouteValueDictionary { ["id"] = redemptionId }, caller, flow.Client);

    static string[] Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task Get_APaidRedemption_AnswersEveryPropertyByItsName()
    {
        var s = await flow.SeedAsync("datong");
        var paid = Cny.FromYuan(80_000m);
        var computation = PayoutRules.Compute(paid, Cny.FromYuan(50_000m), 0.5m, Cny.FromYuan(20_000m));
        var at = DateTimeOffset.UtcNow;
        var r = s.Redemption().UnderContract("HT-API-1").Paying(paid).InStatus(RedemptionStatus.Paid).BoundBy(BindingMode.Seal).UnderPolicy(3).SubmittedAt(at)
            .With(row =>
            {
                (row.Bound, row.BoundAt, row.EvidenceComplete, row.EvidenceCompleteAt) = (true, at, true, at);
                (row.CapYear, row.PayoutFen, row.CappedFromFen, row.PayoutJson) = (2026, computation.Payout.Fen, computation.BeforeCap.Fen, JsonSerializer.Serialize(computation));
                (row.QueuedAt, row.InBatchAt, row.ReviewedAt, row.PublishedAt, row.PayableAt, row.BatchId) = (at, at, at, at, at, "datong-2026Q4");
                (row.PaidAt, row.PaidOn, row.PaymentReference, row.FinalPaidFen) = (at, "2026-11-30", "PAY-1", 1_000_000);
                (row.PrepaidFen, row.PrepaidAt, row.AdvancePaidAt, row.AdvancePaidOn, row.AdvanceReference) = (1_000_000, at, at, "2026-11-01", "ADV-1");
            })
            .Build();
        Assert.True(await flow.Get<RedemptionStore>().TryCreateAsync(r));
        var pdf = TestFiles.Pdf();
        await flow.Get<EvidenceStore>().UploadAsync(r.RedemptionId, EvidenceKind.Report, new MemoryStream(pdf), pdf.Length, "r.pdf", s.Sme.Actor, CancellationToken.None);
        await flow.Get<AuditLog>().AppendAsync(AuditSubjects.Redemption(r.RedemptionId), s.Sme.Actor, at, "", "AwaitingBinding", 3, "requested", CancellationToken.None);

        var result = await flow.Get<RedemptionApi>().GetAsync(Request(s.Sme, r.RedemptionId));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Assert.IsAssignableFrom<IValueHttpResult>(result).Value, JsonBody.Response));
        var view = json.RootElement;
        Assert.Equal(
            ["id", "uscc", "enterpriseName", "voucherId", "cityCode", "institutionId", "institutionName", "serviceId", "serviceTitle", "serviceCategory", "cooperativeRd",
             "contractNumber", "amountPaid", "status", "statusText", "waitingOn", "nextStep", "binding", "evidence", "evidenceComplete", "payout", "annualCap",
             "policyVersion", "stages", "batchId", "payment", "advance", "history"],
            Names(view));
        Assert.Equal(("Paid", "seal", "80000.00"), (view.GetProperty("status").GetString(), view.GetProperty("binding").GetProperty("mode").GetString(), view.GetProperty("amountPaid").GetString()));
        Assert.Equal(["mode", "round", "bound", "boundAt", "deadlineProvisional"], Names(view.GetProperty("binding")));
        var evidence = view.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Equal(["kind", "present", "size", "sha256", "contentType", "uploadedAt", "url", "fileName"], Names(evidence[0]));
        Assert.Equal("r.pdf", evidence[0].GetProperty("fileName").GetString());
        Assert.Equal(["kind", "present", "size", "sha256", "contentType", "uploadedAt"], Names(evidence[1]));
        Assert.Equal(["report", "contract", "payment"], evidence.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(["year", "capped", "beforeCap", "capRemainingBefore", "payout", "note"], Names(view.GetProperty("annualCap")));
        Assert.Equal(["submitted", "bound", "evidenceComplete", "queued", "batched", "reviewed", "published", "payable", "paid"], Names(view.GetProperty("stages")));
        Assert.Equal(["reference", "paidOn", "finalPaid"], Names(view.GetProperty("payment")));
        Assert.Equal(["approved", "paid", "paidOn", "reference"], Names(view.GetProperty("advance")));
        Assert.Equal(["at", "actor", "from", "to", "policyVersion", "detail"], Names(view.GetProperty("history")[0]));
    }

    [Fact]
    public async Task Get_SomeoneElsesRedemption_And_AnUnknownOne_Are404()
    {
        var s = await flow.SeedAsync("datong");
        var r = await flow.CreateAsync(s);
        var other = new VoucherPrincipal("u2", "Other SME", Role.Enterprise, TestUscc.New("datong"));

        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(await flow.Get<RedemptionApi>().GetAsync(Request(other, r.RedemptionId))).StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(await flow.Get<RedemptionApi>().GetAsync(Request(s.Sme, RedemptionStore.NewId(s.Voucher.VoucherId, 9)))).StatusCode);
    }
}
