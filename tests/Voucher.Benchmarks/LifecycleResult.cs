namespace Voucher.Benchmarks;

/// <summary>What one lifecycle run measured (<see cref="LifecycleRun"/>), as the results printer reads it.</summary>
internal sealed record LifecycleResult
{
    public required int N { get; init; }
    public required int Concurrency { get; init; }
    public required string LoadBefore { get; init; }
    public required string LoadAfter { get; init; }
    public required StorageCeiling Ceiling { get; init; }
    public required StorageTx IdlePerSecond { get; init; }
    public required int ApplicationsCompleted { get; init; }
    /// <summary>Start of the phase to the last approved application (stuck ones excluded).</summary>
    public required double ApplicationSeconds { get; init; }

    /// <summary>Start to end of the phase, including the wait for stuck lifecycles to time out.</summary>
    public required double ApplicationPhaseSeconds { get; init; }

    public required double ToQueuedPhaseSeconds { get; init; }
    public required StorageTx ApplicationTx { get; init; }
    public required int RedemptionsQueued { get; init; }
    public required double ToQueuedSeconds { get; init; }
    public required double SettlementWallSeconds { get; init; }
    public required double SettlementActiveSeconds { get; init; }
    public required IReadOnlyList<SettlementTiming> Settlements { get; init; }
    public required int RedemptionsPaid { get; init; }
    public required double PaymentSeconds { get; init; }
    public required StorageTx RedemptionTx { get; init; }
    public required double ApplicationPollsPerLifecycle { get; init; }
    public required double RedemptionPollsPerLifecycle { get; init; }
    public required StorageTx TxPerApplicationGet { get; init; }
    public required StorageTx TxPerRedemptionGet { get; init; }

    /// <summary>Storage calls per status GET naming the tag of an unchanged application (<c>If-None-Match</c>), and how many of the 20 answered 304.</summary>
    public StorageTx TxPerApplication304 { get; init; } = new(0, 0, 0);

    public int Application304s { get; init; }

    /// <summary>The same for redemptions (all paid by then).</summary>
    public StorageTx TxPerRedemption304 { get; init; } = new(0, 0, 0);

    public int Redemption304s { get; init; }
    public required long HostPeakBytes { get; init; }
    public required long? AzuritePeakBytes { get; init; }
    public required IReadOnlyList<LatencySummary> Latencies { get; init; }
    public required IReadOnlyList<string> ErrorExamples { get; init; }

    /// <summary>Storage calls per approved application, by kind (status polling included).</summary>
    public required OperationBreakdown ApplicationOperations { get; init; }

    /// <summary>Storage calls per paid redemption, by kind (status polling and the publicity wait's idle polling included).</summary>
    public required OperationBreakdown RedemptionOperations { get; init; }

    /// <summary>The bare-engine baseline measured in the same run (null with <c>--no-baseline</c>).</summary>
    public BaselineResult? Baseline { get; init; }

    public double ApplicationRate => ApplicationsCompleted / ApplicationSeconds;

    /// <summary>Redemption lifecycles per second of active time: to Queued + settlement (without the publicity wait) + payments.</summary>
    public double RedemptionRate => RedemptionsPaid / (ToQueuedSeconds + SettlementActiveSeconds + PaymentSeconds);

    public double RedemptionWallRate => RedemptionsPaid / (ToQueuedSeconds + SettlementWallSeconds + PaymentSeconds);

    /// <summary>Without the calls the status GET routes made (attributed by the host per route, exact).</summary>
    public StorageTx ApplicationTxWithoutPolls => ApplicationTx - ApplicationOperations.PollingTx();

    public StorageTx RedemptionTxWithoutPolls => RedemptionTx - RedemptionOperations.PollingTx();
}
