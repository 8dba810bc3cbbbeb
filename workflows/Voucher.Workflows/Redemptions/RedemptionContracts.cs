namespace Voucher.Workflows.Redemptions;

/// <summary>Orchestration input: ids and counters only (no personal data in the Durable history).</summary>
public sealed record RedemptionWorkflowInput(string RedemptionId, int BindingRound = 1, bool ReminderSent = false);

public sealed record RedemptionRoundInput(string RedemptionId, int Round, DateTime At);

public sealed record RedemptionStep(string RedemptionId, DateTime At);

/// <summary>What the orchestrator needs to decide its next wait; the table row stays the source of truth.</summary>
public sealed record RedemptionState(
    string RedemptionId,
    string Status,
    bool Final,
    bool ReadyToQueue,
    bool WaitsForBinding,
    int BindingRound,
    DateTime? RemindAtUtc,
    DateTime? DeadlineAtUtc);

/// <summary>Every human or system event a redemption reacts to, raised as <see cref="EventName"/>.</summary>
public sealed record RedemptionEvent(string Kind, int Round, bool Confirmed, string? Reason, string Actor)
{
    public const string EventName = "RedemptionEvent";

    public const string Binding = "binding";
    public const string EvidenceComplete = "evidence-complete";
    public const string Withdraw = "withdraw";
    public const string ExtendBinding = "extend-binding";

    /// <summary>The settlement reached a final word on this redemption (rejected, or paid): finish the money side.</summary>
    public const string Settled = "settled";

    /// <summary>A violation was recorded against the enterprise: stop the redemption if it is not in a batch yet (<c>Reason</c> = violation id).</summary>
    public const string Violation = "violation";

    /// <summary>A year's holiday arrangement was published or corrected: count the binding deadline again (<c>Reason</c> = <c>{year}:{version}</c>).</summary>
    public const string Calendar = "calendar";
}

public sealed record RedemptionEventInput(string RedemptionId, RedemptionEvent Event, DateTime At);
