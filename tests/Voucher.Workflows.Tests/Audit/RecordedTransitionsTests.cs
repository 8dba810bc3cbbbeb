namespace Voucher.Workflows.Tests.Audit;

/// <summary>
/// The check every Azurite fixture runs when it stops (<see cref="RecordedTransitions"/>): the audited status changes of
/// the tests that used it, driven through the transition tables. Here on a table of its own, to show it can fail.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordedTransitionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IllegalAuditedTransition_IsFound_LegalOnesAndNotesAreNot()
    {
        var prefix = azurite.NewName("rt")[..13];
        var audit = azurite.Tables.GetTableClient(prefix + "Audit");
        await audit.CreateIfNotExistsAsync();
        try
        {
            var at = DateTimeOffset.UtcNow;
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Application("A-1"), "system", at, "Submitted", "UnderReview", 1, "legal"));
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Application("A-1"), "system", at.AddSeconds(1), "UnderReview", "UnderReview", 1, "a note"));
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Redemption("R-1"), "system", at, "Queued", "InBatch", 1, "legal"));
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Redemption("R-1"), "system", at.AddSeconds(1), "InBatch", "Published", 1, "approved and published in one write"));
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Redemption("R-1"), "system", at.AddSeconds(2), "Queued", "Paid", 1, "skips the batch"));
            await audit.UpsertEntityAsync(AuditLog.Entry(AuditSubjects.Application("A-2"), "system", at, "Approved", "UnderReview", 1, "from a final status"));

            var illegal = (await RecordedTransitions.IllegalAsync(azurite.Tables)).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

            Assert.Equal(2, illegal.Count);
            Assert.Contains(illegal, l => l.Contains("redemption:R-1", StringComparison.Ordinal) && l.EndsWith("Queued → Paid", StringComparison.Ordinal));
            Assert.Contains(illegal, l => l.Contains("application:A-2", StringComparison.Ordinal) && l.EndsWith("Approved → UnderReview", StringComparison.Ordinal));
        }
        finally
        {
            // The shared Azurite checks its audit tables when it stops: these illegal rows were made on purpose.
            await audit.DeleteAsync();
        }
    }
}
