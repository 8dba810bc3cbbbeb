using Azure.Data.Tables;
using Voucher.Workflows.Agencies;

namespace Voucher.Workflows.Audit;

/// <summary>One state change: who, when, from what to what, under which policy version.</summary>
public sealed class AuditEntry : TableRow
{
    public string Subject { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string FromState { get; set; } = "";

    public string ToState { get; set; } = "";

    public int PolicyVersion { get; set; }

    public string Detail { get; set; } = "";

    /// <summary>The agency that acted, when an agency acted for the party under a delegation; empty otherwise.</summary>
    public string Agency { get; set; } = "";

    /// <summary>The party the agency acted for (its address, e.g. <c>enterprise:USCC</c>); empty when no agency acted.</summary>
    public string ActedFor { get; set; } = "";
}

/// <summary>
/// Append-only audit trail per subject (e.g. <c>application:ID</c>). The row key is derived from the time
/// and the transition, both fixed by the orchestration, so a retried step writes the same row again.
/// </summary>
public sealed class AuditLog(VoucherStore store)
{
    /// <remarks>
    /// An actor of the form "party via agency:ID" (a delegated principal's <c>Actor</c>, also carried in workflow events),
    /// or any write made while a delegated request runs (<see cref="ActingContext"/>), records both the agency and the party.
    /// </remarks>
    public Task AppendAsync(string subject, string actor, DateTimeOffset at, string from, string to, int policyVersion, string detail, CancellationToken ct = default) =>
        store.UpsertAsync(VoucherStore.Audit, Entry(subject, actor, at, from, to, policyVersion, detail), ct);

    /// <summary>
    /// Several changes of one subject in one entity-group transaction (one storage call); row keys as in
    /// <see cref="AppendAsync"/>, so a retried step writes the same rows again.
    /// </summary>
    public async Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        foreach (var partition in entries.GroupBy(e => e.PartitionKey))
        {
            foreach (var slice in partition.DistinctBy(e => e.RowKey).Chunk(100))
            {
                await store.Table(VoucherStore.Audit).SubmitTransactionAsync(slice.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
            }
        }
    }

    /// <summary>The row key of the entry of a change at <paramref name="at"/> from one state to another: a retried step writes the same row.</summary>
    public static string KeyOf(DateTimeOffset at, string from, string to) => $"{at.UtcTicks:D19}-{from}-{to}";

    /// <summary>An entry of <paramref name="subject"/> for <see cref="AppendManyAsync"/>.</summary>
    public static AuditEntry Entry(string subject, string actor, DateTimeOffset at, string from, string to, int policyVersion, string detail)
    {
        actor = ActorNow(actor);
        var (party, agency) = AgencyActor.Parse(actor);
        return new AuditEntry
        {
            PartitionKey = subject,
            RowKey = KeyOf(at, from, to),
            Subject = subject,
            Actor = actor,
            At = at,
            FromState = from,
            ToState = to,
            PolicyVersion = policyVersion,
            Detail = detail,
            Agency = agency ?? "",
            ActedFor = agency is null ? "" : party,
        };
    }

    /// <summary>
    /// The actor an entry written now would record: <paramref name="actor"/>, or the party "via agency:ID" while a
    /// delegated request runs. For changes recorded later by a workflow step (which runs outside the request). A system
    /// step's entry written during a request (a round the request opens, evidence its upload completes) stays "system".
    /// </summary>
    public static string ActorNow(string actor) =>
        actor != "system" && AgencyActor.Parse(actor).Agency is null && ActingContext.Current is { } acting
            ? AgencyActor.Format(acting.PartyAddress, acting.AgencyId)
            : actor;

    /// <summary>
    /// A batch's item changes (freeze, decision, end of publicity) are kept in the batch's partition, keyed by
    /// redemption, so a settlement step writes them in entity-group transactions of 100 instead of one call per
    /// item; <see cref="ReadRedemptionAsync"/> merges them into the redemption's trail.
    /// </summary>
    public Task AppendBatchItemsAsync(string batchId, IEnumerable<(string RedemptionId, AuditEntry Entry)> entries, CancellationToken ct = default) =>
        AppendManyAsync(entries.Select(x =>
        {
            x.Entry.PartitionKey = AuditSubjects.BatchItems(batchId);
            x.Entry.RowKey = $"{x.RedemptionId}|{x.Entry.RowKey}";
            return x.Entry;
        }).ToList(), ct);

    /// <summary>A redemption's whole trail: its own partition plus its rows in the batch it entered (if any; a redemption enters one batch at most), oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadRedemptionAsync(string redemptionId, string? batchId, CancellationToken ct = default)
    {
        var own = ReadAsync(AuditSubjects.Redemption(redemptionId), ct);
        if (string.IsNullOrEmpty(batchId))
        {
            return await own;
        }

        // Both reads at once: this is on the redemption's status GET.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuditSubjects.BatchItems(batchId)} and RowKey ge {redemptionId + "|"} and RowKey lt {redemptionId + "}"}");
        var inBatch = store.Table(VoucherStore.Audit).QueryAsync<AuditEntry>(filter, cancellationToken: ct).ToListAsync(ct).AsTask();
        var merged = (await own).Concat(await inBatch).ToList();

        // Both kinds of key end in "{ticks}-{from}-{to}": ordinal order of that part is the order of the changes.
        return merged.OrderBy(ChangeKeyOf, StringComparer.Ordinal).ToList();
    }

    /// <summary>The <see cref="KeyOf"/> part of an entry's row key, in the subject's own partition or in a batch's (<c>{redemptionId}|{key}</c>).</summary>
    public static string ChangeKeyOf(AuditEntry e) => e.RowKey[(e.RowKey.IndexOf('|') + 1)..];

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string subject, CancellationToken ct = default) =>
        await store.PartitionAsync<AuditEntry>(VoucherStore.Audit, subject, 500, ct);
}
