namespace Voucher.Domain;

/// <summary>
/// Where a queued redemption's pay-out stands, for the statistics of money committed before it is paid. Stages are
/// entered in this order and never twice: Queued (待结算) → Review (结算审核中) → Publicity (公示中) → Payable (待拨付)
/// → Paid (已拨付); Released ends a path without payment (rejected, withdrawn or stopped: the reservation went back).
/// </summary>
public enum MoneyStage
{
    Queued,
    Review,
    Publicity,
    Payable,
    Paid,
    Released,
}

/// <summary>What the stage path of a redemption is read from: its status and which stage times it has.</summary>
public readonly record struct MoneyFacts(RedemptionStatus Status, bool Queued, bool Batched, bool Published, bool Payable);

/// <summary>
/// The stages a redemption's pay-out has entered, read from its record, and how entering one moves the amount: it
/// leaves the stage before it on the path (nothing, for Queued) and is added to the new one (Released keeps what went back).
/// Counting every entry of every path once gives, per stage, the sum of the pay-outs now in that stage — whatever the
/// order the entries were counted in — which is what a recount from the records computes with <see cref="Current"/>.
/// </summary>
public static class MoneyStages
{
    /// <summary>Stages that hold committed, not yet paid money.</summary>
    public static IReadOnlyList<MoneyStage> Committed { get; } = [MoneyStage.Queued, MoneyStage.Review, MoneyStage.Publicity, MoneyStage.Payable];

    public static string NameZh(MoneyStage s) => s switch
    {
        MoneyStage.Queued => "待结算",
        MoneyStage.Review => "结算审核中",
        MoneyStage.Publicity => "公示中",
        MoneyStage.Payable => "待拨付",
        MoneyStage.Paid => "已拨付",
        _ => "已释放",
    };

    /// <summary>The stage entered by a status, or null for the statuses before the queue (no money is committed there).</summary>
    public static MoneyStage? Of(RedemptionStatus s) => s switch
    {
        RedemptionStatus.Queued => MoneyStage.Queued,
        RedemptionStatus.InBatch or RedemptionStatus.Approved => MoneyStage.Review,
        RedemptionStatus.Published or RedemptionStatus.Objected => MoneyStage.Publicity,
        RedemptionStatus.Payable => MoneyStage.Payable,
        RedemptionStatus.Paid => MoneyStage.Paid,
        RedemptionStatus.Rejected or RedemptionStatus.Withdrawn or RedemptionStatus.Stopped => MoneyStage.Released,
        _ => null,
    };

    /// <summary>
    /// Every stage the pay-out has entered, in order: none unless it was queued; Review once batched, Publicity once
    /// published, Payable once payable, then Paid, or Released for a rejected, withdrawn or stopped one.
    /// </summary>
    public static IReadOnlyList<MoneyStage> Path(MoneyFacts f)
    {
        if (!f.Queued)
        {
            return [];
        }

        var path = new List<MoneyStage> { MoneyStage.Queued };
        var now = Of(f.Status);
        if (f.Batched || now is MoneyStage.Review or MoneyStage.Publicity or MoneyStage.Payable or MoneyStage.Paid)
        {
            path.Add(MoneyStage.Review);
        }

        if (f.Published || now is MoneyStage.Publicity or MoneyStage.Payable or MoneyStage.Paid)
        {
            path.Add(MoneyStage.Publicity);
        }

        if (f.Payable || now is MoneyStage.Payable or MoneyStage.Paid)
        {
            path.Add(MoneyStage.Payable);
        }

        if (now is MoneyStage.Paid or MoneyStage.Released)
        {
            path.Add(now.Value);
        }

        return path;
    }

    /// <summary>The stage the pay-out is in now (the end of its path), or null when it was never queued.</summary>
    public static MoneyStage? Current(MoneyFacts f) => Path(f) is { Count: > 0 } p ? p[^1] : null;

    /// <summary>The stage left when <paramref name="entered"/> is entered on <paramref name="path"/> (null for the first, or one not on it).</summary>
    public static MoneyStage? Before(IReadOnlyList<MoneyStage> path, MoneyStage entered)
    {
        for (var i = 1; i < path.Count; i++)
        {
            if (path[i] == entered)
            {
                return path[i - 1];
            }
        }

        return null;
    }
}
