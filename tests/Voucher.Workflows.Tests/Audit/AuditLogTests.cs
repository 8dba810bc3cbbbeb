namespace Voucher.Workflows.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class AuditLogTests(AzuriteFixture azurite)
{
    static readonly DateTimeOffset At = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Append_SameTimeAndTransitionTwice_OneRow()
    {
        var audit = new AuditLog(await StoreFactory.NewAsync(azurite));
        var subject = AuditSubjects.Application("app-1");

        await audit.AppendAsync(subject, "system", At, "Submitted", "UnderReview", 1, "round 1", CancellationToken.None);
        await audit.AppendAsync(subject, "system", At, "Submitted", "UnderReview", 1, "round 1", CancellationToken.None);

        var row = Assert.Single(await audit.ReadAsync(subject));
        Assert.Equal(("Submitted", "UnderReview", 1, "system", At), (row.FromState, row.ToState, row.PolicyVersion, row.Actor, row.At));
    }

    [Fact]
    public async Task Append_DifferentTimeOrTransition_KeepsEachInTimeOrder()
    {
        var audit = new AuditLog(await StoreFactory.NewAsync(azurite));
        var subject = AuditSubjects.Application("app-2");

        await audit.AppendAsync(subject, "city-bureau:taiyuan", At.AddDays(3), "UnderReview", "Approved", 2, "approved", CancellationToken.None);
        await audit.AppendAsync(subject, "system", At.AddSeconds(1), "Submitted", "UnderReview", 2, "round 1", CancellationToken.None);
        await audit.AppendAsync(subject, "enterprise", At, "", "Submitted", 0, "submitted", CancellationToken.None);
        await audit.AppendAsync(subject, "system", At, "Submitted", "Ineligible", 0, "same instant, other transition", CancellationToken.None);

        var rows = await audit.ReadAsync(subject);

        Assert.Equal(4, rows.Count);
        Assert.Equal(rows.OrderBy(r => r.At).ThenBy(r => r.RowKey, StringComparer.Ordinal).Select(r => r.RowKey), rows.Select(r => r.RowKey));
        Assert.Equal("Approved", rows[^1].ToState);
        Assert.Empty(await audit.ReadAsync(AuditSubjects.Application("app-other")));
    }
}
