using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Applications;

/// <summary>Reads and writes applications with optimistic concurrency and keeps the city queue index in step.</summary>
public sealed partial class ApplicationStore(VoucherStore store)
{
    /// <summary>Application ids are <c>{USCC}-{year}-{n}</c>; the instance id is derived from it.</summary>
    public static string NewId(string uscc, int year, int sequence) => $"{uscc}-{year}-{sequence:D2}";

    public static string InstanceId(string applicationId) => $"application-{applicationId}";

    public static bool IsWellFormedId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string CityPartition(string cityCode) => $"city:{cityCode}";

    public Task<ApplicationEntity?> GetAsync(string applicationId, CancellationToken ct = default) =>
        IsWellFormedId(applicationId)
            ? store.GetAsync<ApplicationEntity>(VoucherStore.Applications, applicationId[..18], applicationId, ct)
            : Task.FromResult<ApplicationEntity?>(null);

    public async Task<ApplicationEntity> GetRequiredAsync(string applicationId, CancellationToken ct = default) =>
        await GetAsync(applicationId, ct) ?? throw new DomainException($"申请 {applicationId} 不存在 (Application not found)");

    public Task<List<ApplicationEntity>> ForEnterpriseAsync(string uscc, CancellationToken ct = default) =>
        store.PartitionAsync<ApplicationEntity>(VoucherStore.Applications, uscc, 200, ct);

    public Task<List<ApplicationIndexEntity>> ForCityAsync(string cityCode, CancellationToken ct = default) =>
        store.PartitionAsync<ApplicationIndexEntity>(VoucherStore.ApplicationIndex, CityPartition(cityCode), 1000, ct);

    /// <summary>
    /// Inserts the row (false when a row with its id exists), then writes its listing rows at the same time as
    /// <paramref name="next"/>: the caller's next step, which must not depend on them (a listing row is written again
    /// by every later step that changes what it shows). Returns when both are done; the first failure is thrown.
    /// </summary>
    public async Task<bool> TryCreateAsync(ApplicationEntity entity, CancellationToken ct = default, Func<Task>? next = null)
    {
        if (!await store.TryAddAsync(VoucherStore.Applications, entity, ct))
        {
            return false;
        }

        await Task.WhenAll(UpsertIndexAsync(entity, ct), next?.Invoke() ?? Task.CompletedTask);
        return true;
    }

    /// <summary>
    /// Applies a change under optimistic concurrency: re-reads and re-applies on a conflicting write.
    /// The change returns false when there is nothing to do (already applied: idempotent steps). A row the caller has
    /// just read (<paramref name="current"/>, with its ETag) saves the first read; a stale one fails its write and is read again.
    /// </summary>
    public async Task<ApplicationEntity> UpdateAsync(string applicationId, Func<ApplicationEntity, bool> change, CancellationToken ct = default, ApplicationEntity? current = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var entity = attempt == 0 && current is not null && current.ApplicationId == applicationId ? current : await GetRequiredAsync(applicationId, ct);
            if (!change(entity))
            {
                return entity;
            }

            try
            {
                await store.Table(VoucherStore.Applications).UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                await UpsertIndexAsync(entity, ct);
                return entity;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 30)
            {
                // Someone else wrote first: read again and re-apply, after a short random pause.
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt + 1, 10)), ct);
            }
        }
    }

    Task UpsertIndexAsync(ApplicationEntity e, CancellationToken ct) =>
        store.UpsertAsync(VoucherStore.ApplicationIndex, new ApplicationIndexEntity
        {
            PartitionKey = CityPartition(e.CityCode),
            RowKey = e.ApplicationId,
            EnterpriseName = e.EnterpriseName,
            Status = e.Status,
            DeadlineDate = e.DeadlineDate,
            DeadlineProvisional = CalendarBasis.Parse(e.DeadlineBasis)?.Provisional == true,
            Round = e.Round,
            SubmittedAt = e.SubmittedAt,
            DecidedAt = e.DecidedAt,
        }, ct);

    [GeneratedRegex("^[0-9A-HJ-NPQRTUWXY]{18}-20[0-9]{2}-[0-9]{2,3}$")]
    private static partial Regex IdPattern();
}
