namespace Voucher.Workflows.Supervision;

/// <summary>
/// A city's figures for one year, kept up to date as events happen (see <see cref="StatsAggregator"/>).
/// Years: applications and vouchers count in the year of the decision; finished redemptions in the year of their outcome
/// (the payment date for paid ones); money by stage in the cap year (the China-date year the redemption was queued and
/// its pay-out reserved, <see cref="Voucher.Domain.AnnualCap.YearOf"/>). Histograms are <see cref="Voucher.Domain.DurationHistogram"/> text.
/// </summary>
public sealed class CityYearStatsEntity : TableRow
{
    /// <summary>A copy to change (every property is a value or a string).</summary>
    public CityYearStatsEntity Copy() => (CityYearStatsEntity)MemberwiseClone();

    public const string TotalsRow = "totals";

    public long ApplicationsDecided { get; set; }

    public long ApplicationsApproved { get; set; }

    public long ApplicationsRejected { get; set; }

    public long VouchersIssued { get; set; }

    public long IssuedFaceFen { get; set; }

    /// <summary>Vouchers issued this year that have had at least one paid redemption.</summary>
    public long VouchersUsed { get; set; }

    /// <summary>Vouchers issued this year by expiry date: <c>yyyy-MM-dd:issued:used;…</c> (expired = past dates, issued − used).</summary>
    public string Expiries { get; set; } = "";

    public long RedemptionsFinished { get; set; }

    public long RedemptionsPaid { get; set; }

    public long RedemptionsRejected { get; set; }

    /// <summary>Finished redemptions that had at least one objection during publicity.</summary>
    public long RedemptionsObjected { get; set; }

    /// <summary>Finished redemptions rejected, or objected to during publicity (each counted once).</summary>
    public long RedemptionsRejectedOrObjected { get; set; }

    public long PaidFen { get; set; }

    /// <summary>What the enterprises paid the institutions for the paid redemptions.</summary>
    public long ServiceAmountFen { get; set; }

    public long EnterprisesServed { get; set; }

    public string PayoutRanges { get; set; } = "";

    public string HApplicationReview { get; set; } = "";

    public string HBinding { get; set; } = "";

    public string HWaitForBatch { get; set; } = "";

    public string HReview { get; set; } = "";

    public string HPublicity { get; set; } = "";

    public string HPayment { get; set; } = "";

    /// <summary>Request to payment, whole redemption.</summary>
    public string HTotal { get; set; } = "";

    // Money by stage, in the cap year (the China-date year the redemption was queued and its pay-out reserved): each
    // pay-out is in the stage it has reached (committed: queued, review, publicity, payable), paid, or released
    // (rejected, withdrawn or stopped after it was queued). See StatsAggregator.Committed.

    public long StageQueuedFen { get; set; }

    public long StageQueuedCount { get; set; }

    public long StageReviewFen { get; set; }

    public long StageReviewCount { get; set; }

    public long StagePublicityFen { get; set; }

    public long StagePublicityCount { get; set; }

    public long StagePayableFen { get; set; }

    public long StagePayableCount { get; set; }

    public long StagePaidFen { get; set; }

    public long StagePaidCount { get; set; }

    public long StageReleasedFen { get; set; }

    public long StageReleasedCount { get; set; }

    /// <summary>Pre-payments (事前兑付) the finance bureau confirmed as paid, cap year; part of the stage amounts above.</summary>
    public long AdvancePaidFen { get; set; }

    public long AdvancePaidCount { get; set; }

    /// <summary>Adds to the amount and count of one money stage.</summary>
    public void AddToStage(Voucher.Domain.MoneyStage stage, long fen, long count)
    {
        switch (stage)
        {
            case Voucher.Domain.MoneyStage.Queued: StageQueuedFen += fen; StageQueuedCount += count; break;
            case Voucher.Domain.MoneyStage.Review: StageReviewFen += fen; StageReviewCount += count; break;
            case Voucher.Domain.MoneyStage.Publicity: StagePublicityFen += fen; StagePublicityCount += count; break;
            case Voucher.Domain.MoneyStage.Payable: StagePayableFen += fen; StagePayableCount += count; break;
            case Voucher.Domain.MoneyStage.Paid: StagePaidFen += fen; StagePaidCount += count; break;
            default: StageReleasedFen += fen; StageReleasedCount += count; break;
        }
    }

    /// <summary>The amount and count of one money stage.</summary>
    public (long Fen, long Count) Stage(Voucher.Domain.MoneyStage stage) => stage switch
    {
        Voucher.Domain.MoneyStage.Queued => (StageQueuedFen, StageQueuedCount),
        Voucher.Domain.MoneyStage.Review => (StageReviewFen, StageReviewCount),
        Voucher.Domain.MoneyStage.Publicity => (StagePublicityFen, StagePublicityCount),
        Voucher.Domain.MoneyStage.Payable => (StagePayableFen, StagePayableCount),
        Voucher.Domain.MoneyStage.Paid => (StagePaidFen, StagePaidCount),
        _ => (StageReleasedFen, StageReleasedCount),
    };

    public DateTimeOffset? UpdatedAt { get; set; }

    public static string PartitionOf(string cityCode, int year) => $"{cityCode}|{year:D4}";
}

/// <summary>Marks an event (<c>m|…</c>) or a served enterprise (<c>d|…</c>) as counted in its city-year partition.</summary>
public sealed class StatsMarkerEntity : TableRow
{
    public DateTimeOffset At { get; set; }
}

/// <summary>An imported figure (paper Table 1), kept apart from what the system processed.</summary>
public sealed class HistoryEntity : TableRow
{
    public string CityCode { get; set; } = "";

    public string Period { get; set; } = "";

    public int FirstYear { get; set; }

    public int LastYear { get; set; }

    /// <summary>Amount in 10,000 CNY as written in the source, invariant text (exact).</summary>
    public string Amount10k { get; set; } = "0";

    public string Source { get; set; } = "";

    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>
/// A figure the paper reports besides Table 1 (<c>StatsHistory</c>, PartitionKey <c>paper-facts</c>, RowKey = fact name),
/// kept with its source and the words it is quoted from; never mixed with what the system processed.
/// </summary>
public sealed class HistoryFactEntity : TableRow
{
    public long Value { get; set; }

    public string Unit { get; set; } = "";

    /// <summary>yyyy-MM: the month the figure stands for.</summary>
    public string AsOf { get; set; } = "";

    public string Quote { get; set; } = "";

    public string Source { get; set; } = "";

    public DateTimeOffset ImportedAt { get; set; }
}
