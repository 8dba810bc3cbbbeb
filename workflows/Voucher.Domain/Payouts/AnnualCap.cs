namespace Voucher.Domain;

/// <summary>
/// The per-enterprise, per-year cap (200,000 CNY by default). Granted amounts are final pay-outs; reserved
/// amounts belong to redemptions still on their way. What is left for a new redemption is the cap minus both.
/// </summary>
public static class AnnualCap
{
    /// <summary>The rule that decides which year's cap a pay-out counts toward, as the guide and README state it.</summary>
    public const string YearRuleZh =
        "兑付金额计入“进入结算队列”当天（北京时间）所在年度的年度限额：服务机构确认且材料齐全后，系统按当时剩余额度核定兑付金额并预留，"
        + "此后审核、公示、拨付均不改变计入年度；未通过、撤回或终止时预留额度退回该年度。";

    /// <inheritdoc cref="YearRuleZh"/>
    public const string YearRuleEn =
        "A pay-out counts toward the annual cap of the year (China date, UTC+8) in which its redemption is queued for settlement: "
        + "once the institution has bound it and the evidence is complete, the pay-out is computed against that year's cap left and reserved; "
        + "review, publicity and payment never move it to another year; a rejection, withdrawal or stop gives the reservation back to that year.";

    public static Cny Remaining(Cny cap, Cny granted, Cny reserved) => Cny.Max(Cny.Zero, cap - granted - reserved);

    /// <summary>The cap year of a pay-out computed and reserved at <paramref name="queuedAtUtc"/>: its China-date year.</summary>
    public static int YearOf(DateTime queuedAtUtc) => ChinaTime.DateOf(queuedAtUtc).Year;

    /// <summary>
    /// True when the cap would cut any pay-out to zero: nothing is left of it. Any redemption pays something before the
    /// cap (its amount paid and the face value left are both positive), so this is exactly "the pay-out would be 0.00".
    /// </summary>
    public static bool LeavesNothing(Cny cap, Cny granted, Cny reserved) => Remaining(cap, granted, reserved).IsZero;

    /// <summary>Why a request is refused because the cap is used up: cap, year, granted and reserved, in Chinese and English.</summary>
    public static string RefusalText(int year, Cny cap, Cny granted, Cny reserved) =>
        $"{year} 年度补助限额 {cap} 已用完（已拨付 {granted}，在途预留 {reserved}），本次兑付核定金额将为零，申请不予受理；"
        + $"次年起可再申请。(The {year} annual cap of {cap} is used up: {granted} granted and {reserved} reserved, so the pay-out would be 0.00.)";

    /// <summary>
    /// Why a redemption that passed the request check is stopped when it is queued: by then other redemptions had used the
    /// cap up (its pay-out would be 0.00), so it is not queued as a zero settlement item.
    /// </summary>
    public static string StopText(int year, Cny cap, Cny granted, Cny reserved) =>
        $"进入结算队列时，{year} 年度补助限额 {cap} 已用完（已拨付 {granted}，在途预留 {reserved}），核定兑付金额为零，兑付申请终止，不进入结算。"
        + $"(When it was queued the {year} annual cap of {cap} was used up: {granted} granted and {reserved} reserved; the pay-out would be 0.00, so the redemption is stopped.)";

    /// <summary>
    /// The note a partly capped pay-out carries on pages ("受年度限额影响，核定 ¥X（实付 ¥Y，年度限额剩余 ¥Z）"), or null
    /// when the cap did not reduce it.
    /// </summary>
    public static string? CappedNote(PayoutComputation c, int year) =>
        c.CappedByAnnualLimit ? CappedNote(c.Payout, c.Paid, c.CapRemainingBefore, c.BeforeCap, year) : null;

    /// <summary>The note of <see cref="CappedNote(PayoutComputation, int)"/> from its figures (a capped pay-out is the cap left).</summary>
    public static string CappedNote(Cny payout, Cny paid, Cny capRemaining, Cny beforeCap, int year) =>
        $"受年度限额影响，核定 {payout}（实付 {paid}，{(year > 0 ? $"{year} " : "")}年度限额剩余 {capRemaining}；不受限额时应为 {beforeCap}）";
}
