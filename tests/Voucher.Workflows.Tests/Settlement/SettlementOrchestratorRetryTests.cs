using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.Workflows.Settlement;
using Voucher.Workflows.Settlement.Risk;

namespace Voucher.Workflows.Tests.Settlement;

/// <summary>
/// The settlement orchestrator with a mocked <see cref="TaskOrchestrationContext"/>: every activity it calls (and every
/// risk-check activity) carries the retry policy, and a risk check that still fails after its retries leaves the items
/// unchecked and opens the review all the same: flags inform, they never hold up a batch. (The engine's own retries are
/// exercised on the real engine by the settlement workflow tests; here the failure is forced.)
/// </summary>
public sealed class SettlementOrchestratorRetryTests
{
    static readonly DateTime Now = new(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc);
    static readonly BatchSummary Summary = new("taiyuan-2026-12", ItemCount: 3, ChunkCount: 1, Frozen: true, RiskCheck: true);

    [Fact]
    public async Task A_risk_check_that_fails_after_its_retries_leaves_the_items_unchecked_and_opens_the_review()
    {
        var context = Context(failRisk: true);
        var run = new SettlementOrchestrator().RunAsync(context.Object, new SettlementInput("taiyuan", "2026-12", Now, "system"));

        // The review opened (and the orchestration now waits for the bureau's submission), though the check failed.
        Assert.False(run.IsCompleted);
        context.Verify(c => c.CallActivityAsync<bool>(nameof(OpenBatchReview), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Once);
        context.Verify(c => c.CallActivityAsync<int>(nameof(FlagRiskChunk), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
        context.Verify(c => c.WaitForExternalEvent<BatchSubmitted>(BatchSubmitted.EventName, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void Every_activity_of_the_settlement_and_its_risk_check_is_called_with_the_retry_policy()
    {
        var context = Context(failRisk: false);
        _ = new SettlementOrchestrator().RunAsync(context.Object, new SettlementInput("taiyuan", "2026-12", Now, "system"));

        var calls = context.Invocations.Where(i => i.Method.Name == nameof(TaskOrchestrationContext.CallActivityAsync)).ToList();
        Assert.Equal(
            [nameof(FormSettlementBatch), nameof(BeginRiskCheck), nameof(IndexRiskChunk), nameof(FlagRiskChunk), nameof(OpenBatchReview)],
            calls.Select(c => c.Arguments[0]?.ToString() ?? ""));
        Assert.All(calls, c => Assert.Same(SettlementRetry.Options, c.Arguments[2]));
        var policy = SettlementRetry.Options.Retry?.Policy;
        Assert.NotNull(policy);
        Assert.Equal(SettlementRetry.MaxAttempts, policy.MaxNumberOfAttempts);
        // What the engine's retry step hands the policy: the core exception with the activity's failure details.
        Assert.False(policy.Handle(CoreFailure(typeof(DomainException).FullName!)), "a refused rule would refuse again");
        Assert.True(policy.Handle(CoreFailure("Azure.RequestFailedException")), "a storage failure is retried");
    }

    static TaskFailedException Failed(string errorType) =>
        new(nameof(IndexRiskChunk), 3, new TaskFailureDetails(errorType, "failed", null, null, null));

    static DurableTask.Core.Exceptions.TaskFailedException CoreFailure(string errorType) =>
        new(0, 3, nameof(IndexRiskChunk), "", "failed", null!) { FailureDetails = new DurableTask.Core.FailureDetails(errorType, "failed", null, null, false) };

    static Mock<TaskOrchestrationContext> Context(bool failRisk)
    {
        var context = new Mock<TaskOrchestrationContext>();
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.SetupGet(c => c.InstanceId).Returns(SettlementIds.InstanceId(Summary.BatchId));
        context.Setup(c => c.CreateReplaySafeLogger<SettlementOrchestrator>()).Returns(NullLogger.Instance);
        context.Setup(c => c.CallActivityAsync<BatchSummary>(nameof(FormSettlementBatch), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(Summary);
        context.Setup(c => c.CallActivityAsync<int>(nameof(BeginRiskCheck), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(1);
        if (failRisk)
        {
            context.Setup(c => c.CallActivityAsync<int>(nameof(IndexRiskChunk), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .ThrowsAsync(Failed("Azure.RequestFailedException"));
        }
        else
        {
            context.Setup(c => c.CallActivityAsync<int>(nameof(IndexRiskChunk), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(0);
        }

        context.Setup(c => c.CallActivityAsync<int>(nameof(FlagRiskChunk), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(0);
        context.Setup(c => c.CallActivityAsync<bool>(nameof(OpenBatchReview), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(true);
        context.Setup(c => c.WaitForExternalEvent<BatchSubmitted>(BatchSubmitted.EventName, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<BatchSubmitted>().Task);
        return context;
    }
}
