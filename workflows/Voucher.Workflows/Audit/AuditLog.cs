using Voucher.Workflows.Agencies;
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
    public Task AppendAsync(string subject, string actor, DateTimeOffset at, string from, string to, int policyVersion, string detail, CancellationToken ct = default)
    {
        var (party, agency) = AgencyActor.Parse(actor);
        if (agency is null && ActingContext.Current is { } acting)
        {
            (party, agency) = (acting.PartyAddress, acting.AgencyId);
            actor = AgencyActor.Format(party, agency);
        }

        return store.UpsertAsync(VoucherStore.Audit, new AuditEntry
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
            Agency = agency ?? "",
            ActedFor = agency is null ? "" : party,
        }, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string subject, CancellationToken ct = default) =>
        await store.PartitionAsync<AuditEntry>(VoucherStore.Audit, subject, 500, ct);
}
