using System.Text.Json;
using Microsoft.DurableTask.Client;
using Voucher.Workflows.Links;
using Voucher.Workflows.Notifications;
using Voucher.Workflows.Policies;

namespace Voucher.Workflows.Settlement;

/// <summary>The province or a city's bureau settles a period of the city's cadence by hand (e.g. <c>2026Q4</c>).</summary>
public sealed record StartSettlement(string? CityCode, string? PeriodId);

/// <summary>A batch as the bureaus and the province follow it: the row, and the orchestration's progress.</summary>
public sealed record BatchView(
    string BatchId,
    string CityCode,
    string PeriodId,
    BatchStage Stage,
    DateTimeOffset CutoffUtc,
    int ItemCount,
    int ChunkCount,
    int PolicyVersion,
    DateTimeOffset FormedAt,
    DateTimeOffset? SubmittedAt,
    string? PublicityStart,
    string? PublicityEnd,
    bool PublicityProvisional,
    string? PublicityCalendar,
    DateTimeOffset? ClosedAt,
    string? RuntimeStatus,
    JsonElement? Progress);

/// <summary>
/// The settlement's acts: a period started by hand (one orchestration per city and period), the batch read by those
/// entitled, and the city bureau's review — row decisions saved as they come, experts asked for opinions, one
/// submission — with the expert's opinion recorded through the link. The HTTP API and the pages call these; the
/// bureau's signed review link and the expert's opinion link reach the same acts for the batch or row they name.
/// </summary>
public sealed partial class SettlementService(
    SettlementStore settlements,
    SettlementScheduler scheduler,
    PolicyStore policies,
    BatchLinks links,
    Outbox outbox,
    OneTimeActions oneTime,
    Enforcement.EnforcementStore experts,
    TimeProvider time,
    ILogger<SettlementService> log)
{
    public const string SubmitAction = "batch-submit";

    public static readonly Failure AlreadySubmitted = new Failure.Conflict("批次已提交 (The batch was already submitted)");

    public static readonly Failure NotUnderReview = new Failure.Conflict("批次不在审核阶段 (The batch is not under review)");

    /// <summary>Submitting with rows still undecided.</summary>
    public static Failure Incomplete(int undecided) => new Failure.Refused($"还有 {undecided} 笔未作决定 ({undecided} rows have no decision yet)");

    /// <summary>By hand: an ended period is cut at its end, the current one at this moment; a period already started is answered, not started again.</summary>
    public async Task<Outcome<SettlementStart>> StartAsync(VoucherPrincipal caller, StartSettlement command, DurableTaskClient durable, CancellationToken ct)
    {
        if (!Cities.TryGet(command.CityCode, out var city))
        {
            return new Failure.Invalid("cityCode", "须为山西省 11 个地市之一 (Must be one of the 11 Shanxi cities)");
        }

        if (string.IsNullOrWhiteSpace(command.PeriodId))
        {
            return new Failure.Invalid("periodId", "必填，如 2026Q4、2026M11 (Required, e.g. 2026Q4 or 2026M11)");
        }

        if (caller.Role != Role.Province && !caller.IsBureauOf(city.Code))
        {
            return new Failure.Forbidden("只有省中心或本市科技局可以发起结算 (Only the province or the city's bureau starts a settlement)");
        }

        var periodId = command.PeriodId.Trim();
        var policy = await policies.GetCurrentAsync(city.Code, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (!SettlementPeriod.TryParse(policy.Cadence, periodId, out var period))
        {
            return new Failure.Refused($"期次 {periodId} 与本市结算周期（{Web.Glossary.Of(policy.Cadence)}）不符 (Period id does not match the city's cadence, e.g. {SettlementPeriod.Containing(policy.Cadence, ChinaTime.DateOf(now)).Id})");
        }

        if (period.FirstDay > ChinaTime.DateOf(now))
        {
            return new Failure.Refused($"期次 {periodId} 尚未开始 (The period has not started)");
        }

        var start = await scheduler.StartAsync(city.Code, period.Id, period.CutoffUtc < now ? period.CutoffUtc : now, caller.Address, durable, ct);
        SettlementLog.Started(log, start.BatchId, caller.Actor, start.Started, start.CutoffUtc);
        return start;
    }

    /// <summary>The batch's row, for the province, or its city's bureau or finance bureau.</summary>
    public Task<Outcome<BatchEntity>> ReadableAsync(VoucherPrincipal caller, string batchId, CancellationToken ct) =>
        BatchAsync(caller, batchId, forReview: false, ct);

    /// <summary>A tag for the batch's view from the row alone, or null now that the row cannot vouch for it (<see cref="BatchViewKey.Tag"/>).</summary>
    public string? VersionTag(BatchEntity batch) => BatchViewKey.Tag(batch, time.GetUtcNow());

    /// <summary>
    /// The batch as those entitled follow it: the row and the orchestration's progress, and whether the row vouches for
    /// this view (<see cref="BatchViewKey.Vouches"/>), so that <see cref="VersionTag"/> may stand for it.
    /// </summary>
    public async Task<(BatchView View, bool Complete)> ViewOfRowAsync(BatchEntity batch, DurableTaskClient durable, CancellationToken ct)
    {
        var instance = await durable.GetInstanceAsync(SettlementIds.InstanceId(batch.BatchId), getInputsAndOutputs: true, ct);
        var progress = instance?.SerializedCustomStatus is { } status ? JsonDocument.Parse(status).RootElement : (JsonElement?)null;
        var view = new BatchView(
            batch.BatchId, batch.CityCode, batch.PeriodId, batch.Stage, batch.CutoffUtc, batch.ItemCount, batch.ChunkCount, batch.PolicyVersion,
            batch.FormedAt, batch.SubmittedAt, batch.PublicityStart, batch.PublicityEnd, PublicityWindows.IsProvisional(batch), batch.PublicityBasis,
            batch.ClosedAt, instance?.RuntimeStatus.ToString(), progress);
        return (view, BatchViewKey.Vouches(batch, instance?.RuntimeStatus, progress, time.GetUtcNow()));
    }

    /// <summary>The city's bureau submits the batch it reviewed: every row decided, once.</summary>
    public async Task<Outcome<BatchEntity>> SubmitAsync(VoucherPrincipal caller, string batchId, DurableTaskClient durable, CancellationToken ct)
    {
        var found = await BatchAsync(caller, batchId, forReview: true, ct);
        return found.Failure is { } failure ? failure : await SubmitAsync(found.Value, caller.Address, durable, ct);
    }

    /// <summary>
    /// Submits a batch the caller may review (the bureau through its signed link): refused while a row is undecided;
    /// a second submission, also a concurrent one, is a conflict. The stage moves to Deciding under the row's ETag before
    /// the orchestration hears of it, so the publicity it opens next is never overwritten.
    /// </summary>
    public async Task<Outcome<BatchEntity>> SubmitAsync(BatchEntity batch, string actor, DurableTaskClient durable, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (batch.Stage != BatchStage.Reviewing)
            {
                return batch.SubmittedAt is null ? NotUnderReview : AlreadySubmitted;
            }

            var undecided = await settlements.UndecidedCountAsync(batch.BatchId, ct);
            if (undecided > 0)
            {
                return Incomplete(undecided);
            }

            var instanceId = SettlementIds.InstanceId(batch.BatchId);
            if (!await oneTime.TryClaimAsync(instanceId, SubmitAction, 1, actor, ct))
            {
                return AlreadySubmitted;
            }

            batch.MoveTo(BatchStage.Deciding);
            batch.SubmittedAt = time.GetUtcNow();
            batch.SubmittedBy = actor;
            try
            {
                await settlements.ReplaceBatchAsync(batch, ct);
            }
            catch (Azure.RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed && attempt < 3)
            {
                // The batch row changed since it was read: a decision save touches it (the review's cache key), also the
                // save that came with this very submission. Read it again and check everything again.
                await oneTime.ReleaseAsync(instanceId, SubmitAction, 1);
                if (await settlements.GetBatchAsync(batch.BatchId, ct) is not { } fresh)
                {
                    return NotUnderReview;
                }

                batch = fresh;
                continue;
            }
            catch
            {
                await oneTime.ReleaseAsync(instanceId, SubmitAction, 1);
                throw;
            }

            try
            {
                await durable.RaiseEventAsync(instanceId, BatchSubmitted.EventName, new BatchSubmitted(actor), ct);
            }
            catch
            {
                await oneTime.ReleaseAsync(instanceId, SubmitAction, 1);
                throw;
            }

            break;
        }

        SettlementLog.Submitted(log, batch.BatchId, actor);
        return batch;
    }

    /// <summary>
    /// The batch, if the caller may see it: reviewing is the city bureau's; reading also the province's and the city's
    /// finance bureau's.
    /// </summary>
    async Task<Outcome<BatchEntity>> BatchAsync(VoucherPrincipal caller, string batchId, bool forReview, CancellationToken ct)
    {
        var batch = await settlements.GetBatchAsync(batchId, ct);
        if (batch is null)
        {
            return BatchNotFound(batchId);
        }

        var mayRead = caller.Role == Role.Province || ((caller.Role is Role.CityBureau or Role.FinanceBureau) && string.Equals(caller.Scope, batch.CityCode, StringComparison.OrdinalIgnoreCase));
        var allowed = forReview ? caller.IsBureauOf(batch.CityCode) : mayRead;
        return allowed ? batch : Failure.Deny(mayRead, BatchNotFound(batchId), "只有本市科技局可以审核本市批次 (Only the city's bureau reviews its batch)");
    }

    /// <summary>The answer for a batch that does not exist or that the caller may not see (one message: no existence oracle).</summary>
    static Failure.NotFound BatchNotFound(string batchId) => new($"批次 {batchId} 不存在 (Batch not found)");
}
