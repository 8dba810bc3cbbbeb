using Voucher.Workflows.Hosting;

namespace Voucher.Workflows.Enforcement;

/// <summary>The enforcement area's log: violations recorded (by a bureau, the province or a failed audit), claw-backs confirmed, evidence and the expert pool.</summary>
public static partial class EnforcementLog
{
    [LoggerMessage(EventId = LogEventIds.Enforcement + 1, Level = LogLevel.Information, Message = "Violation {ViolationId} recorded against {Uscc} ({City}, {Source}) by {Actor}: barred until {BarredUntil}, {ClawBacks} claw-backs of {ClawBackFen} fen, {Stopped} open redemptions stopped")]
    public static partial void ViolationRecorded(ILogger logger, string violationId, string uscc, string city, string source, string actor, string barredUntil, int clawBacks, long clawBackFen, int stopped);

    [LoggerMessage(EventId = LogEventIds.Enforcement + 2, Level = LogLevel.Information, Message = "Violation {ViolationId} asked again by {Actor}: already recorded, what was left undone completed")]
    public static partial void ViolationRepeated(ILogger logger, string violationId, string actor);

    [LoggerMessage(EventId = LogEventIds.Enforcement + 3, Level = LogLevel.Information, Message = "Claw-back {ClawBackId} ({City}) of {AmountFen} fen confirmed recovered by {Actor}")]
    public static partial void ClawBackConfirmed(ILogger logger, string clawBackId, string city, long amountFen, string actor);

    [LoggerMessage(EventId = LogEventIds.Enforcement + 4, Level = LogLevel.Information, Message = "Violation {ViolationId}: evidence {File} ({Size} bytes) added by {Actor}")]
    public static partial void EvidenceAdded(ILogger logger, string violationId, string file, long size, string actor);

    [LoggerMessage(EventId = LogEventIds.Enforcement + 5, Level = LogLevel.Information, Message = "Expert {ExpertId} saved to the pool (active {Active}) by {Actor}")]
    public static partial void ExpertSaved(ILogger logger, string expertId, bool active, string actor);
}
