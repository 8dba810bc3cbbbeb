using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Workflows.Redemptions;

/// <summary>
/// Orchestration input: ids, counters and states only (no personal data in the Durable history). <c>Opened</c>: the state
/// after the request opened round 1 itself, so the first turn of the loop waits on it without the round step; absent in
/// a history recorded before requests did so, and after continue-as-new.
/// </summary>
public sealed record RedemptionWorkflowInput(string RedemptionId, int BindingRound = 1, bool ReminderSent = false, RedemptionState? Opened = null);

public sealed record RedemptionRoundInput(string RedemptionId, int Round, DateTime At);

public sealed record RedemptionStep(string RedemptionId, DateTime At);

/// <summary>
/// What the orchestrator needs to decide its next wait; the table row stays the source of truth. <c>Advanced</c>: the
/// activity that returned it has already taken the loop's next steps (<see cref="RedemptionAdvance"/>: the round opened,
/// the redemption queued when ready), so the orchestrator waits on this state without calling them. A state recorded
/// before the field existed reads as false, and its history replays the separate calls it made.
/// </summary>
public sealed record RedemptionState(
    string RedemptionId,
    Voucher.Domain.RedemptionStatus Status,
    bool Final,
    bool ReadyToQueue,
    bool WaitsForBinding,
    int BindingRound,
    DateTime? RemindAtUtc,
    DateTime? DeadlineAtUtc,
    bool Advanced = false);

/// <summary>What happened to a redemption; recorded in histories and pending rows by the names below.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RedemptionEventKind>))]
public enum RedemptionEventKind
{
    /// <summary>The institution confirmed or disputed the round (<c>Confirmed</c>, <c>Reason</c>).</summary>
    [JsonStringEnumMemberName("binding")]
    Binding,

    [JsonStringEnumMemberName("evidence-complete")]
    EvidenceComplete,

    [JsonStringEnumMemberName("withdraw")]
    Withdraw,

    [JsonStringEnumMemberName("extend-binding")]
    ExtendBinding,

    /// <summary>The settlement reached a final word on this redemption (rejected, or paid): finish the money side.</summary>
    [JsonStringEnumMemberName("settled")]
    Settled,

    /// <summary>A violation was recorded against the enterprise: stop the redemption if it is not in a batch yet (<c>Reason</c> = violation id).</summary>
    [JsonStringEnumMemberName("violation")]
    Violation,

    /// <summary>A year's holiday arrangement was published or corrected: count the binding deadline again (<c>Reason</c> = <c>{year}:{version}</c>).</summary>
    [JsonStringEnumMemberName("calendar")]
    Calendar,
}

/// <summary>Every human or system event a redemption reacts to, raised as <see cref="EventName"/>.</summary>
public sealed record RedemptionEvent(RedemptionEventKind Kind, int Round, bool Confirmed, string? Reason, string Actor)
{
    public const string EventName = "RedemptionEvent";

    public const RedemptionEventKind Binding = RedemptionEventKind.Binding;
    public const RedemptionEventKind EvidenceComplete = RedemptionEventKind.EvidenceComplete;
    public const RedemptionEventKind Withdraw = RedemptionEventKind.Withdraw;
    public const RedemptionEventKind ExtendBinding = RedemptionEventKind.ExtendBinding;
    public const RedemptionEventKind Settled = RedemptionEventKind.Settled;
    public const RedemptionEventKind Violation = RedemptionEventKind.Violation;
    public const RedemptionEventKind Calendar = RedemptionEventKind.Calendar;

    /// <summary>The kind's recorded name (<c>binding</c>, <c>evidence-complete</c>…), as in histories and keys written before it was typed.</summary>
    public string KindName => JsonSerializer.Serialize(Kind).Trim('"');
}

public sealed record RedemptionEventInput(string RedemptionId, RedemptionEvent Event, DateTime At);
