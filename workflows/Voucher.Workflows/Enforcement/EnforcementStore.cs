using Azure.Data.Tables;
using Voucher.Workflows.Ledger;

namespace Voucher.Workflows.Enforcement;

/// <summary>Reads and idempotent writes of violations, claw-backs, the credit file, the expert pool and opinions.</summary>
public sealed class EnforcementStore(VoucherStore store)
{
    public VoucherStore Tables => store;

    public Task<List<ViolationIndexEntity>> ViolationsOfAsync(string uscc, CancellationToken ct = default) =>
        store.PartitionAsync<ViolationIndexEntity>(VoucherStore.ViolationsByUscc, uscc, 200, ct);

    public Task<List<ViolationEntity>> ViolationsInCityAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<ViolationEntity>(VoucherStore.Violations, cityCode, 1000, ct);

    public Task<ViolationEntity?> GetViolationAsync(string cityCode, string violationId, CancellationToken ct = default) =>
        store.GetAsync<ViolationEntity>(VoucherStore.Violations, cityCode, violationId, ct);

    /// <summary>The last day of the bar in force on <paramref name="today"/>, computed from the decision dates: it lifts by itself.</summary>
    public async Task<DateOnly?> BarredUntilAsync(string uscc, DateOnly today, CancellationToken ct = default) =>
        ViolationRules.BarredUntil((await ViolationsOfAsync(uscc, ct)).Select(v => ChinaTime.DateOf(v.DecidedOn.UtcDateTime)), today);

    /// <summary>Years in which the enterprise was granted voucher money (the annual-cap ledger, one partition).</summary>
    public async Task<IReadOnlyList<int>> YearsOfUseAsync(string uscc, CancellationToken ct = default) =>
        (await store.PartitionAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, 100, ct))
            .Where(r => r.GrantedFen > 0 && r.RowKey.StartsWith("cap-", StringComparison.Ordinal) && int.TryParse(r.RowKey[4..], out _))
            .Select(r => int.Parse(r.RowKey[4..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    public async Task<bool> IsTrustedAsync(string uscc, int year, CancellationToken ct = default) =>
        TrustRules.IsTrusted(await YearsOfUseAsync(uscc, ct), (await ViolationsOfAsync(uscc, ct)).Count > 0, year);

    public Task<List<ViolationEvidenceEntity>> EvidenceOfAsync(string violationId, CancellationToken ct = default) =>
        store.PartitionAsync<ViolationEvidenceEntity>(VoucherStore.ViolationEvidence, violationId, 50, ct);

    public Task<List<ClawBackEntity>> ClawBacksAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<ClawBackEntity>(VoucherStore.ClawBacks, cityCode, 2000, ct);

    public Task<ClawBackEntity?> GetClawBackAsync(string cityCode, string clawBackId, CancellationToken ct = default) =>
        store.GetAsync<ClawBackEntity>(VoucherStore.ClawBacks, cityCode, clawBackId, ct);

    /// <summary>
    /// Claims each part of a redemption's paid money for <paramref name="clawBackId"/> where no claw-back holds it yet
    /// (insert-if-absent: two violations at once cannot both win), then answers every claim of the redemption.
    /// </summary>
    public async Task<IReadOnlyList<ClawBackClaimEntity>> ClaimAsync(string redemptionId, string clawBackId, string violationId, IEnumerable<(string Part, long Fen)> parts, DateTimeOffset at, CancellationToken ct = default)
    {
        foreach (var (part, fen) in parts.Where(p => p.Fen > 0))
        {
            await store.TryAddAsync(VoucherStore.ClawBacks, new ClawBackClaimEntity
            {
                PartitionKey = ClawBackClaimEntity.PartitionFor(redemptionId), RowKey = part, ClawBackId = clawBackId, ViolationId = violationId, AmountFen = fen, ClaimedAt = at,
            }, ct);
        }

        return await store.PartitionAsync<ClawBackClaimEntity>(VoucherStore.ClawBacks, ClawBackClaimEntity.PartitionFor(redemptionId), 10, ct);
    }

    public Task<List<CreditEntryEntity>> CreditAsync(string uscc, CancellationToken ct = default) =>
        store.PartitionAsync<CreditEntryEntity>(VoucherStore.CreditHistory, uscc, 500, ct);

    /// <summary>Adds a credit entry once (fixed key); a retried step changes nothing.</summary>
    public Task<bool> AddCreditAsync(string uscc, string kind, string reference, DateTimeOffset at, long amountFen, string detail, CancellationToken ct = default) =>
        store.TryAddAsync(VoucherStore.CreditHistory, new CreditEntryEntity
        {
            PartitionKey = uscc,
            RowKey = $"{kind}~{reference}",
            Kind = kind,
            Reference = reference,
            At = at,
            AmountFen = amountFen,
            Detail = detail,
        }, ct);

    public Task<List<ExpertEntity>> ExpertsAsync(CancellationToken ct = default) =>
        store.PartitionAsync<ExpertEntity>(VoucherStore.Experts, ExpertEntity.Pool, 2000, ct);

    public Task<ExpertEntity?> GetExpertAsync(string expertId, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(expertId) || expertId.Length > 64
            ? Task.FromResult<ExpertEntity?>(null)
            : store.GetAsync<ExpertEntity>(VoucherStore.Experts, ExpertEntity.Pool, expertId.Trim(), ct);

    public Task UpsertExpertAsync(ExpertEntity expert, CancellationToken ct = default) =>
        store.UpsertAsync(VoucherStore.Experts, expert, ct);

    /// <summary>Active experts, those whose fields include <paramref name="field"/> first.</summary>
    public async Task<IReadOnlyList<ExpertEntity>> ExpertsForFieldAsync(string? field, CancellationToken ct = default) =>
        (await ExpertsAsync(ct)).Where(e => e.Active)
            .OrderByDescending(e => field is not null && e.FieldList().Contains(field, StringComparer.OrdinalIgnoreCase))
            .ThenBy(e => e.ExpertId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Records a request for an opinion with the redemption and in the expert's list (both rows, upserted).</summary>
    public async Task RecordOpinionRequestAsync(ExpertOpinionEntity request, CancellationToken ct = default)
    {
        request.PartitionKey = request.RedemptionId;
        request.RowKey = request.ExpertId;
        await store.UpsertAsync(VoucherStore.ExpertOpinions, request, ct);
        request.PartitionKey = ExpertOpinionEntity.ExpertPartition(request.ExpertId);
        request.RowKey = request.RedemptionId;
        await store.UpsertAsync(VoucherStore.ExpertOpinions, request, ct);
    }

    /// <summary>Writes the expert's opinion onto both rows (created when the request was made outside the pool flow).</summary>
    public async Task RecordOpinionAsync(string redemptionId, string expertId, string opinion, DateTimeOffset at, ExpertOpinionEntity template, CancellationToken ct = default)
    {
        foreach (var (pk, rk) in new[] { (redemptionId, expertId), (ExpertOpinionEntity.ExpertPartition(expertId), redemptionId) })
        {
            var row = await store.GetAsync<ExpertOpinionEntity>(VoucherStore.ExpertOpinions, pk, rk, ct) ?? new ExpertOpinionEntity
            {
                PartitionKey = pk,
                RowKey = rk,
                BatchId = template.BatchId,
                RedemptionId = redemptionId,
                ExpertId = expertId,
                EnterpriseName = template.EnterpriseName,
                ServiceTitle = template.ServiceTitle,
                Field = template.Field,
                RequestedBy = template.RequestedBy,
                RequestedAt = template.RequestedAt,
            };
            row.Opinion = opinion;
            row.OpinionAt = at;
            await store.Table(VoucherStore.ExpertOpinions).UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
        }
    }

    public Task<List<ExpertOpinionEntity>> OpinionsForRedemptionAsync(string redemptionId, CancellationToken ct = default) =>
        store.PartitionAsync<ExpertOpinionEntity>(VoucherStore.ExpertOpinions, redemptionId, 50, ct);

    public Task<List<ExpertOpinionEntity>> OpinionsForExpertAsync(string expertId, CancellationToken ct = default) =>
        store.PartitionAsync<ExpertOpinionEntity>(VoucherStore.ExpertOpinions, ExpertOpinionEntity.ExpertPartition(expertId), 1000, ct);
}
