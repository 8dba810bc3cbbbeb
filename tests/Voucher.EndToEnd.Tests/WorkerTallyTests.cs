using DurableTask.Core;
using Moq;
using Voucher.LocalHost.Hosting;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// The local host's watch over orchestration work items in hand (<see cref="WorkerTally"/> through
/// <see cref="SidecarHistoryFix"/>): an item counts from its lock until the dispatcher releases or abandons it, so an
/// instance stuck in the process shows by name.
/// </summary>
public sealed class WorkerTallyTests
{
    static TaskOrchestrationWorkItem Item(string instanceId) => new() { InstanceId = instanceId };

    [Fact]
    public async Task A_locked_work_item_is_in_hand_until_the_dispatcher_releases_or_abandons_it()
    {
        var first = Item("application-A");
        var second = Item("redemption-B");
        var engine = new Mock<IOrchestrationService>();
        engine.SetupSequence(e => e.LockNextTaskOrchestrationWorkItemAsync(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(first).ReturnsAsync(second).ReturnsAsync((TaskOrchestrationWorkItem)null!);
        using var tally = new WorkerTally("test:1");
        var service = new SidecarHistoryFix(engine.Object, tally);

        await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(1), CancellationToken.None); // nothing to lock

        Assert.Equal(["application-A", "redemption-B"], tally.HeldLongerThan(TimeSpan.Zero).Select(h => h.InstanceId).Order(StringComparer.Ordinal));
        Assert.Empty(tally.HeldLongerThan(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, tally.Orchestrations);

        await service.ReleaseTaskOrchestrationWorkItemAsync(first);
        Assert.Equal(["redemption-B"], tally.HeldLongerThan(TimeSpan.Zero).Select(h => h.InstanceId));

        await service.AbandonTaskOrchestrationWorkItemAsync(second);
        Assert.Empty(tally.HeldLongerThan(TimeSpan.Zero));
        engine.Verify(e => e.ReleaseTaskOrchestrationWorkItemAsync(first), Times.Once);
        engine.Verify(e => e.AbandonTaskOrchestrationWorkItemAsync(second), Times.Once);
    }
}
