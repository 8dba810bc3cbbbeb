using Voucher.Workflows.Storage;

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
}

/// <summary>
/// Append-only audit trail per subject (e.g. <c>application:ID</c>). The row key is derived from the time
/// and the transition, both fixed by the orchestration, so a retried step writes the same row again.
/// </summary>
public sealed class AuditLog(VoucherStore store)
{
    public Task AppendAsync(string subject, string actor, DateTimeOffset at, string from, string to, int policyVersion, string detail, CancellationToken ct = default) =>
        store.UpsertAsync(VoucherStore.Audit, new AuditEntry
        {
            PartitionKey = subject,
            RowKey = $"{at.UtcTicks:D19}-{from}-{to}",
            Subject = subject,
            Actor = actor,
            At = at,
            FromState = from,
            ToState = to,
            PolicyVersion = policyVersion,
            Detail = detail,
        }, ct);

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string subject, CancellationToken ct = default) =>
        await store.PartitionAsync<AuditEntry>(VoucherStore.Audit, subject, 500, ct);
}
