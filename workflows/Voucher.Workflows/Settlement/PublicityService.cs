using Voucher.Workflows.Audit;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>One approved redemption on the public list: no personal data, only what the public may check.</summary>
public sealed record PublicityEntry(string RedemptionId, string CityCode, string EnterpriseName, string InstitutionName, string ServiceCategory, string ServiceTitle, Cny Payout, string Start, string End, bool Objected, bool EndProvisional = false);

/// <summary>A batch's publicity notice (公示): the city and period, the window, and the entries in it.</summary>
public sealed record PublicityNotice(string BatchId, string CityCode, string PeriodId, string Start, string End, bool Provisional, IReadOnlyList<PublicityEntry> Entries);

/// <summary>Anyone objects to a published redemption, with a contact (kept in the table only) and grounds.</summary>
public sealed record FileObjection(string RedemptionId, string? Contact, string? Grounds);

public sealed record ObjectionFiled(string RedemptionId, string BatchId);

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
    ILogger<PublicityService> log)
{
    public const int MaxContactLength = 100;

    public const int MaxGroundsLength = 2000;

    /// <summary>The approved redemptions of every batch whose publicity is open, published or held by an objection.</summary>
    public async Task<IReadOnlyList<PublicityEntry>> ListAsync(CancellationToken ct) =>
        [.. (await NoticesAsync(ct)).SelectMany(n => n.Entries)];

    /// <summary>One notice per batch whose publicity is open: its window and its approved redemptions, published or held by an objection.</summary>
    public async Task<IReadOnlyList<PublicityNotice>> NoticesAsync(CancellationToken ct)
    {
        var result = new List<PublicityNotice>();
        foreach (var open in await settlements.OpenPublicityAsync(ct))
        {
            var entries = new List<PublicityEntry>();
            foreach (var item in await settlements.ItemsAsync(open.RowKey, ct))
            {
                var state = item.Verdict == RowVerdict.Approve ? (await redemptions.GetAsync(item.RedemptionId, ct))?.State : null;
                if (state is RedemptionStatus.Published or RedemptionStatus.Objected)
                {
                    entries.Add(new PublicityEntry(item.RedemptionId, open.CityCode, item.EnterpriseName, item.InstitutionName, item.ServiceCategory, item.ServiceTitle,
                        Cny.FromFen(item.PayoutFen), open.PublicityStart, open.PublicityEnd, state == RedemptionStatus.Objected, open.PublicityProvisional));
                }
            }

            result.Add(new PublicityNotice(open.RowKey, open.CityCode, SettlementIds.Split(open.RowKey)?.Period ?? "", open.PublicityStart, open.PublicityEnd, open.PublicityProvisional, entries));
        }

        return result;
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

        var objection = new ObjectionEntity
        {
            PartitionKey = r.RedemptionId, RowKey = $"{now.UtcTicks:D19}-{Guid.NewGuid():N}"[..40], BatchId = batch.BatchId, Contact = contact!, Grounds = grounds!, FiledAt = now,
        };
        await settlements.SaveObjectionAsync(objection, ct);
        string? from = null;
        r = await redemptions.UpdateAsync(r.RedemptionId, e =>
        {
            from = RedemptionSteps.Move(e, RedemptionStatus.Objected);
            return from is not null;
        }, ct);
        if (from is not null)
        {
            await audit.AppendAsync(AuditSubjects.Redemption(r.RedemptionId), "public", now, from, r.Status.ToString(), r.PolicyVersion, "公示期内收到异议 (objection filed)", ct);
        }

        await notices.ObjectionForBureauAsync(r, now, ct);
        await notices.ObjectionFiledAsync(r, objection.RowKey, now, ct);
        SettlementLog.ObjectionFiled(log, r.RedemptionId, batch.BatchId, r.State == RedemptionStatus.Objected);
        return new ObjectionFiled(r.RedemptionId, batch.BatchId);
    }
}
