namespace Voucher.Workflows.Applications;

/// <summary>Orchestration input: ids only, never personal data (the history tables keep inputs in plain text).</summary>
public sealed record ApplicationWorkflowInput(string ApplicationId, int Round = 1);

public sealed record ApplicationOutcome(string ApplicationId, string Status, string? VoucherId);

public sealed record ApplicationStep(string ApplicationId, DateTime At);

/// <summary>
/// The eligibility check's result; an eligible application's first review round is opened in the same step
/// (<paramref name="FirstRound"/>), which saves the orchestration an episode. Null in histories recorded before that.
/// </summary>
public sealed record EligibilityOutcome(bool Eligible, IReadOnlyList<string> Reasons, int PolicyVersion, ReviewRoundPlan? FirstRound = null);

public sealed record ReviewRoundInput(string ApplicationId, int Round, DateTime At);

/// <summary>When the reminder goes out and when the round's deadline passes (UTC instants of China dates).</summary>
public sealed record ReviewRoundPlan(int Round, DateTime RemindAtUtc, DateTime DeadlineAtUtc, string DeadlineDate);

/// <summary>The bureau's decision, raised as the external event <see cref="EventName"/>.</summary>
public sealed record ReviewDecision(int Round, bool Approved, string? Reason, string DecidedBy)
{
    public const string EventName = "ReviewDecision";
}

public sealed record DecisionInput(string ApplicationId, ReviewDecision Decision, DateTime At);
