namespace Voucher.Workflows.Settlement;

/// <summary>The publicity window a batch records: its counted end, the listing row of open windows, and the orchestrator's view.</summary>
public static class PublicityWindows
{
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static void Apply(BatchEntity batch, DeadlinePlan plan)
    {
        batch.PublicityEnd = Iso(plan.Deadline);
        batch.PublicityEndsAt = new DateTimeOffset(plan.EndsAtUtc);
        batch.PublicityBasis = plan.Basis.ToString();
    }

    /// <summary>The counted window; null for a window in minutes (demos and tests), which no calendar moves.</summary>
    public static DeadlinePlan? PlanOf(BatchEntity batch)
    {
        if (batch.PublicityStart is null || batch.PublicityEnd is null || batch.PublicityEndsAt is not { } endsAt)
        {
            return null;
        }

        var start = Date(batch.PublicityStart);
        var end = Date(batch.PublicityEnd);
        if (CalendarBasis.Parse(batch.PublicityBasis) is { } basis)
        {
            return new DeadlinePlan(start, end, null, basis);
        }

        // No basis: a window in minutes, or one opened before bases were recorded, which was counted with the shipped
        // calendar (version 1 of 2024–2026) and ends at the end of its last day.
        return endsAt.UtcDateTime == WorkingDeadline.EndsAtUtc(end) ? new DeadlinePlan(start, end, null, WorkingCalendar.Embedded.Basis(start, end)) : null;
    }

    /// <summary>Objections are taken, and a dismissal publishes again, while the batch is in publicity and its end has not passed.</summary>
    public static bool IsOpen(BatchEntity batch, DateTimeOffset now) =>
        batch.Stage == BatchStage.Publicity && batch.PublicityEndsAt is { } endsAt && now <= endsAt;

    public static bool IsProvisional(BatchEntity batch) => CalendarBasis.Parse(batch.PublicityBasis)?.Provisional == true;

    /// <summary>
    /// Lists the batch's notice: among the open ones (the public page; removed when publicity closes) and in the archive
    /// (kept), with the same window.
    /// </summary>
    public static async Task IndexAsync(SettlementStore settlements, BatchEntity batch, CancellationToken ct)
    {
        foreach (var partition in new[] { OpenPartition, ArchivePartition })
        {
            await settlements.Tables.UpsertAsync(VoucherStore.PublicityIndex, IndexRow(partition, batch), ct);
        }
    }

    /// <summary>The partition of the notices open now (the public page).</summary>
    public const string OpenPartition = "open";

    /// <summary>The partition of every notice published (the archive).</summary>
    public const string ArchivePartition = "archive";

    /// <summary>The batch's notice row in <paramref name="partition"/> (what <see cref="IndexAsync"/> writes; the archive backfill too).</summary>
    public static PublicityIndexEntity IndexRow(string partition, BatchEntity batch) => new()
    {
        PartitionKey = partition,
        RowKey = batch.BatchId,
        CityCode = batch.CityCode,
        PublicityStart = batch.PublicityStart!,
        PublicityEnd = batch.PublicityEnd!,
        PublicityProvisional = IsProvisional(batch),
    };

    public static PublicityWindow Of(BatchEntity batch) =>
        new(batch.PublicityStart!, batch.PublicityEnd!, batch.PublicityEndsAt!.Value.UtcDateTime, IsProvisional(batch));

    static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
