using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Retention;

/// <summary>What one retention run removed.</summary>
public sealed record RetentionSummary(int InstancesPurged, int CatalogueChangesDeleted, int RedemptionsEvidenceDeleted, int EvidenceFilesDeleted, int ClaimDocumentsDeleted = 0, int PeopleErased = 0);

/// <summary>
/// The daily retention run, the same in both hosts (the Functions app's <c>Retention</c> timer, the local host's
/// <c>RetentionCronService</c>): finished Durable instances and their history past their age, the catalogue change log
/// past what any search index still reads, evidence past its years after payment, and claims' documents and people's
/// names past theirs (<see cref="Accounts.AccountPersonalData.ApplyRetentionAsync"/>). Each part is idempotent and goes
/// on when another fails (the failure is logged and the next day's run tries again).
/// </summary>
public sealed partial class RetentionRun(DurableHistoryPurge durable, CatalogueChangeTrim changes, EvidenceRetention evidence, Accounts.AccountPersonalData accounts, TimeProvider time, ILogger<RetentionRun> log)
{
    public async Task<RetentionSummary> RunAsync(DurableTaskClient client, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var purged = await PartAsync("durable-history", () => durable.PurgeAsync(client, now, ct));
        var trimmed = await PartAsync("catalogue-changes", () => changes.TrimAsync(now, ct));
        var (redemptions, files) = await PartAsync("evidence", () => evidence.ApplyAsync(now, ct));
        var (claimDocuments, people) = await PartAsync("accounts", () => accounts.ApplyRetentionAsync(now, ct));
        var summary = new RetentionSummary(purged, trimmed, redemptions, files, claimDocuments, people);
        Log.Ran(log, summary.InstancesPurged, summary.CatalogueChangesDeleted, summary.RedemptionsEvidenceDeleted, summary.EvidenceFilesDeleted);
        Log.RanAccounts(log, summary.ClaimDocumentsDeleted, summary.PeopleErased);
        return summary;
    }

    async Task<T> PartAsync<T>(string part, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PartFailed(log, part, e);
            return default!;
        }
    }

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Operations + 10, Level = LogLevel.Information,
            Message = "Retention: {Instances} Durable instances purged, {Changes} catalogue change-log entries deleted, evidence of {Redemptions} redemptions deleted ({Files} files)")]
        public static partial void Ran(ILogger logger, int instances, int changes, int redemptions, int files);

        [LoggerMessage(EventId = Hosting.LogEventIds.Operations + 12, Level = LogLevel.Information,
            Message = "Retention: {ClaimDocuments} claim documents deleted, {People} people's names erased")]
        public static partial void RanAccounts(ILogger logger, int claimDocuments, int people);

        [LoggerMessage(EventId = Hosting.LogEventIds.Operations + 11, Level = LogLevel.Warning, Message = "Retention part '{Part}' failed; the next daily run tries again")]
        public static partial void PartFailed(ILogger logger, string part, Exception exception);
    }
}
