namespace Voucher.Benchmarks;

/// <summary>What the bare-engine baseline phase of one run measured (<see cref="LifecycleRun"/>), per completed lifecycle.</summary>
internal sealed record BaselineResult
{
    public required int Completed { get; init; }

    /// <summary>Start of the phase to the last completed lifecycle.</summary>
    public required double Seconds { get; init; }

    /// <summary>Start to end of the phase, including the wait for stuck lifecycles to time out.</summary>
    public required double PhaseSeconds { get; init; }

    public required StorageTx Tx { get; init; }

    /// <summary>Storage calls per completed lifecycle by origin and kind (status polling included).</summary>
    public required OperationBreakdown Operations { get; init; }

    public required double PollsPerLifecycle { get; init; }

    public double Rate => Completed / Seconds;

    /// <summary>Without the calls of the baseline's status route, as the application's figure leaves out its status GETs.</summary>
    public StorageTx TxWithoutPolls => Tx - Operations.PollingTx(OperationBreakdown.BaselineStatusPolling);
}

/// <summary>
/// Our application lifecycle against the bare-engine baseline of the same run (issue #20 item 3): rate at least
/// <see cref="MinRateRatio"/> of the baseline's, submission p99 at most <see cref="MaxLatencyRatio"/> of the baseline
/// start's p99, storage calls at most <see cref="MaxCallsRatio"/> of the baseline's (judged with and without the
/// clients' status polling). A ratio that cannot be formed (a figure missing) is NaN and judged neither way.
/// </summary>
internal sealed record BaselineComparison(double RateRatio, double LatencyRatio, double CallsRatio, double CallsRatioWithoutPolling)
{
    public const double MinRateRatio = 0.7;
    public const double MaxLatencyRatio = 1.5;
    public const double MaxCallsRatio = 1.6;

    public static BaselineComparison Of(
        double applicationRate, double baselineRate,
        double submissionP99, double baselineStartP99,
        double applicationCalls, double baselineCalls,
        double applicationCallsWithoutPolling, double baselineCallsWithoutPolling) =>
        new(Ratio(applicationRate, baselineRate), Ratio(submissionP99, baselineStartP99),
            Ratio(applicationCalls, baselineCalls), Ratio(applicationCallsWithoutPolling, baselineCallsWithoutPolling));

    /// <summary>The comparison of one run, or null when it ran without the baseline.</summary>
    public static BaselineComparison? Of(LifecycleResult run)
    {
        if (run.Baseline is not { } b)
        {
            return null;
        }

        double P99(string kind) => run.Latencies.FirstOrDefault(l => l.Kind == kind)?.P99 ?? double.NaN;
        return Of(run.ApplicationRate, b.Rate, P99("submit-application"), P99("baseline-start"),
            run.ApplicationTx.Total, b.Tx.Total, run.ApplicationTxWithoutPolls.Total, b.TxWithoutPolls.Total);
    }

    public bool? RateMet => Judge(RateRatio, r => r >= MinRateRatio);

    public bool? LatencyMet => Judge(LatencyRatio, r => r <= MaxLatencyRatio);

    public bool? CallsMet => Judge(CallsRatio, r => r <= MaxCallsRatio);

    public bool? CallsWithoutPollingMet => Judge(CallsRatioWithoutPolling, r => r <= MaxCallsRatio);

    public static string Verdict(bool? met) => met switch { true => "PASS", false => "MISS", null => "n/a" };

    static double Ratio(double ours, double baseline) =>
        double.IsFinite(ours) && double.IsFinite(baseline) && baseline > 0 ? ours / baseline : double.NaN;

    static bool? Judge(double ratio, Func<double, bool> rule) => double.IsNaN(ratio) ? null : rule(ratio);
}
