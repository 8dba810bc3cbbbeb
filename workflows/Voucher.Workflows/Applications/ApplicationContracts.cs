namespace Voucher.Workflows.Applications;

/// <summary>Orchestration input: ids only, never personal data (the history tables keep inputs in plain text).</summary>
public sealed record ApplicationWorkflowInput(string ApplicationId, int Round = 1);

public sealed record ApplicationOutcome(string ApplicationId, ApplicationStatus Status, string? VoucherId);

public sealed record ApplicationStep(string ApplicationId, DateTime At);

/// <summary>
/// The eligibility check's result; an eligible application's first review round is opened in the same step
/// (<paramref name="FirstRound"/>), which saves the orchestration an episode. Null in histories recorded before that.
/// </summary>
public sealed record EligibilityOutcome(bool Eligible, IReadOnlyList<string> Reasons, int PolicyVersion, ReviewRoundPlan? FirstRound = null);

public sealed record ReviewRoundInput(string ApplicationId, int Round, DateTime At);

/// <summary>A calendar change woke the review wait: count the round's deadline again (<paramref name="Current"/> is the plan waited by).</summary>
public sealed record ReviewReplanInput(string ApplicationId, int Round, DateTime At, ReviewRoundPlan Current);

/// <summary>
/// When the reminder goes out and when the round's deadline passes (UTC instants of China dates); provisional when the
/// count touched a year whose holiday arrangement is not published (false in histories recorded before it was known).
/// </summary>
public sealed record ReviewRoundPlan(int Round, DateTime RemindAtUtc, DateTime DeadlineAtUtc, string DeadlineDate, bool Provisional = false);

/// <summary>The bureau's decision, raised as the external event <see cref="EventName"/>.</summary>
public sealed record ReviewDecision(int Round, bool Approved, string? Reason, string DecidedBy)
{
    public const string EventName = "ReviewDecision";
}

public sealed record DecisionInput(string ApplicationId, ReviewDecision Decision, DateTime At);

/// <summary>
/// A year's holiday arrangement was published or corrected (raised by <c>CalendarReplanOrchestrator</c> as
/// <see cref="EventName"/>): a waiting orchestration counts its open deadline again.
/// </summary>
public sealed record CalendarChanged(int Year, int Version)
{
    public const string EventName = "CalendarChanged";
}
