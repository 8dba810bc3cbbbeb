using Voucher.Workflows.Durable;

namespace Voucher.Workflows.Applications;

/// <summary>
/// The bureau's review decisions, kept from the moment one is accepted until <see cref="RecordApplicationDecision"/> has
/// applied it, and raised again by the outbox sweep if it has not (<see cref="PendingEventOutbox{TEvent}"/>). Without
/// it a decision was lost for good when the host that started the application died after sending the eligibility step
/// and before saving the history: the step ran and put the application under review, the bureau decided, and the engine
/// dropped the decision because the orchestration started again only when its start message came back (the scale-out
/// test's lost approval). RowKey = "{applicationId}~decision~{round}".
/// </summary>
public sealed class PendingReviewDecisions(VoucherStore store, ApplicationStore applications, TimeProvider time, ILogger<PendingReviewDecisions> log)
    : PendingEventOutbox<ReviewDecision>(store, time, log)
{
    protected override string Partition => "application";

    protected override string Kind => "review decision";

    protected override string EventName => ReviewDecision.EventName;

    protected override string InstanceId(string subjectId) => ApplicationStore.InstanceId(subjectId);

    protected override string KeyOf(ReviewDecision ev) => string.Create(CultureInfo.InvariantCulture, $"decision~{ev.Round}");

    /// <summary>Gone, decided, or in a later round than the decision's.</summary>
    protected override async Task<bool> IsMootAsync(string subjectId, ReviewDecision ev, CancellationToken ct) =>
        await applications.GetAsync(subjectId, ct) is not { } a || ApplicationTransitions.IsFinal(a.State) || a.Round > ev.Round;
}
