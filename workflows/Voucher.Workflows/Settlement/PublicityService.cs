using Voucher.Workflows.Audit;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>One approved redemption on the public list: no personal data, only what the public may check.</summary>
public sealed record PublicityEntry(string RedemptionId, string CityCode, string EnterpriseName, string InstitutionName, string ServiceCategory, string ServiceTitle, Cny Payout, string Start, string End, bool Objected, bool EndProvisional = false);

/// <summary>Anyone objects to a published redemption, with a contact (kept in the table only) and grounds.</summary>
public sealed record FileObjection(string RedemptionId, string? Contact, string? Grounds);

/// <summary>An objection taken: the redemption, its batch and the receipt number (受理编号) the objector keeps.</summary>
public sealed record ObjectionFiled(string RedemptionId, string BatchId, string ReceiptNo);

/// <summary>The city bureau's answer to the objections of one redemption: uphold (rejected) or dismiss (continues), with a reason.</summary>
public sealed record ResolveObjection(string RedemptionId, bool? Uphold, string? Reason);

/// <summary>
/// Publicity (公示): the public list of approved redemptions in their objection window, an objection filed against one
/// (it holds the redemption), and the city bureau's resolution of the objections. The HTTP API and the pages call these.
/// </summary>
public sealed partial class PublicityService(
    SettlementStore settlements,
    RedemptionStore redemptions,
    TimeProvider time,
    AuditLog audit,
    Enforcement.PrepaymentAudit prepayment,
    Supervision.StatsAggregator stats,
    SettlementNotices notices,
    Policies.PolicyStore policies,
    ILogger<PublicityService> log)
{
    public const int MaxContactLength = 100;

    public const int MaxGroundsLength = 2000;

    /// <summary>
    /// The approved redemptions of every batch whose publicity is open, published or held by an objection (the API's
    /// list; each row's state is read from its redemption).
    /// </summary>
    public async Task<IReadOnlyList<PublicityEntry>> ListAsync(CancellationToken ct)
    {
        var entries = new List<PublicityEntry>();
        foreach (var open in await settlements.OpenPublicityAsync(ct))
        {
            foreach (var item in await settlements.ItemsAsync(open.RowKey, ct))
            {
                var state = item.Verdict == RowVerdict.Approve ? (await redemptions.GetAsync(item.RedemptionId, ct))?.State : null;
                if (state is RedemptionStatus.Published or RedemptionStatus.Objected)
                {
                    entries.Add(new PublicityEntry(item.RedemptionId, open.CityCode, item.EnterpriseName, item.InstitutionName, item.ServiceCategory, item.ServiceTitle,
                        Cny.FromFen(item.PayoutFen), open.PublicityStart, open.PublicityEnd, state == RedemptionStatus.Objected, open.PublicityProvisional));
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// Files an objection while the window is open: the objection row, the redemption held (Published → Objected; a
    /// second objection to a held one adds its row), its audit entry, and the city bureau told.
    /// </summary>
    public async Task<Outcome<ObjectionFiled>> FileObjectionAsync(FileObjection command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var contact = JsonBody.Required(command.Contact, "contact", MaxContactLength, errors);
        var grounds = JsonBody.Required(command.Grounds, "grounds", MaxGroundsLength, errors);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var r = await redemptions.GetAsync(command.RedemptionId, ct);
        var batch = r?.BatchId is null ? null : await settlements.GetBatchAsync(r.BatchId, ct);
        if (r is null || batch?.PublicityEnd is null || r.State is not (RedemptionStatus.Published or RedemptionStatus.Objected))
        {
            return new Failure.NotFound("该兑付申请不在公示中 (This redemption is not under publicity)");
        }

        var now = time.GetUtcNow();
        if (!PublicityWindows.IsOpen(batch, now))
        {
            return new Failure.Refused($"公示期已于 {batch.PublicityEnd} 结束 (The objection window closed on {batch.PublicityEnd})");
        }

        var receipt = ReceiptNumbers.New();
        var objection = new ObjectionEntity
        {
            PartitionKey = r.RedemptionId, RowKey = $"{now.UtcTicks:D19}-{Guid.NewGuid():N}"[..40], BatchId = batch.BatchId, ReceiptNo = receipt, Contact = contact!, Grounds = grounds!, FiledAt = now,
        };
        await settlements.Tables.UpsertAsync(VoucherStore.PublicityIndex, new ObjectionReceiptEntity { PartitionKey = ObjectionReceiptEntity.Partition, RowKey = receipt, RedemptionId = r.RedemptionId, ObjectionKey = objection.RowKey }, ct);
        await settlements.SaveObjectionAsync(objection, ct);
        await IndexObjectionAsync(objection, r, ct);
        string? from = null;
        r = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Objected);
            if (from is not null)
            {
                e.AnnounceEntry(AuditLog.KeyOf(now, from, e.Status.ToString()));
            }

            return from is not null;
        }, ct);
        if (from is not null)
        {
            await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), "public", now, from, r.Status.ToString(), r.PolicyVersion, "公示期内收到异议 (objection filed)", ct);
        }

        await notices.ObjectionForBureauAsync(r, now, ct);
        await notices.ObjectionFiledAsync(r, objection.RowKey, now, ct);
        SettlementLog.ObjectionFiled(log, r.RedemptionId, batch.BatchId, r.State == RedemptionStatus.Objected);
        return new ObjectionFiled(r.RedemptionId, batch.BatchId, receipt);
    }
}
