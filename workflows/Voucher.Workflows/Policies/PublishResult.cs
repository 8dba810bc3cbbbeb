namespace Voucher.Workflows.Policies;

/// <summary>How a calendar publication ended (<see cref="CalendarService.PublishAsync"/>).</summary>
public enum PublishOutcome
{
    Published,
    Invalid,
    Stale,
}

/// <summary>A calendar publication's outcome, the version it concerns, and the errors by field.</summary>
public sealed record PublishResult<T>(PublishOutcome Outcome, T? Policy, IReadOnlyList<FieldError> Errors);
