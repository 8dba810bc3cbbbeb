namespace Voucher.Workflows.Settlement;

/// <summary>
/// Settlement: batches and their review (the bureau's signed link, experts' opinions), publicity and objections,
/// the finance bureau's payments and confirmed advances; API and pages.
/// </summary>
public static class SettlementRoutes
{
    public static IReadOnlyList<RouteDef> All { get; } =
    [
        RouteDef.For<SettlementApi>("StartSettlement", "POST", "api/settlements", Access.Only(Role.CityBureau, Role.Province), (h, c) => h.StartAsync(c)) with { Contract = ApiContract.Send<StartSettlementRequest, SettlementStarted>(202, 409) with { AlsoStatus = [200] } },
        RouteDef.For<SettlementApi>("GetSettlement", "GET", "api/settlements/{batchId}", Access.Only(Role.CityBureau, Role.FinanceBureau, Role.Province), (h, c) => h.GetAsync(c)) with { Contract = ApiContract.Get<BatchView>() with { ETag = true } },
        RouteDef.For<SettlementApi>("SaveBatchDecisions", "POST", "api/settlements/{batchId}/decisions", Access.Only(Role.CityBureau), (h, c) => h.SaveDecisionsAsync(c)) with { Contract = ApiContract.Send<SaveDecisionsRequest, BatchDecisionsSaved>(200, 409) },
        RouteDef.For<SettlementApi>("SubmitBatch", "POST", "api/settlements/{batchId}/submit", Access.Only(Role.CityBureau), (h, c) => h.SubmitAsync(c)) with { Contract = ApiContract.Act<BatchSubmitAnswer>(202, 409) },
        RouteDef.For<BatchReviewPages>("BatchReviewPage", "GET", "batches/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<BatchReviewPages>("BatchReviewPost", "POST", "batches/{token}", Access.SignedLink, (h, c) => h.PostAsync(c)),
        RouteDef.For<SettlementApi>("BulkBatchDecisions", "POST", "api/settlements/{batchId}/bulk-decisions", Access.Only(Role.CityBureau), (h, c) => h.BulkDecideAsync(c)) with { Contract = ApiContract.Send<BulkDecisionsRequest, BulkDecided>(200, 409) },
        RouteDef.For<BatchReviewPages>("BatchReviewBulk", "POST", "batches/{token}/bulk", Access.SignedLink, (h, c) => h.BulkAsync(c)),
        RouteDef.For<BatchReviewPages>("BatchReviewItem", "GET", "batches/{token}/items/{redemptionId}", Access.SignedLink, (h, c) => h.ItemAsync(c)),
        RouteDef.For<BatchReviewPages>("BatchReviewEvidence", "GET", "batches/{token}/evidence/{redemptionId}/{kind}", Access.SignedLink, (h, c) => h.EvidenceAsync(c)),
        RouteDef.For<OpinionPages>("OpinionPage", "GET", "opinions/{token}", Access.SignedLink, (h, c) => h.ShowAsync(c)),
        RouteDef.For<OpinionPages>("OpinionSubmit", "POST", "opinions/{token}", Access.SignedLink, (h, c) => h.SubmitAsync(c)),
        RouteDef.For<OpinionPages>("OpinionEvidence", "GET", "opinions/{token}/evidence/{kind}", Access.SignedLink, (h, c) => h.EvidenceAsync(c)),

        RouteDef.For<PublicityPages>("PublicityPage", "GET", "publicity", Access.Public, (h, c) => h.ShowAsync(c)),
        RouteDef.For<PublicityPages>("PublicityNoticePage", "GET", "publicity/notices/{batchId}", Access.Public, (h, c) => h.NoticeAsync(c)),
        RouteDef.For<PublicityPages>("PublicityNoticePrint", "GET", "publicity/notices/{batchId}/print", Access.Public, (h, c) => h.PrintAsync(c)),
        RouteDef.For<PublicityPages>("PublicityArchive", "GET", "publicity/archive", Access.Public, (h, c) => h.ArchiveAsync(c)),
        RouteDef.For<PublicityPages>("PublicityReceipt", "GET", "publicity/receipts", Access.Public, (h, c) => h.ReceiptAsync(c)),
        RouteDef.For<PublicityPages>("PublicityObjectionForm", "POST", "publicity/{redemptionId}/objection", Access.Public, (h, c) => h.ObjectAsync(c)),
        RouteDef.For<PublicityApi>("GetPublicity", "GET", "api/publicity", Access.Public, (h, c) => h.ListAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<PublicityEntry>>() },
        RouteDef.For<PublicityApi>("FileObjection", "POST", "api/publicity/{redemptionId}/objections", Access.Public, (h, c) => h.ObjectAsync(c)) with { Contract = ApiContract.Send<ObjectionRequest, JsonObjectResponse>(201, 409, 429) },
        RouteDef.For<PublicityApi>("ResolveObjection", "POST", "api/objections/{redemptionId}/resolve", Access.Only(Role.CityBureau), (h, c) => h.ResolveAsync(c)) with { Contract = ApiContract.Send<ResolveObjectionRequest, JsonObjectResponse>(200, 409) },

        RouteDef.For<PaymentApi>("GetPayables", "GET", "api/payables", Access.Only(Role.FinanceBureau), (h, c) => h.PayablesAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<Payable>>() },
        RouteDef.For<PaymentApi>("ConfirmPayments", "POST", "api/payments", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmManyAsync(c)) with { Contract = ApiContract.Send<ConfirmPayments, BulkPaymentResult>(200) },
        RouteDef.For<PaymentApi>("ConfirmPayment", "POST", "api/redemptions/{id}/payment", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAsync(c)) with { Contract = ApiContract.Send<ConfirmPaymentRequest, PaymentConfirmed>(202, 409) },
        RouteDef.For<AdvanceApi>("GetAdvancesDue", "GET", "api/advances", Access.Only(Role.FinanceBureau), (h, c) => h.ListDueAsync(c)) with { Contract = ApiContract.Get<IReadOnlyList<AdvanceDue>>() },
        RouteDef.For<AdvanceApi>("ConfirmAdvancePayment", "POST", "api/redemptions/{id}/advance-payment", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAsync(c)) with { Contract = ApiContract.Send<ConfirmPaymentRequest, JsonObjectResponse>(200, 409) },

        RouteDef.For<BureauSettlementPages>("PortalStartSettlement", "POST", "portal/settlements", Access.Only(Role.CityBureau), (h, c) => h.StartSettlementFormAsync(c)),
        RouteDef.For<BureauSettlementPages>("PortalObjections", "GET", "portal/objections", Access.Only(Role.CityBureau), (h, c) => h.ObjectionsAsync(c)),
        RouteDef.For<BureauSettlementPages>("PortalResolveObjection", "POST", "portal/objections/{redemptionId}", Access.Only(Role.CityBureau), (h, c) => h.ResolveObjectionFormAsync(c)),
        RouteDef.For<FinancePages>("PortalPayables", "GET", "portal/payables", Access.Only(Role.FinanceBureau), (h, c) => h.PayablesAsync(c)),
        RouteDef.For<FinancePages>("PortalPaymentFile", "GET", "portal/payments/file", Access.Only(Role.FinanceBureau), (h, c) => h.PaymentFileAsync(c)),
        RouteDef.For<FinancePages>("PortalConfirmPayments", "POST", "portal/payments", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmPaymentsFormAsync(c)),
        RouteDef.For<FinancePages>("PortalConfirmPayment", "POST", "portal/payments/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmPaymentFormAsync(c)),
        RouteDef.For<FinancePages>("PortalConfirmAdvance", "POST", "portal/advances/{id}", Access.Only(Role.FinanceBureau), (h, c) => h.ConfirmAdvanceFormAsync(c)),
    ];
}
