using System.Text.Json.Serialization;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// Input of one city-period settlement; the cut-off is fixed when it starts, so every replay takes the same redemptions.
/// <paramref name="FormAt"/> is set by the orchestration when it forms the batch (its time is the freeze time of every
/// item); a formation step scheduled by an older orchestration has none and leaves the freeze to the chunk fan-out.
/// </summary>
public sealed record SettlementInput(string CityCode, string PeriodId, DateTime CutoffUtc, string StartedBy, DateTime? FormAt = null);

/// <summary>
/// The formed batch; <paramref name="Frozen"/>: the formation step also moved every item to InBatch (no freeze fan-out);
/// <paramref name="RiskCheck"/>: the orchestration checks the items' risk flags before the review opens (false in
/// histories recorded before the check existed, which replay without it).
/// </summary>
public sealed record BatchSummary(string BatchId, int ItemCount, int ChunkCount, bool Frozen = false, bool RiskCheck = false);

/// <summary>One bounded slice of a batch for one phase of the fan-out.</summary>
public sealed record ChunkInput(string BatchId, int Chunk, SettlementPhase Phase, DateTime At);

/// <summary>
/// A phase of the chunk fan-out. Recorded histories hold these names (chunk inputs, sub-orchestration instance ids
/// <c>settlement-{batch}-{phase}-{chunk}</c>) and the custom status shows them as its stage: they never change.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SettlementPhase>))]
public enum SettlementPhase
{
    /// <summary>Queued → InBatch; a phase only for batches formed by an older orchestration (the formation freezes now).</summary>
    [JsonStringEnumMemberName("freeze")]
    Freeze,

    /// <summary>The bureau's row decisions applied: → Published or Rejected.</summary>
    [JsonStringEnumMemberName("decide")]
    Decide,

    /// <summary>The window ended: Published → Payable (an objected one waits for its resolution).</summary>
    [JsonStringEnumMemberName("close-publicity")]
    ClosePublicity,
}

/// <summary>
/// What a chunk did: counts per resulting state, the redemptions whose orchestrations must hear of a rejection, and
/// (failed pre-payment audits) other redemptions of the same enterprises that the resulting violation stops.
/// </summary>
public sealed record ChunkResult(int Chunk, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Rejected, IReadOnlyList<string>? Stop = null);

/// <summary>The publicity window; provisional when its end was counted across a year without a published holiday arrangement.</summary>
public sealed record PublicityWindow(string Start, string End, DateTime EndsAtUtc, bool Provisional = false);

public sealed record BatchStep(string BatchId, DateTime At);

public sealed record BatchSubmitted(string SubmittedBy)
{
    public const string EventName = "BatchSubmitted";
}

public static class SettlementPhases
{
    /// <summary>The recorded name of a phase (<c>freeze</c>, <c>decide</c>, <c>close-publicity</c>).</summary>
    public static string Name(this SettlementPhase phase) => phase switch
    {
        SettlementPhase.Freeze => "freeze",
        SettlementPhase.Decide => "decide",
        SettlementPhase.ClosePublicity => "close-publicity",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown settlement phase"),
    };

    /// <summary>Items per chunk sub-orchestration.</summary>
    public const int ChunkSize = 500;

    /// <summary>Items a chunk activity updates at once.</summary>
    public const int ItemConcurrency = 16;

    /// <summary>Chunks running at once: bounded so a 20,000-item batch does not flood the task hub.</summary>
    public const int MaxParallelChunks = 4;
}

public static class SettlementIds
{
    public static string BatchId(string cityCode, string periodId) => $"{cityCode}-{periodId}";

    const string InstancePrefix = "settlement-";

    public static string InstanceId(string batchId) => InstancePrefix + batchId;

    /// <summary>The batch of a settlement's instance id; null for another id.</summary>
    public static string? BatchOf(string instanceId) =>
        instanceId.StartsWith(InstancePrefix, StringComparison.Ordinal) ? instanceId[InstancePrefix.Length..] : null;

    public static (string City, string Period)? Split(string batchId)
    {
        var dash = batchId.LastIndexOf('-');
        return dash <= 0 ? null : (batchId[..dash], batchId[(dash + 1)..]);
    }
}
